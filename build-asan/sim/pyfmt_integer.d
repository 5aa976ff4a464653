build-asan/sim/pyfmt_integer.o: sim/pyfmt_integer.c sim/pyfmt.h
sim/pyfmt.h:
