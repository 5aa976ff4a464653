build-asan/sim/builtins_types.o: sim/builtins_types.c sim/vm.h \
 sim/object.h sim/opcodes.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
