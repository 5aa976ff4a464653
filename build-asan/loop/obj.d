build-asan/loop/obj.o: loop/obj.c loop/loop_int.h loop/loop.h \
 loop/loop_events.h
loop/loop_int.h:
loop/loop.h:
loop/loop_events.h:
