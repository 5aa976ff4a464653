/* exec_int.h — internals of the executors and virtual threads (cfuture.c,
 * executor.c, vthread.c), modelled on /work/shared/oracle/vref.py (VThread,
 * VThreadPool, Sched, VSelector, v_sleep), which is normative.
 *
 * Invariants:
 *   - a worker thread is in its executor's `workers` from its start until it finds
 *     no queued job after finishing one; l->nalive counts such threads;
 *   - a thread is either running (inside run_segment, l->cur_thread) or parked in
 *     l->sleepers, a heap ordered by (wake, seq): the earlier wake, then the
 *     earlier sleep, first.
 */
#ifndef EXEC_INT_H
#define EXEC_INT_H

#include "loop_int.h"

/* concurrent.futures._base states */
typedef enum cf_state {
    CF_PENDING, CF_RUNNING, CF_CANCELLED, CF_CANCELLED_AND_NOTIFIED, CF_FINISHED
} cf_state;

struct loop_cfuture {
    loop_obj hdr;
    cf_state state;
    loop_val result;
    loop_val exception;
    loop_callback *callbacks;   /* run at once, in the completing thread */
    size_t ncallbacks, capcallbacks;
};

typedef struct exec_job {
    loop_cfuture *cf;
    loop_val job;
} exec_job;

struct loop__executor {
    loop_obj hdr;
    int max_workers;
    bool shutdown;
    loop__thread **workers;
    size_t nworkers, capworkers;
    exec_job *queue;            /* FIFO: queue[qhead .. qlen) */
    size_t qhead, qlen, capqueue;
};

struct loop__thread {
    loop_obj hdr;
    loop__executor *ex;
    exec_job cur;               /* the job it runs (cur.cf NULL: none) */
    bool in_job;                /* the job's function has started */
    double wake;
    uint64_t seq;
};

/* cfuture.c */
loop_cfuture *loop__cfuture_new(loop *l);
bool loop__cf_set_running_or_notify_cancel(loop *l, loop_cfuture *cf);
void loop__cf_set_result(loop *l, loop_cfuture *cf, loop_val v);
void loop__cf_set_exception(loop *l, loop_cfuture *cf, loop_val exc);

/* vthread.c */
/* Starts a worker thread of ex on `job`, running until it sleeps or ends. */
void loop__thread_start(loop *l, loop__executor *ex, exec_job job);
/* Sched.run_due(limit): resume, in order, every thread waking at or before limit. */
void loop__run_due(loop *l, double limit);
/* Sched.next_wake(): false if no thread sleeps. */
bool loop__next_wake(const loop *l, double *wake);

/* executor.c */
/* VThreadPool._next_job: the next queued job, or false (the thread leaves the pool). */
bool loop__executor_next_job(loop *l, loop__executor *ex, loop__thread *vt, exec_job *out);
/* shutdown_default_executor's thread is done: set its future (call_soon_threadsafe). */
void loop__executor_shutdown_done(loop *l);

#endif
