build-asan/sim/pyfmt_percent.o: sim/pyfmt_percent.c sim/pyfmt.h
sim/pyfmt.h:
