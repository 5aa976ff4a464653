build-asan/loop/gather.o: loop/gather.c loop/sync_int.h loop/loop_int.h \
 loop/loop.h loop/loop_events.h
loop/sync_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
