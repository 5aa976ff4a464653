build-asan/sim/list.o: sim/list.c sim/vm.h sim/object.h sim/opcodes.h \
 sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
