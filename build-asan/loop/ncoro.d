build-asan/loop/ncoro.o: loop/ncoro.c loop/loop_int.h loop/loop.h \
 loop/loop_events.h
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
