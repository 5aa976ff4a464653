/* as_completed.c — asyncio.as_completed (mirrors tasks.as_completed of 3.11: a
 * generator, so nothing happens before the first next(); then a Queue `done` fed by
 * each future's _on_completion, or with None by _on_timeout, and one
 * _wait_for_one() coroutine per future).
 *
 * Invariant: after setup, `todo` holds the futures not yet completed (empty once the
 * timeout fired), `remaining` the coroutines still to yield. */
#include "sync_int.h"

typedef struct loop_ascompleted {
    loop_obj hdr;
    loop_val *fs;               /* the argument, until setup */
    size_t nfs;
    double timeout;             /* < 0: None */
    bool started;
    loop__futq todo;
    loop_obj *done;             /* Queue() */
    loop_handle *timeout_handle;
    size_t remaining;
} loop_ascompleted;

void loop__trace_ascompleted(loop_obj *o, const loop_tracer *t)
{
    loop_ascompleted *ac = (loop_ascompleted *)o;
    for (size_t i = 0; i < ac->nfs; i++)
        t->val(t->ud, ac->fs[i]);
    loop__futq_trace(&ac->todo, t);
    if (ac->done)
        t->obj(t->ud, ac->done);
    if (ac->timeout_handle)
        t->obj(t->ud, &ac->timeout_handle->hdr);
}

void loop__finalize_ascompleted(loop_obj *o)
{
    loop_ascompleted *ac = (loop_ascompleted *)o;
    free(ac->fs);
    ac->fs = NULL;
    ac->nfs = 0;
    loop__futq_free(&ac->todo);
}

loop_obj *loop_as_completed(loop *l, size_t n, const loop_val *fs, double timeout)
{
    loop_ascompleted *ac = loop__obj_new(l, LOOP_K_ASCOMPLETED, sizeof *ac);
    ac->fs = calloc(n ? n : 1, sizeof *ac->fs);
    if (!ac->fs)
        abort();
    if (n)
        memcpy(ac->fs, fs, n * sizeof *fs);
    ac->nfs = n;
    ac->timeout = timeout;
    return &ac->hdr;
}

/* mirrors as_completed's _on_completion: h->cb.obj the generator, h->arg the future */
static int on_completion(loop *l, loop_handle *h)
{
    loop_ascompleted *ac = (loop_ascompleted *)h->cb.obj;
    loop_future *f = (loop_future *)h->arg;
    if (ac->todo.n == 0)
        return 0;                               /* _on_timeout() was here first */
    loop__futq_remove(&ac->todo, f);
    loop_queue_put_nowait(l, ac->done, l->host.wrap(l->host.ud, &f->hdr));
    if (ac->todo.n == 0 && ac->timeout_handle)
        loop_handle_cancel(l, ac->timeout_handle);
    return 0;
}

/* mirrors as_completed's _on_timeout: a None in the queue for each future left */
static int on_timeout(loop *l, loop_handle *h)
{
    loop_ascompleted *ac = (loop_ascompleted *)h->cb.obj;
    for (size_t i = 0; i < ac->todo.n; i++) {
        loop_future_remove_callback(l, ac->todo.v[i], on_completion, &ac->hdr, NULL);
        loop_queue_put_nowait(l, ac->done, l->host.none);
    }
    ac->todo.n = 0;
    return 0;
}

/* The generator's body up to its loop: Queue(), todo, callbacks, the timer. */
static int setup(loop *l, loop_ascompleted *ac)
{
    ac->started = true;
    ac->done = loop_queue_new(l, LOOP_QUEUE_FIFO, 0);
    for (size_t i = 0; i < ac->nfs; i++) {
        size_t j = 0;
        while (j < i && ac->fs[j] != ac->fs[i])     /* set(fs) */
            j++;
        if (j < i)
            continue;
        loop_future *f = l->host.ensure_future(l->host.ud, l, ac->fs[i]);
        if (f == NULL)
            return -1;
        if (!loop__futq_has(&ac->todo, f))
            loop__futq_push(&ac->todo, f);
    }
    for (size_t i = 0; i < ac->todo.n; i++)
        loop__add_done(l, ac->todo.v[i], on_completion, &ac->hdr, NULL);
    if (ac->todo.n && ac->timeout >= 0) {
        loop_callback cb = { .fn = on_timeout, .obj = &ac->hdr };
        ac->timeout_handle = loop_call_later(l, ac->timeout, &cb);
        if (ac->timeout_handle == NULL)
            return -1;
    }
    ac->remaining = ac->todo.n;
    return 0;
}

/* mirrors as_completed's _wait_for_one: objs[0] the queue, objs[1] its get() */
static loop_resume wait_for_one_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                     loop_val *out)
{
    if (c->state == 0) {
        loop_ncoro *sub = loop_queue_get(l, c->objs[0]);
        c->objs[1] = &sub->hdr;
        c->state = 1;
        value = l->host.none;
    }
    loop_resume r = loop_ncoro_resume(l, (loop_ncoro *)c->objs[1], value, exc, out);
    if (r != LOOP_RETURNED)
        return r;
    if (*out == l->host.none) {
        *out = loop__exc(l, LOOP_E_TIMEOUT, NULL);      /* the dummy of _on_timeout */
        return LOOP_RAISED;
    }
    loop_future *f = l->host.as_future(l->host.ud, *out);
    if (loop_future_result(l, f, out) == 0)
        return LOOP_RETURNED;
    *out = loop_take_error(l);
    return LOOP_RAISED;
}

/* next() on the generator: a _wait_for_one() coroutine, or NULL when exhausted (the
 * loop's error slot is set if the setup raised). */
loop_ncoro *loop_as_completed_next(loop *l, loop_obj *o)
{
    loop_ascompleted *ac = (loop_ascompleted *)o;
    if (!ac->started && setup(l, ac) < 0) {
        ac->remaining = 0;
        return NULL;
    }
    if (ac->remaining == 0)
        return NULL;
    ac->remaining--;
    loop_ncoro *c = loop__ncoro_new(l, wait_for_one_step, "as_completed.<locals>._wait_for_one");
    c->objs[0] = ac->done;
    return c;
}
