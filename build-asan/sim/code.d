build-asan/sim/code.o: sim/code.c sim/code.h sim/opcodes.h
sim/code.h:
sim/opcodes.h:
