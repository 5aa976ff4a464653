/* model_int.h — what the files that load a timeline model share: the per-object state
 * of the loader. model.c opens the trace and drives the load; model_tables.c reads the
 * object tables (tasks, handles, futures, output) first, so that a handle knows at once
 * whether it steps a task or is a timer, and a task its name; model_events.c makes one
 * pass over the events, in seq order; model_classify.c then says what each wait was for.
 */
#ifndef MODEL_INT_H
#define MODEL_INT_H

#include <string.h>

#include "trace.h"
#include "viz_int.h"

enum { O_NONE, O_TASK, O_HANDLE, O_FUTURE, O_THREAD };

/* Where a handle was scheduled from, and how. */
typedef struct obj {
    uint8_t type;
    uint8_t akind;           /* handle: arrow kind of its scheduling; future: done-by class */
    bool timer, threadsafe, started;
    int lane;                /* task / thread: its lane; handle: lane it was scheduled from */
    uint64_t seq;            /* handle: the scheduling event; task: the create event */
    uint64_t steps_task;     /* handle: the task it steps */
    int64_t open_step;       /* task / thread: index of its open step, -1: none */
    int64_t open_wait;       /* task / thread: index of its open wait, -1: none */
    uint64_t cancel_seq;     /* task: a cancel request not yet delivered */
    int cancel_lane;
    int create_lane;         /* task: the lane that created it */
    uint64_t timer_step;     /* future: created in a step that then scheduled a timer */
    double timer_delay;
    uint64_t created_step;   /* future: the step-begin seq of the step that created it */
    bool sync_origin;
    uint8_t akind_origin;    /* future: 1 + the wait kind its origin names, 0: none */
} obj;

/* Futures' done classes. */
enum { DONE_NONE, DONE_TIMER, DONE_THREAD, DONE_TASK, DONE_OTHER };

typedef struct loader {
    viz_model *m;
    obj *objs;
    size_t nobjs;
    int callbacks_lane;
    int other_lane;
    int64_t cur_slot;        /* the open handle run's slot, -1: none */
    int cur_lane;            /* its lane */
    uint64_t cur_handle;
    uint64_t cur_step_seq;   /* step_begin seq of the step running now (0: none) */
    uint64_t step_future;    /* the last future created (by any step) */
    int64_t cur_cb_step;     /* the callback step of the run, -1: none */
    int thread_running;      /* lane of the thread that ran last without sleeping, -1 */
    int thread_last;         /* lane of the thread of the last thread event, -1 */
    int nthreads;
    double last_time;
    trace_output *outs;      /* the output table, by seq */
    size_t nouts, iout;
} loader;

/* The state of object `id`, the table grown to hold it. Growing moves the table: a
 * pointer from O() is good until the next O() of a larger id. */
static inline obj *O(loader *ld, uint64_t id)
{
    if (id >= ld->nobjs) {
        size_t n = ld->nobjs ? ld->nobjs : 64;
        while (n <= id)
            n *= 2;
        obj *p = realloc(ld->objs, n * sizeof *p);
        if (!p) {
            fputs("aiosim: out of memory\n", stderr);
            abort();
        }
        for (size_t i = ld->nobjs; i < n; i++) {
            memset(&p[i], 0, sizeof p[i]);
            p[i].lane = -1;
            p[i].open_step = p[i].open_wait = -1;
        }
        ld->objs = p;
        ld->nobjs = n;
    }
    return &ld->objs[id];
}


/* model_tables.c */
int viz__add_lane(viz_model *m, viz_lane_kind kind, uint64_t id, const char *name,
                  const char *label, const char *state);
/* Reads the tasks (a lane each), adds the callbacks lane, then handles, futures and
 * the output table. -1 if a table is unreadable. */
int viz__read_tables(loader *ld, trace_reader *r);

/* model_events.c: one event of the pass (a trace_foreach_event callback). */
int viz__on_event(void *ud, const trace_event *ev);

/* model_classify.c: what each wait was for, and sleep timers' labels, once every
 * future's end is known. */
void viz__classify(loader *ld);

#endif
