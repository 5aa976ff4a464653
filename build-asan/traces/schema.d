build-asan/traces/schema.o: traces/schema.c traces/trace.h loop/loop.h \
 loop/loop_events.h
traces/trace.h:
loop/loop.h:
loop/loop_events.h:
