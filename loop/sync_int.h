/* sync_int.h — helpers shared by the combinators (gather, wait, wait_for, shield,
 * as_completed) and the synchronisation primitives (locks, queues, TaskGroup, timeout).
 *
 * The pieces every CPython `async def` of those modules is built from:
 *   - a future list (`loop__futq`): the `collections.deque` of waiter futures, the set
 *     of a TaskGroup's tasks, the children of a gather; insertion-ordered, removal by
 *     identity (deque.remove / set.discard on futures compare by identity);
 *   - `await aw` for any awaitable, one step at a time (yield from);
 *   - `_release_waiter` as a loop callback, and `_cancel_and_wait` as a native coroutine.
 *
 * Invariant: a futq owns only its array; the futures in it are traced by the object
 * holding the futq (loop__futq_trace) and the array is freed by its finalizer.
 */
#ifndef SYNC_INT_H
#define SYNC_INT_H

#include "loop_int.h"

typedef struct loop__futq {
    loop_future **v;
    size_t n, cap;
} loop__futq;

void loop__futq_push(loop__futq *q, loop_future *f);
/* Removes the first occurrence of f; false if absent (deque.remove's ValueError). */
bool loop__futq_remove(loop__futq *q, loop_future *f);
loop_future *loop__futq_popleft(loop__futq *q);       /* NULL if empty */
bool loop__futq_has(const loop__futq *q, const loop_future *f);
void loop__futq_trace(const loop__futq *q, const loop_tracer *t);
void loop__futq_free(loop__futq *q);

/* A gathering future (_GatheringFuture) has hdr.subkind == LOOP__FUT_GATHER; its
 * cancel() is gather.c's loop__future_cancel_override, which future.c calls for any
 * future with a subkind (loop_future_cancel, loop__cancel). */
#define LOOP__FUT_GATHER 1
bool loop__future_cancel_override(loop *l, loop_future *f, loop_val msg);
/* The extra references of a future with a subkind (obj.c calls it after
 * loop__future_trace): a gathering future's state block. */
void loop__trace_future_sub(loop_obj *o, const loop_tracer *t);

/* isinstance(exc, CancelledError), false for coro.close()'s LOOP_GEN_EXIT. */
bool loop__is_cancelled(loop *l, loop_val exc);
/* bool(v): 1 / 0, or -1 with *exc the exception its __bool__ raised. */
int loop__truthy(loop *l, loop_val v, loop_val *exc);

/* tasks._release_waiter(waiter, *args): h->cb.obj is the waiter future. Used as a
 * timer callback and as a done-callback. */
int loop__release_waiter(loop *l, loop_handle *h);
/* tasks._cancel_and_wait(fut) as a native coroutine. */
loop_ncoro *loop__cancel_and_wait(loop *l, loop_future *fut);
/* One step of `await aw` (yield from) for any awaitable: a loop future (its
 * Future.__await__; `first` on the call that begins the await) or a coroutine (a
 * host coroutine or a wrapped native one, resumed with value / exc). Returns
 * LOOP_YIELDED (*out: pass it up), LOOP_RETURNED (*out = the value) or LOOP_RAISED. */
loop_resume loop__await_step(loop *l, loop_val aw, bool first, loop_val value,
                             loop_val exc, loop_val *out);

/* The Lock and Event objects (Condition and Queue use them). */
typedef struct loop_lock {
    loop_obj hdr;
    bool locked;
    loop__futq waiters;
} loop_lock;

typedef struct loop_eventobj {
    loop_obj hdr;
    bool value;
    loop__futq waiters;
} loop_eventobj;

/* Lock._wake_up_first */
void loop__lock_wake_up_first(loop *l, loop_lock *lk);

/* STATE blocks: the closure state of a combinator, by subkind. */
enum { LOOP__STATE_GATHER = 1, LOOP__STATE_WAIT };
void loop__trace_gather_state(loop_obj *o, const loop_tracer *t);
void loop__finalize_gather_state(loop_obj *o);
void loop__trace_wait_state(loop_obj *o, const loop_tracer *t);
void loop__finalize_wait_state(loop_obj *o);

/* Trace / finalize functions of the kinds defined by these files (obj.c dispatches). */
void loop__trace_lock(loop_obj *o, const loop_tracer *t);
void loop__trace_event(loop_obj *o, const loop_tracer *t);
void loop__trace_condition(loop_obj *o, const loop_tracer *t);
void loop__trace_semaphore(loop_obj *o, const loop_tracer *t);
void loop__trace_queue(loop_obj *o, const loop_tracer *t);
void loop__trace_taskgroup(loop_obj *o, const loop_tracer *t);
void loop__trace_timeout(loop_obj *o, const loop_tracer *t);
void loop__trace_ascompleted(loop_obj *o, const loop_tracer *t);
void loop__trace_state(loop_obj *o, const loop_tracer *t);
void loop__finalize_lock(loop_obj *o);
void loop__finalize_event(loop_obj *o);
void loop__finalize_condition(loop_obj *o);
void loop__finalize_semaphore(loop_obj *o);
void loop__finalize_queue(loop_obj *o);
void loop__finalize_taskgroup(loop_obj *o);
void loop__finalize_ascompleted(loop_obj *o);
void loop__finalize_state(loop_obj *o);

#endif
