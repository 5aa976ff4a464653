/* event.c — asyncio.Event (mirrors locks.Event of CPython 3.11.7).
 *
 * Invariant: `waiters` holds the futures of the wait() calls suspended on the event,
 * in arrival order; each wait removes its own future when it resumes. */
#include "sync_int.h"

loop_obj *loop_event_new(loop *l)
{
    loop_eventobj *ev = loop__obj_new(l, LOOP_K_EVENT, sizeof *ev);
    return &ev->hdr;
}

bool loop_event_is_set(const loop_obj *ev)
{
    return ((const loop_eventobj *)ev)->value;
}

size_t loop_event_nwaiters(const loop_obj *ev)
{
    return ((const loop_eventobj *)ev)->waiters.n;
}

void loop__trace_event(loop_obj *o, const loop_tracer *t)
{
    loop__futq_trace(&((loop_eventobj *)o)->waiters, t);
}

void loop__finalize_event(loop_obj *o)
{
    loop__futq_free(&((loop_eventobj *)o)->waiters);
}

/* mirrors Event.set: every waiter not yet done, in arrival order */
void loop_event_set(loop *l, loop_obj *o)
{
    loop_eventobj *ev = (loop_eventobj *)o;
    if (ev->value)
        return;
    ev->value = true;
    for (size_t i = 0; i < ev->waiters.n; i++)
        if (!loop_future_done(ev->waiters.v[i]))
            loop_future_set_result(l, ev->waiters.v[i], l->host.true_val);
}

void loop_event_clear(loop *l, loop_obj *o)
{
    ((loop_eventobj *)o)->value = false;
}

/* mirrors Event.wait: objs[0] the event, objs[1] the waiter future */
static loop_resume event_wait_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                   loop_val *out)
{
    loop_eventobj *ev = (loop_eventobj *)c->objs[0];
    if (c->state == 0) {
        if (ev->value) {
            *out = l->host.true_val;
            return LOOP_RETURNED;
        }
        loop_future *fut = loop__future_new_origin(l, "event");
        c->objs[1] = &fut->hdr;
        loop__futq_push(&ev->waiters, fut);
        c->state = 1;
        loop__await_begin(l, fut, out);
        return LOOP_YIELDED;
    }
    loop_future *fut = (loop_future *)c->objs[1];
    loop_val res;
    exc = loop__await_end(l, fut, exc, &res);
    loop__futq_remove(&ev->waiters, fut);               /* the finally */
    if (exc) {
        *out = exc;
        return LOOP_RAISED;
    }
    *out = l->host.true_val;
    return LOOP_RETURNED;
}

loop_ncoro *loop_event_wait(loop *l, loop_obj *ev)
{
    loop_pin(l, ev);
    loop_ncoro *c = loop__ncoro_new(l, event_wait_step, "Event.wait");
    loop_unpin(l, 1);
    c->objs[0] = ev;
    return c;
}
