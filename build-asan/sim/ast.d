build-asan/sim/ast.o: sim/ast.c sim/ast.h sim/code.h sim/opcodes.h
sim/ast.h:
sim/code.h:
sim/opcodes.h:
