build-asan/loop/loop.o: loop/loop.c loop/loop_int.h loop/loop.h \
 loop/loop_events.h
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
