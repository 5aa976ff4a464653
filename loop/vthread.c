/* vthread.c — virtual threads and the loop's "select" on the virtual clock
 * (mirrors vref.py's VThread, Sched, VSelector.select and v_sleep).
 *
 * A thread runs only inside run_segment, called from submit() (a new worker starts
 * at once) or from run_due (the loop thread resumes the threads whose wake time has
 * come); it runs its job until the job sleeps or ends, and then takes the next
 * queued job of its executor or leaves the pool.
 */
#include "exec_int.h"

/* The order of Sched.sleepers: (wake, seq) tuples. */
static bool sleeper_lt(const loop__thread *a, const loop__thread *b)
{
    return a->wake < b->wake || (a->wake == b->wake && a->seq < b->seq);
}

static void sleepers_push(loop *l, loop__thread *vt)
{
    loop__grow((void **)&l->sleepers, &l->capsleepers, l->nsleepers + 1, sizeof *l->sleepers);
    size_t pos = l->nsleepers++;
    while (pos > 0) {
        size_t parent = (pos - 1) / 2;
        if (!sleeper_lt(vt, l->sleepers[parent]))
            break;
        l->sleepers[pos] = l->sleepers[parent];
        pos = parent;
    }
    l->sleepers[pos] = vt;
}

static loop__thread *sleepers_pop(loop *l)
{
    loop__thread **s = l->sleepers;
    loop__thread *top = s[0], *last = s[--l->nsleepers];
    size_t n = l->nsleepers, pos = 0;
    for (;;) {
        size_t c = 2 * pos + 1;
        if (c >= n)
            break;
        if (c + 1 < n && sleeper_lt(s[c + 1], s[c]))
            c++;
        if (!sleeper_lt(s[c], last))
            break;
        s[pos] = s[c];
        pos = c;
    }
    if (n)
        s[pos] = last;
    return top;
}

bool loop__next_wake(const loop *l, double *wake)
{
    if (!l->nsleepers)
        return false;
    *wake = l->sleepers[0]->wake;
    return true;
}

static void advance_to(loop *l, double t)
{
    double d = t - l->now;
    l->now = t;
    LOOP__EMIT(l, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, t, d, NULL);
}

/* The end of one job: its concurrent future gets the outcome (its callbacks run
 * now, in this thread). */
static void finish_job(loop *l, loop__thread *vt, loop_resume r, loop_val out)
{
    loop_cfuture *cf = vt->cur.cf;
    LOOP__EMIT(l, LOOP_EV_THREAD_DONE, vt, cf, 0, 0, r == LOOP_RETURNED ? out : NULL);
    if (r == LOOP_RETURNED)
        loop__cf_set_result(l, cf, out);
    else if (r == LOOP_RAISED)
        loop__cf_set_exception(l, cf, out);
    else
        loop__cf_set_exception(l, cf, loop__exc(l, LOOP_E_RUNTIME,
                                                "a thread's job yielded outside a coroutine"));
}

/* VThread._main from where it left off, until the job sleeps (parked) or the
 * thread finds no more work (it leaves the pool). */
static void run_segment(loop *l, loop__thread *vt)
{
    loop__thread *prev = l->cur_thread;
    l->cur_thread = vt;
    loop_pin(l, &vt->hdr);
    for (;;) {
        bool run = vt->in_job || loop__cf_set_running_or_notify_cancel(l, vt->cur.cf);
        if (run) {
            if (!vt->in_job)
                LOOP__EMIT(l, LOOP_EV_THREAD_START, vt, vt->cur.cf, 0, 0, NULL);
            vt->in_job = true;
            loop_val out = NULL;
            double d = 0;
            loop_resume r = l->host.resume(l->host.ud, vt->cur.job, l->host.none, NULL,
                                           &out, &d);
            if (r == LOOP_SLEPT) {
                vt->wake = l->now + (d > 0 ? d : 0.0);      /* max(0.0, d) */
                vt->seq = ++l->sleep_seq;
                sleepers_push(l, vt);
                LOOP__EMIT(l, LOOP_EV_THREAD_SLEEP, vt, NULL, vt->wake, d, NULL);
                break;
            }
            finish_job(l, vt, r, out);
        }
        vt->in_job = false;
        if (!loop__executor_next_job(l, vt->ex, vt, &vt->cur)) {
            vt->cur = (exec_job){ 0 };
            break;
        }
    }
    loop_unpin(l, 1);
    l->cur_thread = prev;
}

void loop__thread_start(loop *l, loop__executor *ex, exec_job job)
{
    loop__thread *vt = loop__obj_new(l, LOOP_K_THREAD, sizeof *vt);
    vt->ex = ex;
    vt->cur = job;
    l->nalive++;
    loop__grow((void **)&ex->workers, &ex->capworkers, ex->nworkers + 1, sizeof *ex->workers);
    ex->workers[ex->nworkers++] = vt;
    run_segment(l, vt);
}

void loop__run_due(loop *l, double limit)
{
    while (l->nsleepers && l->sleepers[0]->wake <= limit) {
        loop__thread *vt = sleepers_pop(l);
        if (vt->wake > l->now)
            advance_to(l, vt->wake);
        LOOP__EMIT(l, LOOP_EV_THREAD_RESUME, vt, vt->cur.cf, 0, 0, NULL);
        run_segment(l, vt);
    }
}

/* BaseSelectorEventLoop._read_from_self: drains the self-pipe. */
static int read_from_self(loop *l, loop_handle *h)
{
    (void)h;
    l->selfpipe = false;
    return 0;
}

/* VSelector._poll + _process_events: only another thread can make the self-pipe
 * readable, so it is looked at only while a thread is alive; its reader's handle
 * then joins the ready queue. */
static bool poll(loop *l)
{
    if (!l->selfpipe || !l->nalive)
        return false;
    loop_handle *h = loop__obj_new(l, LOOP_K_HANDLE, sizeof *h);
    h->cb.fn = read_from_self;
    loop__ready_push(l, h);
    return true;
}

/* mirrors VSelector.select(timeout); timeout < 0 is None. False: deadlock. */
bool loop__select(loop *l, double timeout)
{
    if (poll(l))
        return true;
    double wake;
    bool have_wake = loop__next_wake(l, &wake);
    if (timeout < 0) {
        if (!have_wake)
            return false;
        loop__run_due(l, wake);
        poll(l);
        return true;
    }
    double target = l->now + timeout;
    if (have_wake && wake <= target) {
        loop__run_due(l, wake);
        poll(l);
        return true;
    }
    if (timeout > 0) {
        l->now += timeout;
        LOOP__EMIT(l, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, l->now, timeout, NULL);
    }
    poll(l);
    return true;
}

/* mirrors v_sleep on the loop thread: the due threads run, then the clock is set. */
void loop_block_sleep(loop *l, double d)
{
    if (l->cur_thread)
        return;     /* a thread sleeps by returning LOOP_SLEPT from its job */
    double target = l->now + (d > 0 ? d : 0.0);
    LOOP__EMIT(l, LOOP_EV_LOOP_SLEEP, NULL, NULL, target, d, NULL);
    loop__run_due(l, target);
    if (l->now != target)
        advance_to(l, target);
}

loop_obj *loop_current_thread(const loop *l)
{
    return l->cur_thread ? &l->cur_thread->hdr : NULL;
}

void loop__threads_trace(loop *l, const loop_tracer *t)
{
    for (size_t i = 0; i < l->nsleepers; i++)
        t->obj(t->ud, &l->sleepers[i]->hdr);
    if (l->cur_thread)
        t->obj(t->ud, &l->cur_thread->hdr);
}

void loop__threads_free(loop *l)
{
    free(l->sleepers);
    l->sleepers = NULL;
    l->nsleepers = l->capsleepers = 0;
}

void loop__thread_trace(loop_obj *o, const loop_tracer *t)
{
    loop__thread *vt = (loop__thread *)o;
    t->obj(t->ud, &vt->ex->hdr);
    if (vt->cur.cf)
        t->obj(t->ud, &vt->cur.cf->hdr);
    if (vt->cur.job)
        t->val(t->ud, vt->cur.job);
}

void loop__thread_finalize(loop_obj *o)
{
    (void)o;
}
