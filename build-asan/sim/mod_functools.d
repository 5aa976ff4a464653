build-asan/sim/mod_functools.o: sim/mod_functools.c sim/vm.h sim/object.h \
 sim/opcodes.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
