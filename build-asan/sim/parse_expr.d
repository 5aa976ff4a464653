build-asan/sim/parse_expr.o: sim/parse_expr.c sim/parser.h sim/ast.h \
 sim/code.h sim/opcodes.h sim/compile.h sim/lexer.h
sim/parser.h:
sim/ast.h:
sim/code.h:
sim/opcodes.h:
sim/compile.h:
sim/lexer.h:
