build-asan/traces/diff.o: traces/diff.c traces/trace_int.h traces/trace.h \
 loop/loop.h loop/loop_events.h
traces/trace_int.h:
traces/trace.h:
loop/loop.h:
loop/loop_events.h:
