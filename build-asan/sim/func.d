build-asan/sim/func.o: sim/func.c sim/code.h sim/opcodes.h sim/vm.h \
 sim/object.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/code.h:
sim/opcodes.h:
sim/vm.h:
sim/object.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
