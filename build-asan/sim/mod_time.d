build-asan/sim/mod_time.o: sim/mod_time.c sim/vm.h sim/object.h \
 sim/opcodes.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
