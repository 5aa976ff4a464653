/* loop.c — the loop object: creation, the error slot, the observer, and running
 * (mirrors BaseEventLoop.run_forever / run_until_complete / stop / close).
 */
#include "loop_int.h"

const char loop__gen_exit_tag[] = "GeneratorExit";

loop *loop_new(const loop_host *host)
{
    loop *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->host = *host;
    return l;
}

void loop_free(loop *l)
{
    if (!l)
        return;
    loop__threads_free(l);
    if (!l->host.alloc) {
        for (size_t i = 0; i < l->nobjs; i++) {
            loop_obj_finalize(l->objs[i]);
            free(l->objs[i]);
        }
    }
    free(l->objs);
    free(l->ready);
    free(l->heap);
    free(l->tasks);
    free(l->pins);
    free(l);
}

const loop_host *loop_get_host(loop *l) { return &l->host; }
double loop_time(const loop *l) { return l->now; }
uint64_t loop_iteration(const loop *l) { return l->iteration; }
void loop_set_step_limit(loop *l, uint64_t max_handles) { l->step_limit = max_handles; }
bool loop_is_running(const loop *l) { return l->running; }
bool loop_is_closed(const loop *l) { return l->closed; }
void loop_set_debug(loop *l, bool on) { l->debug = on; }
bool loop_get_debug(const loop *l) { return l->debug; }

void loop_set_observer(loop *l, loop_observer_fn fn, void *ud)
{
    l->obs = fn;
    l->obs_ud = ud;
}

void loop__emit(loop *l, loop_event_kind kind, loop_obj *subject, loop_obj *other,
                double when, double num, loop_val val)
{
    loop__emit_text(l, kind, subject, other, when, num, val, NULL);
}

void loop__emit_text(loop *l, loop_event_kind kind, loop_obj *subject, loop_obj *other,
                     double when, double num, loop_val val, const char *text)
{
    loop_event ev = {
        .kind = kind, .seq = ++l->seq, .time = l->now, .iteration = l->iteration,
        .subject = subject, .other = other, .when = when, .num = num, .val = val,
        .text = text,
    };
    if (l->current_task)
        ev.cause = &l->current_task->fut.hdr;
    else if (l->current_handle)
        ev.cause = &l->current_handle->hdr;
    l->obs(l->obs_ud, &ev);
}

void loop_emit(loop *l, loop_event_kind kind, loop_obj *subject, loop_val val, const char *text)
{
    if (!l->obs)
        return;
    loop_event ev = {
        .kind = kind, .seq = ++l->seq, .time = l->now, .iteration = l->iteration,
        .subject = subject, .val = val, .text = text,
    };
    if (l->current_task)
        ev.cause = &l->current_task->fut.hdr;
    else if (l->current_handle)
        ev.cause = &l->current_handle->hdr;
    l->obs(l->obs_ud, &ev);
}

/* ---- error slot ---- */

loop_val loop__exc(loop *l, loop_error_kind kind, const char *msg)
{
    return l->host.new_error(l->host.ud, kind, msg, NULL);
}

void loop_set_error(loop *l, loop_error_kind kind, const char *msg)
{
    l->error = loop__exc(l, kind, msg);
}

void loop_set_error_val(loop *l, loop_val exc)
{
    l->error = exc;
}

loop_val loop_take_error(loop *l)
{
    loop_val e = l->error;
    l->error = NULL;
    return e;
}

const char *loop__repr(loop *l, loop_val v, char *buf, size_t cap)
{
    if (l->host.repr)
        l->host.repr(l->host.ud, v, buf, cap);
    else
        snprintf(buf, cap, "<object>");
    return buf;
}

/* ---- running ---- */

/* _check_closed and _check_running */
static bool check_can_run(loop *l)
{
    if (l->closed) {
        loop_set_error(l, LOOP_E_RUNTIME, "Event loop is closed");
        return false;
    }
    if (l->running) {
        loop_set_error(l, LOOP_E_RUNTIME, "This event loop is already running");
        return false;
    }
    return true;
}

static void emit_deadlock(loop *l)
{
    if (!l->obs)
        return;
    loop__tasks_compact(l);
    LOOP__EMIT(l, LOOP_EV_DEADLOCK, NULL, NULL, 0, (double)l->ntasks, NULL);
}

/* mirrors BaseEventLoop.run_forever: _run_once until stop() was called; the
 * `finally` resets _stopping whatever ended the run. */
loop_status loop_run_forever(loop *l)
{
    if (!check_can_run(l))
        return LOOP_ERROR;
    l->running = true;
    loop_status st;
    for (;;) {
        st = loop_run_once(l);
        if (st != LOOP_OK || l->stopping)
            break;
    }
    if (st == LOOP_DEADLOCK)
        emit_deadlock(l);
    l->stopping = false;
    l->running = false;
    return st;
}

/* mirrors base_events._run_until_complete_cb: stop, unless the future carries a
 * KeyboardInterrupt/SystemExit (which already ended run_forever). */
static int run_until_complete_cb(loop *l, loop_handle *h)
{
    loop_future *f = (loop_future *)h->arg;
    if (f->state != LOOP_CANCELLED) {
        f->log_traceback = false;       /* fut.exception() */
        if (f->exception && loop__is_fatal(l, f->exception))
            return 0;
    }
    loop_stop(l);
    return 0;
}

/* mirrors BaseEventLoop.run_until_complete (the host has made the future already). */
loop_status loop_run_until_complete(loop *l, loop_future *f)
{
    if (!check_can_run(l))
        return LOOP_ERROR;
    loop_pin(l, &f->hdr);
    loop__add_done(l, f, run_until_complete_cb, NULL, NULL);
    loop_status st = loop_run_forever(l);
    loop_future_remove_callback(l, f, run_until_complete_cb, NULL, NULL);
    loop_unpin(l, 1);
    if (st != LOOP_OK)
        return st;
    if (!loop_future_done(f)) {
        loop_set_error(l, LOOP_E_RUNTIME, "Event loop stopped before Future completed.");
        return LOOP_ERROR;
    }
    return LOOP_OK;
}

void loop_stop(loop *l)
{
    l->stopping = true;
}

/* mirrors BaseEventLoop.close: clears the queues and shuts the default executor
 * down without waiting. */
int loop_close(loop *l)
{
    if (l->running) {
        loop_set_error(l, LOOP_E_RUNTIME, "Cannot close a running event loop");
        return -1;
    }
    if (l->closed)
        return 0;
    l->closed = true;
    l->rlen = l->rhead = 0;
    for (size_t i = 0; i < l->nheap; i++)
        l->heap[i].h->scheduled = false;      /* the handles stay readable */
    l->nheap = 0;
    LOOP__EMIT(l, LOOP_EV_LOOP_CLOSE, NULL, NULL, 0, 0, NULL);
    l->executor_shutdown_called = true;
    loop_obj *ex = l->default_executor;
    if (ex) {
        l->default_executor = NULL;
        loop_executor_shutdown(l, ex, false, false);
    }
    return 0;
}

/* The pending tasks in creation order (all_tasks), each with its fut_waiter. */
size_t loop_pending_tasks(loop *l, loop_task **out, size_t max)
{
    return loop_all_tasks(l, out, max);
}
