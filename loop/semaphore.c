/* semaphore.c — asyncio.Semaphore and BoundedSemaphore (mirrors locks.Semaphore of
 * CPython 3.11.7, the version with _wake_up_next that takes the count for the waiter
 * it wakes, and acquire() that gives it back if it was cancelled after waking).
 *
 * Invariant: value >= 0; a waiter woken by _wake_up_next has already been charged
 * one unit of `value`. */
#include "sync_int.h"

typedef struct loop_semaphore {
    loop_obj hdr;
    int64_t value;
    int64_t bound;          /* BoundedSemaphore's _bound_value */
    bool bounded;
    loop__futq waiters;
} loop_semaphore;

loop_obj *loop_semaphore_new(loop *l, int64_t value, bool bounded)
{
    if (value < 0) {
        loop_set_error(l, LOOP_E_VALUE, "Semaphore initial value must be >= 0");
        return NULL;
    }
    loop_semaphore *s = loop__obj_new(l, LOOP_K_SEMAPHORE, sizeof *s);
    s->hdr.subkind = bounded;
    s->value = value;
    s->bound = value;
    s->bounded = bounded;
    return &s->hdr;
}

int64_t loop_semaphore_value(const loop_obj *sem)
{
    return ((const loop_semaphore *)sem)->value;
}

size_t loop_semaphore_nwaiters(const loop_obj *sem)
{
    return ((const loop_semaphore *)sem)->waiters.n;
}

void loop__trace_semaphore(loop_obj *o, const loop_tracer *t)
{
    loop__futq_trace(&((loop_semaphore *)o)->waiters, t);
}

void loop__finalize_semaphore(loop_obj *o)
{
    loop__futq_free(&((loop_semaphore *)o)->waiters);
}

/* mirrors Semaphore.locked: no unit free, or someone not cancelled is queued */
bool loop_semaphore_locked(const loop_obj *sem)
{
    const loop_semaphore *s = (const loop_semaphore *)sem;
    if (s->value == 0)
        return true;
    for (size_t i = 0; i < s->waiters.n; i++)
        if (!loop_future_cancelled(s->waiters.v[i]))
            return true;
    return false;
}

/* mirrors Semaphore._wake_up_next: the first waiter not done gets a unit */
static void wake_up_next(loop *l, loop_semaphore *s)
{
    for (size_t i = 0; i < s->waiters.n; i++) {
        loop_future *fut = s->waiters.v[i];
        if (!loop_future_done(fut)) {
            s->value--;
            loop_future_set_result(l, fut, l->host.true_val);
            return;
        }
    }
}

/* mirrors Semaphore.acquire: objs[0] the semaphore, objs[1] the waiter future */
static loop_resume sem_acquire_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                    loop_val *out)
{
    loop_semaphore *s = (loop_semaphore *)c->objs[0];
    if (c->state == 0) {
        if (!loop_semaphore_locked(&s->hdr)) {
            s->value--;
            *out = l->host.true_val;
            return LOOP_RETURNED;
        }
        loop_future *fut = loop__future_new_origin(l, "semaphore");
        c->objs[1] = &fut->hdr;
        loop__futq_push(&s->waiters, fut);
        c->state = 1;
        loop__await_begin(l, fut, out);
        return LOOP_YIELDED;
    }
    loop_future *fut = (loop_future *)c->objs[1];
    loop_val res;
    exc = loop__await_end(l, fut, exc, &res);
    loop__futq_remove(&s->waiters, fut);
    if (exc) {
        /* woken (and charged) but cancelled before running: give the unit on */
        if (loop__is_cancelled(l, exc) && !loop_future_cancelled(fut)) {
            c->vals[0] = exc;           /* rooted: waking the next waiter allocates */
            s->value++;
            wake_up_next(l, s);
        }
        *out = exc;
        return LOOP_RAISED;
    }
    if (s->value > 0)
        wake_up_next(l, s);
    *out = l->host.true_val;
    return LOOP_RETURNED;
}

loop_ncoro *loop_semaphore_acquire(loop *l, loop_obj *sem)
{
    loop_pin(l, sem);
    loop_ncoro *c = loop__ncoro_new(l, sem_acquire_step, "Semaphore.acquire");
    loop_unpin(l, 1);
    c->objs[0] = sem;
    return c;
}

/* mirrors Semaphore.release and BoundedSemaphore.release */
int loop_semaphore_release(loop *l, loop_obj *sem)
{
    loop_semaphore *s = (loop_semaphore *)sem;
    if (s->bounded && s->value >= s->bound) {
        loop_set_error(l, LOOP_E_VALUE, "BoundedSemaphore released too many times");
        return -1;
    }
    s->value++;
    wake_up_next(l, s);
    return 0;
}
