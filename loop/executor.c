/* executor.c — ThreadPoolExecutor on virtual threads (mirrors vref.py's
 * VThreadPool: submit, _next_job, shutdown).
 */
#include "exec_int.h"

#define DEFAULT_WORKERS 8       /* min(32, os.cpu_count() + 4) with 4 virtual CPUs */

loop_obj *loop_executor_new(loop *l, int max_workers)
{
    loop__executor *ex = loop__obj_new(l, LOOP_K_EXECUTOR, sizeof *ex);
    ex->max_workers = max_workers > 0 ? max_workers : DEFAULT_WORKERS;
    return &ex->hdr;
}

/* mirrors VThreadPool.submit: a free worker starts the job at once (it runs until
 * it sleeps or ends); otherwise the job queues. */
loop_cfuture *loop_executor_submit(loop *l, loop_obj *exo, loop_val job)
{
    loop__executor *ex = (loop__executor *)exo;
    if (ex->shutdown) {
        loop_set_error(l, LOOP_E_RUNTIME, "cannot schedule new futures after shutdown");
        return NULL;
    }
    loop_pin(l, exo);
    loop_cfuture *cf = loop__cfuture_new(l);
    loop_pin(l, &cf->hdr);
    LOOP__EMIT(l, LOOP_EV_EXECUTOR_SUBMIT, cf, ex, 0, 0, job);
    exec_job j = { cf, job };
    if (ex->nworkers < (size_t)ex->max_workers) {
        loop__thread_start(l, ex, j);
    } else {
        loop__grow((void **)&ex->queue, &ex->capqueue, ex->qlen + 1, sizeof *ex->queue);
        ex->queue[ex->qlen++] = j;
    }
    loop_unpin(l, 2);
    return cf;
}

/* shutdown_default_executor's thread finishes when the default executor has no
 * worker left: it then sets the future with call_soon_threadsafe. */
static int set_result_none(loop *l, loop_handle *h)
{
    loop_future *f = (loop_future *)h->cb.obj;
    if (loop_future_set_result(l, f, l->host.none) < 0) {
        l->host.report(l->host.ud, l, "Exception in callback Future.set_result()",
                       loop_take_error(l), &h->hdr);
    }
    return 0;
}

void loop__executor_shutdown_done(loop *l)
{
    loop_future *f = l->shutdown_fut;
    l->shutdown_fut = NULL;
    l->shutdown_ex = NULL;
    if (!l->closed) {
        loop_callback cb = { .fn = set_result_none, .obj = &f->hdr };
        loop_call_soon_threadsafe(l, &cb);
    }
}

static void remove_worker(loop__executor *ex, loop__thread *vt)
{
    for (size_t i = 0; i < ex->nworkers; i++) {
        if (ex->workers[i] == vt) {
            memmove(ex->workers + i, ex->workers + i + 1,
                    (ex->nworkers - i - 1) * sizeof *ex->workers);
            ex->nworkers--;
            return;
        }
    }
}

/* mirrors VThreadPool._next_job: the oldest queued job, or the worker leaves. */
bool loop__executor_next_job(loop *l, loop__executor *ex, loop__thread *vt, exec_job *out)
{
    if (ex->qlen > ex->qhead) {
        *out = ex->queue[ex->qhead++];
        if (ex->qhead == ex->qlen)
            ex->qhead = ex->qlen = 0;
        return true;
    }
    remove_worker(ex, vt);
    l->nalive--;
    if (l->shutdown_fut && &ex->hdr == l->shutdown_ex && ex->nworkers == 0)
        loop__executor_shutdown_done(l);
    return false;
}

/* mirrors VThreadPool.shutdown: on the loop thread, `wait` runs the due threads
 * (the clock jumping to each wake) until the workers are gone. */
void loop_executor_shutdown(loop *l, loop_obj *exo, bool wait, bool cancel_futures)
{
    loop__executor *ex = (loop__executor *)exo;
    ex->shutdown = true;
    if (cancel_futures) {
        for (size_t i = ex->qhead; i < ex->qlen; i++)
            loop_cfuture_cancel(l, ex->queue[i].cf);
        ex->qhead = ex->qlen = 0;
    }
    if (!wait || l->cur_thread)
        return;     /* from a thread, waiting would never end (vref busy-waits) */
    double wake;
    while (ex->nworkers && loop__next_wake(l, &wake))
        loop__run_due(l, wake);
}

void loop_set_default_executor(loop *l, loop_obj *ex)
{
    l->default_executor = ex;
}

void loop__executor_trace(loop_obj *o, const loop_tracer *t)
{
    loop__executor *ex = (loop__executor *)o;
    for (size_t i = 0; i < ex->nworkers; i++)
        t->obj(t->ud, &ex->workers[i]->hdr);
    for (size_t i = ex->qhead; i < ex->qlen; i++) {
        t->obj(t->ud, &ex->queue[i].cf->hdr);
        if (ex->queue[i].job)
            t->val(t->ud, ex->queue[i].job);
    }
}

void loop__executor_finalize(loop_obj *o)
{
    loop__executor *ex = (loop__executor *)o;
    free(ex->workers);
    free(ex->queue);
    ex->workers = NULL;
    ex->queue = NULL;
}
