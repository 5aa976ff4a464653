build-asan/sim/vm_call.o: sim/vm_call.c sim/code.h sim/opcodes.h sim/vm.h \
 sim/object.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/code.h:
sim/opcodes.h:
sim/vm.h:
sim/object.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
