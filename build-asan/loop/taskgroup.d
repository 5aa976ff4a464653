build-asan/loop/taskgroup.o: loop/taskgroup.c loop/sync_int.h \
 loop/loop_int.h loop/loop.h loop/loop_events.h
loop/sync_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
