build-asan/sim/str_methods.o: sim/str_methods.c sim/vm.h sim/object.h \
 sim/opcodes.h sim/sim.h sim/memory.h sim/pyfmt.h
sim/vm.h:
sim/object.h:
sim/opcodes.h:
sim/sim.h:
sim/memory.h:
sim/pyfmt.h:
