build-asan/loop/handle.o: loop/handle.c loop/loop_int.h loop/loop.h \
 loop/loop_events.h
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
