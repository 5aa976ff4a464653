/* timeout.c — asyncio.timeout / timeout_at (mirrors timeouts.Timeout of CPython 3.11.7).
 *
 * Invariant: `handler` is the pending _on_timeout handle, only in state ENTERED; the
 * task is cancelled once, by _on_timeout, which moves ENTERED to EXPIRING. */
#include "sync_int.h"

#include <math.h>

enum { TM_CREATED, TM_ENTERED, TM_EXPIRING, TM_EXPIRED, TM_EXITED };

/* _State's values, for the messages */
static const char *const state_value[] = { "created", "active", "expiring", "expired", "finished" };

typedef struct loop_timeout {
    loop_obj hdr;
    int state;
    double when;                /* NAN: None */
    loop_handle *handler;       /* _timeout_handler */
    loop_task *task;
    int cancelling;             /* task.cancelling() at __aenter__ */
} loop_timeout;

void loop__trace_timeout(loop_obj *o, const loop_tracer *t)
{
    loop_timeout *tm = (loop_timeout *)o;
    if (tm->handler)
        t->obj(t->ud, &tm->handler->hdr);
    if (tm->task)
        t->obj(t->ud, &tm->task->fut.hdr);
}

loop_obj *loop_timeout_new(loop *l, double when)
{
    loop_timeout *tm = loop__obj_new(l, LOOP_K_TIMEOUT, sizeof *tm);
    tm->when = when;
    return &tm->hdr;
}

/* self._state.value ("created", "active", ...), for Timeout.__repr__ */
const char *loop_timeout_state_name(const loop_obj *tm)
{
    return state_value[((const loop_timeout *)tm)->state];
}

double loop_timeout_when(const loop_obj *o)
{
    return ((const loop_timeout *)o)->when;
}

/* mirrors Timeout.expired */
bool loop_timeout_expired(const loop_obj *o)
{
    int s = ((const loop_timeout *)o)->state;
    return s == TM_EXPIRING || s == TM_EXPIRED;
}

/* mirrors Timeout._on_timeout: h->cb.obj the timeout */
static int on_timeout(loop *l, loop_handle *h)
{
    loop_timeout *tm = (loop_timeout *)h->cb.obj;
    loop_task_cancel(l, tm->task, NULL);
    tm->state = TM_EXPIRING;
    tm->handler = NULL;
    return 0;
}

/* mirrors Timeout.reschedule */
int loop_timeout_reschedule(loop *l, loop_obj *o, double when)
{
    loop_timeout *tm = (loop_timeout *)o;
    if (tm->state != TM_ENTERED) {
        char msg[64];
        if (tm->state == TM_CREATED)
            snprintf(msg, sizeof msg, "Timeout has not been entered");
        else
            snprintf(msg, sizeof msg, "Cannot change state of %s Timeout", state_value[tm->state]);
        loop_set_error(l, LOOP_E_RUNTIME, msg);
        return -1;
    }
    tm->when = when;
    if (tm->handler)
        loop_handle_cancel(l, tm->handler);
    tm->handler = NULL;
    if (isnan(when))
        return 0;
    loop_callback cb = { .fn = on_timeout, .obj = &tm->hdr };
    if (when <= loop_time(l))
        tm->handler = loop_call_soon(l, &cb);
    else
        tm->handler = loop_call_at(l, when, &cb);
    return tm->handler ? 0 : -1;                /* NULL: the loop is closed */
}

/* mirrors Timeout.__aenter__ (it never suspends) */
int loop_timeout_enter(loop *l, loop_obj *o)
{
    loop_timeout *tm = (loop_timeout *)o;
    if (tm->state != TM_CREATED) {
        loop_set_error(l, LOOP_E_RUNTIME, "Timeout has already been entered");
        return -1;
    }
    loop_task *task = loop_current_task(l);
    if (task == NULL) {
        loop_set_error(l, LOOP_E_RUNTIME, "Timeout should be used inside a task");
        return -1;
    }
    tm->state = TM_ENTERED;
    tm->task = task;
    tm->cancelling = loop_task_cancelling(task);
    return loop_timeout_reschedule(l, o, tm->when);
}

/* mirrors Timeout.__aexit__ (it never suspends, never swallows): a CancelledError
 * that our own _on_timeout caused becomes TimeoutError from it */
int loop_timeout_exit(loop *l, loop_obj *o, loop_val exc, bool *swallow)
{
    loop_timeout *tm = (loop_timeout *)o;
    *swallow = false;
    if (tm->state != TM_ENTERED && tm->state != TM_EXPIRING) {
        loop_set_error(l, LOOP_E_RUNTIME, "Timeout has not been entered");
        return -1;
    }
    if (tm->handler) {
        loop_handle_cancel(l, tm->handler);
        tm->handler = NULL;
    }
    if (tm->state == TM_ENTERED) {
        tm->state = TM_EXITED;
        return 0;
    }
    tm->state = TM_EXPIRED;
    if (loop_task_uncancel(l, tm->task) <= tm->cancelling && loop__is_cancelled(l, exc)) {
        loop_val te = loop__exc(l, LOOP_E_TIMEOUT, NULL);
        l->host.set_cause(l->host.ud, te, exc);
        loop_set_error_val(l, te);
        return -1;
    }
    return 0;
}
