/* wait.c — asyncio.wait (mirrors tasks.wait and tasks._wait).
 *
 * The coroutine's state block (STATE, LOOP__STATE_WAIT) is also the `_on_completion`
 * closure: every awaited future's done-callback holds it. `vals`/`futs` are the set
 * `set(fs)`: the distinct futures in first-seen order (aiosim's set order), with the
 * host values the caller passed for them. */
#include "sync_int.h"

typedef struct wait_state {
    loop_obj hdr;
    loop_val *vals;             /* the arguments, then (after dedup) one per future */
    loop_future **futs;
    size_t n;
    loop_future *waiter;
    loop_handle *timeout_handle;
    size_t counter;
    loop_return_when return_when;
} wait_state;

void loop__trace_wait_state(loop_obj *o, const loop_tracer *t)
{
    wait_state *st = (wait_state *)o;
    for (size_t i = 0; i < st->n; i++) {
        if (st->vals[i])
            t->val(t->ud, st->vals[i]);
        if (st->futs[i])
            t->obj(t->ud, &st->futs[i]->hdr);
    }
    if (st->waiter)
        t->obj(t->ud, &st->waiter->hdr);
    if (st->timeout_handle)
        t->obj(t->ud, &st->timeout_handle->hdr);
}

void loop__finalize_wait_state(loop_obj *o)
{
    wait_state *st = (wait_state *)o;
    free(st->vals);
    free(st->futs);
    st->vals = NULL;
    st->futs = NULL;
    st->n = 0;
}

/* mirrors _wait's _on_completion: h->cb.obj the state, h->arg the future */
static int on_completion(loop *l, loop_handle *h)
{
    wait_state *st = (wait_state *)h->cb.obj;
    loop_future *f = (loop_future *)h->arg;
    st->counter--;
    bool wake = st->counter == 0 || st->return_when == LOOP_FIRST_COMPLETED;
    if (!wake && st->return_when == LOOP_FIRST_EXCEPTION && !loop_future_cancelled(f)) {
        loop_val exc;
        loop_future_exception(l, f, &exc);
        wake = exc != l->host.none;
    }
    if (wake) {
        if (st->timeout_handle)
            loop_handle_cancel(l, st->timeout_handle);
        if (!loop_future_done(st->waiter))
            loop_future_set_result(l, st->waiter, l->host.none);
    }
    return 0;
}

/* wait()'s checks and `fs = set(fs)`; -1 with *out the exception */
static int check_and_dedup(loop *l, wait_state *st, loop_val *out)
{
    if (st->n == 0) {
        *out = loop__exc(l, LOOP_E_VALUE, "Set of Tasks/Futures is empty.");
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < st->n; i++) {
        loop_future *f = l->host.as_future(l->host.ud, st->vals[i]);
        if (f == NULL) {
            *out = loop__exc(l, LOOP_E_TYPE,
                             "Passing coroutines is forbidden, use tasks explicitly.");
            return -1;
        }
        size_t j = 0;
        while (j < k && st->futs[j] != f)
            j++;
        if (j == k) {
            st->vals[k] = st->vals[i];
            st->futs[k++] = f;
        }
    }
    for (size_t i = k; i < st->n; i++)
        st->vals[i] = NULL;
    st->n = k;
    return 0;
}

/* The start of _wait: the waiter, the timer, a done-callback on each future.
 * -1 if the timer could not be scheduled (the loop is closed). */
static int wait_begin(loop *l, wait_state *st, double timeout)
{
    st->waiter = loop__future_new_origin(l, "wait");
    if (timeout >= 0) {
        loop_callback cb = { .fn = loop__release_waiter, .obj = &st->waiter->hdr };
        st->timeout_handle = loop_call_later(l, timeout, &cb);
        if (st->timeout_handle == NULL)
            return -1;
    }
    st->counter = st->n;
    for (size_t i = 0; i < st->n; i++)
        loop__add_done(l, st->futs[i], on_completion, &st->hdr, NULL);
    return 0;
}

/* The end of _wait: the finally, then (done, pending). c->vals[1] keeps `done`
 * reachable while `pending` is built. */
static loop_resume wait_end(loop *l, loop_ncoro *c, wait_state *st, loop_val exc, loop_val *out)
{
    if (st->timeout_handle)
        loop_handle_cancel(l, st->timeout_handle);
    for (size_t i = 0; i < st->n; i++)
        loop_future_remove_callback(l, st->futs[i], on_completion, &st->hdr, NULL);
    if (exc) {
        *out = exc;
        return LOOP_RAISED;
    }
    loop_val *buf = calloc(st->n ? st->n : 1, sizeof *buf);
    size_t nd = 0, np = 0;
    for (size_t i = 0; i < st->n; i++)
        if (loop_future_done(st->futs[i]))
            buf[nd++] = st->vals[i];
    c->vals[1] = l->host.make_set(l->host.ud, nd, buf);
    for (size_t i = 0; i < st->n; i++)
        if (!loop_future_done(st->futs[i]))
            buf[np++] = st->vals[i];
    loop_val pair[2] = { c->vals[1], l->host.make_set(l->host.ud, np, buf) };
    c->vals[2] = pair[1];
    free(buf);
    *out = l->host.make_tuple(l->host.ud, 2, pair);
    return LOOP_RETURNED;
}

/* mirrors tasks.wait then tasks._wait: objs[0] the state, num[0] the timeout */
static loop_resume wait_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out)
{
    wait_state *st = (wait_state *)c->objs[0];
    loop_val res;
    if (c->state == 0) {
        if (check_and_dedup(l, st, out) < 0)
            return LOOP_RAISED;
        if (wait_begin(l, st, c->num[0]) < 0) {
            *out = loop_take_error(l);
            return LOOP_RAISED;
        }
        c->state = 1;
        if (loop__await_begin(l, st->waiter, out))
            return LOOP_YIELDED;
    }
    exc = loop__await_end(l, st->waiter, exc, &res);
    return wait_end(l, c, st, exc, out);
}

loop_ncoro *loop_wait(loop *l, size_t n, const loop_val *fs, double timeout, loop_return_when rw)
{
    wait_state *st = loop__obj_new(l, LOOP_K_STATE, sizeof *st);
    st->hdr.subkind = LOOP__STATE_WAIT;
    st->vals = calloc(n ? n : 1, sizeof *st->vals);
    st->futs = calloc(n ? n : 1, sizeof *st->futs);
    if (!st->vals || !st->futs)
        abort();
    if (n)
        memcpy(st->vals, fs, n * sizeof *fs);
    st->n = n;
    st->return_when = rw;
    loop_pin(l, &st->hdr);
    loop_ncoro *c = loop__ncoro_new(l, wait_step, "wait");
    loop_unpin(l, 1);
    c->objs[0] = &st->hdr;
    c->num[0] = timeout;
    return c;
}
