build-asan/loop/chain.o: loop/chain.c loop/exec_int.h loop/loop_int.h \
 loop/loop.h loop/loop_events.h
loop/exec_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
