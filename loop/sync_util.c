/* sync_util.c — the pieces the combinators and primitives share (see sync_int.h):
 * future lists, `await` of any awaitable, _release_waiter, bool(), and the trace /
 * finalize dispatch of STATE blocks by subkind. */
#include "sync_int.h"

/* ---- future lists ------------------------------------------------------------------- */

void loop__futq_push(loop__futq *q, loop_future *f)
{
    loop__grow((void **)&q->v, &q->cap, q->n + 1, sizeof *q->v);
    q->v[q->n++] = f;
}

/* O(n): the lists are short (waiters of one lock, tasks of one group). */
bool loop__futq_remove(loop__futq *q, loop_future *f)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->v[i] == f) {
            memmove(q->v + i, q->v + i + 1, (q->n - i - 1) * sizeof *q->v);
            q->n--;
            return true;
        }
    }
    return false;
}

loop_future *loop__futq_popleft(loop__futq *q)
{
    if (q->n == 0)
        return NULL;
    loop_future *f = q->v[0];
    memmove(q->v, q->v + 1, (q->n - 1) * sizeof *q->v);
    q->n--;
    return f;
}

bool loop__futq_has(const loop__futq *q, const loop_future *f)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->v[i] == f)
            return true;
    return false;
}

void loop__futq_trace(const loop__futq *q, const loop_tracer *t)
{
    for (size_t i = 0; i < q->n; i++)
        t->obj(t->ud, &q->v[i]->hdr);
}

void loop__futq_free(loop__futq *q)
{
    free(q->v);
    q->v = NULL;
    q->n = q->cap = 0;
}

/* ---- values ------------------------------------------------------------------------- */

bool loop__is_cancelled(loop *l, loop_val exc)
{
    return exc != NULL && exc != LOOP_GEN_EXIT && loop__is_error(l, exc, LOOP_E_CANCELLED);
}

/* bool(v). The host table has no truth test yet: None and False are false, and so is
 * anything equal (host->eq) to False (0, 0.0); other falsy values ("", []) are not
 * recognised. */
int loop__truthy(loop *l, loop_val v, loop_val *exc)
{
    if (v == l->host.none || v == l->host.false_val)
        return 0;
    if (v == l->host.true_val)
        return 1;
    if (l->host.truthy)
        return l->host.truthy(l->host.ud, v, exc);
    if (l->host.eq && l->host.false_val && l->host.eq(l->host.ud, v, l->host.false_val))
        return 0;
    return 1;
}

/* ---- await -------------------------------------------------------------------------- */

loop_resume loop__await_step(loop *l, loop_val aw, bool first, loop_val value,
                             loop_val exc, loop_val *out)
{
    loop_future *f = l->host.as_future(l->host.ud, aw);
    if (f == NULL) {
        if (first)
            value = l->host.none;
        return l->host.resume(l->host.ud, aw, value, exc, out, NULL);
    }
    if (first && exc == NULL && loop__await_begin(l, f, out))
        return LOOP_YIELDED;
    loop_val res;
    loop_val e = loop__await_end(l, f, exc, &res);
    *out = e ? e : res;
    return e ? LOOP_RAISED : LOOP_RETURNED;
}

/* mirrors tasks._release_waiter */
int loop__release_waiter(loop *l, loop_handle *h)
{
    loop_future *waiter = (loop_future *)h->cb.obj;
    if (!loop_future_done(waiter))
        loop_future_set_result(l, waiter, l->host.none);
    return 0;
}

/* ---- STATE blocks, by subkind --------------------------------------------------------- */

void loop__trace_state(loop_obj *o, const loop_tracer *t)
{
    switch (o->subkind) {
    case LOOP__STATE_GATHER: loop__trace_gather_state(o, t); break;
    case LOOP__STATE_WAIT: loop__trace_wait_state(o, t); break;
    default: break;
    }
}

void loop__finalize_state(loop_obj *o)
{
    switch (o->subkind) {
    case LOOP__STATE_GATHER: loop__finalize_gather_state(o); break;
    case LOOP__STATE_WAIT: loop__finalize_wait_state(o); break;
    default: break;
    }
}

/* fn is tasks._release_waiter (a timer or a partial done-callback of wait/wait_for), for reprs */
bool loop_is_release_waiter(loop_cb fn)
{
    return fn == loop__release_waiter;
}
