build-asan/loop/event.o: loop/event.c loop/sync_int.h loop/loop_int.h \
 loop/loop.h loop/loop_events.h
loop/sync_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
