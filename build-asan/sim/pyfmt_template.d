build-asan/sim/pyfmt_template.o: sim/pyfmt_template.c sim/pyfmt.h
sim/pyfmt.h:
