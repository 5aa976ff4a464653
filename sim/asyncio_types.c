/* asyncio_types.c — the native types over loop objects: Future, Task, Handle,
 * TimerHandle, the loop's own coroutines (loop_ncoro), immediate coroutines, the
 * callback trampoline, and the creation of every native type of the binding. */
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

/* hash(): deterministic (the loop object's number in its loop, and the loop's), so
 * that sets of tasks iterate the same way in every run; CPython hashes by address. */
static uint64_t lobj_hash(sim_vm *vm, sim_obj *self)
{
    loop_obj *o = AIO_LOBJ(self);
    aio_state *st = vm->asyncio;
    uint64_t nloop = 0;
    for (size_t i = 0; st && i < st->nloops; i++)
        if (st->loops[i]->l == o->owner)
            nloop = i + 1;
    return (nloop << 40) ^ o->id;
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
    double d = sim_obj_as_double(vm, o, ok);
    return d < 0 ? 0 : d;       /* every timeout <= 0 acts alike; -1 means None */
}

bool aio_is_coroutine(aio_state *st, sim_obj *o)
{
    sim_vm *vm = st->vm;
    return o->type == vm->types[SIM_T_coroutine] || o->type == st->kt[LOOP_K_NCORO] ||
           o->type == st->t_lockcm || (st->t_tothread && o->type == st->t_tothread);
}

sim_obj *aio_ncoro_or_raise(aio_state *st, loop *l, loop_ncoro *c)
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

/* __new__ of the types only the binding makes (their objects are loop objects of
 * the loop's own layout): TypeError, never a half-made object. */
FN(aio_no_new)
{
    sim_type *t = nargs > 0 && SIM_IS_TYPE(args[0]) ? (sim_type *)args[0] : NULL;
    return sim_raise_msg(vm, SIM_E_TypeError, "cannot create '%s' instances",
                         t ? SIM_CSTR(t->name) : "asyncio");
}

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
    return sim_str_fmt(vm, "<coroutine object %s at 0x%llx>", c->name ? c->name : "coroutine", (unsigned long long)sim_identity(vm, self));
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

sim_obj *aio_new_future(aio_state *st, aio_loopobj *lo)
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
    return aio_new_future(ST, lo);
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
    aio_note_failed(ST, args[0]);
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
    loop_task *t = TASK(args[0]);
    t->name = s;
    if (t->fut.hdr.owner)   /* traces name tasks as the program does */
        loop_emit(t->fut.hdr.owner, LOOP_EV_TASK_RENAME, &t->fut.hdr, s, NULL);
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
FN(handle_when)
{
    loop_handle *h = HANDLE(args[0]);
    if (h->hdr.flags & AIO_F_INT_WHEN)
        return sim_int_new(vm, (int64_t)h->when);
    return sim_float_new(vm, h->when);
}

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
    sim_obj *msg = aio_callback_message(st, h);
    if (!msg)
        sim_exc_fetch(vm);
    sim_push(vm, msg);
    loop_get_host(l)->report(st, l, msg ? SIM_CSTR(msg) : "Exception in callback", exc, &h->hdr);
    sim_pop(vm, 2);
    return 0;
}

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
    /* only kinds owning malloc'd memory get a finalizer: the others (handles, the
     * loop's coroutines: the most numerous) stay on the VM's cheap small-object path */
    bool owns_memory = !(k == LOOP_K_HANDLE || (int)k == -1 || k == LOOP_K_NCORO || k == LOOP_K_THREAD ||
                         k == LOOP_K_TIMEOUT);
    if (base && base->hooks.finalize)
        owns_memory = true;
    hooks.finalize = owns_memory ? lobj_finalize : NULL;
    hooks.hash = lobj_hash;
    sim_type *t = sim_type_new_native(st->vm, name, mod, base, 0, &hooks, methods);
    t->flags |= SIM_TF_BASETYPE;
    /* a future's finalize frees only its own callback array (rarely there: the first
     * callback is inline) */
    if (k == LOOP_K_FUTURE || k == LOOP_K_TASK)
        t->flags |= SIM_TF_PLAIN_FINALIZE;
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
    {"__new__", aio_no_new, NULL, SIM_METH_STATIC},
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
    {"__new__", aio_no_new, NULL, SIM_METH_STATIC},
    {"send", ncoro_m_send, NULL, 0},
    {"throw", ncoro_m_throw, NULL, 0},
    {"close", ncoro_m_close, NULL, 0},
    {"__await__", self_fn, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def done_methods[] = {
    {"__new__", aio_no_new, NULL, SIM_METH_STATIC},
    {"close", done_close, NULL, 0},
    {"__await__", self_fn, NULL, 0},
    {NULL, NULL, NULL, 0},
};


void aio_types_init(aio_state *st)
{
    sim_vm *vm = st->vm;
    static const sim_type_hooks fut_hooks = {.repr = fut_repr, .send = fut_send};
    static const sim_type_hooks handle_hooks = {.repr = handle_repr};
    static const sim_type_hooks ncoro_hooks = {.repr = ncoro_repr, .send = ncoro_send};
    sim_type *fut = ltype(st, LOOP_K_FUTURE, "Future", "_asyncio", NULL, &fut_hooks, future_methods);
    st->t_gathering = ltype(st, (loop_kind)-1, "_GatheringFuture", "asyncio.tasks", fut, &fut_hooks, NULL);
    ltype(st, LOOP_K_TASK, "Task", "_asyncio", fut, &fut_hooks, task_methods);
    sim_type *h = ltype(st, LOOP_K_HANDLE, "Handle", "asyncio.events", NULL, &handle_hooks, handle_methods);
    st->t_timerhandle = ltype(st, (loop_kind)-1, "TimerHandle", "asyncio.events", h, &handle_hooks,
                              timerhandle_methods);
    ltype(st, LOOP_K_NCORO, "coroutine", "builtins", NULL, &ncoro_hooks, ncoro_methods);
    ltype(st, LOOP_K_CFUTURE, "Future", "concurrent.futures._base", NULL, &aio_cfuture_hooks,
          aio_sync_methods_cfuture);
    /* the oracle's pool class (vref.py's VThreadPool stands for both executors) */
    ltype(st, LOOP_K_EXECUTOR, "VThreadPool", "__main__", NULL, NULL,
          aio_sync_methods_executor);
    static const sim_method_def internal_methods[] = {
        {"__new__", aio_no_new, NULL, SIM_METH_STATIC},
        {NULL, NULL, NULL, 0},
    };
    ltype(st, LOOP_K_THREAD, "_VThread", "asyncio", NULL, NULL, internal_methods);
    ltype(st, LOOP_K_LOCK, "Lock", "asyncio.locks", NULL, NULL, aio_sync_methods_lock);
    ltype(st, LOOP_K_EVENT, "Event", "asyncio.locks", NULL, NULL, aio_sync_methods_event);
    ltype(st, LOOP_K_CONDITION, "Condition", "asyncio.locks", NULL, NULL, aio_sync_methods_condition);
    ltype(st, LOOP_K_SEMAPHORE, "Semaphore", "asyncio.locks", NULL, NULL, aio_sync_methods_semaphore);
    ltype(st, LOOP_K_QUEUE, "Queue", "asyncio.queues", NULL, NULL, aio_sync_methods_queue);
    ltype(st, LOOP_K_TASKGROUP, "TaskGroup", "asyncio.taskgroups", NULL, NULL, aio_sync_methods_taskgroup);
    ltype(st, LOOP_K_TIMEOUT, "Timeout", "asyncio.timeouts", NULL, NULL, aio_sync_methods_timeout);
    ltype(st, LOOP_K_ASCOMPLETED, "_AsCompleted", "asyncio.tasks", NULL, &aio_ascompleted_hooks,
          aio_sync_methods_ascompleted);
    ltype(st, LOOP_K_STATE, "_state", "asyncio", NULL, NULL, internal_methods);
    aio_loop_type_init(st);
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
