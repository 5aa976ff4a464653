build-asan/traces/attach.o: traces/attach.c traces/trace.h loop/loop.h \
 loop/loop_events.h
traces/trace.h:
loop/loop.h:
loop/loop_events.h:
