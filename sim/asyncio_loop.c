/* asyncio_loop.c — the event loop object: the methods of BaseEventLoop
 * (base_events.py) that DESIGN.md §2 lists, run_until_complete with the deadlock
 * turned into an exception (vref.py's DeadlockError), and the async generator
 * hooks of run_forever. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio_int.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define ST ((aio_state *)vm->asyncio)
#define LOOPOBJ(o) ((aio_loopobj *)(o))

static sim_obj *hooks_install(aio_state *st, aio_loopobj *lo);

/* ---- the event loop object ---------------------------------------------------------------------- */

static void loopobj_trace(sim_vm *vm, sim_obj *self)
{
    aio_loopobj *lo = LOOPOBJ(self);
    if (lo->l)
        loop_trace_roots(lo->l, aio_tracer(vm));
    sim_mark(vm, lo->task_factory);
    sim_mark(vm, lo->exc_handler);
    sim_mark(vm, lo->default_executor);
    sim_mark(vm, lo->asyncgens);
    sim_mark(vm, lo->firstiter_hook);
}

static sim_obj *loopobj_repr(sim_vm *vm, sim_obj *self)
{
    loop *l = LOOPOBJ(self)->l;
    return sim_str_fmt(vm, "<VirtualLoop running=%s closed=%s debug=%s>",
                       loop_is_running(l) ? "True" : "False", loop_is_closed(l) ? "True" : "False",
                       loop_get_debug(l) ? "True" : "False");
}

aio_loopobj *aio_loop_new(aio_state *st)
{
    sim_vm *vm = st->vm;
    aio_loopobj *lo = (aio_loopobj *)sim_cobj_new(vm, st->t_loop);
    lo->st = st;
    lo->l = loop_new(&st->host);
    if (st->nloops == st->caploops) {
        st->caploops = st->caploops ? st->caploops * 2 : 4;
        st->loops = realloc(st->loops, st->caploops * sizeof *st->loops);
    }
    st->loops[st->nloops++] = lo;
    /* the new loop's clock starts at the current virtual time */
    double now = st->clock_loop ? loop_time(st->clock_loop->l) : st->clock;
    if (now > 0)
        loop_block_sleep(lo->l, now);
    st->clock_loop = lo;
    if (vm->opt.on_loop)    /* a trace writer attaches here (sim.h) */
        vm->opt.on_loop(vm->opt.loop_ud, lo->l);
    return lo;
}

static sim_obj *check_closed(aio_state *st, aio_loopobj *lo)
{
    if (loop_is_closed(lo->l))
        return sim_raise_msg(st->vm, SIM_E_RuntimeError, "Event loop is closed");
    return st->vm->none;
}

/* Pending tasks and what each awaits, for the deadlock report. */
static sim_obj *deadlock_error(aio_state *st, aio_loopobj *lo)
{
    sim_vm *vm = st->vm;
    aio_describe_pending(st, lo->l);
    sim_obj *t = sim__float_repr(vm, loop_time(lo->l));
    if (!t)
        return NULL;
    sim_push(vm, t);
    sim_obj *m = sim_str_fmt(vm, "deadlock at t=%s: the loop is idle and nothing is scheduled", SIM_CSTR(t));
    sim_pop(vm, 1);
    sim_push(vm, m);
    sim_obj *a = sim_tuple_new(vm, 1, &m);
    sim_pop(vm, 1);
    return sim_raise(vm, sim_exc_new(vm, st->e_deadlock, a));
}

/* A loop run's outcome: NULL with the exception raised, else None. */
static sim_obj *run_status(aio_state *st, aio_loopobj *lo, loop_status s)
{
    sim_vm *vm = st->vm;
    switch (s) {
    case LOOP_OK: return vm->none;
    case LOOP_ERROR: return aio_raise_loop_error(st, lo->l);
    case LOOP_DEADLOCK: return deadlock_error(st, lo);
    default:
        vm->limit_hit = true;
        return sim_raise_msg(vm, SIM_E_RuntimeError, "aiosim: loop step limit reached");
    }
}

static sim_obj *begin_run(aio_state *st, aio_loopobj *lo)
{
    sim_vm *vm = st->vm;
    if (!check_closed(st, lo))
        return NULL;
    if (loop_is_running(lo->l))
        return sim_raise_msg(vm, SIM_E_RuntimeError, "This event loop is already running");
    if (aio_get_running(st))
        return sim_raise_msg(vm, SIM_E_RuntimeError, "Cannot run the event loop while another loop is running");
    return vm->none;
}

static sim_obj *run_until_complete(aio_state *st, aio_loopobj *lo, sim_obj *aw);

sim_obj *aio_run_until_complete(aio_state *st, aio_loopobj *lo, sim_obj *aw)
{
    sim_push(st->vm, aw);
    sim_obj *r = run_until_complete(st, lo, aw);
    sim_pop(st->vm, 1);
    return r;
}

static sim_obj *run_until_complete(aio_state *st, aio_loopobj *lo, sim_obj *aw)
{
    sim_vm *vm = st->vm;
    if (!begin_run(st, lo))
        return NULL;
    loop_future *f = aio_as_future(st, aw);
    if (!f) {
        if (!aio_is_coroutine(st, aw)) {
            aw = aio_wrap_awaitable(st, aw);
            if (!aw)
                return sim_raise_msg(vm, SIM_E_TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
            sim_push(vm, aw);
            sim_obj *t = aio_loop_create_task(st, lo, aw);
            sim_pop(vm, 1);
            if (!t)
                return NULL;
            return run_until_complete(st, lo, t);
        }
        sim_obj *t = aio_loop_create_task(st, lo, aw);
        if (!t)
            return NULL;
        f = aio_as_future(st, t);
        if (!f)
            return sim_raise_msg(vm, SIM_E_TypeError, "task factory did not return a future");
    }
    if (f->hdr.owner != lo->l)
        return sim_raise_msg(vm, SIM_E_ValueError,
                             "The future belongs to a different loop than the one specified as the loop argument");
    sim_obj *fo = AIO_OBJ(f);
    sim_push(vm, fo);
    aio_sync_clock(st, lo);
    aio_loopobj *prev = st->running;
    st->running = lo;
    sim_obj *old_hook = hooks_install(st, lo);
    sim_push(vm, old_hook);
    loop_status s = loop_run_until_complete(lo->l, f);
    vm->agen_firstiter = old_hook;
    sim_pop(vm, 1);
    st->running = prev;
    sim_obj *r = run_status(st, lo, s);
    if (r) {
        loop_val v;
        if (loop_future_result(lo->l, f, &v) < 0)
            r = aio_raise_loop_error(st, lo->l);
        else
            r = v;
    }
    sim_pop(vm, 1);
    return r;
}

FN(loop_run_until_complete_m)
{
    if (sim_check_nargs(vm, "run_until_complete", nargs - 1, 1, 1) < 0)
        return NULL;
    return aio_run_until_complete(ST, LOOPOBJ(args[0]), args[1]);
}

FN(loop_run_forever_m)
{
    aio_state *st = ST;
    aio_loopobj *lo = LOOPOBJ(args[0]);
    if (!begin_run(st, lo))
        return NULL;
    aio_sync_clock(st, lo);
    aio_loopobj *prev = st->running;
    st->running = lo;
    sim_obj *old_hook = hooks_install(st, lo);
    sim_push(vm, old_hook);
    loop_status s = loop_run_forever(lo->l);
    vm->agen_firstiter = old_hook;
    sim_pop(vm, 1);
    st->running = prev;
    return run_status(st, lo, s);
}

FN(loop_stop_m) { loop_stop(LOOPOBJ(args[0])->l); return vm->none; }

FN(loop_close_m)
{
    aio_loopobj *lo = LOOPOBJ(args[0]);
    if (loop_close(lo->l) < 0)
        return aio_raise_loop_error(ST, lo->l);
    return vm->none;
}

FN(loop_is_running_m) { return sim_bool(vm, loop_is_running(LOOPOBJ(args[0])->l)); }
FN(loop_is_closed_m) { return sim_bool(vm, loop_is_closed(LOOPOBJ(args[0])->l)); }

FN(loop_time_m)
{
    aio_loopobj *lo = LOOPOBJ(args[0]);
    return sim_float_new(vm, loop_time(lo->l));
}

/* _check_callback: a callable that is not a coroutine function's result. */
static int check_callback(aio_state *st, sim_obj *cb, const char *method)
{
    sim_vm *vm = st->vm;
    if (aio_is_coroutine(st, cb)) {
        sim_raise_msg(vm, SIM_E_TypeError, "coroutines cannot be used with %s()", method);
        return -1;
    }
    sim_obj *c = sim_getattr_opt(vm, cb, vm->n.__call__);
    bool callable = c != NULL || SIM_KIND(cb) == SIM_K_FUNCTION || SIM_KIND(cb) == SIM_K_NATIVE ||
                    SIM_KIND(cb) == SIM_K_METHOD || SIM_KIND(cb) == SIM_K_TYPE || SIM_KIND(cb) == SIM_K_PARTIAL;
    sim_exc_fetch(vm);
    if (!callable) {
        sim_obj *r = sim_repr(vm, cb);
        if (!r)
            return -1;
        sim_raise_msg(vm, SIM_E_TypeError, "a callable object was expected by %s(), got %s", method, SIM_CSTR(r));
        return -1;
    }
    return 0;
}

/* call_soon / call_soon_threadsafe / call_later / call_at: args[first] is the callback,
 * the rest its arguments; keyword `context`. */
static sim_obj *schedule(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames, int which)
{
    static const char *const names[] = {"call_soon", "call_soon_threadsafe", "call_later", "call_at"};
    aio_state *st = ST;
    aio_loopobj *lo = LOOPOBJ(args[0]);
    int first = which >= 2 ? 2 : 1;
    if (nargs < first + 1)
        return sim_raise_msg(vm, SIM_E_TypeError, "%s() missing required positional argument", names[which]);
    static const char *const kw[] = {"context", NULL};
    if (aio_check_kw(vm, names[which], kwnames, kw) < 0)
        return NULL;
    double t = 0;
    if (which >= 2) {
        bool ok;
        if (!SIM_IS_INT(args[1]) && !SIM_IS_FLOAT(args[1]))
            return sim_raise_msg(vm, SIM_E_TypeError, "'<' not supported between instances of '%s' and 'float'",
                                 sim_type_name(args[1]));
        t = sim_obj_as_double(vm, args[1], &ok);
    }
    if (!check_closed(st, lo))
        return NULL;
    /* BaseEventLoop._check_callback runs in debug mode only */
    if (loop_get_debug(lo->l) && check_callback(st, args[first], names[which]) < 0)
        return NULL;
    sim_obj *ctx = aio_kwarg(args, nargs, kwnames, "context");
    /* Handle.__init__: context=None copies the current one (only observable once
     * the program uses contextvars) */
    if ((!ctx || ctx == vm->none) && vm->ctx_types[0])
        ctx = sim_context_copy(vm);
    sim_push(vm, ctx);
    sim_obj *cargs = sim_tuple_new(vm, (size_t)(nargs - first - 1), args + first + 1);
    sim_push(vm, cargs);
    loop_callback cb = {0};
    cb.fn = aio_trampoline;
    cb.val = args[first];
    cb.val2 = cargs;
    cb.ctx = ctx && ctx != vm->none ? ctx : NULL;
    loop_handle *h;
    switch (which) {
    case 0: h = loop_call_soon(lo->l, &cb); break;
    case 1: h = loop_call_soon_threadsafe(lo->l, &cb); break;
    case 2: h = loop_call_later(lo->l, t, &cb); break;
    default: h = loop_call_at(lo->l, t, &cb); break;
    }
    sim_pop(vm, 2);
    if (!h)
        return aio_raise_loop_error(st, lo->l);
    sim_obj *ho = AIO_OBJ(h);
    if (h->is_timer)
        ho->type = st->t_timerhandle;
    if (which == 3 && SIM_IS_INT(args[1]) && args[1]->type == vm->types[SIM_T_int])
        h->hdr.flags |= AIO_F_INT_WHEN;
    return ho;
}

FN(loop_call_soon_m) { return schedule(vm, args, nargs, kwnames, 0); }
FN(loop_call_soon_ts_m) { return schedule(vm, args, nargs, kwnames, 1); }
FN(loop_call_later_m) { return schedule(vm, args, nargs, kwnames, 2); }
FN(loop_call_at_m) { return schedule(vm, args, nargs, kwnames, 3); }

FN(loop_create_task_m)
{
    static const char *const names[] = {"coro", "name", "context", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "create_task", args + 1, nargs - 1, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    aio_loopobj *lo = LOOPOBJ(args[0]);
    if (!check_closed(st, lo))
        return NULL;
    if (lo->task_factory) {
        sim_obj *fa[2] = {&lo->hdr, a[0]};
        sim_obj *t;
        if (a[2] && a[2] != vm->none) {
            sim_obj *ctx = a[2];
            sim_obj *all[3] = {&lo->hdr, a[0], ctx};
            sim_obj *kn = sim_tuple_new(vm, 1, NULL);
            sim_push(vm, kn);
            SIM_TUPLE(kn)->items[0] = sim_intern(vm, "context");
            t = sim_call(vm, lo->task_factory, all, 2, kn);
            sim_pop(vm, 1);
        } else {
            t = sim_call(vm, lo->task_factory, fa, 2, NULL);
        }
        if (t && a[1] && a[1] != vm->none) {
            sim_push(vm, t);
            sim_obj *r = sim_call_method(vm, t, "set_name", &a[1], 1);
            sim_pop(vm, 1);
            if (!r)
                return NULL;
        }
        return t;
    }
    return aio_create_task(st, lo, a[0], a[1], a[2]);
}

FN(loop_create_future_m)
{
    return aio_new_future(ST, LOOPOBJ(args[0]));
}

/* The executor a Python object stands for (an executor object), NULL for None. */
loop_obj *aio_executor_of(aio_state *st, sim_obj *o)
{
    if (!o || o == st->vm->none)
        return NULL;
    if (o->type == st->kt[LOOP_K_EXECUTOR] || sim_isinstance_type(o, st->kt[LOOP_K_EXECUTOR]))
        return AIO_LOBJ(o);
    return NULL;
}

FN(loop_run_in_executor_m)
{
    aio_state *st = ST;
    aio_loopobj *lo = LOOPOBJ(args[0]);
    if (nargs < 3)
        return sim_raise_msg(vm, SIM_E_TypeError, "run_in_executor() missing required positional argument");
    if (sim_no_kwargs(vm, "run_in_executor", kwnames) < 0)
        return NULL;
    if (!check_closed(st, lo))
        return NULL;
    if (aio_is_coroutine(st, args[2]) || SIM_KIND(args[2]) == SIM_K_GEN)
        return sim_raise_msg(vm, SIM_E_TypeError, "coroutines cannot be used with run_in_executor()");
    loop_obj *ex = aio_executor_of(st, args[1]);
    if (!ex && args[1] != vm->none)
        return sim_raise_msg(vm, SIM_E_TypeError, "executor must be an executor");
    sim_obj *job = aio_job_new(st, args[2], args + 3, nargs - 3, NULL);
    if (!job)
        return NULL;
    sim_push(vm, job);
    loop_future *f = loop_run_in_executor(lo->l, ex, job);
    sim_pop(vm, 1);
    if (!f)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(f);
}

FN(loop_set_default_executor_m)
{
    if (sim_check_nargs(vm, "set_default_executor", nargs - 1, 1, 1) < 0)
        return NULL;
    aio_state *st = ST;
    aio_loopobj *lo = LOOPOBJ(args[0]);
    loop_obj *ex = aio_executor_of(st, args[1]);
    if (!ex)
        return sim_raise_msg(vm, SIM_E_TypeError, "executor must be ThreadPoolExecutor");
    lo->default_executor = args[1];
    loop_set_default_executor(lo->l, ex);
    return vm->none;
}

FN(loop_set_debug_m)
{
    if (sim_check_nargs(vm, "set_debug", nargs - 1, 1, 1) < 0)
        return NULL;
    int t = sim_truthy(vm, args[1]);
    if (t < 0)
        return NULL;
    loop_set_debug(LOOPOBJ(args[0])->l, t);
    return vm->none;
}

FN(loop_get_debug_m) { return sim_bool(vm, loop_get_debug(LOOPOBJ(args[0])->l)); }

FN(loop_set_task_factory_m)
{
    if (sim_check_nargs(vm, "set_task_factory", nargs - 1, 1, 1) < 0)
        return NULL;
    sim_obj *f = args[1];
    if (f != vm->none && !sim_getattr_opt(vm, f, vm->n.__call__) && SIM_KIND(f) != SIM_K_FUNCTION &&
        SIM_KIND(f) != SIM_K_NATIVE && SIM_KIND(f) != SIM_K_METHOD && SIM_KIND(f) != SIM_K_TYPE &&
        SIM_KIND(f) != SIM_K_PARTIAL) {
        sim_exc_fetch(vm);
        return sim_raise_msg(vm, SIM_E_TypeError, "task factory must be a callable or None");
    }
    sim_exc_fetch(vm);
    LOOPOBJ(args[0])->task_factory = f == vm->none ? NULL : f;
    return vm->none;
}

FN(loop_get_task_factory_m)
{
    sim_obj *f = LOOPOBJ(args[0])->task_factory;
    return f ? f : vm->none;
}

FN(loop_set_exception_handler_m)
{
    if (sim_check_nargs(vm, "set_exception_handler", nargs - 1, 1, 1) < 0)
        return NULL;
    LOOPOBJ(args[0])->exc_handler = args[1] == vm->none ? NULL : args[1];
    return vm->none;
}

FN(loop_get_exception_handler_m)
{
    sim_obj *f = LOOPOBJ(args[0])->exc_handler;
    return f ? f : vm->none;
}

FN(loop_default_exception_handler_m)
{
    if (sim_check_nargs(vm, "default_exception_handler", nargs - 1, 1, 1) < 0)
        return NULL;
    aio_default_report(ST, LOOPOBJ(args[0]), args[1]);
    return vm->none;
}

FN(loop_call_exception_handler_m)
{
    if (sim_check_nargs(vm, "call_exception_handler", nargs - 1, 1, 1) < 0)
        return NULL;
    aio_loopobj *lo = LOOPOBJ(args[0]);
    if (!lo->exc_handler) {
        aio_default_report(ST, lo, args[1]);
        return vm->none;
    }
    sim_obj *a[2] = {&lo->hdr, args[1]};
    sim_obj *r = sim_call(vm, lo->exc_handler, a, 2, NULL);
    if (!r) {
        sim_obj *e = sim_exc_fetch(vm);
        fflush(vm->opt.out);
        fprintf(vm->opt.err, "Unhandled error in exception handler\n");
        if (e)
            sim__print_exception(vm, e, vm->opt.err);
    }
    return vm->none;
}

/* BaseEventLoop._asyncgen_firstiter_hook: the loop remembers the generator. */
FN(asyncgen_firstiter)
{
    aio_loopobj *lo = LOOPOBJ(args[0]);
    if (nargs < 2)
        return vm->none;
    if (!lo->asyncgens)
        lo->asyncgens = sim_list_new(vm, 0, NULL);
    if (sim_list_append(vm, lo->asyncgens, args[1]) < 0)
        return NULL;
    return vm->none;
}

/* The body of shutdown_asyncgens once it runs: gather(*[ag.aclose() ...],
 * return_exceptions=True) over the generators taken (args[0], a list). */
FN(asyncgens_close_all)
{
    sim_obj *gens = args[0];
    sim_obj *aws = sim_list_new(vm, 0, NULL);
    sim_push(vm, aws);
    for (size_t i = 0; i < SIM_LIST(gens)->len; i++) {
        sim_obj *c = sim_call_method(vm, SIM_LIST(gens)->items[i], "aclose", NULL, 0);
        if (!c) {
            sim_pop(vm, 1);
            return NULL;
        }
        sim_push(vm, c);
        sim_list_append(vm, aws, c);
        sim_pop(vm, 1);
    }
    sim_obj *gather = sim_getattr(vm, ST->mod_asyncio, sim_intern(vm, "gather"));
    sim_obj *r = NULL;
    if (gather) {
        sim_obj *kn = sim_tuple_new(vm, 1, NULL);
        sim_push(vm, kn);
        SIM_TUPLE(kn)->items[0] = sim_intern(vm, "return_exceptions");
        size_t n = SIM_LIST(aws)->len;
        sim_obj **argv = malloc((n + 1) * sizeof *argv);
        memcpy(argv, SIM_LIST(aws)->items, n * sizeof *argv);
        argv[n] = vm->true_;
        r = sim_call(vm, gather, argv, (int)n, kn);
        free(argv);
        sim_pop(vm, 1);
    }
    sim_pop(vm, 1);
    return r;
}

/* BaseEventLoop.shutdown_asyncgens(): closes the generators the loop saw. */
sim_obj *aio_shutdown_asyncgens(aio_state *st, aio_loopobj *lo)
{
    sim_vm *vm = st->vm;
    lo->asyncgens_shutdown = true;
    if (!lo->asyncgens || SIM_LIST(lo->asyncgens)->len == 0)
        return aio_done_coro(st, vm->none);
    sim_obj *gens = lo->asyncgens;
    lo->asyncgens = NULL;
    sim_push(vm, gens);
    sim_obj *fn = sim_native_new(vm, "shutdown_asyncgens", asyncgens_close_all, NULL, NULL);
    sim_push(vm, fn);
    sim_obj *r = aio_lazy_call(st, "BaseEventLoop.shutdown_asyncgens", fn, &gens, 1, NULL);
    sim_pop(vm, 2);
    return r;
}

FN(loop_shutdown_asyncgens_m)
{
    return aio_shutdown_asyncgens(ST, LOOPOBJ(args[0]));
}

/* While a loop runs, sys's firstiter hook is the loop's (run_forever). */
static sim_obj *hooks_install(aio_state *st, aio_loopobj *lo)
{
    sim_vm *vm = st->vm;
    sim_obj *old = vm->agen_firstiter;
    if (!lo->firstiter_hook)
        lo->firstiter_hook = sim_native_new(vm, "_asyncgen_firstiter_hook", asyncgen_firstiter, &lo->hdr, NULL);
    vm->agen_firstiter = lo->firstiter_hook;
    return old;
}

FN(loop_shutdown_default_executor_m)
{
    aio_loopobj *lo = LOOPOBJ(args[0]);
    return aio_ncoro_or_raise(ST, lo->l, loop_shutdown_default_executor(lo->l));
}

FN(loop_enter) { return args[0]; }


/* VirtualLoop() / asyncio.SelectorEventLoop(): a new event loop (new_event_loop). */
FN(loop_new_m) { return &aio_loop_new(ST)->hdr; }

static const sim_method_def loop_methods[] = {
    {"__new__", loop_new_m, NULL, SIM_METH_STATIC},
    {"run_until_complete", loop_run_until_complete_m, NULL, 0},
    {"run_forever", loop_run_forever_m, NULL, 0},
    {"stop", loop_stop_m, NULL, 0},
    {"close", loop_close_m, NULL, 0},
    {"is_running", loop_is_running_m, NULL, 0},
    {"is_closed", loop_is_closed_m, NULL, 0},
    {"time", loop_time_m, NULL, 0},
    {"call_soon", loop_call_soon_m, NULL, 0},
    {"call_soon_threadsafe", loop_call_soon_ts_m, NULL, 0},
    {"call_later", loop_call_later_m, NULL, 0},
    {"call_at", loop_call_at_m, NULL, 0},
    {"create_task", loop_create_task_m, NULL, 0},
    {"create_future", loop_create_future_m, NULL, 0},
    {"run_in_executor", loop_run_in_executor_m, NULL, 0},
    {"set_default_executor", loop_set_default_executor_m, NULL, 0},
    {"set_debug", loop_set_debug_m, NULL, 0},
    {"get_debug", loop_get_debug_m, NULL, 0},
    {"set_task_factory", loop_set_task_factory_m, NULL, 0},
    {"get_task_factory", loop_get_task_factory_m, NULL, 0},
    {"set_exception_handler", loop_set_exception_handler_m, NULL, 0},
    {"get_exception_handler", loop_get_exception_handler_m, NULL, 0},
    {"default_exception_handler", loop_default_exception_handler_m, NULL, 0},
    {"call_exception_handler", loop_call_exception_handler_m, NULL, 0},
    {"shutdown_asyncgens", loop_shutdown_asyncgens_m, NULL, 0},
    {"shutdown_default_executor", loop_shutdown_default_executor_m, NULL, 0},
    {"__enter__", loop_enter, NULL, 0},
    {NULL, NULL, NULL, 0},
};

void aio_loop_type_init(aio_state *st)
{
    static const sim_type_hooks loop_hooks = {.trace = loopobj_trace, .repr = loopobj_repr};
    /* named as the oracle's loop class (vref.py's VirtualLoop, defined in __main__) */
    st->t_loop = sim_type_new_native(st->vm, "VirtualLoop", "__main__", NULL,
                                     sizeof(aio_loopobj), &loop_hooks, loop_methods);
}
