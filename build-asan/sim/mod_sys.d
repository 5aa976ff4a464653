build-asan/sim/mod_sys.o: sim/mod_sys.c sim/vm.h sim/object.h \
 sim/opcodes.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
