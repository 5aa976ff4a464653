/* loop.h — aiosim's scheduling core: CPython 3.11 asyncio's ordering on a virtual clock.
 *
 * The loop knows nothing of the language that drives it, nor of SQL. It sees the
 * program's values as opaque `loop_val` pointers and reaches the language through a
 * `loop_host` table of functions (create an exception, resume a coroutine, call a
 * callable, build a list). Every scheduling event is reported to an optional observer.
 *
 * Memory. Every loop object (handle, future, task, native coroutine, lock, ...) starts
 * with a `loop_obj` header and is allocated through `host->alloc`, which returns zeroed
 * memory; the host owns it and frees it when unreachable, after `loop_obj_finalize`.
 * The host's garbage collector finds what the loop holds with `loop_trace_roots` (the
 * ready queue, the timer heap, pending tasks, threads, pinned temporaries) and
 * `loop_obj_trace` (what one object refers to). With `host->alloc == NULL` the loop
 * mallocs objects itself and frees them all in `loop_free` (C tests do this).
 * Invariant: a loop object held only in a C local across a call that may allocate
 * (any host function, any loop function that creates objects) is pinned with
 * `loop_pin` first, so a collection in between cannot free it. The loop itself
 * never keeps a host value only in a C local across an allocation: it stores it in
 * a traced place (an object, the error slot) first.
 *
 * Errors. Functions that can fail as Python would raise return -1 (or NULL) and leave
 * an exception value in the loop's error slot, made with `host->new_error`; the host
 * takes it with `loop_take_error`. Nothing here aborts on user input.
 *
 * Naming: `loop_` public, `loop__` shared between loop/ files (loop_int.h), statics bare.
 */
#ifndef LOOP_H
#define LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop_events.h"

typedef void *loop_val;            /* a host value (a Python object); never NULL once set */
typedef struct loop loop;          /* the event loop (opaque) */

/* ---- loop objects --------------------------------------------------------------- */

#define LOOP_KIND_LIST(X)                                                   \
    X(HANDLE)     /* Handle / TimerHandle */                                \
    X(FUTURE)     /* asyncio.Future */                                      \
    X(TASK)       /* asyncio.Task: a loop_future first */                   \
    X(NCORO)      /* a native coroutine: sleep(), wait_for(), Lock.acquire() */ \
    X(CFUTURE)    /* concurrent.futures.Future */                           \
    X(EXECUTOR)   /* ThreadPoolExecutor (virtual threads) */                \
    X(THREAD)     /* one virtual worker thread */                           \
    X(LOCK) X(EVENT) X(CONDITION) X(SEMAPHORE) X(QUEUE)                     \
    X(TASKGROUP) X(TIMEOUT)                                                 \
    X(ASCOMPLETED) /* the state behind as_completed() */                    \
    X(STATE)      /* internal state block of a combinator (gather, shield) */

typedef enum loop_kind {
#define LOOP_KIND_ENUM(k) LOOP_K_##k,
    LOOP_KIND_LIST(LOOP_KIND_ENUM)
#undef LOOP_KIND_ENUM
    LOOP_K__COUNT
} loop_kind;

/* Header of every loop object. `id` numbers objects of one loop from 1 in creation
 * order (traces name objects by it); `subkind` refines the kind (for example which
 * combinator a STATE block belongs to, or the Queue flavour). */
typedef struct loop_obj {
    uint8_t kind;          /* loop_kind */
    uint8_t subkind;
    uint16_t flags;        /* reserved for the host (GC mark bits live in the host) */
    uint32_t pad;
    uint64_t id;
    loop *owner;
} loop_obj;

/* ---- the host interface ---------------------------------------------------------- */

/* Kinds of exception the loop asks the host to create (with CPython's messages). */
#define LOOP_ERROR_LIST(X)        \
    X(RUNTIME, "RuntimeError")    \
    X(VALUE, "ValueError")        \
    X(TYPE, "TypeError")          \
    X(INVALID_STATE, "asyncio.InvalidStateError") \
    X(CANCELLED, "asyncio.CancelledError")         \
    X(TIMEOUT, "TimeoutError")    \
    X(QUEUE_EMPTY, "asyncio.QueueEmpty") \
    X(QUEUE_FULL, "asyncio.QueueFull")   \
    X(BROKEN_EXECUTOR, "concurrent.futures.BrokenExecutor") \
    X(CF_CANCELLED, "concurrent.futures.CancelledError")

typedef enum loop_error_kind {
#define LOOP_ERR_ENUM(k, name) LOOP_E_##k,
    LOOP_ERROR_LIST(LOOP_ERR_ENUM)
#undef LOOP_ERR_ENUM
    LOOP_E__COUNT
} loop_error_kind;

/* What a coroutine (or a virtual thread's job) did when resumed. */
typedef enum loop_resume {
    LOOP_YIELDED,   /* *out = the yielded value (a future, or host->none for a bare yield) */
    LOOP_RETURNED,  /* *out = the return value */
    LOOP_RAISED,    /* *out = the exception */
    LOOP_SLEPT      /* virtual threads only: the job called time.sleep(*sleep_for) */
} loop_resume;

typedef struct loop_future loop_future;
typedef struct loop_task loop_task;
typedef struct loop_handle loop_handle;

typedef struct loop_host {
    void *ud;
    loop_val none;                                   /* the host's None */
    /* Zeroed memory for a loop object of `size` bytes (NULL: the loop mallocs). May collect. */
    void *(*alloc)(void *ud, loop_kind kind, size_t size);
    /* A new exception of `kind`; args: `msg` (a C string, or NULL) unless `arg` is given
     * (a host value: the cancel message of a CancelledError). */
    loop_val (*new_error)(void *ud, loop_error_kind kind, const char *msg, loop_val arg);
    /* isinstance(exc, kind) for CANCELLED, TIMEOUT and for the BaseExceptions
     * that abort a loop run (kind == LOOP_E__COUNT: KeyboardInterrupt, SystemExit). */
    bool (*is_error)(void *ud, loop_val exc, loop_error_kind kind);
    /* Resume a coroutine (or a virtual thread's job): send `value` or, if `exc`
     * is not NULL, throw `exc`. On LOOP_SLEPT, *sleep_for holds the duration.
     * A job is a resumable running fn(*args) on a virtual thread: it is resumed
     * with none to start and after each time.sleep; loop_current_thread() is its
     * thread meanwhile, so the host's time.sleep returns LOOP_SLEPT. */
    loop_resume (*resume)(void *ud, loop_val coro, loop_val value, loop_val exc,
                          loop_val *out, double *sleep_for);
    /* Close a coroutine that will never run (coro.close()). */
    void (*close_coro)(void *ud, loop_val coro);
    /* The loop future a host value is (a Future, a Task, or a wrapped loop future),
     * or NULL if it is not one. */
    loop_future *(*as_future)(void *ud, loop_val v);
    /* The host value standing for a loop object (its wrapper). */
    loop_val (*wrap)(void *ud, loop_obj *o);
    /* ensure_future(v): a future as is, a coroutine or awaitable as a new task; NULL
     * with the loop's error set for anything else. */
    loop_future *(*ensure_future)(void *ud, loop *l, loop_val v);
    /* Call a host callable with n arguments; -1 with *out = the exception if it raised. */
    int (*call)(void *ud, loop_val fn, size_t n, const loop_val *args, loop_val *out);
    /* a == b (used by remove_done_callback); < for PriorityQueue (-1: raised, *exc set). */
    bool (*eq)(void *ud, loop_val a, loop_val b);
    int (*less)(void *ud, loop_val a, loop_val b, loop_val *exc);
    /* Containers the combinators return. */
    loop_val (*make_list)(void *ud, size_t n, const loop_val *items);
    loop_val (*make_set)(void *ud, size_t n, const loop_val *items);
    loop_val (*make_tuple)(void *ud, size_t n, const loop_val *items);
    /* BaseExceptionGroup/ExceptionGroup(msg, excs) for TaskGroup. */
    loop_val (*make_exception_group)(void *ud, const char *msg, size_t n, const loop_val *excs);
    /* Set exc.__context__ / __cause__ (raise ... from ...). */
    void (*set_cause)(void *ud, loop_val exc, loop_val cause);
    /* The default name of a new task: "Task-N", N counting across all loops. */
    loop_val (*task_name)(void *ud);
    /* An exception escaped a callback (CPython: call_exception_handler's log). */
    void (*report)(void *ud, loop *l, const char *message, loop_val exc, loop_obj *where);
    /* repr(v) into buf (NUL-terminated, truncated to cap); for CPython's messages that
     * quote a value ("Task got bad yield: 42"). May be NULL: "<object>". */
    void (*repr)(void *ud, loop_val v, char *buf, size_t cap);
    loop_val true_val, false_val;                    /* the host's True and False */
    /* bool(v): 1 / 0, or -1 with *exc the exception its __bool__ raised. May be NULL:
     * only None, False and values == False are false. */
    int (*truthy)(void *ud, loop_val v, loop_val *exc);
} loop_host;

/* ---- observer ---------------------------------------------------------------------- */

/* One scheduling event. Objects are borrowed for the duration of the call. */
typedef struct loop_event {
    loop_event_kind kind;
    uint64_t seq;            /* 1, 2, 3 ... per loop */
    double time;             /* virtual time */
    uint64_t iteration;      /* _run_once count, from 1 */
    loop_obj *subject;       /* the handle / future / task / thread involved */
    loop_obj *cause;         /* what was running when it happened: a task, else a handle, else NULL */
    loop_obj *other;         /* a second object (see loop_events.h) */
    double when;             /* a deadline, a new time */
    double num;              /* a count or a duration */
    loop_val val;            /* a host value (result, exception, message) or NULL */
    const char *text;        /* a short detail or NULL */
} loop_event;

typedef void (*loop_observer_fn)(void *ud, const loop_event *ev);

/* ---- the loop ---------------------------------------------------------------------- */

typedef enum loop_status {
    LOOP_OK = 0,
    LOOP_ERROR,       /* an exception is in the error slot (loop_take_error) */
    LOOP_DEADLOCK,    /* nothing ready, no timer, no thread: CPython would block forever */
    LOOP_LIMIT        /* the step limit was reached */
} loop_status;

loop *loop_new(const loop_host *host);
void loop_free(loop *l);                    /* frees loop-owned memory (and objects if it malloc'd them) */
const loop_host *loop_get_host(loop *l);
void loop_set_observer(loop *l, loop_observer_fn fn, void *ud);
/* Report an event from outside the loop (the host's OUTPUT, for example). */
void loop_emit(loop *l, loop_event_kind kind, loop_obj *subject, loop_val val, const char *text);

double loop_time(const loop *l);            /* loop.time() */
uint64_t loop_iteration(const loop *l);
void loop_set_step_limit(loop *l, uint64_t max_handles);   /* 0: none */

/* Error slot. */
void loop_set_error(loop *l, loop_error_kind kind, const char *msg);
void loop_set_error_val(loop *l, loop_val exc);
loop_val loop_take_error(loop *l);          /* the pending exception (NULL if none), cleared */

/* Running. run_until_complete takes a future (the host wraps a coroutine with
 * loop_task_new first). LOOP_ERROR carries "This event loop is already running",
 * "Event loop is closed", "Event loop stopped before Future completed.", or the
 * KeyboardInterrupt/SystemExit that escaped a callback. */
loop_status loop_run_forever(loop *l);
loop_status loop_run_until_complete(loop *l, loop_future *f);  /* LOOP_OK: f is done; take
                                                               * its result with loop_future_result */
loop_status loop_run_once(loop *l);         /* one _run_once iteration (the viewer, tests) */
void loop_stop(loop *l);
int loop_close(loop *l);                    /* -1: "Cannot close a running event loop" */
bool loop_is_running(const loop *l);
bool loop_is_closed(const loop *l);
void loop_set_debug(loop *l, bool on);
bool loop_get_debug(const loop *l);

/* After LOOP_DEADLOCK: the pending tasks, each with the future it awaits (or NULL). */
size_t loop_pending_tasks(loop *l, loop_task **out, size_t max);

/* GC support. */
typedef struct loop_tracer {
    void *ud;
    void (*val)(void *ud, loop_val v);
    void (*obj)(void *ud, loop_obj *o);
} loop_tracer;
void loop_trace_roots(loop *l, const loop_tracer *t);
void loop_obj_trace(loop_obj *o, const loop_tracer *t);
void loop_obj_finalize(loop_obj *o);        /* free malloc'd parts; the host frees the object */
void loop_pin(loop *l, loop_obj *o);
void loop_unpin(loop *l, size_t n);         /* drop the n most recent pins */

/* ---- handles ---------------------------------------------------------------------- */

/* A callback: a C function with the object and values it acts on. The loop's own
 * callbacks (task wakeup, gather's child-done) and the host's trampoline (which
 * calls a Python callable `val` with the argument tuple `val2` in context `ctx`)
 * are both of this shape. `fn` returns 0, or -1 to abort the loop run with the
 * exception in the error slot (only for KeyboardInterrupt / SystemExit). */
typedef int (*loop_cb)(loop *l, loop_handle *h);

typedef struct loop_callback {
    loop_cb fn;
    loop_obj *obj;      /* traced */
    loop_val val;       /* traced */
    loop_val val2;      /* traced */
    loop_val ctx;       /* contextvars.Context or NULL; traced */
} loop_callback;

struct loop_handle {
    loop_obj hdr;
    loop_callback cb;
    loop_obj *arg;      /* for a done-callback: the future that finished */
    double when;        /* TimerHandle.when() */
    bool is_timer;
    bool cancelled;
    bool scheduled;     /* a timer still in the heap */
    bool threadsafe;
};

loop_handle *loop_call_soon(loop *l, const loop_callback *cb);
loop_handle *loop_call_soon_threadsafe(loop *l, const loop_callback *cb);
loop_handle *loop_call_later(loop *l, double delay, const loop_callback *cb);
loop_handle *loop_call_at(loop *l, double when, const loop_callback *cb);
void loop_handle_cancel(loop *l, loop_handle *h);    /* Handle.cancel / TimerHandle.cancel */
size_t loop_ready_count(const loop *l);
/* Snapshots for the viewer: the ready queue in order, the timer heap in heap order. */
size_t loop_ready_snapshot(const loop *l, loop_handle **out, size_t max);
size_t loop_timer_snapshot(const loop *l, loop_handle **out, size_t max);

/* ---- futures ---------------------------------------------------------------------- */

typedef enum loop_fstate { LOOP_PENDING, LOOP_FINISHED, LOOP_CANCELLED } loop_fstate;

struct loop_future {
    loop_obj hdr;
    loop_fstate state;
    bool blocking;               /* _asyncio_future_blocking */
    bool log_traceback;          /* exception set and never retrieved */
    loop_val result;
    loop_val exception;
    loop_val cancel_msg;         /* NULL: None */
    loop_val cancelled_exc;      /* the CancelledError that cancelled it, for chaining */
    loop_callback *callbacks;    /* done-callbacks in registration order: &cb1 until a
                                  * second one comes, then a malloc'd array */
    size_t ncallbacks, capcallbacks;
    loop_callback cb1;           /* room for the first (most futures get just one) */
};

loop_future *loop_future_new(loop *l);
bool loop_future_done(const loop_future *f);
bool loop_future_cancelled(const loop_future *f);
/* Future.result(): 0 with *out; -1 with the error set (its exception, a CancelledError,
 * or InvalidStateError('Result is not ready.')). */
int loop_future_result(loop *l, loop_future *f, loop_val *out);
/* Future.exception(): 0 with *out (the exception or None); -1 as result(). */
int loop_future_exception(loop *l, loop_future *f, loop_val *out);
int loop_future_set_result(loop *l, loop_future *f, loop_val v);    /* -1: InvalidStateError */
int loop_future_set_exception(loop *l, loop_future *f, loop_val exc);
bool loop_future_cancel(loop *l, loop_future *f, loop_val msg);     /* msg NULL: None */
/* add_done_callback: scheduled at once with call_soon if already done. */
void loop_future_add_callback(loop *l, loop_future *f, const loop_callback *cb);
/* remove_done_callback: removes every callback with this fn, obj and a val equal
 * (host->eq) to val; returns how many. */
size_t loop_future_remove_callback(loop *l, loop_future *f, loop_cb fn, loop_obj *obj, loop_val val);
/* The CancelledError to raise for a cancelled future (carries its message). */
loop_val loop_future_cancelled_error(loop *l, loop_future *f);

/* ---- tasks ------------------------------------------------------------------------ */

struct loop_task {
    loop_future fut;             /* a task is a future */
    loop_val coro;
    loop_val name;
    loop_val ctx;
    loop_future *fut_waiter;     /* what the task awaits */
    bool must_cancel;
    int num_cancels_requested;   /* cancelling() */
    uint64_t number;             /* creation order within the loop */
};

/* create_task: schedules the first step with call_soon. name NULL: "Task-N".
 * NULL with RuntimeError("Event loop is closed") if the loop is closed. */
loop_task *loop_task_new(loop *l, loop_val coro, loop_val name, loop_val ctx);
bool loop_task_cancel(loop *l, loop_task *t, loop_val msg);
int loop_task_cancelling(const loop_task *t);
int loop_task_uncancel(loop *l, loop_task *t);
loop_task *loop_current_task(const loop *l);
bool loop_is_task(const loop_future *f);
/* all_tasks(): pending tasks in creation order. */
size_t loop_all_tasks(loop *l, loop_task **out, size_t max);

/* ---- native coroutines --------------------------------------------------------------
 * The loop's own `async def`s (sleep, wait_for, wait, Lock.acquire, Queue.get, ...)
 * are state machines with this shape; the host wraps them as coroutine objects and
 * its `resume` sends to them with loop_ncoro_resume. */
typedef struct loop_ncoro loop_ncoro;
typedef loop_resume (*loop_ncoro_fn)(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out);
struct loop_ncoro {
    loop_obj hdr;
    loop_ncoro_fn step;
    const char *name;           /* "sleep", "wait_for": the coroutine's __qualname__ */
    int state;                  /* 0 before the first send; -1 when finished */
    loop_obj *objs[4];          /* traced */
    loop_val vals[4];           /* traced */
    double num[2];
    int ival[2];
};
/* Resuming: a step function receives (value, NULL) for send or (NULL-or-value, exc) for
 * throw; exc == LOOP_GEN_EXIT is coro.close(): run the cleanup (finally blocks) and
 * return. loop_ncoro_resume sets state = -1 when the coroutine returns or raises;
 * throwing into a coroutine that has not started raises at once without calling step. */
extern const char loop__gen_exit_tag[];
#define LOOP_GEN_EXIT ((loop_val)loop__gen_exit_tag)
loop_resume loop_ncoro_resume(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out);
void loop_ncoro_close(loop *l, loop_ncoro *c);

/* ---- asyncio functions (tasks.py) -------------------------------------------------- */

loop_ncoro *loop_sleep(loop *l, double delay, loop_val result);          /* asyncio.sleep */
/* gather(*aws, return_exceptions=): the outer future (its cancel() cancels children). */
loop_future *loop_gather(loop *l, size_t n, const loop_val *aws, bool return_exceptions);
/* 1: fn is shield's _inner_done_callback, 2: its _outer_done_callback, else 0 */
int loop_shield_callback_kind(loop_cb fn);
/* fn is _chain_future's _call_check_cancel (for reprs) */
bool loop_chain_is_check_cancel(loop_cb fn);
/* fn is tasks._release_waiter (a timer or a done-callback of wait/wait_for; for reprs) */
bool loop_is_release_waiter(loop_cb fn);
loop_future *loop_shield(loop *l, loop_val aw);
/* wait_for(aw, timeout): timeout < 0 means None, so the host passes 0 for a negative
 * timeout (CPython treats every timeout <= 0 alike). */
loop_ncoro *loop_wait_for(loop *l, loop_val aw, double timeout);
typedef enum loop_return_when { LOOP_FIRST_COMPLETED, LOOP_FIRST_EXCEPTION, LOOP_ALL_COMPLETED } loop_return_when;
/* wait(fs, timeout=, return_when=): returns (done, pending) as a host tuple of sets.
 * The checks (empty fs, a coroutine in fs) raise when the coroutine starts, as in
 * CPython; the host checks that fs itself is not a future or coroutine. timeout < 0: None. */
loop_ncoro *loop_wait(loop *l, size_t n, const loop_val *fs, double timeout, loop_return_when rw);
/* as_completed(fs, timeout=): a generator; each next gives a coroutine, NULL when exhausted
 * (or, with the loop's error slot set, when its setup raised: the first next() runs it). */
loop_obj *loop_as_completed(loop *l, size_t n, const loop_val *fs, double timeout);
loop_ncoro *loop_as_completed_next(loop *l, loop_obj *ac);

/* ---- sync primitives (locks.py, queues.py) ------------------------------------------ */

loop_obj *loop_lock_new(loop *l);
loop_ncoro *loop_lock_acquire(loop *l, loop_obj *lock);
int loop_lock_release(loop *l, loop_obj *lock);         /* -1: RuntimeError('Lock is not acquired.') */
bool loop_lock_locked(const loop_obj *lock);

loop_obj *loop_event_new(loop *l);
loop_ncoro *loop_event_wait(loop *l, loop_obj *ev);
void loop_event_set(loop *l, loop_obj *ev);
void loop_event_clear(loop *l, loop_obj *ev);
bool loop_event_is_set(const loop_obj *ev);

loop_obj *loop_condition_new(loop *l, loop_obj *lock);  /* lock NULL: a new Lock */
loop_ncoro *loop_condition_wait(loop *l, loop_obj *cond);
loop_ncoro *loop_condition_wait_for(loop *l, loop_obj *cond, loop_val predicate);
int loop_condition_notify(loop *l, loop_obj *cond, size_t n);   /* -1: 'cannot notify on un-acquired lock';
                                                                 * notify_all() is n = SIZE_MAX */
loop_obj *loop_condition_lock(loop_obj *cond);

loop_obj *loop_semaphore_new(loop *l, int64_t value, bool bounded); /* NULL+ValueError if value < 0 */
loop_ncoro *loop_semaphore_acquire(loop *l, loop_obj *sem);
int loop_semaphore_release(loop *l, loop_obj *sem);     /* -1: ValueError('BoundedSemaphore released too many times') */
bool loop_semaphore_locked(const loop_obj *sem);
int64_t loop_semaphore_value(const loop_obj *sem);

typedef enum loop_queue_kind { LOOP_QUEUE_FIFO, LOOP_QUEUE_LIFO, LOOP_QUEUE_PRIORITY } loop_queue_kind;
loop_obj *loop_queue_new(loop *l, loop_queue_kind kind, int64_t maxsize);
loop_ncoro *loop_queue_put(loop *l, loop_obj *q, loop_val item);
loop_ncoro *loop_queue_get(loop *l, loop_obj *q);
int loop_queue_put_nowait(loop *l, loop_obj *q, loop_val item);     /* -1: QueueFull */
int loop_queue_get_nowait(loop *l, loop_obj *q, loop_val *out);     /* -1: QueueEmpty */
int loop_queue_task_done(loop *l, loop_obj *q);   /* -1: ValueError('task_done() called too many times') */
loop_ncoro *loop_queue_join(loop *l, loop_obj *q);
size_t loop_queue_size(const loop_obj *q);
int64_t loop_queue_maxsize(const loop_obj *q);
/* What Queue._format shows: the items in list(self._queue) order, len(_getters),
 * len(_putters), _unfinished_tasks. */
typedef struct loop_queue_state {
    const loop_val *items;
    size_t n, ngetters, nputters;
    int64_t unfinished;
} loop_queue_state;
void loop_queue_info(const loop_obj *q, loop_queue_state *s);
/* len(self._waiters) of a Lock, Event, Condition, Semaphore (0 when None). */
size_t loop_lock_nwaiters(const loop_obj *lock);
size_t loop_event_nwaiters(const loop_obj *ev);
size_t loop_condition_nwaiters(const loop_obj *cond);
size_t loop_semaphore_nwaiters(const loop_obj *sem);

/* ---- TaskGroup, timeout (taskgroups.py, timeouts.py) --------------------------------- */

loop_obj *loop_taskgroup_new(loop *l);
loop_ncoro *loop_taskgroup_enter(loop *l, loop_obj *tg);
loop_ncoro *loop_taskgroup_exit(loop *l, loop_obj *tg, loop_val exc /* NULL: none */);
loop_task *loop_taskgroup_create_task(loop *l, loop_obj *tg, loop_val coro, loop_val name, loop_val ctx);
void loop_taskgroup_repr(const loop_obj *tg, char *buf, size_t cap);   /* TaskGroup.__repr__ */

/* Timeout deadlines are absolute loop times, which may be negative (timeout(-1) at
 * t=0); None is NAN. */
loop_obj *loop_timeout_new(loop *l, double when /* NAN: None */);
int loop_timeout_enter(loop *l, loop_obj *tm);
/* __aexit__: 0 and *swallow=false normally; -1 with TimeoutError set when it fired. */
int loop_timeout_exit(loop *l, loop_obj *tm, loop_val exc, bool *swallow);
int loop_timeout_reschedule(loop *l, loop_obj *tm, double when);
double loop_timeout_when(const loop_obj *tm);           /* NAN: None */
const char *loop_timeout_state_name(const loop_obj *tm);   /* _state.value: "created", "active", ... */
bool loop_timeout_expired(const loop_obj *tm);

/* ---- executors and virtual threads ------------------------------------------------- */

/* concurrent.futures.Future: callbacks run at once, in the completing thread. */
typedef struct loop_cfuture loop_cfuture;
loop_obj *loop_executor_new(loop *l, int max_workers);   /* <=0: min(32, 4 + 4) */
/* submit(job): the job (a host resumable, see host->resume) starts at once on a free
 * worker and runs until it sleeps or ends; else it queues. NULL: RuntimeError after shutdown. */
loop_cfuture *loop_executor_submit(loop *l, loop_obj *ex, loop_val job);
/* shutdown(wait=, cancel_futures=): with wait, the loop thread advances the clock
 * running due threads until the executor's workers are done. */
void loop_executor_shutdown(loop *l, loop_obj *ex, bool wait, bool cancel_futures);
/* run_in_executor(executor or NULL for the default, job): wrap_future(submit(...)). */
loop_future *loop_run_in_executor(loop *l, loop_obj *ex, loop_val job);
loop_future *loop_wrap_cfuture(loop *l, loop_cfuture *cf);
loop_ncoro *loop_shutdown_default_executor(loop *l);
void loop_set_default_executor(loop *l, loop_obj *ex);
/* time.sleep(d): on the loop thread the clock jumps by d, running due threads first;
 * on a virtual thread the host's resume returns LOOP_SLEPT instead. */
void loop_block_sleep(loop *l, double d);
loop_obj *loop_current_thread(const loop *l);   /* NULL on the loop thread */
/* concurrent future access, for the host's wrappers. */
bool loop_cfuture_done(const loop_cfuture *cf);
int loop_cfuture_result(loop *l, loop_cfuture *cf, loop_val *out);
bool loop_cfuture_cancel(loop *l, loop_cfuture *cf);
bool loop_cfuture_cancelled(const loop_cfuture *cf);
/* concurrent.futures.Future() made by the program, and its "internal" methods. */
loop_cfuture *loop_cfuture_new(loop *l);
bool loop_cfuture_set_running_or_notify_cancel(loop *l, loop_cfuture *cf);
int loop_cfuture_set_result(loop *l, loop_cfuture *cf, loop_val v);     /* -1: InvalidStateError */
int loop_cfuture_set_exception(loop *l, loop_cfuture *cf, loop_val exc);
/* Future.exception() of a done concurrent future: 0 with *out (None if none). */
int loop_cfuture_exception(loop *l, loop_cfuture *cf, loop_val *out);
/* asyncio.run_coroutine_threadsafe(coro, loop): schedules ensure_future(coro) with
 * call_soon_threadsafe; the task's outcome completes the concurrent future. */
loop_cfuture *loop_run_coroutine_threadsafe(loop *l, loop_val coro);
/* add_done_callback: the callback runs at once, in the completing thread, with
 * h->arg = the concurrent future (a handle that lives only for the call). */
void loop_cfuture_add_callback(loop *l, loop_cfuture *cf, const loop_callback *cb);

#endif
