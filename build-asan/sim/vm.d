build-asan/sim/vm.o: sim/vm.c sim/code.h sim/opcodes.h sim/compile.h \
 sim/vm.h sim/object.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/code.h:
sim/opcodes.h:
sim/compile.h:
sim/vm.h:
sim/object.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
