build-asan/sim/compile.o: sim/compile.c sim/compile_int.h sim/ast.h \
 sim/code.h sim/opcodes.h sim/compile.h sim/parser.h sim/lexer.h \
 sim/symtable.h
sim/compile_int.h:
sim/ast.h:
sim/code.h:
sim/opcodes.h:
sim/compile.h:
sim/parser.h:
sim/lexer.h:
sim/symtable.h:
