build-asan/sim/builtins.o: sim/builtins.c sim/vm.h sim/object.h \
 sim/opcodes.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
