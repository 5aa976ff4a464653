build-asan/sim/disasm.o: sim/disasm.c sim/code.h sim/opcodes.h
sim/code.h:
sim/opcodes.h:
