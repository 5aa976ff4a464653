/* condition.c — asyncio.Condition (mirrors locks.Condition of CPython 3.11.7).
 *
 * A Condition shares its Lock's acquire/release/locked; `waiters` holds the futures
 * of the wait() calls between their release and their notification. */
#include "sync_int.h"

typedef struct loop_condition {
    loop_obj hdr;
    loop_obj *lock;
    loop__futq waiters;
} loop_condition;

loop_obj *loop_condition_new(loop *l, loop_obj *lock)
{
    if (lock == NULL)
        lock = loop_lock_new(l);
    loop_pin(l, lock);
    loop_condition *cv = loop__obj_new(l, LOOP_K_CONDITION, sizeof *cv);
    loop_unpin(l, 1);
    cv->lock = lock;
    return &cv->hdr;
}

loop_obj *loop_condition_lock(loop_obj *cond)
{
    return ((loop_condition *)cond)->lock;
}

size_t loop_condition_nwaiters(const loop_obj *cond)
{
    return ((const loop_condition *)cond)->waiters.n;
}

void loop__trace_condition(loop_obj *o, const loop_tracer *t)
{
    loop_condition *cv = (loop_condition *)o;
    if (cv->lock)
        t->obj(t->ud, cv->lock);
    loop__futq_trace(&cv->waiters, t);
}

void loop__finalize_condition(loop_obj *o)
{
    loop__futq_free(&((loop_condition *)o)->waiters);
}

/* mirrors Condition.notify; notify_all is notify(SIZE_MAX) */
int loop_condition_notify(loop *l, loop_obj *cond, size_t n)
{
    loop_condition *cv = (loop_condition *)cond;
    if (!loop_lock_locked(cv->lock)) {
        loop_set_error(l, LOOP_E_RUNTIME, "cannot notify on un-acquired lock");
        return -1;
    }
    size_t idx = 0;
    for (size_t i = 0; i < cv->waiters.n && idx < n; i++) {
        loop_future *fut = cv->waiters.v[i];
        if (!loop_future_done(fut)) {
            idx++;
            loop_future_set_result(l, fut, l->host.false_val);
        }
    }
    return 0;
}

/* The `finally` of Condition.wait: re-acquire the lock, absorbing cancellations.
 * objs[2] the running acquire(); ival[0] `cancelled`; vals[0] the exception the
 * body raised (NULL: it returned True). `first` starts a new acquire(). */
static loop_resume wait_reacquire(loop *l, loop_ncoro *c, bool first, loop_val value,
                                  loop_val exc, loop_val *out)
{
    loop_condition *cv = (loop_condition *)c->objs[0];
    const loop_host *h = loop_get_host(l);
    for (;;) {
        if (first) {
            loop_ncoro *sub = loop_lock_acquire(l, cv->lock);
            c->objs[2] = &sub->hdr;
            value = h->none;
            exc = NULL;
        }
        loop_resume r = loop_ncoro_resume(l, (loop_ncoro *)c->objs[2], value, exc, out);
        if (r == LOOP_YIELDED) {
            c->state = 2;
            return r;
        }
        if (r == LOOP_RETURNED)
            break;
        if (!loop__is_cancelled(l, *out))
            return LOOP_RAISED;
        c->ival[0] = 1;
        first = true;
    }
    if (c->ival[0]) {
        *out = loop__exc(l, LOOP_E_CANCELLED, NULL);
        return LOOP_RAISED;
    }
    if (c->vals[0]) {
        *out = c->vals[0];
        return LOOP_RAISED;
    }
    *out = l->host.true_val;
    return LOOP_RETURNED;
}

/* mirrors Condition.wait: objs[0] the condition, objs[1] the waiter future.
 * state 0: first send; 1: awaiting the waiter; 2: re-acquiring the lock. */
static loop_resume cond_wait_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                  loop_val *out)
{
    loop_condition *cv = (loop_condition *)c->objs[0];
    if (c->state == 2)
        return wait_reacquire(l, c, false, value, exc, out);
    if (c->state == 0) {
        if (!loop_lock_locked(cv->lock)) {
            *out = loop__exc(l, LOOP_E_RUNTIME, "cannot wait on un-acquired lock");
            return LOOP_RAISED;
        }
        loop_lock_release(l, cv->lock);
        loop_future *fut = loop__future_new_origin(l, "condition");
        c->objs[1] = &fut->hdr;
        loop__futq_push(&cv->waiters, fut);
        c->state = 1;
        loop__await_begin(l, fut, out);
        return LOOP_YIELDED;
    }
    loop_future *fut = (loop_future *)c->objs[1];
    loop_val res;
    exc = loop__await_end(l, fut, exc, &res);
    loop__futq_remove(&cv->waiters, fut);
    if (exc == LOOP_GEN_EXIT) {
        /* coro.close(): CPython's finally would await acquire() and fail with "coroutine
         * ignored GeneratorExit"; the lock is left as it is instead */
        *out = exc;
        return LOOP_RAISED;
    }
    c->vals[0] = exc;
    c->ival[0] = 0;
    return wait_reacquire(l, c, true, NULL, NULL, out);
}

loop_ncoro *loop_condition_wait(loop *l, loop_obj *cond)
{
    loop_pin(l, cond);
    loop_ncoro *c = loop__ncoro_new(l, cond_wait_step, "Condition.wait");
    loop_unpin(l, 1);
    c->objs[0] = cond;
    return c;
}

/* mirrors Condition.wait_for: objs[0] the condition, objs[1] the running wait(),
 * vals[0] the predicate. Calls the predicate, then waits while it is false. */
static loop_resume cond_wait_for_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                      loop_val *out)
{
    const loop_host *h = loop_get_host(l);
    if (c->state == 1) {
        loop_resume r = loop_ncoro_resume(l, (loop_ncoro *)c->objs[1], value, exc, out);
        if (r != LOOP_RETURNED)
            return r;
    }
    for (;;) {
        loop_val result;
        if (h->call(h->ud, c->vals[0], 0, NULL, &result) < 0) {
            *out = result;
            return LOOP_RAISED;
        }
        int truth = loop__truthy(l, result, out);
        if (truth < 0)
            return LOOP_RAISED;
        if (truth) {
            *out = result;
            return LOOP_RETURNED;
        }
        loop_ncoro *sub = loop_condition_wait(l, c->objs[0]);
        c->objs[1] = &sub->hdr;
        c->state = 1;
        loop_resume r = loop_ncoro_resume(l, sub, h->none, NULL, out);
        if (r != LOOP_RETURNED)
            return r;
    }
}

loop_ncoro *loop_condition_wait_for(loop *l, loop_obj *cond, loop_val predicate)
{
    loop_pin(l, cond);
    loop_ncoro *c = loop__ncoro_new(l, cond_wait_for_step, "Condition.wait_for");
    loop_unpin(l, 1);
    c->objs[0] = cond;
    c->vals[0] = predicate;
    return c;
}
