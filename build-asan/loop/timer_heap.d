build-asan/loop/timer_heap.o: loop/timer_heap.c loop/loop_int.h \
 loop/loop.h loop/loop_events.h
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
