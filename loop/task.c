/* task.c — asyncio.Task (mirrors tasks.Task of CPython 3.11 as its C accelerator
 * _asyncio.Task runs it: __init__, __step, __wakeup, cancel, cancelling, uncancel,
 * and the registry behind current_task() / all_tasks()).
 *
 * A task is a loop_future first. Task._cancel_message and Future._cancel_message
 * are one field (as in CPython), fut.cancel_msg.
 */
#include "loop_int.h"

static int step_cb(loop *l, loop_handle *h);
static int wakeup_cb(loop *l, loop_handle *h);

loop_obj *loop__handle_task(const loop_handle *h)
{
    return (h->cb.fn == step_cb || h->cb.fn == wakeup_cb) ? h->cb.obj : NULL;
}

bool loop_is_task(const loop_future *f)
{
    return f->hdr.kind == LOOP_K_TASK;
}

loop_task *loop_current_task(const loop *l)
{
    return l->current_task;
}

/* call_soon(self.__step, exc, context=self._context) */
static loop_handle *call_step_soon(loop *l, loop_task *t, loop_val exc)
{
    loop_callback cb = { .fn = step_cb, .obj = &t->fut.hdr, .val = exc, .ctx = t->ctx };
    return loop_call_soon(l, &cb);
}

/* mirrors Task.__init__: name, first step scheduled, then _register_task.
 * NULL with RuntimeError('Event loop is closed') on a closed loop (call_soon). */
loop_task *loop_task_new(loop *l, loop_val coro, loop_val name, loop_val ctx)
{
    if (l->closed) {
        loop_set_error(l, LOOP_E_RUNTIME, "Event loop is closed");
        return NULL;
    }
    loop_task *t = loop__obj_new(l, LOOP_K_TASK, sizeof *t);
    loop__future_init(l, &t->fut);
    t->coro = coro;
    t->ctx = ctx;
    t->number = ++l->task_number;
    loop_pin(l, &t->fut.hdr);
    t->name = name ? name : l->host.task_name(l->host.ud);
    LOOP__EMIT(l, LOOP_EV_TASK_CREATE, t, NULL, 0, 0, coro);
    call_step_soon(l, t, NULL);
    loop__grow((void **)&l->tasks, &l->captasks, l->ntasks + 1, sizeof *l->tasks);
    l->tasks[l->ntasks++] = t;
    loop_unpin(l, 1);
    return t;
}

void loop__tasks_compact(loop *l)
{
    if (!l->ntasks_done)
        return;
    size_t k = 0;
    for (size_t i = 0; i < l->ntasks; i++)
        if (l->tasks[i]->fut.state == LOOP_PENDING)
            l->tasks[k++] = l->tasks[i];
    l->ntasks = k;
    l->ntasks_done = 0;
}

size_t loop_all_tasks(loop *l, loop_task **out, size_t max)
{
    loop__tasks_compact(l);
    for (size_t i = 0; i < l->ntasks && i < max; i++)
        out[i] = l->tasks[i];
    return l->ntasks;
}

/* mirrors Task.cancel */
bool loop_task_cancel(loop *l, loop_task *t, loop_val msg)
{
    t->fut.log_traceback = false;
    if (t->fut.state != LOOP_PENDING)
        return false;
    t->num_cancels_requested++;
    LOOP__EMIT(l, LOOP_EV_CANCEL_REQUEST, t, t->fut_waiter, 0, t->num_cancels_requested, msg);
    if (t->fut_waiter && loop_future_cancel(l, t->fut_waiter, msg))
        return true;    /* fut_waiter stays: it may be a task that ignores it */
    t->must_cancel = true;
    t->fut.cancel_msg = msg;
    return true;
}

int loop_task_cancelling(const loop_task *t)
{
    return t->num_cancels_requested;
}

/* mirrors Task.uncancel */
int loop_task_uncancel(loop *l, loop_task *t)
{
    if (t->num_cancels_requested > 0)
        t->num_cancels_requested--;
    LOOP__EMIT(l, LOOP_EV_UNCANCEL, t, NULL, 0, t->num_cancels_requested, NULL);
    return t->num_cancels_requested;
}

/* RuntimeError(fmt % (repr(task), repr(v) or "")) stepped into the task soon, as __step
 * does for a bad yield. */
static void step_soon_error(loop *l, loop_task *t, const char *fmt, loop_val v)
{
    char a[256], b[256], msg[600];
    if (v)
        loop__repr(l, v, b, sizeof b);
    loop__repr(l, l->host.wrap(l->host.ud, &t->fut.hdr), a, sizeof a);
    snprintf(msg, sizeof msg, fmt, a, v ? b : "");
    /* the handle first: the new exception is then stored at once (never held in a
     * local across an allocation) */
    loop_handle *h = call_step_soon(l, t, NULL);
    if (h)
        h->cb.val = loop__exc(l, LOOP_E_RUNTIME, msg);
}

/* The yield branch of __step (task_step_impl's order: itself, a future, None). */
static void handle_yield(loop *l, loop_task *t, loop_val out)
{
    loop_future *f = l->host.as_future(l->host.ud, out);
    if (f == &t->fut) {
        step_soon_error(l, t, "Task cannot await on itself: %s%s", NULL);
    } else if (f) {
        if (f->hdr.owner != l) {
            step_soon_error(l, t, "Task %s got Future %s attached to a different loop", out);
        } else if (!f->blocking) {
            step_soon_error(l, t, "yield was used instead of yield from in task %s with %s", out);
        } else {
            f->blocking = false;
            loop_callback cb = { .fn = wakeup_cb, .obj = &t->fut.hdr, .ctx = t->ctx };
            loop_future_add_callback(l, f, &cb);
            t->fut_waiter = f;
            LOOP__EMIT(l, LOOP_EV_STEP_AWAIT, t, f, 0, 0, NULL);
            if (t->must_cancel && loop_future_cancel(l, f, t->fut.cancel_msg))
                t->must_cancel = false;
        }
    } else if (out == l->host.none) {
        LOOP__EMIT(l, LOOP_EV_STEP_YIELD, t, NULL, 0, 0, NULL);
        call_step_soon(l, t, NULL);   /* bare yield: one loop iteration */
    } else {
        step_soon_error(l, t, "Task got bad yield: %.0s%s", out);
    }
}

/* The outcome of coro.send/throw when the coroutine ended (the except clauses of
 * __step). Returns -1 for KeyboardInterrupt/SystemExit (re-raised). */
static int handle_end(loop *l, loop_task *t, loop_resume r, loop_val out)
{
    if (r == LOOP_RETURNED) {
        LOOP__EMIT(l, LOOP_EV_STEP_RETURN, t, NULL, 0, 0, out);
        if (t->must_cancel) {       /* cancelled right before the coroutine stopped */
            t->must_cancel = false;
            loop__future_cancel(l, &t->fut, t->fut.cancel_msg);
        } else {
            loop_future_set_result(l, &t->fut, out);
        }
        return 0;
    }
    if (loop__is_error(l, out, LOOP_E_CANCELLED)) {
        LOOP__EMIT(l, LOOP_EV_STEP_CANCELLED, t, NULL, 0, 0, out);
        t->fut.cancelled_exc = out;     /* kept to chain it later */
        loop__future_cancel(l, &t->fut, NULL);
        return 0;
    }
    LOOP__EMIT(l, LOOP_EV_STEP_RAISE, t, NULL, 0, 0, out);
    loop_future_set_exception(l, &t->fut, out);
    if (loop__is_fatal(l, out)) {
        l->error = out;
        return -1;
    }
    return 0;
}

/* mirrors Task.__step */
static int task_step(loop *l, loop_task *t, loop_val exc)
{
    if (t->fut.state != LOOP_PENDING) {
        l->host.report(l->host.ud, l, "Exception in callback Task.__step()",
                       loop__exc(l, LOOP_E_INVALID_STATE, "_step(): already done"), &t->fut.hdr);
        return 0;
    }
    if (t->must_cancel) {
        if (!exc || !loop__is_error(l, exc, LOOP_E_CANCELLED))
            exc = loop_future_cancelled_error(l, &t->fut);
        t->must_cancel = false;
    }
    t->fut_waiter = NULL;
    loop_task *outer = l->current_task;   /* _enter_task: NULL outside a nested step */
    l->current_task = t;
    LOOP__EMIT(l, LOOP_EV_STEP_BEGIN, t, NULL, 0, 0, exc);
    loop_val out = NULL;
    double slept = 0;
    loop_resume r = l->host.resume(l->host.ud, t->coro, exc ? NULL : l->host.none, exc,
                                   &out, &slept);
    int rc = 0;
    if (r == LOOP_YIELDED)
        handle_yield(l, t, out);
    else if (r == LOOP_SLEPT)
        step_soon_error(l, t, "Task %s: time.sleep outside a thread%s", NULL);
    else
        rc = handle_end(l, t, r, out);
    l->current_task = outer;              /* _leave_task */
    return rc;
}

static int step_cb(loop *l, loop_handle *h)
{
    return task_step(l, (loop_task *)h->cb.obj, h->cb.val);
}

/* mirrors Task.__wakeup: step with the future's exception (or CancelledError),
 * or normally; the result itself is not sent. */
static int wakeup_cb(loop *l, loop_handle *h)
{
    loop_task *t = (loop_task *)h->cb.obj;
    loop_future *f = (loop_future *)h->arg;
    loop_val v;
    if (loop_future_result(l, f, &v) < 0)
        return task_step(l, t, loop_take_error(l));
    return task_step(l, t, NULL);
}
