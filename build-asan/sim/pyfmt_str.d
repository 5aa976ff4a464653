build-asan/sim/pyfmt_str.o: sim/pyfmt_str.c sim/pyfmt.h
sim/pyfmt.h:
