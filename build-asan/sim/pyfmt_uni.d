build-asan/sim/pyfmt_uni.o: sim/pyfmt_uni.c sim/pyfmt.h \
 sim/pyfmt_unitab.h
sim/pyfmt.h:
sim/pyfmt_unitab.h:
