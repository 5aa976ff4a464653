build-asan/traces/reader.o: traces/reader.c traces/trace_int.h \
 traces/trace.h loop/loop.h loop/loop_events.h
traces/trace_int.h:
traces/trace.h:
loop/loop.h:
loop/loop_events.h:
