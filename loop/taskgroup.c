/* taskgroup.c — asyncio.TaskGroup (mirrors taskgroups.TaskGroup of CPython 3.11.7).
 *
 * Invariant: `tasks` holds the group's tasks not yet done, in creation order (aiosim's
 * set order); `on_completed_fut` exists only while __aexit__ waits for them. */
#include "sync_int.h"

typedef struct loop_taskgroup {
    loop_obj hdr;
    bool entered, exiting, aborting, parent_cancel_requested;
    bool errors_dropped;        /* `self._errors = None` after the group raised */
    loop_task *parent_task;
    loop__futq tasks;
    loop_val *errors;
    size_t nerrors, caperrors;
    loop_val base_error;
    loop_future *on_completed_fut;
} loop_taskgroup;

void loop__trace_taskgroup(loop_obj *o, const loop_tracer *t)
{
    loop_taskgroup *tg = (loop_taskgroup *)o;
    if (tg->parent_task)
        t->obj(t->ud, &tg->parent_task->fut.hdr);
    loop__futq_trace(&tg->tasks, t);
    for (size_t i = 0; i < tg->nerrors; i++)
        t->val(t->ud, tg->errors[i]);
    if (tg->base_error)
        t->val(t->ud, tg->base_error);
    if (tg->on_completed_fut)
        t->obj(t->ud, &tg->on_completed_fut->hdr);
}

void loop__finalize_taskgroup(loop_obj *o)
{
    loop_taskgroup *tg = (loop_taskgroup *)o;
    loop__futq_free(&tg->tasks);
    free(tg->errors);
    tg->errors = NULL;
    tg->nerrors = tg->caperrors = 0;
}

loop_obj *loop_taskgroup_new(loop *l)
{
    loop_taskgroup *tg = loop__obj_new(l, LOOP_K_TASKGROUP, sizeof *tg);
    return &tg->hdr;
}

/* TaskGroup.__repr__ */
void loop_taskgroup_repr(const loop_obj *o, char *buf, size_t cap)
{
    const loop_taskgroup *tg = (const loop_taskgroup *)o;
    char info[96] = "";
    size_t k = 0;
    if (tg->tasks.n)
        k += (size_t)snprintf(info + k, sizeof info - k, " tasks=%zu", tg->tasks.n);
    if (tg->nerrors && !tg->errors_dropped)
        k += (size_t)snprintf(info + k, sizeof info - k, " errors=%zu", tg->nerrors);
    if (tg->aborting)
        snprintf(info + k, sizeof info - k, " cancelling");
    else if (tg->entered)
        snprintf(info + k, sizeof info - k, " entered");
    snprintf(buf, cap, "<TaskGroup%s>", info);
}

/* RuntimeError(f"TaskGroup {self!r} <what>") with TaskGroup.__repr__ */
static void tg_error(loop *l, loop_taskgroup *tg, const char *what)
{
    char r[128], msg[192];
    loop_taskgroup_repr(&tg->hdr, r, sizeof r);
    snprintf(msg, sizeof msg, "TaskGroup %s %s", r, what);
    loop_set_error(l, LOOP_E_RUNTIME, msg);
}

static void add_error(loop_taskgroup *tg, loop_val exc)
{
    loop__grow((void **)&tg->errors, &tg->caperrors, tg->nerrors + 1, sizeof *tg->errors);
    tg->errors[tg->nerrors++] = exc;
}

/* mirrors TaskGroup._abort */
static void tg_abort(loop *l, loop_taskgroup *tg)
{
    tg->aborting = true;
    for (size_t i = 0; i < tg->tasks.n; i++)
        if (!loop_future_done(tg->tasks.v[i]))
            loop_task_cancel(l, (loop_task *)tg->tasks.v[i], NULL);
}

/* mirrors TaskGroup._on_task_done: h->cb.obj the group, h->arg the task */
static int on_task_done(loop *l, loop_handle *h)
{
    loop_taskgroup *tg = (loop_taskgroup *)h->cb.obj;
    loop_future *task = (loop_future *)h->arg;
    loop_val exc;
    loop__futq_remove(&tg->tasks, task);
    if (tg->on_completed_fut && tg->tasks.n == 0 && !loop_future_done(tg->on_completed_fut))
        loop_future_set_result(l, tg->on_completed_fut, l->host.true_val);
    if (loop_future_cancelled(task))
        return 0;
    loop_future_exception(l, task, &exc);
    if (exc == l->host.none)
        return 0;
    add_error(tg, exc);
    if (loop__is_fatal(l, exc) && tg->base_error == NULL)
        tg->base_error = exc;
    if (loop_future_done(&tg->parent_task->fut)) {
        char a[128], b[128], msg[320];
        loop__repr(l, l->host.wrap(l->host.ud, &task->hdr), a, sizeof a);
        loop__repr(l, l->host.wrap(l->host.ud, &tg->parent_task->fut.hdr), b, sizeof b);
        snprintf(msg, sizeof msg, "Task %s has errored out but its parent task %s is already "
                 "completed", a, b);
        l->host.report(l->host.ud, l, msg, exc, &task->hdr);
        return 0;
    }
    if (!tg->aborting && !tg->parent_cancel_requested) {
        tg_abort(l, tg);
        tg->parent_cancel_requested = true;
        loop_task_cancel(l, tg->parent_task, NULL);
    }
    return 0;
}

/* mirrors TaskGroup.create_task; NULL with RuntimeError set when refused */
loop_task *loop_taskgroup_create_task(loop *l, loop_obj *o, loop_val coro, loop_val name,
                                      loop_val ctx)
{
    loop_taskgroup *tg = (loop_taskgroup *)o;
    if (!tg->entered) {
        tg_error(l, tg, "has not been entered");
        return NULL;
    }
    if (tg->exiting && tg->tasks.n == 0) {
        tg_error(l, tg, "is finished");
        return NULL;
    }
    if (tg->aborting) {
        tg_error(l, tg, "is shutting down");
        return NULL;
    }
    loop_pin(l, o);
    loop_task *task = loop_task_new(l, coro, name, ctx);
    loop__add_done(l, &task->fut, on_task_done, o, NULL);
    loop__futq_push(&tg->tasks, &task->fut);
    loop_unpin(l, 1);
    return task;
}

/* mirrors TaskGroup.__aenter__ (it never suspends): objs[0] the group */
static loop_resume enter_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out)
{
    loop_taskgroup *tg = (loop_taskgroup *)c->objs[0];
    if (tg->entered) {
        tg_error(l, tg, "has already been entered");
        *out = loop_take_error(l);
        return LOOP_RAISED;
    }
    tg->parent_task = loop_current_task(l);
    if (tg->parent_task == NULL) {
        tg_error(l, tg, "cannot determine the parent task");
        *out = loop_take_error(l);
        return LOOP_RAISED;
    }
    tg->entered = true;
    *out = l->host.wrap(l->host.ud, &tg->hdr);
    return LOOP_RETURNED;
}

loop_ncoro *loop_taskgroup_enter(loop *l, loop_obj *tg)
{
    loop_pin(l, tg);
    loop_ncoro *c = loop__ncoro_new(l, enter_step, "TaskGroup.__aenter__");
    loop_unpin(l, 1);
    c->objs[0] = tg;
    return c;
}

/* The end of __aexit__ once no task is left: vals[0] the exception the body raised
 * (NULL: none), vals[1] propagate_cancellation_error. */
static loop_resume exit_finish(loop *l, loop_ncoro *c, loop_val *out)
{
    loop_taskgroup *tg = (loop_taskgroup *)c->objs[0];
    loop_val exc = c->vals[0];
    if (tg->base_error) {
        *out = tg->base_error;
        return LOOP_RAISED;
    }
    if (c->vals[1] && tg->nerrors == 0) {       /* other errors have priority */
        *out = c->vals[1];
        return LOOP_RAISED;
    }
    if (exc && !loop__is_cancelled(l, exc))
        add_error(tg, exc);
    if (tg->nerrors == 0) {
        *out = l->host.none;
        return LOOP_RETURNED;
    }
    loop_val me = l->host.make_exception_group(l->host.ud, "unhandled errors in a TaskGroup",
                                               tg->nerrors, tg->errors);
    l->host.set_cause(l->host.ud, me, l->host.none);   /* raise me from None */
    tg->nerrors = 0;                                     /* self._errors = None */
    tg->errors_dropped = true;
    *out = me;
    return LOOP_RAISED;
}

/* __aexit__'s `while self._tasks:` loop, from its top (state 1 while suspended) */
static loop_resume exit_wait(loop *l, loop_ncoro *c, loop_val *out)
{
    loop_taskgroup *tg = (loop_taskgroup *)c->objs[0];
    while (tg->tasks.n) {
        if (tg->on_completed_fut == NULL)
            tg->on_completed_fut = loop__future_new_origin(l, "taskgroup");
        c->state = 1;
        if (loop__await_begin(l, tg->on_completed_fut, out))
            return LOOP_YIELDED;
        tg->on_completed_fut = NULL;
    }
    return exit_finish(l, c, out);
}

/* mirrors TaskGroup.__aexit__: objs[0] the group */
static loop_resume exit_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out)
{
    loop_taskgroup *tg = (loop_taskgroup *)c->objs[0];
    if (c->state == 1) {
        loop_val res;
        exc = loop__await_end(l, tg->on_completed_fut, exc, &res);
        if (exc && !loop__is_cancelled(l, exc)) {
            *out = exc;
            return LOOP_RAISED;
        }
        if (exc && !tg->aborting) {
            /* our parent task is being cancelled while the tasks still run */
            c->vals[1] = exc;
            tg_abort(l, tg);
        }
        tg->on_completed_fut = NULL;
        return exit_wait(l, c, out);
    }
    loop_val et = c->vals[0];
    tg->exiting = true;
    if (et && loop__is_fatal(l, et) && tg->base_error == NULL)
        tg->base_error = et;
    c->vals[1] = loop__is_cancelled(l, et) ? et : NULL;
    if (tg->parent_cancel_requested && loop_task_uncancel(l, tg->parent_task) == 0)
        c->vals[1] = NULL;          /* no pending cancellation left: don't propagate */
    if (et && !tg->aborting)
        tg_abort(l, tg);
    return exit_wait(l, c, out);
}

loop_ncoro *loop_taskgroup_exit(loop *l, loop_obj *tg, loop_val exc)
{
    loop_pin(l, tg);
    loop_ncoro *c = loop__ncoro_new(l, exit_step, "TaskGroup.__aexit__");
    loop_unpin(l, 1);
    c->objs[0] = tg;
    c->vals[0] = exc;
    return c;
}
