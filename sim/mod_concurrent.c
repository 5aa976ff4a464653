/* mod_concurrent.c — concurrent.futures on virtual threads (vref.py's VThreadPool):
 * Future, ThreadPoolExecutor and ProcessPoolExecutor (the same virtual-thread pool),
 * usable in `with`, submit/map/shutdown; and asyncio.to_thread's coroutine, which
 * calls run_in_executor when it first runs (tasks.to_thread is an async def). */
#include <string.h>

#include "asyncio_int.h"
#include "exec_int.h"       /* the concurrent future's state, for Future.running() only */

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define ST ((aio_state *)vm->asyncio)
#define CF(o) ((loop_cfuture *)AIO_LOBJ(o))

/* The loop a concurrent object works on: the running loop, else the hidden one. */
static loop *cf_loop(aio_state *st, sim_obj *o)
{
    aio_loopobj *lo = aio_get_running(st);
    if (lo)
        return lo->l;
    loop *l = AIO_LOBJ(o)->owner;
    aio_loopobj *owner = aio_loopobj_of(st, l);
    if (owner)
        aio_sync_clock(st, owner);
    return l;
}

static loop *prim_loop(aio_state *st)
{
    aio_loopobj *lo = aio_get_running(st);
    if (lo)
        return lo->l;
    if (!st->hidden) {
        aio_loopobj *prev = st->clock_loop;
        st->hidden = aio_loop_new(st);
        if (prev)
            st->clock_loop = prev;
    }
    aio_sync_clock(st, st->hidden);
    return st->hidden->l;
}

/* ---- concurrent.futures.Future ----------------------------------------------------------- */

static sim_obj *cf_repr(sim_vm *vm, sim_obj *self)
{
    loop_cfuture *cf = CF(self);
    if (loop_cfuture_cancelled(cf))
        return sim_str_fmt(vm, "<Future at 0x%llx state=cancelled>", (unsigned long long)sim_identity(vm, self));
    if (!loop_cfuture_done(cf))
        return sim_str_fmt(vm, "<Future at 0x%llx state=pending>", (unsigned long long)sim_identity(vm, self));
    loop_val exc = NULL;
    loop_cfuture_exception(cf_loop(ST, self), cf, &exc);
    if (exc && exc != vm->none)
        return sim_str_fmt(vm, "<Future at 0x%llx state=finished raised %s>", (unsigned long long)sim_identity(vm, self), sim_type_name(exc));
    loop_val r = NULL;
    loop_cfuture_result(cf_loop(ST, self), cf, &r);
    return sim_str_fmt(vm, "<Future at 0x%llx state=finished returned %s>", (unsigned long long)sim_identity(vm, self), r ? sim_type_name(r) : "NoneType");
}

const sim_type_hooks aio_cfuture_hooks = {.repr = cf_repr};

FN(cf_new)
{
    loop *l = prim_loop(ST);
    loop_cfuture *cf = loop_cfuture_new(l);
    if (!cf)
        return aio_raise_loop_error(ST, l);
    return AIO_OBJ(cf);
}

FN(cf_result)
{
    loop *l = cf_loop(ST, args[0]);
    loop_val r;
    if (loop_cfuture_result(l, CF(args[0]), &r) < 0)
        return aio_raise_loop_error(ST, l);
    return r;
}

FN(cf_exception)
{
    loop *l = cf_loop(ST, args[0]);
    loop_val r;
    if (loop_cfuture_exception(l, CF(args[0]), &r) < 0)
        return aio_raise_loop_error(ST, l);
    return r;
}

FN(cf_done) { return sim_bool(vm, loop_cfuture_done(CF(args[0]))); }
FN(cf_cancelled) { return sim_bool(vm, loop_cfuture_cancelled(CF(args[0]))); }
FN(cf_cancel) { return sim_bool(vm, loop_cfuture_cancel(cf_loop(ST, args[0]), CF(args[0]))); }

FN(cf_running)
{
    loop_cfuture *cf = CF(args[0]);
    return sim_bool(vm, cf->state == CF_RUNNING);
}

FN(cf_add_done_callback)
{
    if (sim_check_nargs(vm, "add_done_callback", nargs - 1, 1, 1) < 0)
        return NULL;
    loop_callback cb = {0};
    cb.fn = aio_trampoline;
    cb.val = args[1];
    loop_cfuture_add_callback(cf_loop(ST, args[0]), CF(args[0]), &cb);
    return vm->none;
}

FN(cf_set_result)
{
    if (sim_check_nargs(vm, "set_result", nargs - 1, 1, 1) < 0)
        return NULL;
    loop *l = cf_loop(ST, args[0]);
    if (loop_cfuture_set_result(l, CF(args[0]), args[1]) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(cf_set_exception)
{
    if (sim_check_nargs(vm, "set_exception", nargs - 1, 1, 1) < 0)
        return NULL;
    loop *l = cf_loop(ST, args[0]);
    if (loop_cfuture_set_exception(l, CF(args[0]), args[1]) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(cf_set_running)
{
    return sim_bool(vm, loop_cfuture_set_running_or_notify_cancel(cf_loop(ST, args[0]), CF(args[0])));
}

const sim_method_def aio_sync_methods_cfuture[] = {
    {"__new__", cf_new, NULL, SIM_METH_STATIC},
    {"result", cf_result, NULL, 0},
    {"exception", cf_exception, NULL, 0},
    {"done", cf_done, NULL, 0},
    {"cancelled", cf_cancelled, NULL, 0},
    {"cancel", cf_cancel, NULL, 0},
    {"running", cf_running, NULL, 0},
    {"add_done_callback", cf_add_done_callback, NULL, 0},
    {"set_result", cf_set_result, NULL, 0},
    {"set_exception", cf_set_exception, NULL, 0},
    {"set_running_or_notify_cancel", cf_set_running, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- ThreadPoolExecutor -------------------------------------------------------------------------- */

FN(ex_new)
{
    static const char *const names[] = {"max_workers", "thread_name_prefix", "initializer", "initargs",
                                        "mp_context", "max_tasks_per_child", NULL};
    sim_obj *a[6];
    if (sim_parse_args(vm, "ThreadPoolExecutor", args + 1, nargs - 1, kwnames, 0, 4, names, a) < 0)
        return NULL;
    int64_t n = 0;
    if (a[0] && a[0] != vm->none) {
        bool ok;
        n = sim_index(vm, a[0], &ok);
        if (!ok)
            return NULL;
        if (n <= 0)
            return sim_raise_msg(vm, SIM_E_ValueError, "max_workers must be greater than 0");
    }
    loop *l = prim_loop(ST);
    loop_obj *ex = loop_executor_new(l, (int)n);
    if (!ex)
        return aio_raise_loop_error(ST, l);
    return AIO_OBJ(ex);
}

FN(ex_submit)
{
    if (nargs < 2)
        return sim_raise_msg(vm, SIM_E_TypeError, "submit() missing 1 required positional argument: 'fn'");
    aio_state *st = ST;
    sim_obj *job = aio_job_new(st, args[1], args + 2, nargs - 2, kwnames);
    if (!job)
        return NULL;
    sim_push(vm, job);
    loop *l = cf_loop(st, args[0]);
    loop_cfuture *cf = loop_executor_submit(l, AIO_LOBJ(args[0]), job);
    sim_pop(vm, 1);
    if (!cf)
        return aio_raise_loop_error(st, l);
    return AIO_OBJ(cf);
}

/* Executor.map: every call submitted at once; the results in order (a result not
 * ready yet would block the loop thread: the deadlock error of result()). */
FN(ex_map)
{
    if (nargs < 3)
        return sim_raise_msg(vm, SIM_E_TypeError, "map() missing required arguments");
    aio_state *st = ST;
    int nit = nargs - 2;
    sim_obj *lists = sim_list_new(vm, 0, NULL);
    sim_push(vm, lists);
    size_t n = SIZE_MAX;
    for (int i = 0; i < nit; i++) {
        sim_obj *l = sim_list_of(vm, args[2 + i]);
        if (!l) {
            sim_pop(vm, 1);
            return NULL;
        }
        sim_push(vm, l);
        sim_list_append(vm, lists, l);
        sim_pop(vm, 1);
        if (SIM_LIST(l)->len < n)
            n = SIM_LIST(l)->len;
    }
    sim_obj *futs = sim_list_new(vm, 0, NULL);
    sim_push(vm, futs);
    loop *lp = cf_loop(st, args[0]);
    for (size_t k = 0; k < n; k++) {
        sim_obj *argv[16];
        for (int i = 0; i < nit && i < 16; i++)
            argv[i] = SIM_LIST(SIM_LIST(lists)->items[i])->items[k];
        sim_obj *job = aio_job_new(st, args[1], argv, nit, NULL);
        if (!job) {
            sim_pop(vm, 2);
            return NULL;
        }
        sim_push(vm, job);
        loop_cfuture *cf = loop_executor_submit(lp, AIO_LOBJ(args[0]), job);
        sim_pop(vm, 1);
        if (!cf) {
            sim_pop(vm, 2);
            return aio_raise_loop_error(st, lp);
        }
        sim_list_append(vm, futs, AIO_OBJ(cf));
    }
    sim_obj *res = sim_list_new(vm, 0, NULL);
    sim_push(vm, res);
    for (size_t k = 0; k < n; k++) {
        loop_val r;
        if (loop_cfuture_result(lp, CF(SIM_LIST(futs)->items[k]), &r) < 0) {
            sim_pop(vm, 3);
            return aio_raise_loop_error(st, lp);
        }
        sim_list_append(vm, res, r);
    }
    sim_obj *it = sim_iter(vm, res);
    sim_pop(vm, 3);
    return it;
}

FN(ex_shutdown)
{
    static const char *const names[] = {"wait", "cancel_futures", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "shutdown", args + 1, nargs - 1, kwnames, 0, 1, names, a) < 0)
        return NULL;
    int wait = a[0] ? sim_truthy(vm, a[0]) : 1;
    int cancel = a[1] ? sim_truthy(vm, a[1]) : 0;
    if (wait < 0 || cancel < 0)
        return NULL;
    loop_executor_shutdown(cf_loop(ST, args[0]), AIO_LOBJ(args[0]), wait, cancel);
    return vm->none;
}

FN(ex_enter) { return args[0]; }

FN(ex_exit)
{
    loop_executor_shutdown(cf_loop(ST, args[0]), AIO_LOBJ(args[0]), true, false);
    return vm->false_;
}

const sim_method_def aio_sync_methods_executor[] = {
    {"__new__", ex_new, NULL, SIM_METH_STATIC},
    {"submit", ex_submit, NULL, 0},
    {"map", ex_map, NULL, 0},
    {"shutdown", ex_shutdown, NULL, 0},
    {"__enter__", ex_enter, NULL, 0},
    {"__exit__", ex_exit, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- lazy coroutines -------------------------------------------------------------------------------
 * An `async def` of asyncio whose body needs the running loop (to_thread, or sleep
 * called while no loop runs): the work starts at the first send, as in CPython, then
 * every send/throw goes to the awaitable it made. */

typedef struct aio_lazy {
    sim_obj hdr;
    sim_obj *job;               /* to_thread: the job for run_in_executor(None, ...) */
    sim_obj *fn, *args;         /* else: fn(*args) makes the awaitable */
    sim_obj *kwnames;           /* names of the last values of args, or NULL */
    sim_obj *inner;
    const char *name;
    bool done;
    bool none_result;           /* returns None whatever inner returns (__aenter__) */
} aio_lazy;

static void lz_trace(sim_vm *vm, sim_obj *self)
{
    aio_lazy *t = (aio_lazy *)self;
    sim_mark(vm, t->job);
    sim_mark(vm, t->fn);
    sim_mark(vm, t->args);
    sim_mark(vm, t->kwnames);
    sim_mark(vm, t->inner);
}

static sim_sendres lz_send(sim_vm *vm, sim_obj *self, sim_obj *value, sim_obj *exc, sim_obj **out)
{
    aio_state *st = ST;
    aio_lazy *t = (aio_lazy *)self;
    if (t->done) {
        sim_raise_msg(vm, SIM_E_RuntimeError, "cannot reuse already awaited coroutine");
        return SIM_SEND_ERROR;
    }
    if (!t->inner) {
        if (exc) {
            t->done = true;
            sim_raise(vm, exc);
            return SIM_SEND_ERROR;
        }
        if (t->job) {
            aio_loopobj *lo = aio_get_running(st);
            if (!lo) {
                t->done = true;
                sim_raise_msg(vm, SIM_E_RuntimeError, "no running event loop");
                return SIM_SEND_ERROR;
            }
            loop_future *f = loop_run_in_executor(lo->l, NULL, t->job);
            if (!f) {
                t->done = true;
                aio_raise_loop_error(st, lo->l);
                return SIM_SEND_ERROR;
            }
            t->inner = AIO_OBJ(f);
        } else {
            sim_tuple *a = SIM_TUPLE(t->args);
            int nkw = t->kwnames ? (int)SIM_TUPLE(t->kwnames)->len : 0;
            sim_obj *r = sim_call(vm, t->fn, a->items, (int)a->len - nkw, t->kwnames);
            if (!r) {
                t->done = true;
                return SIM_SEND_ERROR;
            }
            t->inner = r;
        }
        value = vm->none;
    }
    sim_sendres res = sim_resume(vm, t->inner, value, exc, out);
    if (res != SIM_SEND_YIELD)
        t->done = true;
    if (res == SIM_SEND_RETURN && t->none_result)
        *out = vm->none;
    return res;
}

static sim_obj *lz_repr(sim_vm *vm, sim_obj *self)
{
    return sim_str_fmt(vm, "<coroutine object %s at 0x%llx>", ((aio_lazy *)self)->name, (unsigned long long)sim_identity(vm, self));
}

FN(lz_new) { return sim_raise_msg(vm, SIM_E_TypeError, "cannot create 'coroutine' instances"); }
FN(lz_close) { ((aio_lazy *)args[0])->done = true; return vm->none; }
FN(lz_await) { return args[0]; }

static aio_lazy *lazy_new(aio_state *st)
{
    sim_vm *vm = st->vm;
    if (!st->t_tothread) {
        static const sim_type_hooks hooks = {.trace = lz_trace, .send = lz_send, .repr = lz_repr};
        static const sim_method_def methods[] = {
            {"__new__", lz_new, NULL, SIM_METH_STATIC},
            {"close", lz_close, NULL, 0},
            {"__await__", lz_await, NULL, 0},
            {NULL, NULL, NULL, 0},
        };
        st->t_tothread = sim_type_new_native(vm, "coroutine", "builtins", NULL, sizeof(aio_lazy), &hooks,
                                             methods);
    }
    return (aio_lazy *)sim_cobj_new(vm, st->t_tothread);
}

sim_obj *aio_to_thread_new(aio_state *st, sim_obj *job)
{
    sim_vm *vm = st->vm;
    sim_push(vm, job);
    aio_lazy *t = lazy_new(st);
    sim_pop(vm, 1);
    t->job = job;
    t->name = "to_thread";
    return &t->hdr;
}

sim_obj *sim__get_awaitable(sim_vm *vm, sim_obj *o, uint32_t where);

/* tasks._wrap_awaitable: a coroutine doing `yield from aw.__await__()` for an
 * awaitable that is not a coroutine (agen.aclose(), an object with __await__);
 * NULL without an exception if o is not awaitable. */
sim_obj *aio_wrap_awaitable(aio_state *st, sim_obj *o)
{
    sim_vm *vm = st->vm;
    if (SIM_KIND(o) == SIM_K_INT || SIM_KIND(o) == SIM_K_STR || SIM_KIND(o) == SIM_K_NONE)
        return NULL;
    sim_obj *it = sim__get_awaitable(vm, o, 0);
    if (!it) {
        sim_exc_fetch(vm);
        return NULL;
    }
    sim_push(vm, it);
    aio_lazy *z = lazy_new(st);
    sim_pop(vm, 1);
    z->inner = it;
    z->name = "_wrap_awaitable";
    return &z->hdr;
}

/* `await aw` whose value is None: Lock.__aenter__ is `await self.acquire(); return None`. */
sim_obj *aio_await_none(aio_state *st, sim_obj *aw)
{
    sim_vm *vm = st->vm;
    sim_push(vm, aw);
    aio_lazy *z = lazy_new(st);
    sim_pop(vm, 1);
    z->inner = aw;
    z->none_result = true;
    z->name = "__aenter__";
    return &z->hdr;
}

/* A coroutine that calls fn(*args[0..n), **kw) when it first runs (the keyword
 * values follow the positional ones in args, named by kwnames). */
sim_obj *aio_lazy_call(aio_state *st, const char *name, sim_obj *fn, sim_obj **args, int n, sim_obj *kwnames)
{
    sim_vm *vm = st->vm;
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    sim_obj *t = sim_tuple_new(vm, (size_t)n + nkw, args);
    if (!t)
        return NULL;
    sim_push(vm, t);
    sim_push(vm, fn);
    aio_lazy *z = lazy_new(st);
    sim_pop(vm, 2);
    z->fn = fn;
    z->args = t;
    z->kwnames = nkw ? kwnames : NULL;
    z->name = name;
    return &z->hdr;
}

/* ---- the modules ---------------------------------------------------------------------------------------- */

int sim__mod_concurrent_init(sim_vm *vm, sim_obj *m)
{
    aio_state_get(vm);
    return 0;
}

int sim__mod_cf_init(sim_vm *vm, sim_obj *m)
{
    aio_state *st = aio_state_get(vm);
    st->mod_cf = m;
    sim_module_set(vm, m, "Future", (sim_obj *)st->kt[LOOP_K_CFUTURE]);
    sim_module_set(vm, m, "ThreadPoolExecutor", (sim_obj *)st->kt[LOOP_K_EXECUTOR]);
    sim_module_set(vm, m, "ProcessPoolExecutor", (sim_obj *)st->kt[LOOP_K_EXECUTOR]);
    sim_module_set(vm, m, "Executor", (sim_obj *)st->kt[LOOP_K_EXECUTOR]);
    sim_module_set(vm, m, "CancelledError", (sim_obj *)st->e_cf_cancelled);
    sim_module_set(vm, m, "TimeoutError", (sim_obj *)vm->exc_types[SIM_E_TimeoutError]);
    sim_module_set(vm, m, "BrokenExecutor", (sim_obj *)st->e_broken);
    sim_module_set(vm, m, "InvalidStateError", (sim_obj *)st->e_invalid);
    sim_module_set(vm, m, "FIRST_COMPLETED", sim_intern(vm, "FIRST_COMPLETED"));
    sim_module_set(vm, m, "FIRST_EXCEPTION", sim_intern(vm, "FIRST_EXCEPTION"));
    sim_module_set(vm, m, "ALL_COMPLETED", sim_intern(vm, "ALL_COMPLETED"));
    return 0;
}
