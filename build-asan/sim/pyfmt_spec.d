build-asan/sim/pyfmt_spec.o: sim/pyfmt_spec.c sim/pyfmt.h
sim/pyfmt.h:
