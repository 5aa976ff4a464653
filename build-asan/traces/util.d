build-asan/traces/util.o: traces/util.c traces/trace_int.h traces/trace.h \
 loop/loop.h loop/loop_events.h
traces/trace_int.h:
traces/trace.h:
loop/loop.h:
loop/loop_events.h:
