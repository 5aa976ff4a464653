build-asan/sim/parser.o: sim/parser.c sim/parser.h sim/ast.h sim/code.h \
 sim/opcodes.h sim/compile.h sim/lexer.h
sim/parser.h:
sim/ast.h:
sim/code.h:
sim/opcodes.h:
sim/compile.h:
sim/lexer.h:
