build-asan/loop/loop_events.o: loop/loop_events.c loop/loop.h \
 loop/loop_events.h
loop/loop.h:
loop/loop_events.h:
