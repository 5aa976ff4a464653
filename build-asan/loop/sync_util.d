build-asan/loop/sync_util.o: loop/sync_util.c loop/sync_int.h \
 loop/loop_int.h loop/loop.h loop/loop_events.h
loop/sync_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
