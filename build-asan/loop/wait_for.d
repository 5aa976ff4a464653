build-asan/loop/wait_for.o: loop/wait_for.c loop/sync_int.h \
 loop/loop_int.h loop/loop.h loop/loop_events.h
loop/sync_int.h:
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
