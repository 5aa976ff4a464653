build-asan/sim/diag.o: sim/diag.c sim/compile.h sim/code.h sim/opcodes.h \
 sim/lexer.h sim/parser.h sim/ast.h
sim/compile.h:
sim/code.h:
sim/opcodes.h:
sim/lexer.h:
sim/parser.h:
sim/ast.h:
