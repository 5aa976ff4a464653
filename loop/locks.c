/* locks.c — asyncio.Lock (mirrors locks.Lock of CPython 3.11.7).
 *
 * Invariant: `waiters` holds, in arrival order, the futures of the acquire() calls
 * suspended on the lock; each acquire removes its own future when it resumes, so a
 * future in the list is either pending or just done and about to be removed. */
#include "sync_int.h"

loop_obj *loop_lock_new(loop *l)
{
    loop_lock *lk = loop__obj_new(l, LOOP_K_LOCK, sizeof *lk);
    return &lk->hdr;
}

bool loop_lock_locked(const loop_obj *lock)
{
    return ((const loop_lock *)lock)->locked;
}

size_t loop_lock_nwaiters(const loop_obj *lock)
{
    return ((const loop_lock *)lock)->waiters.n;
}

void loop__trace_lock(loop_obj *o, const loop_tracer *t)
{
    loop__futq_trace(&((loop_lock *)o)->waiters, t);
}

void loop__finalize_lock(loop_obj *o)
{
    loop__futq_free(&((loop_lock *)o)->waiters);
}

/* mirrors Lock._wake_up_first: only the first waiter, and only if not done yet */
void loop__lock_wake_up_first(loop *l, loop_lock *lk)
{
    if (lk->waiters.n == 0)
        return;
    loop_future *fut = lk->waiters.v[0];
    if (!loop_future_done(fut))
        loop_future_set_result(l, fut, l->host.true_val);
}

static bool all_cancelled(const loop__futq *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (!loop_future_cancelled(q->v[i]))
            return false;
    return true;
}

/* mirrors Lock.acquire: objs[0] the lock, objs[1] the waiter future.
 * state 0: first send; state 1: resumed after `await fut`. */
static loop_resume lock_acquire_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                     loop_val *out)
{
    loop_lock *lk = (loop_lock *)c->objs[0];
    if (c->state == 0) {
        if (!lk->locked && all_cancelled(&lk->waiters)) {
            lk->locked = true;
            *out = l->host.true_val;
            return LOOP_RETURNED;
        }
        loop_future *fut = loop__future_new_origin(l, "lock");
        c->objs[1] = &fut->hdr;
        loop__futq_push(&lk->waiters, fut);
        c->state = 1;
        loop__await_begin(l, fut, out);     /* a new future: always pending */
        return LOOP_YIELDED;
    }
    loop_future *fut = (loop_future *)c->objs[1];
    loop_val res;
    exc = loop__await_end(l, fut, exc, &res);
    loop__futq_remove(&lk->waiters, fut);               /* the inner finally */
    if (exc) {
        if (loop__is_cancelled(l, exc) && !lk->locked) {
            c->vals[0] = exc;           /* rooted: waking the next waiter allocates */
            loop__lock_wake_up_first(l, lk);
        }
        *out = exc;
        return LOOP_RAISED;
    }
    lk->locked = true;
    *out = l->host.true_val;
    return LOOP_RETURNED;
}

loop_ncoro *loop_lock_acquire(loop *l, loop_obj *lock)
{
    loop_pin(l, lock);
    loop_ncoro *c = loop__ncoro_new(l, lock_acquire_step, "Lock.acquire");
    loop_unpin(l, 1);
    c->objs[0] = lock;
    return c;
}

/* mirrors Lock.release */
int loop_lock_release(loop *l, loop_obj *lock)
{
    loop_lock *lk = (loop_lock *)lock;
    if (!lk->locked) {
        loop_set_error(l, LOOP_E_RUNTIME, "Lock is not acquired.");
        return -1;
    }
    lk->locked = false;
    loop__lock_wake_up_first(l, lk);
    return 0;
}
