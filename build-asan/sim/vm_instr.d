build-asan/sim/vm_instr.o: sim/vm_instr.c sim/code.h sim/opcodes.h \
 sim/vm.h sim/object.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/code.h:
sim/opcodes.h:
sim/vm.h:
sim/object.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
