/* sleep.c — asyncio.sleep (mirrors tasks.sleep of CPython 3.11):
 *
 *     if delay <= 0:
 *         await __sleep0()                # a bare yield: one loop iteration
 *         return result
 *     future = loop.create_future()
 *     h = loop.call_later(delay, futures._set_result_unless_cancelled, future, result)
 *     try:
 *         return await future
 *     finally:
 *         h.cancel()
 *
 * State: 1 after the bare yield, 2 while awaiting the future; objs[0] the future,
 * objs[1] the timer handle, vals[0] the result, num[0] the delay.
 */
#include "loop_int.h"

/* futures._set_result_unless_cancelled(fut, result) */
static int set_result_unless_cancelled(loop *l, loop_handle *h)
{
    loop_future *f = (loop_future *)h->cb.obj;
    if (!loop_future_cancelled(f))
        loop_future_set_result(l, f, h->cb.val);
    return 0;
}

static loop_resume sleep_start(loop *l, loop_ncoro *c, loop_val *out)
{
    loop_val result = c->vals[0] ? c->vals[0] : l->host.none;
    if (c->num[0] <= 0) {
        c->state = 1;
        *out = l->host.none;
        return LOOP_YIELDED;
    }
    loop_future *f = loop__future_new_origin(l, "sleep");
    c->objs[0] = &f->hdr;
    loop_callback cb = { .fn = set_result_unless_cancelled, .obj = &f->hdr, .val = result };
    loop_handle *h = loop_call_later(l, c->num[0], &cb);
    if (!h) {
        *out = loop_take_error(l);
        return LOOP_RAISED;
    }
    c->objs[1] = &h->hdr;
    c->state = 2;
    if (loop__await_begin(l, f, out))
        return LOOP_YIELDED;
    return LOOP_RAISED;     /* not reached: a new future is pending */
}

static loop_resume sleep_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                              loop_val *out)
{
    if (c->state == 0)
        return sleep_start(l, c, out);
    if (c->state == 1) {                /* after __sleep0's bare yield */
        if (exc == LOOP_GEN_EXIT)
            return LOOP_RETURNED;
        if (exc) {
            *out = exc;
            return LOOP_RAISED;
        }
        *out = c->vals[0] ? c->vals[0] : l->host.none;
        return LOOP_RETURNED;
    }
    loop_val res = NULL;
    loop_val e = loop__await_end(l, (loop_future *)c->objs[0], exc, &res);
    loop_handle_cancel(l, (loop_handle *)c->objs[1]);     /* finally: h.cancel() */
    if (e == LOOP_GEN_EXIT)
        return LOOP_RETURNED;
    if (e) {
        *out = e;
        return LOOP_RAISED;
    }
    *out = res;
    return LOOP_RETURNED;
}

loop_ncoro *loop_sleep(loop *l, double delay, loop_val result)
{
    loop_ncoro *c = loop__ncoro_new(l, sleep_step, "sleep");
    c->num[0] = delay;
    c->vals[0] = result;
    return c;
}
