build-asan/sim/lexer.o: sim/lexer.c sim/lexer.h sim/compile.h sim/code.h \
 sim/opcodes.h
sim/lexer.h:
sim/compile.h:
sim/code.h:
sim/opcodes.h:
