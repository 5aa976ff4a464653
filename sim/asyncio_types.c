/* asyncio_types.c — the native types over loop objects: Future, Task, Handle,
 * TimerHandle, the loop's own coroutines, executor jobs, and the event loop object
 * with the methods of BaseEventLoop (base_events.py) that DESIGN.md §2 lists. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio_int.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define ST ((aio_state *)vm->asyncio)
#define FUT(o) ((loop_future *)AIO_LOBJ(o))
#define TASK(o) ((loop_task *)AIO_LOBJ(o))
#define HANDLE(o) ((loop_handle *)AIO_LOBJ(o))
#define LOOPOBJ(o) ((aio_loopobj *)(o))

static sim_obj *hooks_install(aio_state *st, aio_loopobj *lo);

/* ---- shared hooks of loop-object types ------------------------------------------------- */

static void lobj_trace(sim_vm *vm, sim_obj *self)
{
    loop_obj_trace(AIO_LOBJ(self), aio_tracer(vm));
}

static void task_trace(sim_vm *vm, sim_obj *self)
{
    loop_obj_trace(AIO_LOBJ(self), aio_tracer(vm));
    sim_mark(vm, *aio_task_code_slot((loop_task *)AIO_LOBJ(self)));
}

static void lobj_finalize(sim_vm *vm, sim_obj *self)
{
    loop_obj_finalize(AIO_LOBJ(self));
}

/* The loop a loop object belongs to. */
static loop *owner(sim_obj *o) { return AIO_LOBJ(o)->owner; }

aio_loopobj *aio_get_running(aio_state *st)
{
    return sim_in_job(st->vm) ? NULL : st->running;
}

/* The loop that a new Future or primitive binds to: the running loop, else the
 * policy's loop (get_event_loop), made on demand. */
aio_loopobj *aio_loop_for_new(aio_state *st)
{
    aio_loopobj *lo = aio_get_running(st);
    if (lo)
        return lo;
    if (!st->event_loop) {
        aio_loopobj *n = aio_loop_new(st);
        if (!st->set_called)
            st->event_loop = n;
        return n;
    }
    return st->event_loop;
}

double aio_timeout_arg(sim_vm *vm, sim_obj *o, bool *ok)
{
    *ok = true;
    if (!o || o == vm->none)
        return -1;
    if (!SIM_IS_INT(o) && !SIM_IS_FLOAT(o)) {
        sim_raise_msg(vm, SIM_E_TypeError, "'<=' not supported between instances of '%s' and 'int'",
                      sim_type_name(o));
        *ok = false;
        return 0;
    }
    return sim_obj_as_double(vm, o, ok);
}

bool aio_is_coroutine(aio_state *st, sim_obj *o)
{
    sim_vm *vm = st->vm;
    return o->type == vm->types[SIM_T_coroutine] || o->type == st->kt[LOOP_K_NCORO] ||
           o->type == st->t_lockcm || (st->t_tothread && o->type == st->t_tothread);
}

sim_obj *aio_ncoro_obj(loop_ncoro *c)
{
    return AIO_OBJ(c);
}

static sim_obj *ncoro_or_raise(aio_state *st, loop *l, loop_ncoro *c)
{
    if (!c)
        return aio_raise_loop_error(st, l);
    return AIO_OBJ(c);
}

/* ---- immediate coroutines ------------------------------------------------------------------
 * A coroutine that returns `value` at its first send (an `async def` with no await):
 * __aexit__ of locks, shutdown_asyncgens. */
typedef struct aio_done { sim_obj hdr; sim_obj *value; bool used; } aio_done;

static void done_trace(sim_vm *vm, sim_obj *self) { sim_mark(vm, ((aio_done *)self)->value); }

static sim_sendres done_send(sim_vm *vm, sim_obj *self, sim_obj *value, sim_obj *exc, sim_obj **out)
{
    aio_done *d = (aio_done *)self;
    if (exc) {
        d->used = true;
        sim_raise(vm, exc);
        return SIM_SEND_ERROR;
    }
    if (d->used) {
        sim_raise_msg(vm, SIM_E_RuntimeError, "cannot reuse already awaited coroutine");
        return SIM_SEND_ERROR;
    }
    d->used = true;
    *out = d->value ? d->value : vm->none;
    return SIM_SEND_RETURN;
}

static sim_obj *done_new(aio_state *st, sim_obj *value)
{
    sim_vm *vm = st->vm;
    sim_push(vm, value);
    aio_done *d = (aio_done *)sim_cobj_new(vm, st->t_lockcm);
    sim_pop(vm, 1);
    d->value = value;
    return &d->hdr;
}

sim_obj *aio_done_coro(aio_state *st, sim_obj *value) { return done_new(st, value); }

FN(done_close) { ((aio_done *)args[0])->used = true; return vm->none; }
FN(self_fn) { return args[0]; }

/* ---- native coroutines (loop_ncoro) ------------------------------------------------------- */

static sim_sendres ncoro_send(sim_vm *vm, sim_obj *self, sim_obj *value, sim_obj *exc, sim_obj **out)
{
    loop_ncoro *c = (loop_ncoro *)AIO_LOBJ(self);
    loop_val r = NULL;
    loop_resume res = loop_ncoro_resume(c->hdr.owner, c, exc ? NULL : value, exc, &r);
    switch (res) {
    case LOOP_YIELDED: *out = r; return SIM_SEND_YIELD;
    case LOOP_RETURNED: *out = r; return SIM_SEND_RETURN;
    default:
        sim_raise(vm, r);
        return SIM_SEND_ERROR;
    }
}

static sim_obj *ncoro_repr(sim_vm *vm, sim_obj *self)
{
    loop_ncoro *c = (loop_ncoro *)AIO_LOBJ(self);
    return sim_str_fmt(vm, "<coroutine object %s at %p>", c->name ? c->name : "coroutine", (void *)self);
}

FN(ncoro_m_send)
{
    if (sim_check_nargs(vm, "send", nargs - 1, 1, 1) < 0)
        return NULL;
    sim_obj *out = NULL;
    sim_sendres r = ncoro_send(vm, args[0], args[1], NULL, &out);
    if (r == SIM_SEND_YIELD)
        return out;
    if (r == SIM_SEND_RETURN) {
        sim_obj *a = sim_tuple_new(vm, out == vm->none ? 0 : 1, &out);
        return sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], a));
    }
    return NULL;
}

FN(ncoro_m_throw)
{
    if (sim_check_nargs(vm, "throw", nargs - 1, 1, 3) < 0)
        return NULL;
    sim_obj *e = args[1];
    if (SIM_IS_TYPE(e)) {
        e = sim_call0(vm, e);
        if (!e)
            return NULL;
    }
    sim_obj *out = NULL;
    sim_push(vm, e);
    sim_sendres r = ncoro_send(vm, args[0], NULL, e, &out);
    sim_pop(vm, 1);
    if (r == SIM_SEND_YIELD)
        return out;
    if (r == SIM_SEND_RETURN) {
        sim_obj *a = sim_tuple_new(vm, out == vm->none ? 0 : 1, &out);
        return sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], a));
    }
    return NULL;
}

FN(ncoro_m_close)
{
    loop_ncoro *c = (loop_ncoro *)AIO_LOBJ(args[0]);
    loop_ncoro_close(c->hdr.owner, c);
    return vm->none;
}

/* ---- Future ------------------------------------------------------------------------------ */

/* Future.__await__ as the object's own send hook: yields itself while pending (with
 * _asyncio_future_blocking set), then returns the result or raises. */
static sim_sendres fut_send(sim_vm *vm, sim_obj *self, sim_obj *value, sim_obj *exc, sim_obj **out)
{
    loop_future *f = FUT(self);
    if (exc) {
        sim_raise(vm, exc);
        return SIM_SEND_ERROR;
    }
    if (!loop_future_done(f)) {
        f->blocking = true;
        *out = self;
        return SIM_SEND_YIELD;
    }
    loop_val r;
    if (loop_future_result(owner(self), f, &r) < 0) {
        aio_raise_loop_error(ST, owner(self));
        return SIM_SEND_ERROR;
    }
    *out = r;
    return SIM_SEND_RETURN;
}

static sim_obj *fut_repr(sim_vm *vm, sim_obj *self)
{
    return aio_future_repr(ST, FUT(self));
}

static sim_obj *new_future(aio_state *st, aio_loopobj *lo)
{
    loop_future *f = loop_future_new(lo->l);
    return AIO_OBJ(f);
}

FN(fut_new)
{
    static const char *const kw[] = {"loop", NULL};
    if (aio_check_kw(vm, "Future", kwnames, kw) < 0)
        return NULL;
    if (nargs > 1)
        return sim_raise_msg(vm, SIM_E_TypeError, "Future() takes no positional arguments");
    sim_obj *lp = aio_kwarg(args, nargs, kwnames, "loop");
    aio_loopobj *lo = lp && lp != vm->none ? LOOPOBJ(lp) : aio_loop_for_new(ST);
    return new_future(ST, lo);
}

FN(fut_result)
{
    loop_val r;
    if (FUT(args[0])->state == LOOP_PENDING)
        return sim_raise_type(vm, ST->e_invalid, "Result is not set.");
    if (loop_future_result(owner(args[0]), FUT(args[0]), &r) < 0)
        return aio_raise_loop_error(ST, owner(args[0]));
    return r;
}

FN(fut_exception)
{
    loop_val r;
    if (FUT(args[0])->state == LOOP_PENDING)
        return sim_raise_type(vm, ST->e_invalid, "Exception is not set.");
    if (loop_future_exception(owner(args[0]), FUT(args[0]), &r) < 0)
        return aio_raise_loop_error(ST, owner(args[0]));
    return r;
}

FN(fut_set_result)
{
    if (sim_check_nargs(vm, "set_result", nargs - 1, 1, 1) < 0)
        return NULL;
    if (loop_is_task(FUT(args[0])))
        return sim_raise_msg(vm, SIM_E_RuntimeError, "Task does not support set_result operation");
    if (loop_future_set_result(owner(args[0]), FUT(args[0]), args[1]) < 0)
        return aio_raise_loop_error(ST, owner(args[0]));
    return vm->none;
}

FN(fut_set_exception)
{
    if (sim_check_nargs(vm, "set_exception", nargs - 1, 1, 1) < 0)
        return NULL;
    if (loop_is_task(FUT(args[0])))
        return sim_raise_msg(vm, SIM_E_RuntimeError, "Task does not support set_exception operation");
    if (loop_future_done(FUT(args[0]))) {
        loop_val dummy = vm->none;
        if (loop_future_set_result(owner(args[0]), FUT(args[0]), dummy) < 0)
            return aio_raise_loop_error(ST, owner(args[0]));
    }
    sim_obj *e = args[1];
    if (SIM_IS_TYPE(e)) {
        e = sim_call0(vm, e);
        if (!e)
            return NULL;
    }
    if (!SIM_IS_EXC(e))
        return sim_raise_msg(vm, SIM_E_TypeError, "invalid exception object");
    if (sim_isinstance_type(e, vm->exc_types[SIM_E_StopIteration]))
        return sim_raise_msg(vm, SIM_E_TypeError,
                             "StopIteration interacts badly with generators and cannot be raised into a Future");
    sim_push(vm, e);
    int r = loop_future_set_exception(owner(args[0]), FUT(args[0]), e);
    sim_pop(vm, 1);
    if (r < 0)
        return aio_raise_loop_error(ST, owner(args[0]));
    return vm->none;
}

FN(fut_cancel)
{
    static const char *const names[] = {"msg", NULL};
    sim_obj *a[1];
    if (sim_parse_args(vm, "cancel", args + 1, nargs - 1, kwnames, 0, 1, names, a) < 0)
        return NULL;
    loop_val msg = a[0] && a[0] != vm->none ? a[0] : NULL;
    loop_future *f = FUT(args[0]);
    bool r = loop_is_task(f) ? loop_task_cancel(owner(args[0]), (loop_task *)f, msg)
                             : loop_future_cancel(owner(args[0]), f, msg);
    return sim_bool(vm, r);
}

FN(fut_cancelled) { return sim_bool(vm, loop_future_cancelled(FUT(args[0]))); }
FN(fut_done) { return sim_bool(vm, loop_future_done(FUT(args[0]))); }

FN(fut_add_done_callback)
{
    if (nargs != 2)
        return sim_raise_msg(vm, SIM_E_TypeError, "add_done_callback() takes exactly 1 positional argument (%d given)",
                             nargs - 1);
    static const char *const kw[] = {"context", NULL};
    if (aio_check_kw(vm, "add_done_callback", kwnames, kw) < 0)
        return NULL;
    sim_obj *ctx = aio_kwarg(args, nargs, kwnames, "context");
    if ((!ctx || ctx == vm->none) && vm->ctx_types[0])
        ctx = sim_context_copy(vm);
    sim_push(vm, ctx);
    loop_callback cb = {0};
    cb.fn = aio_trampoline;
    cb.val = args[1];
    cb.ctx = ctx && ctx != vm->none ? ctx : NULL;
    loop_future_add_callback(owner(args[0]), FUT(args[0]), &cb);
    sim_pop(vm, 1);
    return vm->none;
}

FN(fut_remove_done_callback)
{
    if (sim_check_nargs(vm, "remove_done_callback", nargs - 1, 1, 1) < 0)
        return NULL;
    size_t n = loop_future_remove_callback(owner(args[0]), FUT(args[0]), aio_trampoline, NULL, args[1]);
    return sim_int_new(vm, (int64_t)n);
}

FN(fut_get_loop)
{
    aio_loopobj *lo = aio_loopobj_of(ST, owner(args[0]));
    return lo ? &lo->hdr : vm->none;
}

FN(fut_await) { return args[0]; }

FN(fut_blocking_get) { return sim_bool(vm, FUT(args[0])->blocking); }

/* ---- Task ------------------------------------------------------------------------------------ */

static sim_obj *create_task(aio_state *st, aio_loopobj *lo, sim_obj *coro, sim_obj *name, sim_obj *ctx);

/* loop.create_task(coro): through the loop's task factory when one is set. */
sim_obj *aio_loop_create_task(aio_state *st, aio_loopobj *lo, sim_obj *coro)
{
    if (lo->task_factory) {
        sim_obj *a[2] = {&lo->hdr, coro};
        return sim_call(st->vm, lo->task_factory, a, 2, NULL);
    }
    return aio_create_task(st, lo, coro, NULL, NULL);
}

sim_obj *aio_create_task(aio_state *st, aio_loopobj *lo, sim_obj *coro, sim_obj *name, sim_obj *ctx)
{
    sim_vm *vm = st->vm;
    sim_push(vm, coro);
    sim_obj *r = create_task(st, lo, coro, name, ctx);
    sim_pop(vm, 1);
    return r;
}

static sim_obj *create_task(aio_state *st, aio_loopobj *lo, sim_obj *coro, sim_obj *name, sim_obj *ctx)
{
    sim_vm *vm = st->vm;
    if (!aio_is_coroutine(st, coro)) {
        sim_obj *r = sim_repr(vm, coro);
        if (!r)
            return NULL;
        return sim_raise_msg(vm, SIM_E_TypeError, "a coroutine was expected, got %s", SIM_CSTR(r));
    }
    sim_obj *nm = NULL;
    if (name && name != vm->none) {
        nm = sim_str(vm, name);
        if (!nm)
            return NULL;
        st->task_counter++;     /* a named task takes a number too (CPython 3.11) */
    }
    sim_push(vm, nm);
    /* copy_context() for the task; unobservable (and skipped) until the program
     * imports contextvars */
    if (!ctx || ctx == vm->none)
        ctx = vm->ctx_types[0] ? sim_context_copy(vm) : NULL;
    sim_push(vm, ctx);
    loop_task *t = loop_task_new(lo->l, coro, nm, ctx);
    sim_pop(vm, 2);
    if (!t)
        return aio_raise_loop_error(st, lo->l);
    return AIO_OBJ(t);
}

FN(task_new)
{
    static const char *const names[] = {"coro", "loop", "name", "context", NULL};
    sim_obj *a[4];
    if (sim_parse_args(vm, "Task", args + 1, nargs - 1, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_loopobj *lo = a[1] && a[1] != vm->none ? LOOPOBJ(a[1]) : aio_loop_for_new(ST);
    return aio_create_task(ST, lo, a[0], a[2], a[3]);
}

FN(task_get_name)
{
    loop_task *t = TASK(args[0]);
    return t->name ? t->name : vm->none;
}

FN(task_set_name)
{
    if (sim_check_nargs(vm, "set_name", nargs - 1, 1, 1) < 0)
        return NULL;
    sim_obj *s = sim_str(vm, args[1]);
    if (!s)
        return NULL;
    TASK(args[0])->name = s;
    return vm->none;
}

FN(task_get_coro) { return TASK(args[0])->coro; }
FN(task_cancelling) { return sim_int_new(vm, loop_task_cancelling(TASK(args[0]))); }
FN(task_uncancel) { return sim_int_new(vm, loop_task_uncancel(owner(args[0]), TASK(args[0]))); }

FN(task_get_context)
{
    loop_task *t = TASK(args[0]);
    return t->ctx ? t->ctx : vm->none;
}

FN(task_get_stack) { return sim_list_new(vm, 0, NULL); }

/* ---- Handle / TimerHandle ---------------------------------------------------------------------- */

static sim_obj *handle_repr(sim_vm *vm, sim_obj *self)
{
    return aio_handle_repr(ST, HANDLE(self));
}

FN(handle_cancel)
{
    loop_handle_cancel(owner(args[0]), HANDLE(args[0]));
    return vm->none;
}

FN(handle_cancelled) { return sim_bool(vm, HANDLE(args[0])->cancelled); }
FN(handle_when) { return sim_float_new(vm, HANDLE(args[0])->when); }

FN(handle_get_context)
{
    loop_handle *h = HANDLE(args[0]);
    return h->cb.ctx ? h->cb.ctx : vm->none;
}

/* ---- the callback trampoline --------------------------------------------------------------------- */

/* Runs a Python callback: fn(*val2) for call_soon & co, fn(future) for a done
 * callback (Handle._run). An exception goes to the exception handler, except
 * KeyboardInterrupt/SystemExit (and the deadlock) which end the loop run. */
int aio_trampoline(loop *l, loop_handle *h)
{
    aio_state *st = loop_get_host(l)->ud;
    sim_vm *vm = st->vm;
    sim_obj *r, *prev = NULL;
    /* Handle._run: self._context.run(self._callback, *self._args) */
    if (h->cb.ctx)
        prev = sim_context_enter(vm, h->cb.ctx);
    if (h->cb.val2) {
        sim_tuple *t = SIM_TUPLE(h->cb.val2);
        r = sim_call(vm, h->cb.val, t->items, (int)t->len, NULL);
    } else if (h->arg) {
        sim_obj *a = AIO_OBJ(h->arg);
        r = sim_call(vm, h->cb.val, &a, 1, NULL);
    } else {
        r = sim_call(vm, h->cb.val, NULL, 0, NULL);
    }
    if (h->cb.ctx)
        sim_context_exit(vm, prev);
    if (r)
        return 0;
    sim_obj *exc = sim_exc_fetch(vm);
    if (vm->limit_hit || loop_get_host(l)->is_error(st, exc, LOOP_E__COUNT)) {
        loop_set_error_val(l, exc);
        return -1;
    }
    sim_push(vm, exc);
    sim_obj *hr = aio_handle_repr(st, h);
    if (!hr)
        sim_exc_fetch(vm);
    sim_push(vm, hr);
    char *msg = NULL;
    if (hr && strncmp(SIM_CSTR(hr), "<Handle ", 8) == 0) {
        /* 'Exception in callback cb() at prog.py:3' (the repr without '<Handle ', '>') */
        size_t n = SIM_STR(hr)->len;
        msg = malloc(n + 32);
        snprintf(msg, n + 32, "Exception in callback %.*s", (int)(n - 9), SIM_CSTR(hr) + 8);
    }
    loop_get_host(l)->report(st, l, msg ? msg : "Exception in callback", exc, &h->hdr);
    free(msg);
    sim_pop(vm, 2);
    return 0;
}

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
    return sim_str_fmt(vm, "<_UnixSelectorEventLoop running=%s closed=%s debug=%s>",
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
    if (check_callback(st, args[first], names[which]) < 0)
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
    return new_future(ST, LOOPOBJ(args[0]));
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
        return done_new(st, vm->none);
    sim_obj *gens = lo->asyncgens;
    lo->asyncgens = NULL;
    sim_push(vm, gens);
    sim_obj *fn = sim_native_new(vm, "shutdown_asyncgens", asyncgens_close_all, NULL, NULL);
    sim_push(vm, fn);
    sim_obj *r = aio_lazy_call(st, "BaseEventLoop.shutdown_asyncgens", fn, &gens, 1);
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
    return ncoro_or_raise(ST, lo->l, loop_shutdown_default_executor(lo->l));
}

FN(loop_enter) { return args[0]; }

/* ---- type creation -------------------------------------------------------------------------------- */

extern const sim_method_def aio_sync_methods_lock[], aio_sync_methods_event[],
    aio_sync_methods_condition[], aio_sync_methods_semaphore[], aio_sync_methods_queue[],
    aio_sync_methods_taskgroup[], aio_sync_methods_timeout[], aio_sync_methods_ascompleted[],
    aio_sync_methods_cfuture[], aio_sync_methods_executor[];
extern const sim_type_hooks aio_ascompleted_hooks, aio_cfuture_hooks;

static sim_type *ltype(aio_state *st, loop_kind k, const char *name, const char *mod, sim_type *base,
                       const sim_type_hooks *hooks0, const sim_method_def *methods)
{
    sim_type_hooks hooks = {0};
    if (hooks0)
        hooks = *hooks0;
    hooks.trace = k == LOOP_K_TASK ? task_trace : lobj_trace;
    hooks.finalize = lobj_finalize;
    sim_type *t = sim_type_new_native(st->vm, name, mod, base, 0, &hooks, methods);
    t->flags |= SIM_TF_BASETYPE;
    if ((int)k >= 0)
        st->kt[k] = t;
    return t;
}

static const sim_method_def future_methods[] = {
    {"__new__", fut_new, NULL, SIM_METH_STATIC},
    {"result", fut_result, NULL, 0},
    {"exception", fut_exception, NULL, 0},
    {"set_result", fut_set_result, NULL, 0},
    {"set_exception", fut_set_exception, NULL, 0},
    {"cancel", fut_cancel, NULL, 0},
    {"cancelled", fut_cancelled, NULL, 0},
    {"done", fut_done, NULL, 0},
    {"add_done_callback", fut_add_done_callback, NULL, 0},
    {"remove_done_callback", fut_remove_done_callback, NULL, 0},
    {"get_loop", fut_get_loop, NULL, 0},
    {"__await__", fut_await, NULL, 0},
    {"__iter__", fut_await, NULL, 0},
    {"_asyncio_future_blocking", NULL, fut_blocking_get, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def task_methods[] = {
    {"__new__", task_new, NULL, SIM_METH_STATIC},
    {"get_name", task_get_name, NULL, 0},
    {"set_name", task_set_name, NULL, 0},
    {"get_coro", task_get_coro, NULL, 0},
    {"cancelling", task_cancelling, NULL, 0},
    {"uncancel", task_uncancel, NULL, 0},
    {"get_context", task_get_context, NULL, 0},
    {"get_stack", task_get_stack, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def handle_methods[] = {
    {"cancel", handle_cancel, NULL, 0},
    {"cancelled", handle_cancelled, NULL, 0},
    {"get_context", handle_get_context, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def timerhandle_methods[] = {
    {"when", handle_when, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def ncoro_methods[] = {
    {"send", ncoro_m_send, NULL, 0},
    {"throw", ncoro_m_throw, NULL, 0},
    {"close", ncoro_m_close, NULL, 0},
    {"__await__", self_fn, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def done_methods[] = {
    {"close", done_close, NULL, 0},
    {"__await__", self_fn, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def loop_methods[] = {
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

void aio_types_init(aio_state *st)
{
    sim_vm *vm = st->vm;
    static const sim_type_hooks fut_hooks = {.repr = fut_repr, .send = fut_send};
    static const sim_type_hooks handle_hooks = {.repr = handle_repr};
    static const sim_type_hooks ncoro_hooks = {.repr = ncoro_repr, .send = ncoro_send};
    sim_type *fut = ltype(st, LOOP_K_FUTURE, "Future", "_asyncio", NULL, &fut_hooks, future_methods);
    ltype(st, LOOP_K_TASK, "Task", "_asyncio", fut, &fut_hooks, task_methods);
    sim_type *h = ltype(st, LOOP_K_HANDLE, "Handle", "asyncio.events", NULL, &handle_hooks, handle_methods);
    st->t_timerhandle = ltype(st, (loop_kind)-1, "TimerHandle", "asyncio.events", h, &handle_hooks,
                              timerhandle_methods);
    ltype(st, LOOP_K_NCORO, "coroutine", "builtins", NULL, &ncoro_hooks, ncoro_methods);
    ltype(st, LOOP_K_CFUTURE, "Future", "concurrent.futures._base", NULL, &aio_cfuture_hooks,
          aio_sync_methods_cfuture);
    ltype(st, LOOP_K_EXECUTOR, "ThreadPoolExecutor", "concurrent.futures.thread", NULL, NULL,
          aio_sync_methods_executor);
    ltype(st, LOOP_K_THREAD, "_VThread", "asyncio", NULL, NULL, NULL);
    ltype(st, LOOP_K_LOCK, "Lock", "asyncio.locks", NULL, NULL, aio_sync_methods_lock);
    ltype(st, LOOP_K_EVENT, "Event", "asyncio.locks", NULL, NULL, aio_sync_methods_event);
    ltype(st, LOOP_K_CONDITION, "Condition", "asyncio.locks", NULL, NULL, aio_sync_methods_condition);
    ltype(st, LOOP_K_SEMAPHORE, "Semaphore", "asyncio.locks", NULL, NULL, aio_sync_methods_semaphore);
    ltype(st, LOOP_K_QUEUE, "Queue", "asyncio.queues", NULL, NULL, aio_sync_methods_queue);
    ltype(st, LOOP_K_TASKGROUP, "TaskGroup", "asyncio.taskgroups", NULL, NULL, aio_sync_methods_taskgroup);
    ltype(st, LOOP_K_TIMEOUT, "Timeout", "asyncio.timeouts", NULL, NULL, aio_sync_methods_timeout);
    ltype(st, LOOP_K_ASCOMPLETED, "_AsCompleted", "asyncio.tasks", NULL, &aio_ascompleted_hooks,
          aio_sync_methods_ascompleted);
    ltype(st, LOOP_K_STATE, "_state", "asyncio", NULL, NULL, NULL);
    static const sim_type_hooks loop_hooks = {.trace = loopobj_trace, .repr = loopobj_repr};
    st->t_loop = sim_type_new_native(vm, "_UnixSelectorEventLoop", "asyncio.unix_events", NULL,
                                     sizeof(aio_loopobj), &loop_hooks, loop_methods);
    static const sim_type_hooks done_hooks = {.trace = done_trace, .send = done_send};
    st->t_lockcm = sim_type_new_native(vm, "coroutine", "builtins", NULL, sizeof(aio_done), &done_hooks,
                                       done_methods);
    /* exceptions (asyncio.exceptions, concurrent.futures._base) */
    sim_type *base_exc = vm->exc_types[SIM_E_BaseException];
    sim_type *exc = vm->exc_types[SIM_E_Exception];
    st->e_cancelled = sim_exc_type_new(vm, "CancelledError", "asyncio.exceptions", base_exc);
    st->e_invalid = sim_exc_type_new(vm, "InvalidStateError", "asyncio.exceptions", exc);
    st->e_qempty = sim_exc_type_new(vm, "QueueEmpty", "asyncio.queues", exc);
    st->e_qfull = sim_exc_type_new(vm, "QueueFull", "asyncio.queues", exc);
    st->e_deadlock = sim_exc_type_new(vm, "DeadlockError", "__main__", base_exc);
    st->e_cf_error = sim_exc_type_new(vm, "Error", "concurrent.futures._base", exc);
    st->e_cf_cancelled = sim_exc_type_new(vm, "CancelledError", "concurrent.futures._base", st->e_cf_error);
    st->e_broken = sim_exc_type_new(vm, "BrokenExecutor", "concurrent.futures._base", exc);
}
