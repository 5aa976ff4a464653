build-asan/sim/vm_ops.o: sim/vm_ops.c sim/vm.h sim/object.h sim/opcodes.h \
 sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
