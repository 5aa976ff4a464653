/* attach.c — trace_writer_attach, apart from writer.c so that linking the writer does
 * not pull in the loop's implementation (synthetic-event users never call this). */
#include "trace.h"

void trace_writer_attach(trace_writer *w, loop *l)
{
    trace_writer_begin_loop(w);       /* a no-op for the first loop: no ids seen yet */
    loop_set_observer(l, trace_writer_observe, w);
}
