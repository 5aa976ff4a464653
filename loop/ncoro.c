/* ncoro.c — the loop's native coroutines (its own `async def`s: sleep, wait_for,
 * Lock.acquire, ...) and `await fut` inside them, split around the suspension point
 * as Future.__await__ is:
 *
 *     if not self.done():
 *         self._asyncio_future_blocking = True
 *         yield self                      <- loop__await_begin returns true
 *     if not self.done():                 <- loop__await_end, on resumption
 *         raise RuntimeError("await wasn't used with future")
 *     return self.result()
 */
#include "loop_int.h"

loop_ncoro *loop__ncoro_new(loop *l, loop_ncoro_fn step, const char *name)
{
    loop_ncoro *c = loop__obj_new(l, LOOP_K_NCORO, sizeof *c);
    c->step = step;
    c->name = name;
    return c;
}

/* coro.send(value) / coro.throw(exc). */
loop_resume loop_ncoro_resume(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                              loop_val *out)
{
    if (c->state < 0) {
        *out = loop__exc(l, LOOP_E_RUNTIME, "cannot reuse already awaited coroutine");
        return LOOP_RAISED;
    }
    if (c->state == 0 && exc) {         /* thrown before it started: raised at once */
        c->state = -1;
        *out = exc;
        return LOOP_RAISED;
    }
    loop_resume r = c->step(l, c, value, exc, out);
    if (r == LOOP_RETURNED || r == LOOP_RAISED)
        c->state = -1;
    return r;
}

/* coro.close(): GeneratorExit into a suspended coroutine runs its cleanup. */
void loop_ncoro_close(loop *l, loop_ncoro *c)
{
    if (c->state > 0) {
        loop_val out;
        c->step(l, c, NULL, LOOP_GEN_EXIT, &out);
    }
    c->state = -1;
}

bool loop__await_begin(loop *l, loop_future *f, loop_val *out)
{
    if (f->state != LOOP_PENDING)
        return false;
    f->blocking = true;
    *out = l->host.wrap(l->host.ud, &f->hdr);
    return true;
}

loop_val loop__await_end(loop *l, loop_future *f, loop_val exc, loop_val *res)
{
    if (exc)
        return exc;
    if (f->state == LOOP_PENDING)
        return loop__exc(l, LOOP_E_RUNTIME, "await wasn't used with future");
    if (loop_future_result(l, f, res) < 0)
        return loop_take_error(l);
    return NULL;
}
