/* asyncio_int.h — internals of the asyncio binding (asyncio_*.c, mod_asyncio.c,
 * mod_concurrent.c): the state shared by the loop_host implementation, the native
 * types and the modules. Prefix `aio_`.
 *
 * Object model. Every loop object (loop.h) is allocated by the host as a sim object
 * of the native type for its kind (Future, Task, Handle, coroutine, Lock, ...): the
 * loop object sits right after the sim_obj header, so the wrapper of a loop object
 * *is* the object (AIO_OBJ / AIO_LOBJ convert) and no allocation happens per wrap.
 * The type's trace hook calls loop_obj_trace; kinds owning malloc'd memory have a
 * finalize hook calling loop_obj_finalize (the others stay on the VM's cheap
 * small-object path). A task has one more slot: its coroutine's code object.
 * Hashes are the objects' loop numbers, so sets of tasks iterate alike every run.
 *
 * Event loops. A Python event loop is an aio_loopobj holding one `loop`. Every loop
 * ever made is kept in the state (its roots traced at every collection) until the VM
 * is freed: loops are few, and a loop's objects refer to it.
 *
 * Clock. One virtual clock (vref.py's CLOCK): the clock of the loop used last; a
 * loop that starts running is first brought forward to it.
 *
 * Threads. An executor job is a VM job (vm_thread.c): a call on its own C stack and
 * thread state that time.sleep suspends; host->resume runs it until it sleeps or ends.
 *
 * Deadlock. loop_run_* returning LOOP_DEADLOCK raises DeadlockError (a BaseException,
 * like vref.py's) at the run_until_complete call site, so finally blocks and the
 * Runner's cleanup run; at the top level sim__asyncio_uncaught prints the pending
 * tasks and vref.py's line, status 3. At exit sim__asyncio_at_exit does what
 * CPython's final collection does: closes pending tasks nobody schedules and logs
 * exceptions never retrieved.
 */
#ifndef SIM_ASYNCIO_INT_H
#define SIM_ASYNCIO_INT_H

#include "loop.h"
#include "vm.h"

#define AIO_LOBJ(o) ((loop_obj *)((char *)(o) + sizeof(sim_obj)))
#define AIO_OBJ(lo) ((sim_obj *)((char *)(lo) - sizeof(sim_obj)))

/* loop_obj.flags bits (the host's): a TimerHandle whose `when` was given as an int
 * (call_at(5, ...): CPython keeps and shows the int). */
#define AIO_F_INT_WHEN 0x1

/* Where CPython's own asyncio files are (reprs of callbacks that live there). */
#define AIO_PYLIB "/root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/"

typedef struct aio_state aio_state;

/* The Python event loop object. */
typedef struct aio_loopobj {
    sim_obj hdr;
    loop *l;
    aio_state *st;
    sim_obj *task_factory;      /* NULL: None */
    sim_obj *exc_handler;       /* NULL: None */
    sim_obj *default_executor;  /* the executor object set by set_default_executor */
    bool asyncgens_shutdown;
    sim_obj *asyncgens;         /* list: async generators first iterated while it ran */
    sim_obj *firstiter_hook;    /* its _asyncgen_firstiter_hook (bound native) */
} aio_loopobj;

struct aio_state {
    sim_vm *vm;
    loop_host host;
    loop_tracer tracer;             /* marks for the VM's collector (aio_tracer) */
    sim_obj *sentinel;              /* rooted; its finalizer frees the state */
    sim_type *kt[LOOP_K__COUNT];    /* the native type of each loop kind */
    sim_type *t_timerhandle, *t_loop, *t_cfuture, *t_runner, *t_ascompleted_it;
    sim_type *t_tg, *t_timeout, *t_lockcm, *t_bounded, *t_lifo, *t_prio, *t_tothread, *t_gathering;
    /* exception classes */
    sim_type *e_cancelled, *e_invalid, *e_qempty, *e_qfull, *e_deadlock;
    sim_type *e_cf_cancelled, *e_broken, *e_cf_error;
    /* event loops */
    aio_loopobj **loops;
    size_t nloops, caploops;
    aio_loopobj *running;           /* the running loop of the main thread */
    aio_loopobj *event_loop;        /* the policy's loop (set_event_loop) */
    bool set_called;                /* the policy's _set_called (3.11.7) */
    aio_loopobj *clock_loop;        /* the loop whose clock is the clock */
    aio_loopobj *hidden;            /* primitives made while no loop runs */
    double clock;                   /* the clock when no loop was made yet */
    uint64_t task_counter;          /* "Task-N" across loops */
    char *deadlock_info;            /* pending tasks at the last deadlock (malloc'd) */
    sim_obj *mod_asyncio, *mod_cf;
    sim_obj *failed;                /* list: futures given an exception (kept for the
                                     * "never retrieved" log at exit, see at_exit) */
};

/* asyncio_host.c */
aio_state *aio_state_get(sim_vm *vm);              /* created at the first import */
const loop_tracer *aio_tracer(sim_vm *vm);
int aio_trampoline(loop *l, loop_handle *h);       /* calls a Python callable */
loop_resume aio_resume(void *ud, loop_val coro, loop_val value, loop_val exc,
                       loop_val *out, double *sleep_for);
void aio_default_report(aio_state *st, aio_loopobj *lo, sim_obj *context);
sim_obj *aio_raise_loop_error(aio_state *st, loop *l);   /* loop error -> raised; NULL */
aio_loopobj *aio_loopobj_of(aio_state *st, loop *l);
void aio_sync_clock(aio_state *st, aio_loopobj *lo);
sim_obj **aio_task_code_slot(loop_task *t);
void aio_report_unretrieved(sim_vm *vm, aio_state *st);
void aio_note_failed(aio_state *st, sim_obj *fut);
sim_obj *aio_job_new(aio_state *st, sim_obj *fn, sim_obj **args, int nargs, sim_obj *kwnames);

/* asyncio_loop.c */
void aio_loop_type_init(aio_state *st);
loop_obj *aio_executor_of(aio_state *st, sim_obj *o);

/* asyncio_types.c */
sim_obj *aio_ncoro_or_raise(aio_state *st, loop *l, loop_ncoro *c);
sim_obj *aio_new_future(aio_state *st, aio_loopobj *lo);
sim_obj *aio_done_coro(aio_state *st, sim_obj *value);
void aio_types_init(aio_state *st);
aio_loopobj *aio_loop_new(aio_state *st);
sim_obj *aio_loop_create_task(aio_state *st, aio_loopobj *lo, sim_obj *coro);
sim_obj *aio_create_task(aio_state *st, aio_loopobj *lo, sim_obj *coro, sim_obj *name, sim_obj *ctx);
loop_future *aio_as_future(aio_state *st, sim_obj *o);
bool aio_is_coroutine(aio_state *st, sim_obj *o);
/* run_until_complete(fut) on lo, with the deadlock turned into an exception. */
sim_obj *aio_run_until_complete(aio_state *st, aio_loopobj *lo, sim_obj *aw);
aio_loopobj *aio_get_running(aio_state *st);
aio_loopobj *aio_loop_for_new(aio_state *st);      /* running or the policy's loop */
double aio_timeout_arg(sim_vm *vm, sim_obj *o, bool *ok);  /* None -> -1 */

sim_obj *aio_wrap_awaitable(aio_state *st, sim_obj *o);
sim_obj *aio_await_none(aio_state *st, sim_obj *aw);
sim_obj *aio_shutdown_asyncgens(aio_state *st, aio_loopobj *lo);
sim_obj *aio_lazy_call(aio_state *st, const char *name, sim_obj *fn, sim_obj **args, int n, sim_obj *kwnames);

/* asyncio_sync.c, mod_concurrent.c */
sim_obj *aio_timeout_new(aio_state *st, sim_obj *arg, bool absolute);
void aio_sync_subtypes(aio_state *st);
sim_obj *aio_to_thread_new(aio_state *st, sim_obj *job);

/* asyncio_repr.c */
sim_obj *aio_future_repr(aio_state *st, loop_future *f);
sim_obj *aio_handle_repr(aio_state *st, loop_handle *h);
sim_obj *aio_coro_repr(aio_state *st, sim_obj *coro);
int aio_format_callback(aio_state *st, pyfmt_buf *b, const loop_callback *cb);
void aio_describe_pending(aio_state *st, loop *l);
sim_obj *aio_callback_message(aio_state *st, loop_handle *h);

/* mod_asyncio.c / mod_concurrent.c */
int sim__mod_asyncio_init(sim_vm *vm, sim_obj *m);
int sim__mod_concurrent_init(sim_vm *vm, sim_obj *m);
int sim__mod_cf_init(sim_vm *vm, sim_obj *m);
/* At the top level: a deadlock's exit (status 3), else false. */
bool sim__asyncio_uncaught(sim_vm *vm, sim_obj *exc, int *status);
/* When the program ends: what CPython's final collection does to asyncio objects. */
void sim__asyncio_at_exit(sim_vm *vm);

/* small helpers */
sim_obj *aio_kwarg(sim_obj **args, int nargs, sim_obj *kwnames, const char *name);
int aio_check_kw(sim_vm *vm, const char *fname, sim_obj *kwnames, const char *const *allowed);

#endif
