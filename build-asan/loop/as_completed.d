build-asan/loop/as_completed.o: loop/as_completed.c loop/sync_int.h \
 loop/loop_int.h loop/loop.h loop/loop_events.h
loop/sync_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
