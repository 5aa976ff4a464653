/* chain.c — asyncio futures over concurrent ones: run_in_executor, wrap_future and
 * _chain_future (mirrors base_events.run_in_executor and futures._chain_future,
 * _copy_future_state, _convert_future_exc), and shutdown_default_executor.
 */
#include "exec_int.h"

/* _convert_future_exc: concurrent.futures.CancelledError becomes asyncio's. */
static loop_val convert_exc(loop *l, loop_val exc)
{
    if (loop__is_error(l, exc, LOOP_E_CF_CANCELLED))
        return l->host.new_error(l->host.ud, LOOP_E_CANCELLED, NULL, NULL);
    return exc;
}

/* _set_state(destination, source) -> _copy_future_state(source, destination);
 * h->cb.obj is the asyncio future, h->arg the concurrent one. */
static int set_state(loop *l, loop_handle *h)
{
    loop_future *dest = (loop_future *)h->cb.obj;
    loop_cfuture *src = (loop_cfuture *)h->arg;
    if (loop_future_cancelled(dest))
        return 0;
    if (loop_cfuture_cancelled(src))
        loop_future_cancel(l, dest, NULL);
    else if (src->exception)
        loop_future_set_exception(l, dest, convert_exc(l, src->exception));
    else
        loop_future_set_result(l, dest, src->result);
    return 0;
}

/* _call_set_state(source): in the completing thread, hands the state over to the
 * loop with call_soon_threadsafe (dest_loop is not source_loop: None). */
static int call_set_state(loop *l, loop_handle *h)
{
    loop_future *dest = (loop_future *)h->cb.obj;
    if (loop_future_cancelled(dest) && l->closed)
        return 0;
    if (l->closed)
        return 0;
    loop_callback cb = { .fn = set_state, .obj = &dest->hdr };
    loop_handle *hh = loop_call_soon_threadsafe(l, &cb);
    if (hh)
        hh->arg = h->arg;
    return 0;
}

/* _call_check_cancel(destination): cancelling the asyncio future cancels the
 * concurrent one (source_loop is None: directly). */
static int call_check_cancel(loop *l, loop_handle *h)
{
    loop_future *dest = (loop_future *)h->arg;
    if (loop_future_cancelled(dest))
        loop_cfuture_cancel(l, (loop_cfuture *)h->cb.obj);
    return 0;
}

/* mirrors futures.wrap_future: a new loop future chained to cf. */
/* fn is _chain_future's _call_check_cancel (on the asyncio future of a wrapped
 * concurrent one), for reprs */
bool loop_chain_is_check_cancel(loop_cb fn)
{
    return fn == call_check_cancel;
}

loop_future *loop_wrap_cfuture(loop *l, loop_cfuture *cf)
{
    loop_pin(l, &cf->hdr);
    loop_future *f = loop__future_new_origin(l, "executor");
    loop_pin(l, &f->hdr);
    loop__add_done(l, f, call_check_cancel, &cf->hdr, NULL);
    loop_callback cb = { .fn = call_set_state, .obj = &f->hdr };
    loop_cfuture_add_callback(l, cf, &cb);
    loop_unpin(l, 2);
    return f;
}

/* mirrors BaseEventLoop.run_in_executor. NULL with the error set: loop closed,
 * default executor shut down, or executor shut down. */
loop_future *loop_run_in_executor(loop *l, loop_obj *ex, loop_val job)
{
    if (l->closed) {
        loop_set_error(l, LOOP_E_RUNTIME, "Event loop is closed");
        return NULL;
    }
    if (!ex) {
        if (l->executor_shutdown_called) {
            loop_set_error(l, LOOP_E_RUNTIME, "Executor shutdown has been called");
            return NULL;
        }
        if (!l->default_executor)
            l->default_executor = loop_executor_new(l, 0);
        ex = l->default_executor;
    }
    loop_cfuture *cf = loop_executor_submit(l, ex, job);
    if (!cf)
        return NULL;
    return loop_wrap_cfuture(l, cf);
}

/* mirrors BaseEventLoop.shutdown_default_executor:
 *     self._executor_shutdown_called = True
 *     if self._default_executor is None: return
 *     future = self.create_future()
 *     thread = threading.Thread(target=self._do_shutdown, args=(future,)); thread.start()
 *     try: await future
 *     finally: thread.join()
 * The shutdown thread waits for the executor's workers and then sets the future
 * with call_soon_threadsafe (executor.c). vref's loop is created with its default
 * executor, so it is made here if nothing made it yet. objs[0]: the future. */
static loop_resume shutdown_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc,
                                 loop_val *out)
{
    if (c->state == 0) {
        l->executor_shutdown_called = true;
        if (!l->default_executor && !l->closed)     /* vref: it always exists */
            l->default_executor = loop_executor_new(l, 0);
        loop_obj *exo = l->default_executor;
        if (!exo) {
            *out = l->host.none;
            return LOOP_RETURNED;
        }
        loop_future *f = loop__future_new_origin(l, "executor");
        c->objs[0] = &f->hdr;
        loop__executor *ex = (loop__executor *)exo;
        ex->shutdown = true;            /* _do_shutdown: executor.shutdown(wait=True) */
        l->shutdown_fut = f;
        l->shutdown_ex = exo;
        if (!ex->nworkers)
            loop__executor_shutdown_done(l);
        c->state = 1;
        if (loop__await_begin(l, f, out))
            return LOOP_YIELDED;
    }
    loop_val res = NULL;
    loop_val e = loop__await_end(l, (loop_future *)c->objs[0], exc, &res);
    if (e == LOOP_GEN_EXIT)
        return LOOP_RETURNED;
    if (e) {
        *out = e;
        return LOOP_RAISED;
    }
    *out = l->host.none;
    return LOOP_RETURNED;
}

loop_ncoro *loop_shutdown_default_executor(loop *l)
{
    return loop__ncoro_new(l, shutdown_step, "BaseEventLoop.shutdown_default_executor");
}

/* _set_concurrent_future_state(concurrent, source), as the done-callback of the
 * asyncio future (h->arg) chained to a concurrent one (h->cb.obj); the two share
 * the loop, so it runs directly (dest_loop is None). */
static int set_concurrent_state(loop *l, loop_handle *h)
{
    loop_cfuture *cf = (loop_cfuture *)h->cb.obj;
    loop_future *src = (loop_future *)h->arg;
    if (loop_future_cancelled(src))
        loop_cfuture_cancel(l, cf);
    if (!loop__cf_set_running_or_notify_cancel(l, cf))
        return 0;
    if (src->exception) {
        src->log_traceback = false;
        loop__cf_set_exception(l, cf, convert_exc(l, src->exception));
    } else {
        loop__cf_set_result(l, cf, src->result);
    }
    return 0;
}

static int cancel_source(loop *l, loop_handle *h)
{
    loop_future_cancel(l, (loop_future *)h->cb.obj, NULL);
    return 0;
}

/* _call_check_cancel(destination) for a concurrent destination: cancelling it
 * cancels the asyncio future, from the loop (call_soon_threadsafe). */
static int cf_check_cancel(loop *l, loop_handle *h)
{
    if (loop_cfuture_cancelled((loop_cfuture *)h->arg) && !l->closed) {
        loop_callback cb = { .fn = cancel_source, .obj = h->cb.obj };
        loop_call_soon_threadsafe(l, &cb);
    }
    return 0;
}

/* The callback that run_coroutine_threadsafe schedules: ensure_future(coro) and
 * _chain_future(task, concurrent). h->cb.obj: the concurrent future; val: coro. */
static int start_threadsafe(loop *l, loop_handle *h)
{
    loop_cfuture *cf = (loop_cfuture *)h->cb.obj;
    loop_future *f = l->host.ensure_future(l->host.ud, l, h->cb.val);
    if (!f) {
        loop_val exc = loop_take_error(l);
        if (loop__cf_set_running_or_notify_cancel(l, cf))
            loop__cf_set_exception(l, cf, exc);
        l->host.report(l->host.ud, l, "Exception in callback run_coroutine_threadsafe",
                       exc, &h->hdr);
        return 0;
    }
    loop_callback cc = { .fn = cf_check_cancel, .obj = &f->hdr };
    loop_cfuture_add_callback(l, cf, &cc);
    loop__add_done(l, f, set_concurrent_state, &cf->hdr, NULL);
    return 0;
}

/* mirrors tasks.run_coroutine_threadsafe(coro, loop): a concurrent future that the
 * task running coro completes. */
loop_cfuture *loop_run_coroutine_threadsafe(loop *l, loop_val coro)
{
    loop_cfuture *cf = loop__cfuture_new(l);
    loop_callback cb = { .fn = start_threadsafe, .obj = &cf->hdr, .val = coro };
    if (!loop_call_soon_threadsafe(l, &cb))
        return NULL;
    return cf;
}
