/* wait_for.c — asyncio.wait_for as CPython 3.11 has it (mirrors tasks.wait_for and
 * tasks._cancel_and_wait): a waiter future released by a timer or by the awaited
 * future, then the awaited future cancelled and waited for on timeout. */
#include "sync_int.h"

/* ---- _cancel_and_wait ---------------------------------------------------------------- */

/* mirrors tasks._cancel_and_wait: objs[0] fut, objs[1] the waiter */
static loop_resume cancel_and_wait_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                        loop_val *out)
{
    loop_future *fut = (loop_future *)c->objs[0];
    loop_future *waiter;
    if (c->state == 0) {
        waiter = loop__future_new_origin(l, "cancel_and_wait");
        c->objs[1] = &waiter->hdr;
        loop__add_done(l, fut, loop__release_waiter, &waiter->hdr, NULL);
        loop__cancel(l, fut, NULL);
        c->state = 1;
        if (loop__await_begin(l, waiter, out))
            return LOOP_YIELDED;
    }
    waiter = (loop_future *)c->objs[1];
    loop_val res;
    exc = loop__await_end(l, waiter, exc, &res);
    loop_future_remove_callback(l, fut, loop__release_waiter, &waiter->hdr, NULL);
    *out = exc ? exc : l->host.none;
    return exc ? LOOP_RAISED : LOOP_RETURNED;
}

loop_ncoro *loop__cancel_and_wait(loop *l, loop_future *fut)
{
    loop_pin(l, &fut->hdr);
    loop_ncoro *c = loop__ncoro_new(l, cancel_and_wait_step, "_cancel_and_wait");
    loop_unpin(l, 1);
    c->objs[0] = &fut->hdr;
    return c;
}

/* ---- wait_for ------------------------------------------------------------------------ */

enum {
    WF_START, WF_AWAIT,         /* timeout None: `return await fut` */
    WF_ZERO_CANCEL,             /* timeout <= 0: in _cancel_and_wait */
    WF_WAITER,                  /* awaiting the waiter */
    WF_CANCELLED_CANCEL,        /* the waiter was cancelled: in _cancel_and_wait, then re-raise */
    WF_TIMEOUT_CANCEL           /* timed out: in _cancel_and_wait, then result or TimeoutError */
};

/* `return fut.result()`, a CancelledError turned into TimeoutError from it
 * (vals[2] roots the CancelledError while the TimeoutError is made) */
static loop_resume result_or_timeout(loop *l, loop_ncoro *c, loop_future *fut, loop_val *out)
{
    if (loop_future_result(l, fut, out) == 0)
        return LOOP_RETURNED;
    loop_val exc = loop_take_error(l);
    if (loop__is_cancelled(l, exc)) {
        c->vals[2] = exc;
        loop_val te = loop__exc(l, LOOP_E_TIMEOUT, NULL);
        l->host.set_cause(l->host.ud, te, exc);
        exc = te;
    }
    *out = exc;
    return LOOP_RAISED;
}

static loop_resume fut_result(loop *l, loop_future *fut, loop_val *out)
{
    if (loop_future_result(l, fut, out) == 0)
        return LOOP_RETURNED;
    *out = loop_take_error(l);
    return LOOP_RAISED;
}

/* The try's `finally: timeout_handle.cancel()`, then the outcome r / *out. */
static loop_resume finish(loop *l, loop_ncoro *c, loop_resume r)
{
    loop_handle_cancel(l, (loop_handle *)c->objs[2]);
    return r;
}

/* Starts `await _cancel_and_wait(fut)` (objs[3]) in state `st`. */
static loop_resume start_cancel(loop *l, loop_ncoro *c, int st, loop_val *out)
{
    loop_ncoro *sub = loop__cancel_and_wait(l, (loop_future *)c->objs[0]);
    c->objs[3] = &sub->hdr;
    c->state = st;
    return loop_ncoro_resume(l, sub, l->host.none, NULL, out);
}

/* The end of _cancel_and_wait in state st (its outcome r, *out). */
static loop_resume after_cancel(loop *l, loop_ncoro *c, loop_resume r, loop_val *out)
{
    loop_future *fut = (loop_future *)c->objs[0];
    if (r == LOOP_YIELDED)
        return r;
    switch (c->state) {
    case WF_ZERO_CANCEL:
        return r == LOOP_RAISED ? r : result_or_timeout(l, c, fut, out);
    case WF_CANCELLED_CANCEL:
        if (r != LOOP_RAISED)
            *out = c->vals[1];                          /* the bare `raise` */
        return finish(l, c, LOOP_RAISED);
    default:
        return finish(l, c, r == LOOP_RAISED ? r : result_or_timeout(l, c, fut, out));
    }
}

/* The waiter is done (or raised exc): the body of wait_for's try. */
static loop_resume waiter_done(loop *l, loop_ncoro *c, loop_val exc, loop_val *out)
{
    loop_future *fut = (loop_future *)c->objs[0];
    loop_future *waiter = (loop_future *)c->objs[1];
    loop_val res;
    exc = loop__await_end(l, waiter, exc, &res);
    if (exc && !loop__is_cancelled(l, exc)) {
        *out = exc;
        return finish(l, c, LOOP_RAISED);
    }
    if (loop_future_done(fut))
        return finish(l, c, fut_result(l, fut, out));
    loop_future_remove_callback(l, fut, loop__release_waiter, &waiter->hdr, NULL);
    c->vals[1] = exc;
    return after_cancel(l, c, start_cancel(l, c, exc ? WF_CANCELLED_CANCEL : WF_TIMEOUT_CANCEL,
                                           out), out);
}

/* First send: objs[0] fut, objs[1] waiter, objs[2] the timer, vals[0] the awaitable. */
static loop_resume wait_for_start(loop *l, loop_ncoro *c, loop_val *out)
{
    double timeout = c->num[0];
    if (timeout < 0) {
        c->state = WF_AWAIT;
        return loop__await_step(l, c->vals[0], true, NULL, NULL, out);
    }
    if (timeout > 0) {
        loop_future *waiter = loop__future_new_origin(l, "wait_for");
        c->objs[1] = &waiter->hdr;
        loop_callback cb = { .fn = loop__release_waiter, .obj = &waiter->hdr };
        loop_handle *timer = loop_call_later(l, timeout, &cb);
        if (timer == NULL) {                    /* the loop is closed */
            *out = loop_take_error(l);
            return LOOP_RAISED;
        }
        c->objs[2] = &timer->hdr;
    }
    loop_future *fut = l->host.ensure_future(l->host.ud, l, c->vals[0]);
    if (fut == NULL) {
        *out = loop_take_error(l);
        return LOOP_RAISED;
    }
    c->objs[0] = &fut->hdr;
    if (timeout == 0) {
        if (loop_future_done(fut))
            return fut_result(l, fut, out);
        return after_cancel(l, c, start_cancel(l, c, WF_ZERO_CANCEL, out), out);
    }
    loop__add_done(l, fut, loop__release_waiter, c->objs[1], NULL);
    c->state = WF_WAITER;
    if (loop__await_begin(l, (loop_future *)c->objs[1], out))
        return LOOP_YIELDED;
    return waiter_done(l, c, NULL, out);
}

/* mirrors tasks.wait_for (3.11) */
static loop_resume wait_for_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                 loop_val *out)
{
    switch (c->state) {
    case WF_START:
        return wait_for_start(l, c, out);
    case WF_AWAIT:
        return loop__await_step(l, c->vals[0], false, value, exc, out);
    case WF_WAITER:
        return waiter_done(l, c, exc, out);
    default:
        return after_cancel(l, c, loop_ncoro_resume(l, (loop_ncoro *)c->objs[3], value, exc, out),
                            out);
    }
}

loop_ncoro *loop_wait_for(loop *l, loop_val aw, double timeout)
{
    loop_ncoro *c = loop__ncoro_new(l, wait_for_step, "wait_for");
    c->vals[0] = aw;
    c->num[0] = timeout;
    return c;
}
