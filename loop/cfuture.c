/* cfuture.c — concurrent.futures.Future (mirrors concurrent/futures/_base.py of
 * CPython 3.11): its callbacks run at once, in the thread that completes it.
 */
#include "exec_int.h"

loop_cfuture *loop__cfuture_new(loop *l)
{
    loop_cfuture *cf = loop__obj_new(l, LOOP_K_CFUTURE, sizeof *cf);
    cf->state = CF_PENDING;
    return cf;
}

bool loop_cfuture_done(const loop_cfuture *cf)
{
    return cf->state >= CF_CANCELLED;
}

bool loop_cfuture_cancelled(const loop_cfuture *cf)
{
    return cf->state == CF_CANCELLED || cf->state == CF_CANCELLED_AND_NOTIFIED;
}

/* Future._invoke_callbacks: each callback runs now, with a handle on the stack
 * (h->arg = the future); errors are reported, as CPython logs them. */
static void invoke_callbacks(loop *l, loop_cfuture *cf)
{
    for (size_t i = 0; i < cf->ncallbacks; i++) {
        loop_handle h = { .cb = cf->callbacks[i], .arg = &cf->hdr };
        h.hdr.kind = LOOP_K_HANDLE;
        h.hdr.owner = l;
        if (h.cb.fn(l, &h) < 0 && l->error) {
            l->host.report(l->host.ud, l, "exception calling callback for future",
                           l->error, &cf->hdr);
            l->error = NULL;
        }
    }
}

/* mirrors Future.add_done_callback: called at once if already done. */
void loop_cfuture_add_callback(loop *l, loop_cfuture *cf, const loop_callback *cb)
{
    if (!loop_cfuture_done(cf)) {
        loop__grow((void **)&cf->callbacks, &cf->capcallbacks, cf->ncallbacks + 1,
                   sizeof *cf->callbacks);
        cf->callbacks[cf->ncallbacks++] = *cb;
        return;
    }
    loop_handle h = { .cb = *cb, .arg = &cf->hdr };
    h.hdr.kind = LOOP_K_HANDLE;
    h.hdr.owner = l;
    if (cb->fn(l, &h) < 0 && l->error) {
        l->host.report(l->host.ud, l, "exception calling callback for future", l->error,
                       &cf->hdr);
        l->error = NULL;
    }
}

/* mirrors Future.cancel */
bool loop_cfuture_cancel(loop *l, loop_cfuture *cf)
{
    if (cf->state == CF_RUNNING || cf->state == CF_FINISHED)
        return false;
    if (loop_cfuture_cancelled(cf))
        return true;
    cf->state = CF_CANCELLED;
    invoke_callbacks(l, cf);
    return true;
}

/* mirrors Future.set_running_or_notify_cancel */
bool loop__cf_set_running_or_notify_cancel(loop *l, loop_cfuture *cf)
{
    (void)l;
    if (cf->state == CF_CANCELLED) {
        cf->state = CF_CANCELLED_AND_NOTIFIED;
        return false;
    }
    cf->state = CF_RUNNING;
    return true;
}

void loop__cf_set_result(loop *l, loop_cfuture *cf, loop_val v)
{
    if (loop_cfuture_done(cf))
        return;
    cf->result = v;
    cf->state = CF_FINISHED;
    invoke_callbacks(l, cf);
}

void loop__cf_set_exception(loop *l, loop_cfuture *cf, loop_val exc)
{
    if (loop_cfuture_done(cf))
        return;
    cf->exception = exc;
    cf->state = CF_FINISHED;
    invoke_callbacks(l, cf);
}

/* mirrors Future.result() for a done future. A pending one would block the loop
 * thread forever (the threads only run when the loop selects): RuntimeError. */
loop_cfuture *loop_cfuture_new(loop *l)
{
    return loop__cfuture_new(l);
}

bool loop_cfuture_set_running_or_notify_cancel(loop *l, loop_cfuture *cf)
{
    if (cf->state != CF_PENDING && cf->state != CF_CANCELLED) {
        loop_set_error(l, LOOP_E_RUNTIME, "Future in unexpected state");
        return false;
    }
    return loop__cf_set_running_or_notify_cancel(l, cf);
}

/* mirrors Future.set_result / set_exception: InvalidStateError once done
 * ('{state}: {repr}' in CPython; the state name here). */
static int check_settable(loop *l, loop_cfuture *cf)
{
    static const char *const names[] = { "PENDING", "RUNNING", "CANCELLED",
                                         "CANCELLED_AND_NOTIFIED", "FINISHED" };
    if (!loop_cfuture_done(cf))
        return 0;
    loop_set_error(l, LOOP_E_INVALID_STATE, names[cf->state]);
    return -1;
}

int loop_cfuture_set_result(loop *l, loop_cfuture *cf, loop_val v)
{
    if (check_settable(l, cf) < 0)
        return -1;
    loop__cf_set_result(l, cf, v);
    return 0;
}

int loop_cfuture_set_exception(loop *l, loop_cfuture *cf, loop_val exc)
{
    if (check_settable(l, cf) < 0)
        return -1;
    loop__cf_set_exception(l, cf, exc);
    return 0;
}

int loop_cfuture_exception(loop *l, loop_cfuture *cf, loop_val *out)
{
    if (loop_cfuture_cancelled(cf)) {
        loop_set_error(l, LOOP_E_CF_CANCELLED, NULL);
        return -1;
    }
    if (cf->state != CF_FINISHED) {
        loop_set_error(l, LOOP_E_RUNTIME,
                       "deadlock: Future.exception() would block the loop thread");
        return -1;
    }
    *out = cf->exception ? cf->exception : l->host.none;
    return 0;
}

int loop_cfuture_result(loop *l, loop_cfuture *cf, loop_val *out)
{
    if (loop_cfuture_cancelled(cf)) {
        loop_set_error(l, LOOP_E_CF_CANCELLED, NULL);
        return -1;
    }
    if (cf->state != CF_FINISHED) {
        loop_set_error(l, LOOP_E_RUNTIME,
                       "deadlock: Future.result() would block the loop thread");
        return -1;
    }
    if (cf->exception) {
        l->error = cf->exception;
        return -1;
    }
    *out = cf->result;
    return 0;
}

void loop__cfuture_trace(loop_obj *o, const loop_tracer *t)
{
    loop_cfuture *cf = (loop_cfuture *)o;
    if (cf->result)
        t->val(t->ud, cf->result);
    if (cf->exception)
        t->val(t->ud, cf->exception);
    for (size_t i = 0; i < cf->ncallbacks; i++) {
        const loop_callback *cb = &cf->callbacks[i];
        if (cb->obj)
            t->obj(t->ud, cb->obj);
        if (cb->val)
            t->val(t->ud, cb->val);
        if (cb->val2)
            t->val(t->ud, cb->val2);
        if (cb->ctx)
            t->val(t->ud, cb->ctx);
    }
}

void loop__cfuture_finalize(loop_obj *o)
{
    loop_cfuture *cf = (loop_cfuture *)o;
    free(cf->callbacks);
    cf->callbacks = NULL;
}
