build-asan/loop/run_once.o: loop/run_once.c loop/loop_int.h loop/loop.h \
 loop/loop_events.h
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
