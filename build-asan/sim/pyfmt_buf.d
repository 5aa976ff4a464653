build-asan/sim/pyfmt_buf.o: sim/pyfmt_buf.c sim/pyfmt.h
sim/pyfmt.h:
