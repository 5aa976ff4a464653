build-asan/sim/symtable.o: sim/symtable.c sim/symtable.h sim/ast.h \
 sim/code.h sim/opcodes.h sim/parser.h sim/compile.h sim/lexer.h
sim/symtable.h:
sim/ast.h:
sim/code.h:
sim/opcodes.h:
sim/parser.h:
sim/compile.h:
sim/lexer.h:
