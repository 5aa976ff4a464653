build-asan/sim/pyfmt_float.o: sim/pyfmt_float.c sim/pyfmt.h
sim/pyfmt.h:
