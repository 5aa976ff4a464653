/* future.c — asyncio.Future (mirrors futures.Future of CPython 3.11, with the
 * messages of its C accelerator, _asyncio.Future, which is what CPython runs).
 *
 * Done-callbacks are kept in registration order and scheduled with call_soon, each
 * with the future as h->arg, when the future becomes done (__schedule_callbacks).
 */
#include "loop_int.h"

/* gather.c's _GatheringFuture.cancel, for futures with a subkind (weak: gather.c
 * may not be linked). */
bool loop__future_cancel_override(loop *l, loop_future *f, loop_val msg) __attribute__((weak));

void loop__future_init(loop *l, loop_future *f)
{
    (void)l;
    f->state = LOOP_PENDING;
}

loop_future *loop__future_new_origin(loop *l, const char *origin)
{
    loop_future *f = loop__obj_new(l, LOOP_K_FUTURE, sizeof *f);
    loop__future_init(l, f);
    if (l->obs)
        loop__emit_text(l, LOOP_EV_FUTURE_CREATE, &f->hdr, NULL, 0, 0, NULL, origin);
    return f;
}

/* loop.create_future() / asyncio.Future(): the program's own futures. */
loop_future *loop_future_new(loop *l)
{
    return loop__future_new_origin(l, "create_future");
}

bool loop_future_done(const loop_future *f) { return f->state != LOOP_PENDING; }
bool loop_future_cancelled(const loop_future *f) { return f->state == LOOP_CANCELLED; }

/* mirrors Future.__schedule_callbacks. The callbacks stay in the future (traced)
 * until all are scheduled. -1 if the loop is closed (call_soon raised). */
static int schedule_callbacks(loop *l, loop_future *f)
{
    if (f->hdr.kind == LOOP_K_TASK)
        l->ntasks_done++;
    int rc = 0;
    for (size_t i = 0; i < f->ncallbacks; i++) {
        loop_handle *h = loop_call_soon(l, &f->callbacks[i]);
        if (!h) {
            rc = -1;
            break;
        }
        h->arg = &f->hdr;
        __builtin_prefetch(h->cb.obj);     /* what it acts on (a task), by the time it runs */
        LOOP__EMIT(l, LOOP_EV_CALLBACK_SCHEDULE, f, h, 0, 0, NULL);
    }
    f->ncallbacks = 0;
    return rc;
}

/* mirrors Future._make_cancelled_error: the saved CancelledError (taken), else a
 * new one carrying the cancel message. */
loop_val loop_future_cancelled_error(loop *l, loop_future *f)
{
    if (f->cancelled_exc) {
        loop_val e = f->cancelled_exc;
        f->cancelled_exc = NULL;
        return e;
    }
    if (!f->cancel_msg || f->cancel_msg == l->host.none)
        return l->host.new_error(l->host.ud, LOOP_E_CANCELLED, NULL, NULL);
    return l->host.new_error(l->host.ud, LOOP_E_CANCELLED, NULL, f->cancel_msg);
}

/* mirrors Future.result */
int loop_future_result(loop *l, loop_future *f, loop_val *out)
{
    if (f->state == LOOP_CANCELLED) {
        l->error = loop_future_cancelled_error(l, f);
        return -1;
    }
    if (f->state != LOOP_FINISHED) {
        loop_set_error(l, LOOP_E_INVALID_STATE, "Result is not ready.");
        return -1;
    }
    f->log_traceback = false;
    if (f->exception) {
        l->error = f->exception;
        return -1;
    }
    *out = f->result;
    return 0;
}

/* mirrors Future.exception */
int loop_future_exception(loop *l, loop_future *f, loop_val *out)
{
    if (f->state == LOOP_CANCELLED) {
        l->error = loop_future_cancelled_error(l, f);
        return -1;
    }
    if (f->state != LOOP_FINISHED) {
        loop_set_error(l, LOOP_E_INVALID_STATE, "Exception is not set.");
        return -1;
    }
    f->log_traceback = false;
    *out = f->exception ? f->exception : l->host.none;
    return 0;
}

/* mirrors Future.set_result */
int loop_future_set_result(loop *l, loop_future *f, loop_val v)
{
    if (f->state != LOOP_PENDING) {
        loop_set_error(l, LOOP_E_INVALID_STATE, "invalid state");
        return -1;
    }
    f->result = v;
    f->state = LOOP_FINISHED;
    LOOP__EMIT(l, LOOP_EV_FUTURE_RESULT, f, NULL, 0, 0, v);
    return schedule_callbacks(l, f);
}

/* mirrors Future.set_exception (the host has checked the value is an exception
 * instance and not StopIteration) */
int loop_future_set_exception(loop *l, loop_future *f, loop_val exc)
{
    if (f->state != LOOP_PENDING) {
        loop_set_error(l, LOOP_E_INVALID_STATE, "invalid state");
        return -1;
    }
    f->exception = exc;
    f->state = LOOP_FINISHED;
    LOOP__EMIT(l, LOOP_EV_FUTURE_EXCEPTION, f, NULL, 0, 0, exc);
    int rc = schedule_callbacks(l, f);
    f->log_traceback = true;
    return rc;
}

/* mirrors Future.cancel itself (Task.cancel calls it as super().cancel()). */
bool loop__future_cancel(loop *l, loop_future *f, loop_val msg)
{
    f->log_traceback = false;
    if (f->state != LOOP_PENDING)
        return false;
    f->state = LOOP_CANCELLED;
    f->cancel_msg = msg;
    LOOP__EMIT(l, LOOP_EV_FUTURE_CANCEL, f, NULL, 0, 0, msg);
    schedule_callbacks(l, f);
    return true;
}

/* fut.cancel(msg) as a method call: Task.cancel for a task, the combinator's
 * override for a future with a subkind, else Future.cancel. */
bool loop_future_cancel(loop *l, loop_future *f, loop_val msg)
{
    if (f->hdr.kind == LOOP_K_TASK)
        return loop_task_cancel(l, (loop_task *)f, msg);
    if (f->hdr.subkind && loop__future_cancel_override)
        return loop__future_cancel_override(l, f, msg);
    return loop__future_cancel(l, f, msg);
}

bool loop__cancel(loop *l, loop_future *f, loop_val msg)
{
    return loop_future_cancel(l, f, msg);
}

/* mirrors Future.add_done_callback: at once with call_soon if already done. */
void loop_future_add_callback(loop *l, loop_future *f, const loop_callback *cb)
{
    if (f->state != LOOP_PENDING) {
        loop_handle *h = loop_call_soon(l, cb);
        if (h) {
            h->arg = &f->hdr;
            LOOP__EMIT(l, LOOP_EV_CALLBACK_SCHEDULE, f, h, 0, 0, NULL);
        }
        return;
    }
    /* most futures get one callback: it goes in the future itself; a second moves
     * them to a malloc'd array */
    if (f->capcallbacks == 0) {
        f->callbacks = &f->cb1;
        f->capcallbacks = 1;
    } else if (f->callbacks == &f->cb1 && f->ncallbacks == 1) {
        loop_callback *a = malloc(4 * sizeof *a);
        if (!a) {
            fputs("aiosim: out of memory\n", stderr);
            abort();
        }
        a[0] = f->cb1;
        f->callbacks = a;
        f->capcallbacks = 4;
    }
    loop__grow((void **)&f->callbacks, &f->capcallbacks, f->ncallbacks + 1,
               sizeof *f->callbacks);
    f->callbacks[f->ncallbacks++] = *cb;
    LOOP__EMIT(l, LOOP_EV_CALLBACK_ADD, f, cb->obj, 0, 0, NULL);
}

void loop__add_done(loop *l, loop_future *f, loop_cb fn, loop_obj *obj, loop_val val)
{
    loop_callback cb = { .fn = fn, .obj = obj, .val = val };
    loop_future_add_callback(l, f, &cb);
}

static bool same_val(loop *l, loop_val a, loop_val b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    return l->host.eq(l->host.ud, a, b);
}

/* mirrors Future.remove_done_callback: every callback equal to (fn, obj, val). */
size_t loop_future_remove_callback(loop *l, loop_future *f, loop_cb fn, loop_obj *obj,
                                   loop_val val)
{
    size_t k = 0;
    for (size_t i = 0; i < f->ncallbacks; i++) {
        const loop_callback *c = &f->callbacks[i];
        if (c->fn == fn && c->obj == obj && same_val(l, c->val, val))
            continue;
        f->callbacks[k++] = *c;
    }
    size_t removed = f->ncallbacks - k;
    f->ncallbacks = k;
    if (removed)
        LOOP__EMIT(l, LOOP_EV_CALLBACK_REMOVE, f, NULL, 0, (double)removed, NULL);
    return removed;
}
