/* mod_asyncio.c — the asyncio module: run (runners.py's Runner), the event loop
 * policy of 3.11.7 (get_event_loop, new_event_loop, set_event_loop,
 * get_running_loop), the functions of tasks.py (create_task, ensure_future, gather,
 * wait, wait_for, as_completed, shield, sleep, current_task, all_tasks),
 * to_thread, run_coroutine_threadsafe, wrap_future, and the classes. Also the
 * top-level report of a deadlock (exit status 3). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio_int.h"
#include "code.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define ST ((aio_state *)vm->asyncio)


static aio_loopobj *running_or_raise(aio_state *st)
{
    aio_loopobj *lo = aio_get_running(st);
    if (!lo)
        sim_raise_msg(st->vm, SIM_E_RuntimeError, "no running event loop");
    return lo;
}

/* ---- the policy (events.py, 3.11.7) ------------------------------------------------------- */

/* BaseDefaultEventLoopPolicy.get_event_loop: a loop is made (with a
 * DeprecationWarning) only if set_event_loop was never called. */
static aio_loopobj *policy_get_event_loop(aio_state *st)
{
    if (!st->event_loop && !st->set_called && !sim_in_job(st->vm)) {
        st->event_loop = aio_loop_new(st);
        st->set_called = true;
    }
    if (!st->event_loop) {
        sim_raise_msg(st->vm, SIM_E_RuntimeError, "There is no current event loop in thread '%s'.",
                      sim_in_job(st->vm) ? "asyncio_0" : "MainThread");
        return NULL;
    }
    return st->event_loop;
}

FN(a_get_event_loop)
{
    aio_loopobj *lo = aio_get_running(ST);
    if (!lo)
        lo = policy_get_event_loop(ST);
    return lo ? &lo->hdr : NULL;
}

FN(a_get_running_loop)
{
    aio_loopobj *lo = running_or_raise(ST);
    return lo ? &lo->hdr : NULL;
}

FN(a__get_running_loop)
{
    aio_loopobj *lo = aio_get_running(ST);
    return lo ? &lo->hdr : vm->none;
}

FN(a_new_event_loop) { return &aio_loop_new(ST)->hdr; }

FN(a_set_event_loop)
{
    if (sim_check_nargs(vm, "set_event_loop", nargs, 1, 1) < 0)
        return NULL;
    aio_state *st = ST;
    if (args[0] != vm->none && args[0]->type != st->t_loop)
        return sim_raise_msg(vm, SIM_E_TypeError, "loop must be an instance of AbstractEventLoop or None, not '%s'",
                             sim_type_name(args[0]));
    st->set_called = true;
    st->event_loop = args[0] == vm->none ? NULL : (aio_loopobj *)args[0];
    return vm->none;
}

/* ---- run (runners.py) ---------------------------------------------------------------------- */

/* runners._cancel_all_tasks */
static sim_obj *cancel_all_tasks(aio_state *st, aio_loopobj *lo)
{
    sim_vm *vm = st->vm;
    loop_task *buf[256];
    size_t n = loop_all_tasks(lo->l, buf, 256);
    if (n == 0)
        return vm->none;
    if (n > 256)
        n = 256;
    sim_obj *lst = sim_list_new(vm, 0, NULL);
    sim_push(vm, lst);
    for (size_t i = 0; i < n; i++)
        sim_list_append(vm, lst, AIO_OBJ(buf[i]));
    for (size_t i = 0; i < n; i++)
        loop_task_cancel(lo->l, (loop_task *)AIO_LOBJ(SIM_LIST(lst)->items[i]), NULL);
    loop_future *g = loop_gather(lo->l, n, (const loop_val *)SIM_LIST(lst)->items, true);
    if (!g) {
        sim_pop(vm, 1);
        return aio_raise_loop_error(st, lo->l);
    }
    sim_obj *r = aio_run_until_complete(st, lo, AIO_OBJ(g));
    if (!r) {
        sim_pop(vm, 1);
        return NULL;
    }
    for (size_t i = 0; i < SIM_LIST(lst)->len; i++) {
        loop_future *t = (loop_future *)AIO_LOBJ(SIM_LIST(lst)->items[i]);
        if (loop_future_cancelled(t) || !t->exception)
            continue;
        sim_obj *ctx = sim_dict_new(vm);
        sim_push(vm, ctx);
        sim_obj *m = sim_str_cstr(vm, "unhandled exception during asyncio.run() shutdown");
        sim_push(vm, m);
        sim_dict_setstr(vm, ctx, "message", m);
        sim_pop(vm, 1);
        sim_dict_setstr(vm, ctx, "exception", t->exception);
        sim_dict_setstr(vm, ctx, "task", AIO_OBJ(t));
        t->log_traceback = false;
        sim_obj *a[2] = {&lo->hdr, ctx};
        sim_obj *rr = sim_call_method(vm, &lo->hdr, "call_exception_handler", a + 1, 1);
        sim_pop(vm, 1);
        if (!rr) {
            sim_pop(vm, 1);
            return NULL;
        }
    }
    sim_pop(vm, 1);
    return vm->none;
}

/* Runner.close: cancel the tasks left, shutdown_asyncgens, shutdown_default_executor,
 * then (finally) unset the policy's loop and close it. */
static sim_obj *runner_close(aio_state *st, aio_loopobj *lo, bool unset_policy)
{
    sim_vm *vm = st->vm;
    sim_obj *r = cancel_all_tasks(st, lo);
    if (r) {
        sim_obj *c = aio_shutdown_asyncgens(st, lo);
        r = c ? aio_run_until_complete(st, lo, c) : NULL;
    }
    if (r) {
        loop_ncoro *c = loop_shutdown_default_executor(lo->l);
        r = c ? aio_run_until_complete(st, lo, AIO_OBJ(c)) : aio_raise_loop_error(st, lo->l);
    }
    sim_obj *exc = r ? NULL : sim_exc_fetch(vm);
    sim_push(vm, exc);
    if (unset_policy) {
        st->event_loop = NULL;
        st->set_called = true;
    }
    loop_close(lo->l);
    loop_take_error(lo->l);
    sim_pop(vm, 1);
    if (exc)
        return sim_raise(vm, exc);
    return vm->none;
}

FN(a_run)
{
    static const char *const names[] = {"main", "debug", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "run", args, nargs, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    if (aio_get_running(st))
        return sim_raise_msg(vm, SIM_E_RuntimeError, "asyncio.run() cannot be called from a running event loop");
    aio_loopobj *lo = aio_loop_new(st);
    sim_push(vm, &lo->hdr);
    st->event_loop = lo;
    st->set_called = true;
    if (a[1] && a[1] != vm->none) {
        int t = sim_truthy(vm, a[1]);
        loop_set_debug(lo->l, t > 0);
    }
    sim_obj *r;
    if (!aio_is_coroutine(st, a[0])) {
        sim_obj *rp = sim_repr(vm, a[0]);
        r = rp ? sim_raise_msg(vm, SIM_E_ValueError, "a coroutine was expected, got %s", SIM_CSTR(rp)) : NULL;
    } else {
        sim_obj *t = aio_create_task(st, lo, a[0], NULL, NULL);
        r = t ? aio_run_until_complete(st, lo, t) : NULL;
    }
    sim_obj *exc = r ? NULL : sim_exc_fetch(vm);
    sim_push(vm, exc);
    sim_push(vm, r);
    sim_obj *c = runner_close(st, lo, true);
    sim_pop(vm, 3);
    if (!c) {
        if (exc)
            sim__set_context(vm, vm->ts->exc, exc);
        return NULL;
    }
    if (exc)
        return sim_raise(vm, exc);
    return r;
}

/* ---- asyncio.Runner --------------------------------------------------------------------------- */

typedef struct aio_runner {
    sim_obj hdr;
    sim_obj *loop;              /* aio_loopobj once initialized */
    sim_obj *debug, *factory;
    int state;                  /* 0 created, 1 initialized, 2 closed */
    bool set_event_loop;
} aio_runner;

static void runner_trace(sim_vm *vm, sim_obj *self)
{
    aio_runner *r = (aio_runner *)self;
    sim_mark(vm, r->loop);
    sim_mark(vm, r->debug);
    sim_mark(vm, r->factory);
}

/* Runner._lazy_init */
static aio_loopobj *runner_init(aio_state *st, aio_runner *r)
{
    sim_vm *vm = st->vm;
    if (r->state == 2) {
        sim_raise_msg(vm, SIM_E_RuntimeError, "Runner is closed");
        return NULL;
    }
    if (r->state == 1)
        return (aio_loopobj *)r->loop;
    if (r->factory && r->factory != vm->none) {
        sim_obj *l = sim_call0(vm, r->factory);
        if (!l)
            return NULL;
        if (l->type != st->t_loop) {
            sim_raise_msg(vm, SIM_E_TypeError, "loop_factory must return an event loop");
            return NULL;
        }
        r->loop = l;
    } else {
        aio_loopobj *lo = aio_loop_new(st);
        r->loop = &lo->hdr;
        if (!r->set_event_loop) {
            st->event_loop = lo;
            st->set_called = true;
            r->set_event_loop = true;
        }
    }
    if (r->debug && r->debug != vm->none) {
        int t = sim_truthy(vm, r->debug);
        loop_set_debug(((aio_loopobj *)r->loop)->l, t > 0);
    }
    r->state = 1;
    return (aio_loopobj *)r->loop;
}

FN(runner_new)
{
    static const char *const names[] = {"debug", "loop_factory", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "Runner", args + 1, nargs - 1, kwnames, 0, 0, names, a) < 0)
        return NULL;
    aio_runner *r = (aio_runner *)sim_cobj_new(vm, ST->t_runner);
    r->debug = a[0];
    r->factory = a[1];
    return &r->hdr;
}

FN(runner_enter)
{
    if (!runner_init(ST, (aio_runner *)args[0]))
        return NULL;
    return args[0];
}

static sim_obj *runner_do_close(aio_state *st, aio_runner *r)
{
    sim_vm *vm = st->vm;
    if (r->state != 1)
        return vm->none;
    aio_loopobj *lo = (aio_loopobj *)r->loop;
    bool set = r->set_event_loop;
    sim_obj *res = runner_close(st, lo, set);
    r->loop = NULL;
    r->state = 2;
    return res;
}

FN(runner_close_m) { return runner_do_close(ST, (aio_runner *)args[0]); }

FN(runner_exit)
{
    if (!runner_do_close(ST, (aio_runner *)args[0]))
        return NULL;
    return vm->false_;
}

FN(runner_get_loop)
{
    aio_loopobj *lo = runner_init(ST, (aio_runner *)args[0]);
    return lo ? &lo->hdr : NULL;
}

FN(runner_run)
{
    static const char *const names[] = {"coro", "context", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "run", args + 1, nargs - 1, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    if (!aio_is_coroutine(st, a[0])) {
        sim_obj *rp = sim_repr(vm, a[0]);
        return rp ? sim_raise_msg(vm, SIM_E_ValueError, "a coroutine was expected, got %s", SIM_CSTR(rp)) : NULL;
    }
    if (aio_get_running(st))
        return sim_raise_msg(vm, SIM_E_RuntimeError, "Runner.run() cannot be called from a running event loop");
    aio_loopobj *lo = runner_init(st, (aio_runner *)args[0]);
    if (!lo)
        return NULL;
    sim_obj *t = aio_loop_create_task(st, lo, a[0]);
    if (!t)
        return NULL;
    return aio_run_until_complete(st, lo, t);
}

static const sim_method_def runner_methods[] = {
    {"__new__", runner_new, NULL, SIM_METH_STATIC},
    {"__enter__", runner_enter, NULL, 0},
    {"__exit__", runner_exit, NULL, 0},
    {"close", runner_close_m, NULL, 0},
    {"get_loop", runner_get_loop, NULL, 0},
    {"run", runner_run, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- tasks.py --------------------------------------------------------------------------------- */

FN(a_create_task)
{
    static const char *const names[] = {"coro", "name", "context", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "create_task", args, nargs, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_loopobj *lo = running_or_raise(ST);
    if (!lo) {
        if (a[0] && SIM_KIND(a[0]) == SIM_K_GEN)
            sim_coro_close(vm, a[0]);
        return NULL;
    }
    if (lo->task_factory) {
        sim_obj *m = sim_getattr(vm, &lo->hdr, sim_intern(vm, "create_task"));
        if (!m)
            return NULL;
        sim_push(vm, m);
        sim_obj *r = sim_call(vm, m, args, nargs, kwnames);
        sim_pop(vm, 1);
        return r;
    }
    return aio_create_task(ST, lo, a[0], a[1], a[2]);
}

static sim_obj *ensure_task(aio_state *st, sim_obj *o, aio_loopobj *lo);

/* ensure_future(obj, *, loop=None) */
static sim_obj *ensure_future(aio_state *st, sim_obj *o, aio_loopobj *lo)
{
    sim_vm *vm = st->vm;
    if (aio_as_future(st, o))
        return o;
    if (!aio_is_coroutine(st, o)) {
        o = aio_wrap_awaitable(st, o);
        if (!o)
            return sim_raise_msg(vm, SIM_E_TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
    }
    sim_push(vm, o);
    sim_obj *r = ensure_task(st, o, lo);
    sim_pop(vm, 1);
    return r;
}

static sim_obj *ensure_task(aio_state *st, sim_obj *o, aio_loopobj *lo)
{
    if (!lo)
        lo = aio_loop_for_new(st);
    return aio_loop_create_task(st, lo, o);
}

FN(a_ensure_future)
{
    static const char *const names[] = {"coro_or_future", "loop", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "ensure_future", args, nargs, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_loopobj *lo = a[1] && a[1] != vm->none ? (aio_loopobj *)a[1] : NULL;
    return ensure_future(ST, a[0], lo);
}

FN(a_gather)
{
    static const char *const kw[] = {"return_exceptions", NULL};
    if (aio_check_kw(vm, "gather", kwnames, kw) < 0)
        return NULL;
    aio_state *st = ST;
    sim_obj *re = aio_kwarg(args, nargs, kwnames, "return_exceptions");
    int ret_exc = re ? sim_truthy(vm, re) : 0;
    if (ret_exc < 0)
        return NULL;
    /* the loop: the first future's, else the running one, else the policy's */
    aio_loopobj *lo = NULL;
    for (int i = 0; i < nargs && !lo; i++) {
        loop_future *f = aio_as_future(st, args[i]);
        if (f)
            lo = aio_loopobj_of(st, f->hdr.owner);
    }
    if (!lo)
        lo = aio_get_running(st);
    if (!lo)
        lo = policy_get_event_loop(st);
    if (!lo)
        return NULL;
    loop_future *g = loop_gather(lo->l, (size_t)nargs, (const loop_val *)args, ret_exc);
    if (!g)
        return aio_raise_loop_error(st, lo->l);
    if (g->hdr.subkind == 1)
        AIO_OBJ(g)->type = st->t_gathering;
    return AIO_OBJ(g);
}

/* asyncio.`name`(args) called while no loop runs: as an async def, it looks for
 * the running loop only when it runs (loop.run_until_complete(asyncio.wait(...))). */
static sim_obj *lazy_self(sim_vm *vm, const char *name, sim_obj **args, int nargs, sim_obj *kwnames)
{
    sim_obj *fn = sim_getattr(vm, ST->mod_asyncio, sim_intern(vm, name));
    if (!fn)
        return NULL;
    return aio_lazy_call(ST, name, fn, args, nargs, kwnames);
}

/* The items of an iterable as a list (kept on the temporaries stack by the caller). */
static sim_obj *items_of(sim_vm *vm, sim_obj *it)
{
    return sim_list_of(vm, it);
}

FN(a_wait)
{
    static const char *const names[] = {"fs", "timeout", "return_when", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "wait", args, nargs, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    if (aio_as_future(st, a[0]) || aio_is_coroutine(st, a[0]))
        return sim_raise_msg(vm, SIM_E_TypeError, "expect a list of futures, not %s", sim_type_name(a[0]));
    loop_return_when rw = LOOP_ALL_COMPLETED;
    if (a[2]) {
        const char *s = SIM_IS_STR(a[2]) ? SIM_CSTR(a[2]) : "";
        if (strcmp(s, "FIRST_COMPLETED") == 0)
            rw = LOOP_FIRST_COMPLETED;
        else if (strcmp(s, "FIRST_EXCEPTION") == 0)
            rw = LOOP_FIRST_EXCEPTION;
        else if (strcmp(s, "ALL_COMPLETED") == 0)
            rw = LOOP_ALL_COMPLETED;
        else {
            sim_obj *r = sim_str(vm, a[2]);
            return r ? sim_raise_msg(vm, SIM_E_ValueError, "Invalid return_when value: %s", SIM_CSTR(r)) : NULL;
        }
    }
    bool ok;
    double timeout = aio_timeout_arg(vm, a[1], &ok);
    if (!ok)
        return NULL;
    aio_loopobj *lo = aio_get_running(st);
    if (!lo)
        return lazy_self(vm, "wait", args, nargs, kwnames);
    sim_obj *l = items_of(vm, a[0]);
    if (!l)
        return NULL;
    sim_push(vm, l);
    loop_ncoro *c = loop_wait(lo->l, SIM_LIST(l)->len, (const loop_val *)SIM_LIST(l)->items, timeout, rw);
    sim_pop(vm, 1);
    if (!c)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(c);
}

FN(a_wait_for)
{
    static const char *const names[] = {"fut", "timeout", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "wait_for", args, nargs, kwnames, 2, 2, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    bool ok;
    double timeout = aio_timeout_arg(vm, a[1], &ok);
    if (!ok)
        return NULL;
    aio_loopobj *lo = aio_get_running(st);
    if (!lo)
        return lazy_self(vm, "wait_for", args, nargs, kwnames);
    loop_ncoro *c = loop_wait_for(lo->l, a[0], timeout);
    if (!c)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(c);
}

FN(a_as_completed)
{
    static const char *const names[] = {"fs", "timeout", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "as_completed", args, nargs, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    if (aio_as_future(st, a[0]) || aio_is_coroutine(st, a[0]))
        return sim_raise_msg(vm, SIM_E_TypeError, "expect an iterable of futures, not %s", sim_type_name(a[0]));
    bool ok;
    double timeout = aio_timeout_arg(vm, a[1], &ok);
    if (!ok)
        return NULL;
    aio_loopobj *lo = aio_get_running(st);
    if (!lo)
        lo = policy_get_event_loop(st);
    if (!lo)
        return NULL;
    sim_obj *l = items_of(vm, a[0]);
    if (!l)
        return NULL;
    sim_push(vm, l);
    /* set(fs): duplicates go */
    sim_obj *uniq = sim_list_new(vm, 0, NULL);
    sim_push(vm, uniq);
    for (size_t i = 0; i < SIM_LIST(l)->len; i++) {
        bool dup = false;
        for (size_t k = 0; k < SIM_LIST(uniq)->len; k++)
            if (SIM_LIST(uniq)->items[k] == SIM_LIST(l)->items[i])
                dup = true;
        if (!dup)
            sim_list_append(vm, uniq, SIM_LIST(l)->items[i]);
    }
    loop_obj *ac = loop_as_completed(lo->l, SIM_LIST(uniq)->len, (const loop_val *)SIM_LIST(uniq)->items, timeout);
    sim_pop(vm, 2);
    if (!ac)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(ac);
}

FN(a_shield)
{
    if (sim_check_nargs(vm, "shield", nargs, 1, 1) < 0)
        return NULL;
    aio_state *st = ST;
    if (!aio_as_future(st, args[0]) && !aio_is_coroutine(st, args[0]))
        return sim_raise_msg(vm, SIM_E_TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
    loop_future *f = aio_as_future(st, args[0]);
    aio_loopobj *lo = f ? aio_loopobj_of(st, f->hdr.owner) : aio_loop_for_new(st);
    loop_future *r = loop_shield(lo->l, args[0]);
    if (!r)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(r);
}

FN(a_sleep)
{
    static const char *const names[] = {"delay", "result", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "sleep", args, nargs, kwnames, 1, 2, names, a) < 0)
        return NULL;
    if (!SIM_IS_INT(a[0]) && !SIM_IS_FLOAT(a[0]))
        return sim_raise_msg(vm, SIM_E_TypeError, "'<=' not supported between instances of '%s' and 'int'",
                             sim_type_name(a[0]));
    bool ok;
    double d = sim_obj_as_double(vm, a[0], &ok);
    aio_loopobj *lo = aio_get_running(ST);
    if (!lo) {
        /* sleep is an async def: the running loop is looked up when it runs */
        sim_obj *fn = sim_getattr(vm, ST->mod_asyncio, sim_intern(vm, "sleep"));
        if (!fn)
            return NULL;
        sim_obj *av[2] = {a[0], a[1] ? a[1] : vm->none};
        return aio_lazy_call(ST, "sleep", fn, av, 2, NULL);
    }
    loop_ncoro *c = loop_sleep(lo->l, d, a[1] && a[1] != vm->none ? a[1] : NULL);
    if (!c)
        return aio_raise_loop_error(ST, lo->l);
    return AIO_OBJ(c);
}

FN(a_current_task)
{
    static const char *const names[] = {"loop", NULL};
    sim_obj *a[1];
    if (sim_parse_args(vm, "current_task", args, nargs, kwnames, 0, 1, names, a) < 0)
        return NULL;
    aio_loopobj *lo = a[0] && a[0] != vm->none ? (aio_loopobj *)a[0] : running_or_raise(ST);
    if (!lo)
        return NULL;
    loop_task *t = loop_current_task(lo->l);
    return t ? AIO_OBJ(t) : vm->none;
}

FN(a_all_tasks)
{
    static const char *const names[] = {"loop", NULL};
    sim_obj *a[1];
    if (sim_parse_args(vm, "all_tasks", args, nargs, kwnames, 0, 1, names, a) < 0)
        return NULL;
    aio_loopobj *lo = a[0] && a[0] != vm->none ? (aio_loopobj *)a[0] : running_or_raise(ST);
    if (!lo)
        return NULL;
    loop_task *buf[1024];
    size_t n = loop_all_tasks(lo->l, buf, 1024);
    if (n > 1024)
        n = 1024;
    sim_obj *s = sim_set_new(vm, false);
    sim_push(vm, s);
    for (size_t i = 0; i < n; i++)
        sim_set_add(vm, s, AIO_OBJ(buf[i]));
    sim_pop(vm, 1);
    return s;
}

/* ---- threads ------------------------------------------------------------------------------------ */

FN(a_to_thread)
{
    if (nargs < 1)
        return sim_raise_msg(vm, SIM_E_TypeError, "to_thread() missing 1 required positional argument: 'func'");
    aio_state *st = ST;
    sim_obj *job = aio_job_new(st, args[0], args + 1, nargs - 1, kwnames);
    if (!job)
        return NULL;
    sim_push(vm, job);
    sim_obj *c = aio_to_thread_new(st, job);
    sim_pop(vm, 1);
    return c;
}

FN(a_run_coroutine_threadsafe)
{
    if (sim_check_nargs(vm, "run_coroutine_threadsafe", nargs, 2, 2) < 0)
        return NULL;
    aio_state *st = ST;
    if (!aio_is_coroutine(st, args[0]))
        return sim_raise_msg(vm, SIM_E_TypeError, "A coroutine object is required");
    if (args[1]->type != st->t_loop)
        return sim_raise_msg(vm, SIM_E_TypeError, "loop must be an event loop");
    aio_loopobj *lo = (aio_loopobj *)args[1];
    loop_cfuture *cf = loop_run_coroutine_threadsafe(lo->l, args[0]);
    if (!cf)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(cf);
}

FN(a_wrap_future)
{
    static const char *const names[] = {"future", "loop", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "wrap_future", args, nargs, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    if (aio_as_future(st, a[0]))
        return a[0];
    if (a[0]->type != st->kt[LOOP_K_CFUTURE])
        return sim_raise_msg(vm, SIM_E_AssertionError, "concurrent.futures.Future is expected, got %s",
                             sim_type_name(a[0]));
    aio_loopobj *lo = a[1] && a[1] != vm->none ? (aio_loopobj *)a[1] : aio_loop_for_new(st);
    loop_future *f = loop_wrap_cfuture(lo->l, (loop_cfuture *)AIO_LOBJ(a[0]));
    if (!f)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(f);
}

/* ---- predicates ------------------------------------------------------------------------------------- */

FN(a_isfuture)
{
    if (sim_check_nargs(vm, "isfuture", nargs, 1, 1) < 0)
        return NULL;
    return sim_bool(vm, aio_as_future(ST, args[0]) != NULL);
}

FN(a_iscoroutine)
{
    if (sim_check_nargs(vm, "iscoroutine", nargs, 1, 1) < 0)
        return NULL;
    return sim_bool(vm, aio_is_coroutine(ST, args[0]));
}

FN(a_iscoroutinefunction)
{
    if (sim_check_nargs(vm, "iscoroutinefunction", nargs, 1, 1) < 0)
        return NULL;
    sim_obj *f = args[0];
    if (SIM_KIND(f) == SIM_K_METHOD)
        f = ((sim_method *)f)->func;
    while (SIM_KIND(f) == SIM_K_PARTIAL)
        f = ((sim_partial *)f)->func;
    if (SIM_KIND(f) != SIM_K_FUNCTION)
        return vm->false_;
    sim_codeobj *co = (sim_codeobj *)((sim_func *)f)->code;
    return sim_bool(vm, (co->code->flags & SIM_CO_COROUTINE) != 0);
}

FN(a_timeout)
{
    if (sim_check_nargs(vm, "timeout", nargs, 1, 1) < 0)
        return NULL;
    return aio_timeout_new(ST, args[0], false);
}

FN(a_timeout_at)
{
    if (sim_check_nargs(vm, "timeout_at", nargs, 1, 1) < 0)
        return NULL;
    return aio_timeout_new(ST, args[0], true);
}

/* ---- the module ---------------------------------------------------------------------------------------- */

int sim__mod_asyncio_init(sim_vm *vm, sim_obj *m)
{
    aio_state *st = aio_state_get(vm);
    st->mod_asyncio = m;
    static const sim_method_def defs[] = {
        {"run", a_run, NULL, 0},
        {"get_event_loop", a_get_event_loop, NULL, 0},
        {"get_running_loop", a_get_running_loop, NULL, 0},
        {"_get_running_loop", a__get_running_loop, NULL, 0},
        {"new_event_loop", a_new_event_loop, NULL, 0},
        {"set_event_loop", a_set_event_loop, NULL, 0},
        {"create_task", a_create_task, NULL, 0},
        {"ensure_future", a_ensure_future, NULL, 0},
        {"gather", a_gather, NULL, 0},
        {"wait", a_wait, NULL, 0},
        {"wait_for", a_wait_for, NULL, 0},
        {"as_completed", a_as_completed, NULL, 0},
        {"shield", a_shield, NULL, 0},
        {"sleep", a_sleep, NULL, 0},
        {"current_task", a_current_task, NULL, 0},
        {"all_tasks", a_all_tasks, NULL, 0},
        {"to_thread", a_to_thread, NULL, 0},
        {"run_coroutine_threadsafe", a_run_coroutine_threadsafe, NULL, 0},
        {"wrap_future", a_wrap_future, NULL, 0},
        {"isfuture", a_isfuture, NULL, 0},
        {"iscoroutine", a_iscoroutine, NULL, 0},
        {"iscoroutinefunction", a_iscoroutinefunction, NULL, 0},
        {"timeout", a_timeout, NULL, 0},
        {"timeout_at", a_timeout_at, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    if (sim_module_add_functions(vm, m, defs) < 0)
        return -1;
    if (!st->t_bounded)
        aio_sync_subtypes(st);
    if (!st->t_runner) {
        static const sim_type_hooks hooks = {.trace = runner_trace};
        st->t_runner = sim_type_new_native(vm, "Runner", "asyncio.runners", NULL, sizeof(aio_runner), &hooks,
                                           runner_methods);
    }
    struct { const char *name; sim_obj *v; } vals[] = {
        {"Future", (sim_obj *)st->kt[LOOP_K_FUTURE]},
        {"Task", (sim_obj *)st->kt[LOOP_K_TASK]},
        {"Handle", (sim_obj *)st->kt[LOOP_K_HANDLE]},
        {"TimerHandle", (sim_obj *)st->t_timerhandle},
        {"AbstractEventLoop", (sim_obj *)st->t_loop},
        {"BaseEventLoop", (sim_obj *)st->t_loop},
        {"SelectorEventLoop", (sim_obj *)st->t_loop},
        {"CancelledError", (sim_obj *)st->e_cancelled},
        {"InvalidStateError", (sim_obj *)st->e_invalid},
        {"TimeoutError", (sim_obj *)vm->exc_types[SIM_E_TimeoutError]},
        {"QueueEmpty", (sim_obj *)st->e_qempty},
        {"QueueFull", (sim_obj *)st->e_qfull},
        {"Lock", (sim_obj *)st->kt[LOOP_K_LOCK]},
        {"Event", (sim_obj *)st->kt[LOOP_K_EVENT]},
        {"Condition", (sim_obj *)st->kt[LOOP_K_CONDITION]},
        {"Semaphore", (sim_obj *)st->kt[LOOP_K_SEMAPHORE]},
        {"BoundedSemaphore", (sim_obj *)st->t_bounded},
        {"Queue", (sim_obj *)st->kt[LOOP_K_QUEUE]},
        {"LifoQueue", (sim_obj *)st->t_lifo},
        {"PriorityQueue", (sim_obj *)st->t_prio},
        {"TaskGroup", (sim_obj *)st->kt[LOOP_K_TASKGROUP]},
        {"Runner", (sim_obj *)st->t_runner},
        {"Timeout", (sim_obj *)st->kt[LOOP_K_TIMEOUT]},
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        sim_module_set(vm, m, vals[i].name, vals[i].v);
    sim_module_set(vm, m, "FIRST_COMPLETED", sim_intern(vm, "FIRST_COMPLETED"));
    sim_module_set(vm, m, "FIRST_EXCEPTION", sim_intern(vm, "FIRST_EXCEPTION"));
    sim_module_set(vm, m, "ALL_COMPLETED", sim_intern(vm, "ALL_COMPLETED"));
    return 0;
}

void sim__register_asyncio(sim_vm *vm)
{
    sim_register_module(vm, "asyncio", sim__mod_asyncio_init);
    sim_register_module(vm, "concurrent", sim__mod_concurrent_init);
    sim_register_module(vm, "concurrent.futures", sim__mod_cf_init);
}

/* ---- what the loop's queues keep alive ----------------------------------------------------- */

/* A set of loop objects (open addressing on the pointer) with a work stack. */
typedef struct reach {
    aio_state *st;
    loop_obj **set;
    size_t cap, n;
    loop_obj **stack;
    size_t nstack, capstack;
} reach;

static void reach_add(reach *r, loop_obj *o)
{
    if (!o)
        return;
    if (2 * (r->n + 1) > r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 256;
        loop_obj **ns = calloc(ncap, sizeof *ns);
        for (size_t i = 0; i < r->cap; i++)
            if (r->set[i]) {
                size_t h = ((uintptr_t)r->set[i] >> 4) & (ncap - 1);
                while (ns[h])
                    h = (h + 1) & (ncap - 1);
                ns[h] = r->set[i];
            }
        free(r->set);
        r->set = ns;
        r->cap = ncap;
    }
    size_t h = ((uintptr_t)o >> 4) & (r->cap - 1);
    while (r->set[h]) {
        if (r->set[h] == o)
            return;
        h = (h + 1) & (r->cap - 1);
    }
    r->set[h] = o;
    r->n++;
    if (r->nstack == r->capstack) {
        r->capstack = r->capstack ? r->capstack * 2 : 256;
        r->stack = realloc(r->stack, r->capstack * sizeof *r->stack);
    }
    r->stack[r->nstack++] = o;
}

static bool reach_has(const reach *r, loop_obj *o)
{
    if (!r->cap)
        return false;
    size_t h = ((uintptr_t)o >> 4) & (r->cap - 1);
    while (r->set[h]) {
        if (r->set[h] == o)
            return true;
        h = (h + 1) & (r->cap - 1);
    }
    return false;
}

static bool is_loop_object(aio_state *st, sim_obj *v)
{
    if (SIM_KIND(v) != SIM_K_CNATIVE)
        return false;
    for (int k = 0; k < LOOP_K__COUNT; k++)
        if (v->type == st->kt[k])
            return true;
    return v->type == st->t_timerhandle || v->type == st->t_bounded || v->type == st->t_lifo ||
           v->type == st->t_prio || v->type == st->t_gathering;
}

static void reach_val(void *ud, loop_val v)
{
    reach *r = ud;
    sim_obj *o = v;
    if (!o)
        return;
    if (SIM_KIND(o) == SIM_K_NATIVE && ((sim_native *)o)->self)
        o = ((sim_native *)o)->self;
    else if (SIM_KIND(o) == SIM_K_METHOD)
        o = ((sim_method *)o)->self;
    if (SIM_KIND(o) == SIM_K_TUPLE) {
        for (size_t i = 0; i < SIM_TUPLE(o)->len; i++)
            reach_val(ud, SIM_TUPLE(o)->items[i]);
        return;
    }
    if (is_loop_object(r->st, o))
        reach_add(r, AIO_LOBJ(o));
}

static void reach_obj(void *ud, loop_obj *o) { reach_add(ud, o); }

/* Every loop object reachable from l's ready queue and timer heap. */
static void reach_from_queues(reach *r, loop *l)
{
    loop_handle *hs[4096];
    size_t n = loop_ready_snapshot(l, hs, 4096);
    for (size_t i = 0; i < n && i < 4096; i++)
        reach_add(r, &hs[i]->hdr);
    n = loop_timer_snapshot(l, hs, 4096);
    for (size_t i = 0; i < n && i < 4096; i++)
        reach_add(r, &hs[i]->hdr);
    loop_tracer t = {.ud = r, .val = reach_val, .obj = reach_obj};
    while (r->nstack)
        loop_obj_trace(r->stack[--r->nstack], &t);
}

/* The end of the program, as CPython's final garbage collection treats asyncio
 * objects: a task still pending is destroyed and its coroutine closed (its finally
 * blocks run: GeneratorExit), then every exception never retrieved is logged.
 * A task that the policy's open loop still schedules (through its ready queue or
 * timers) dies only when sys.stdout is gone in CPython: nothing shows, so it is
 * left alone. */
void sim__asyncio_at_exit(sim_vm *vm)
{
    aio_state *st = vm->asyncio;
    if (!st)
        return;
    sim_obj *saved = sim_exc_fetch(vm);
    sim_push(vm, saved);
    for (size_t i = 0; i < st->nloops; i++) {
        loop *l = st->loops[i]->l;
        loop_task *buf[256];
        size_t n = loop_all_tasks(l, buf, 256);
        if (n > 256)
            n = 256;
        reach r = {.st = st};
        if (st->loops[i] == st->event_loop && !loop_is_closed(l))
            reach_from_queues(&r, l);
        sim_obj *lst = sim_list_new(vm, 0, NULL);
        sim_push(vm, lst);
        for (size_t k = 0; k < n; k++)
            if (!reach_has(&r, &buf[k]->fut.hdr))
                sim_list_append(vm, lst, AIO_OBJ(buf[k]));
        free(r.set);
        free(r.stack);
        for (size_t k = 0; k < SIM_LIST(lst)->len; k++) {
            loop_task *t = (loop_task *)AIO_LOBJ(SIM_LIST(lst)->items[k]);
            if (t->fut.state == LOOP_PENDING && t->coro)
                st->host.close_coro(st, t->coro);
        }
        sim_pop(vm, 1);
    }
    aio_report_unretrieved(vm, st);
    sim_pop(vm, 1);
    vm->ts->exc = saved;
}

/* The top-level end of a deadlock: the pending tasks, then vref.py's line, status 3. */
bool sim__asyncio_uncaught(sim_vm *vm, sim_obj *exc, int *status)
{
    aio_state *st = vm->asyncio;
    if (!st || !exc || !sim_isinstance_type(exc, st->e_deadlock))
        return false;
    fflush(vm->opt.out);
    if (st->deadlock_info)
        fputs(st->deadlock_info, vm->opt.err);
    sim_obj *s = sim__exc_str(vm, exc);
    fprintf(vm->opt.err, "%s\n", s ? SIM_CSTR(s) : "deadlock");
    *status = 3;
    return true;
}
