build-asan/loop/condition.o: loop/condition.c loop/sync_int.h \
 loop/loop_int.h loop/loop.h loop/loop_events.h
loop/sync_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
