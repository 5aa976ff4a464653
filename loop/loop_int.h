/* loop_int.h — internals shared by the files of loop/ (`loop__` prefix).
 *
 * The loop's state, the object allocator, the observer hook, the ready queue and
 * timer heap primitives, and the helpers the combinators and primitives build on
 * (scheduling a C callback, adding a done-callback, awaiting a future from a native
 * coroutine). Nothing here is for the host: it uses loop.h only.
 *
 * Invariants:
 *   - `ready` is a ring buffer: ready[(rhead + i) % rcap] for i < rlen, FIFO.
 *   - `heap` is a binary min-heap on `when` compared with `<` only, exactly as
 *     CPython's heapq (timer_heap.c); every handle in it has `scheduled` set and
 *     heap[i].when == heap[i].h->when.
 *   - `tasks` holds every task created on the loop in creation order that was not
 *     done when the array was last compacted; `ntasks_done` counts the done ones
 *     still in it. Pending tasks are GC roots.
 *   - `pins` is a stack of objects rooted for the duration of a C call.
 */
#ifndef LOOP_INT_H
#define LOOP_INT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"

/* CPython constants (base_events.py). */
#define LOOP__MIN_SCHEDULED_TIMER_HANDLES 100
#define LOOP__MAXIMUM_SELECT_TIMEOUT (24.0 * 3600.0)
#define LOOP__CLOCK_RESOLUTION 1e-09

typedef struct loop__thread loop__thread;   /* executor.c */

/* A timer heap entry: the deadline is copied next to the handle so that the sifts
 * compare without touching the handles (the order is still `when < when` only). */
typedef struct loop__timer {
    double when;
    loop_handle *h;
} loop__timer;
typedef struct loop__executor loop__executor;

struct loop {
    loop_host host;
    loop_observer_fn obs;
    void *obs_ud;
    uint64_t seq;                   /* observer event counter */

    double now;                     /* the virtual clock */
    uint64_t iteration;             /* _run_once count */
    uint64_t step_limit, steps;     /* handles run so far, and the cap (0: none) */
    bool stopping, running, closed, debug, limit_hit;

    loop_handle **ready;            /* ring buffer (see invariant) */
    size_t rhead, rlen, rcap;
    loop__timer *heap;              /* the timer heap (_scheduled) */
    size_t nheap, capheap;
    size_t timer_cancelled_count;   /* _timer_cancelled_count */

    loop_handle *current_handle;    /* rooted while it runs */
    loop_task *current_task;        /* _current_tasks[loop] */
    loop_task **tasks;              /* _all_tasks, creation order */
    size_t ntasks, captasks, ntasks_done;
    uint64_t task_number;

    loop_obj **pins;
    size_t npins, cappins;
    loop_obj **objs;                /* malloc mode only: every object, to free in loop_free */
    size_t nobjs, capobjs;
    uint64_t next_id;

    loop_val error;                 /* the error slot */

    /* virtual threads (executor.c) */
    bool selfpipe;                  /* written by call_soon_threadsafe, not yet read */
    size_t nalive;                  /* worker threads alive, over all executors */
    loop__thread **sleepers;        /* heap ordered by (wake, seq) */
    size_t nsleepers, capsleepers;
    uint64_t sleep_seq;
    loop__thread *cur_thread;       /* the virtual thread running, NULL: loop thread */
    loop_obj *default_executor;
    bool executor_shutdown_called;
    loop_future *shutdown_fut;      /* shutdown_default_executor's future, while waiting */
    loop_obj *shutdown_ex;          /* the executor that shutdown waits for */
};

/* ---- observer ------------------------------------------------------------------- */

void loop__emit(loop *l, loop_event_kind kind, loop_obj *subject, loop_obj *other,
                double when, double num, loop_val val);
/* The same with a short text (loop_event.text); the observer must be set. */
void loop__emit_text(loop *l, loop_event_kind kind, loop_obj *subject, loop_obj *other,
                     double when, double num, loop_val val, const char *text);
/* One branch when no observer is set. */
#define LOOP__EMIT(l, kind, subj, oth, when, num, val)                                \
    do {                                                                              \
        if ((l)->obs)                                                                 \
            loop__emit((l), (kind), (loop_obj *)(subj), (loop_obj *)(oth), (when),    \
                       (num), (val));                                                 \
    } while (0)

/* ---- objects (obj.c) -------------------------------------------------------------- */

/* A zeroed object of `size` bytes with its header filled (kind, id, owner), through
 * host->alloc or malloc. May collect: pin what you hold first. */
void *loop__obj_new(loop *l, loop_kind kind, size_t size);
/* Grow *v (elements of `size`) so that it holds at least `need`; aborts on OOM. */
void loop__grow(void **v, size_t *cap, size_t need, size_t size);

/* ---- handles, ready queue, timers ---------------------------------------------------- */

void loop__ready_push(loop *l, loop_handle *h);
loop_handle *loop__ready_pop(loop *l);
void loop__heap_push(loop *l, loop_handle *h);       /* heapq.heappush */
loop_handle *loop__heap_pop(loop *l);                /* heapq.heappop */
void loop__heapify(loop *l);                         /* heapq.heapify */

/* call_soon of a C callback: `fn(l, h)` with h->cb.obj = obj, h->cb.val = val. */
loop_handle *loop__soon(loop *l, loop_cb fn, loop_obj *obj, loop_val val);
/* add_done_callback of a C callback; it runs with h->arg = the future. */
void loop__add_done(loop *l, loop_future *f, loop_cb fn, loop_obj *obj, loop_val val);
/* The task a handle steps (its __step or __wakeup), or NULL. */
loop_obj *loop__handle_task(const loop_handle *h);
/* Runs one handle as _run_once does (current handle set and rooted). -1: abort. */
int loop__run_handle(loop *l, loop_handle *h);

/* ---- errors and values ------------------------------------------------------------- */

/* A new exception value kind(msg) (not put in the error slot). */
loop_val loop__exc(loop *l, loop_error_kind kind, const char *msg);
/* repr(v) into buf through host->repr (or "<object>"). */
const char *loop__repr(loop *l, loop_val v, char *buf, size_t cap);
static inline loop_val loop__none(const loop *l) { return l->host.none; }
static inline bool loop__is_error(loop *l, loop_val exc, loop_error_kind kind)
{
    return l->host.is_error(l->host.ud, exc, kind);
}
/* KeyboardInterrupt or SystemExit: these abort a loop run. */
static inline bool loop__is_fatal(loop *l, loop_val exc)
{
    return l->host.is_error(l->host.ud, exc, LOOP_E__COUNT);
}

/* ---- futures and tasks ----------------------------------------------------------------- */

/* Future.__init__ on an object allocated by the caller (tasks, gather's outer future). */
void loop__future_init(loop *l, loop_future *f);
/* A new pending future whose FUTURE_CREATE event says what it is for: a short static
 * text ("sleep", "lock", "queue.get", ...) that traces keep as futures.origin and
 * the timeline uses to colour waits on it. loop_future_new is "create_future". */
loop_future *loop__future_new_origin(loop *l, const char *origin);
/* Future.cancel itself (not the Task override): state, message, callbacks. */
bool loop__future_cancel(loop *l, loop_future *f, loop_val msg);
/* fut.cancel(msg) as a method call (= loop_future_cancel): Task.cancel for tasks,
 * loop__future_cancel_override for futures with a subkind, else Future.cancel. */
bool loop__cancel(loop *l, loop_future *f, loop_val msg);
/* Hooks that other loop/ files may define (declared weak where they are called):
 *   bool loop__future_cancel_override(loop *, loop_future *, loop_val msg)   gather.c
 *   void loop__trace_<k>(loop_obj *, const loop_tracer *), void loop__finalize_<k>(loop_obj *)
 *     for k in lock, event, condition, semaphore, queue, taskgroup, timeout,
 *     ascompleted, state (obj.c dispatches loop_obj_trace / loop_obj_finalize). */
/* Drops done tasks from l->tasks (keeping creation order). */
void loop__tasks_compact(loop *l);
void loop__task_trace(loop_obj *o, const loop_tracer *t);
void loop__future_trace(loop_obj *o, const loop_tracer *t);

/* ---- native coroutines (ncoro.c) -------------------------------------------------------- */

/* A native coroutine in state 0 running `step`; `name` its __qualname__. */
loop_ncoro *loop__ncoro_new(loop *l, loop_ncoro_fn step, const char *name);
/* First half of `await f` (Future.__await__): true when f is pending, with *out the
 * value to yield (f's wrapper; f->blocking set), false when f is already done. */
bool loop__await_begin(loop *l, loop_future *f, loop_val *out);
/* Second half, when the coroutine is resumed (or at once if f was done): NULL and
 * *res = f's result, or the exception to raise at the await point (the thrown `exc`,
 * f's exception, its CancelledError, or RuntimeError("await wasn't used with future")). */
loop_val loop__await_end(loop *l, loop_future *f, loop_val exc, loop_val *res);

/* ---- virtual threads (executor.c, vthread.c, cfuture.c, chain.c; exec_int.h) -------------------------------------------------- */

/* The "select" of _run_once (VSelector.select): timeout < 0 is None. Returns false on
 * deadlock. May advance the clock and run virtual threads. */
bool loop__select(loop *l, double timeout);
void loop__threads_trace(loop *l, const loop_tracer *t);
void loop__threads_free(loop *l);
void loop__executor_trace(loop_obj *o, const loop_tracer *t);
void loop__executor_finalize(loop_obj *o);
void loop__thread_trace(loop_obj *o, const loop_tracer *t);
void loop__thread_finalize(loop_obj *o);
void loop__cfuture_trace(loop_obj *o, const loop_tracer *t);
void loop__cfuture_finalize(loop_obj *o);

#endif
