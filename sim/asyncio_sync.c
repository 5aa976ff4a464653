/* asyncio_sync.c — the methods of asyncio's primitives over loop/ (locks.py,
 * queues.py, taskgroups.py, timeouts.py, as_completed): Lock, Event, Condition,
 * Semaphore, BoundedSemaphore, Queue, LifoQueue, PriorityQueue, TaskGroup, Timeout.
 *
 * Loop binding. CPython 3.11 binds a primitive to the running loop at its first use
 * (mixins._LoopBoundMixin); here a primitive is made on the running loop, or on a
 * hidden loop when none runs, and every operation acts on the running loop. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "asyncio_int.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define ST ((aio_state *)vm->asyncio)
#define LO(o) AIO_LOBJ(o)


/* The loop an operation on primitive `o` runs on. */
static loop *use_loop(aio_state *st, sim_obj *o)
{
    aio_loopobj *lo = aio_get_running(st);
    return lo ? lo->l : LO(o)->owner;
}

/* The loop a new primitive is made on: the running one, else a hidden loop that is
 * neither the policy's loop nor the clock's. */
static loop *new_loop(aio_state *st)
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
    return st->hidden->l;
}

static sim_obj *ncoro(aio_state *st, loop *l, loop_ncoro *c)
{
    if (!c)
        return aio_raise_loop_error(st, l);
    return AIO_OBJ(c);
}

static sim_obj *obj_or_raise(aio_state *st, loop *l, loop_obj *o, sim_type *t)
{
    if (!o)
        return aio_raise_loop_error(st, l);
    sim_obj *so = AIO_OBJ(o);
    if (t)
        so->type = t;
    return so;
}

/* ---- reprs (locks.py's __repr__: the object's default repr with " [extra]") ---------------------- */

/* f'<{res[1:-1]} [{extra}]>' with ', waiters:N' appended when there are waiters. */
static sim_obj *sync_repr(sim_vm *vm, sim_obj *self, const char *extra, size_t nwaiters)
{
    sim_obj *r = sim__repr_default(vm, self);
    if (!r)
        return NULL;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_append(&b, SIM_CSTR(r), SIM_STR(r)->len - 1);
    pyfmt_buf_puts(&b, " [");
    pyfmt_buf_puts(&b, extra);
    if (nwaiters) {
        char num[48];
        snprintf(num, sizeof num, ", waiters:%zu", nwaiters);
        pyfmt_buf_puts(&b, num);
    }
    pyfmt_buf_puts(&b, "]>");
    return sim__str_from_buf(vm, &b);
}

FN(lock_repr)
{
    (void)nargs, (void)kwnames;
    return sync_repr(vm, args[0], loop_lock_locked(LO(args[0])) ? "locked" : "unlocked",
                     loop_lock_nwaiters(LO(args[0])));
}

FN(event_repr)
{
    (void)nargs, (void)kwnames;
    return sync_repr(vm, args[0], loop_event_is_set(LO(args[0])) ? "set" : "unset",
                     loop_event_nwaiters(LO(args[0])));
}

FN(cond_repr)
{
    (void)nargs, (void)kwnames;
    return sync_repr(vm, args[0], loop_lock_locked(loop_condition_lock(LO(args[0]))) ? "locked" : "unlocked",
                     loop_condition_nwaiters(LO(args[0])));
}

FN(sem_repr)
{
    (void)nargs, (void)kwnames;
    char extra[64];
    if (loop_semaphore_locked(LO(args[0])))
        snprintf(extra, sizeof extra, "locked");
    else
        snprintf(extra, sizeof extra, "unlocked, value:%lld", (long long)loop_semaphore_value(LO(args[0])));
    return sync_repr(vm, args[0], extra, loop_semaphore_nwaiters(LO(args[0])));
}

/* Queue._format */
static int queue_format(sim_vm *vm, pyfmt_buf *b, sim_obj *self)
{
    loop_queue_state qs;
    loop_queue_info(LO(self), &qs);
    char num[64];
    snprintf(num, sizeof num, "maxsize=%lld", (long long)loop_queue_maxsize(LO(self)));
    pyfmt_buf_puts(b, num);
    if (qs.n) {
        sim_obj *lst = sim_list_new(vm, qs.n, (sim_obj *const *)qs.items);
        if (!lst)
            return -1;
        sim_push(vm, lst);
        sim_obj *r = sim_repr(vm, lst);
        sim_pop(vm, 1);
        if (!r)
            return -1;
        pyfmt_buf_puts(b, " _queue=");
        pyfmt_buf_append(b, SIM_CSTR(r), SIM_STR(r)->len);
    }
    if (qs.ngetters) {
        snprintf(num, sizeof num, " _getters[%zu]", qs.ngetters);
        pyfmt_buf_puts(b, num);
    }
    if (qs.nputters) {
        snprintf(num, sizeof num, " _putters[%zu]", qs.nputters);
        pyfmt_buf_puts(b, num);
    }
    if (qs.unfinished) {
        snprintf(num, sizeof num, " tasks=%lld", (long long)qs.unfinished);
        pyfmt_buf_puts(b, num);
    }
    return 0;
}

/* f'<{type(self).__name__} at {id(self):#x} {self._format()}>' (repr) and
 * f'<{type(self).__name__} {self._format()}>' (str) */
static sim_obj *queue_repr_str(sim_vm *vm, sim_obj *self, bool with_id)
{
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_puts(&b, "<");
    pyfmt_buf_append(&b, SIM_CSTR(self->type->name), SIM_STR(self->type->name)->len);
    if (with_id) {
        char num[48];
        snprintf(num, sizeof num, " at 0x%llx", (unsigned long long)sim_identity(vm, self));
        pyfmt_buf_puts(&b, num);
    }
    pyfmt_buf_puts(&b, " ");
    if (queue_format(vm, &b, self) < 0) {
        pyfmt_buf_free(&b);
        return NULL;
    }
    pyfmt_buf_puts(&b, ">");
    return sim__str_from_buf(vm, &b);
}

FN(queue_repr)
{
    (void)nargs, (void)kwnames;
    return queue_repr_str(vm, args[0], true);
}

FN(queue_str)
{
    (void)nargs, (void)kwnames;
    return queue_repr_str(vm, args[0], false);
}

/* ---- Lock ------------------------------------------------------------------------------------- */

FN(lock_new)
{
    if (nargs > 1 || (kwnames && SIM_TUPLE(kwnames)->len))
        return sim_raise_msg(vm, SIM_E_TypeError, "Lock.__init__() takes 1 positional argument but %d were given", nargs);
    loop *l = new_loop(ST);
    return obj_or_raise(ST, l, loop_lock_new(l), NULL);
}

FN(lock_acquire)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_lock_acquire(l, LO(args[0])));
}

FN(lock_release)
{
    loop *l = use_loop(ST, args[0]);
    if (loop_lock_release(l, LO(args[0])) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(lock_locked) { return sim_bool(vm, loop_lock_locked(LO(args[0]))); }

/* __aenter__ of Lock, Condition and Semaphore: acquire(), then None. */
FN(lock_aenter)
{
    loop *l = use_loop(ST, args[0]);
    sim_obj *c = ncoro(ST, l, loop_lock_acquire(l, LO(args[0])));
    return c ? aio_await_none(ST, c) : NULL;
}

FN(lock_aexit)
{
    loop *l = use_loop(ST, args[0]);
    if (loop_lock_release(l, LO(args[0])) < 0)
        return aio_raise_loop_error(ST, l);
    return aio_done_coro(ST, vm->none);
}

const sim_method_def aio_sync_methods_lock[] = {
    {"__new__", lock_new, NULL, SIM_METH_STATIC},
    {"acquire", lock_acquire, NULL, 0},
    {"release", lock_release, NULL, 0},
    {"locked", lock_locked, NULL, 0},
    {"__aenter__", lock_aenter, NULL, 0},
    {"__aexit__", lock_aexit, NULL, 0},
    {"__repr__", lock_repr, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- Event ------------------------------------------------------------------------------------ */

FN(event_new)
{
    loop *l = new_loop(ST);
    return obj_or_raise(ST, l, loop_event_new(l), NULL);
}

FN(event_wait)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_event_wait(l, LO(args[0])));
}

FN(event_set) { loop_event_set(use_loop(ST, args[0]), LO(args[0])); return vm->none; }
FN(event_clear) { loop_event_clear(use_loop(ST, args[0]), LO(args[0])); return vm->none; }
FN(event_is_set) { return sim_bool(vm, loop_event_is_set(LO(args[0]))); }

const sim_method_def aio_sync_methods_event[] = {
    {"__new__", event_new, NULL, SIM_METH_STATIC},
    {"wait", event_wait, NULL, 0},
    {"set", event_set, NULL, 0},
    {"clear", event_clear, NULL, 0},
    {"is_set", event_is_set, NULL, 0},
    {"__repr__", event_repr, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- Condition ---------------------------------------------------------------------------------- */

FN(cond_new)
{
    static const char *const names[] = {"lock", NULL};
    sim_obj *a[1];
    if (sim_parse_args(vm, "Condition", args + 1, nargs - 1, kwnames, 0, 1, names, a) < 0)
        return NULL;
    loop_obj *lock = NULL;
    if (a[0] && a[0] != vm->none) {
        if (a[0]->type != ST->kt[LOOP_K_LOCK])
            return sim_raise_msg(vm, SIM_E_TypeError, "lock must be an asyncio.Lock");
        lock = LO(a[0]);
    }
    loop *l = new_loop(ST);
    return obj_or_raise(ST, l, loop_condition_new(l, lock), NULL);
}

FN(cond_acquire)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_lock_acquire(l, loop_condition_lock(LO(args[0]))));
}

FN(cond_release)
{
    loop *l = use_loop(ST, args[0]);
    if (loop_lock_release(l, loop_condition_lock(LO(args[0]))) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(cond_aenter)
{
    sim_obj *c = cond_acquire(vm, args, 1, NULL);
    return c ? aio_await_none(ST, c) : NULL;
}

FN(cond_aexit)
{
    if (!cond_release(vm, args, 1, NULL))
        return NULL;
    return aio_done_coro(ST, vm->none);
}

FN(cond_locked) { return sim_bool(vm, loop_lock_locked(loop_condition_lock(LO(args[0])))); }

FN(cond_wait)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_condition_wait(l, LO(args[0])));
}

FN(cond_wait_for)
{
    if (sim_check_nargs(vm, "wait_for", nargs - 1, 1, 1) < 0)
        return NULL;
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_condition_wait_for(l, LO(args[0]), args[1]));
}

FN(cond_notify)
{
    static const char *const names[] = {"n", NULL};
    sim_obj *a[1];
    if (sim_parse_args(vm, "notify", args + 1, nargs - 1, kwnames, 0, 1, names, a) < 0)
        return NULL;
    int64_t n = 1;
    if (a[0]) {
        bool ok;
        n = sim_index(vm, a[0], &ok);
        if (!ok)
            return NULL;
    }
    loop *l = use_loop(ST, args[0]);
    if (loop_condition_notify(l, LO(args[0]), n < 0 ? 0 : (size_t)n) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(cond_notify_all)
{
    loop *l = use_loop(ST, args[0]);
    if (loop_condition_notify(l, LO(args[0]), SIZE_MAX) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

const sim_method_def aio_sync_methods_condition[] = {
    {"__new__", cond_new, NULL, SIM_METH_STATIC},
    {"acquire", cond_acquire, NULL, 0},
    {"release", cond_release, NULL, 0},
    {"locked", cond_locked, NULL, 0},
    {"wait", cond_wait, NULL, 0},
    {"wait_for", cond_wait_for, NULL, 0},
    {"notify", cond_notify, NULL, 0},
    {"notify_all", cond_notify_all, NULL, 0},
    {"__aenter__", cond_aenter, NULL, 0},
    {"__aexit__", cond_aexit, NULL, 0},
    {"__repr__", cond_repr, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- Semaphore / BoundedSemaphore ------------------------------------------------------------------ */

static sim_obj *sem_make(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames, bool bounded)
{
    static const char *const names[] = {"value", NULL};
    sim_obj *a[1];
    if (sim_parse_args(vm, bounded ? "BoundedSemaphore" : "Semaphore", args + 1, nargs - 1, kwnames, 0, 1,
                       names, a) < 0)
        return NULL;
    int64_t v = 1;
    if (a[0]) {
        bool ok;
        v = sim_index(vm, a[0], &ok);
        if (!ok)
            return NULL;
    }
    if (v < 0)
        return sim_raise_msg(vm, SIM_E_ValueError, "Semaphore initial value must be >= 0");
    loop *l = new_loop(ST);
    return obj_or_raise(ST, l, loop_semaphore_new(l, v, bounded), bounded ? ST->t_bounded : NULL);
}

FN(sem_new) { return sem_make(vm, args, nargs, kwnames, false); }
FN(bsem_new) { return sem_make(vm, args, nargs, kwnames, true); }

FN(sem_acquire)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_semaphore_acquire(l, LO(args[0])));
}

FN(sem_release)
{
    loop *l = use_loop(ST, args[0]);
    if (loop_semaphore_release(l, LO(args[0])) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(sem_aenter)
{
    sim_obj *c = sem_acquire(vm, args, 1, NULL);
    return c ? aio_await_none(ST, c) : NULL;
}

FN(sem_aexit)
{
    if (!sem_release(vm, args, 1, NULL))
        return NULL;
    return aio_done_coro(ST, vm->none);
}

FN(sem_locked) { return sim_bool(vm, loop_semaphore_locked(LO(args[0]))); }
FN(sem_value) { return sim_int_new(vm, loop_semaphore_value(LO(args[0]))); }

const sim_method_def aio_sync_methods_semaphore[] = {
    {"__new__", sem_new, NULL, SIM_METH_STATIC},
    {"acquire", sem_acquire, NULL, 0},
    {"release", sem_release, NULL, 0},
    {"locked", sem_locked, NULL, 0},
    {"_value", NULL, sem_value, 0},
    {"__aenter__", sem_aenter, NULL, 0},
    {"__aexit__", sem_aexit, NULL, 0},
    {"__repr__", sem_repr, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def bsem_methods[] = {
    {"__new__", bsem_new, NULL, SIM_METH_STATIC},
    {NULL, NULL, NULL, 0},
};

/* ---- Queue, LifoQueue, PriorityQueue ----------------------------------------------------------------- */

static sim_obj *queue_make(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames, loop_queue_kind k)
{
    static const char *const names[] = {"maxsize", NULL};
    sim_obj *a[1];
    if (sim_parse_args(vm, "Queue", args + 1, nargs - 1, kwnames, 0, 1, names, a) < 0)
        return NULL;
    int64_t n = 0;
    if (a[0]) {
        bool ok;
        n = sim_index(vm, a[0], &ok);
        if (!ok)
            return NULL;
    }
    loop *l = new_loop(ST);
    sim_type *t = k == LOOP_QUEUE_LIFO ? ST->t_lifo : k == LOOP_QUEUE_PRIORITY ? ST->t_prio : NULL;
    return obj_or_raise(ST, l, loop_queue_new(l, k, n), t);
}

FN(queue_new) { return queue_make(vm, args, nargs, kwnames, LOOP_QUEUE_FIFO); }
FN(lifo_new) { return queue_make(vm, args, nargs, kwnames, LOOP_QUEUE_LIFO); }
FN(prio_new) { return queue_make(vm, args, nargs, kwnames, LOOP_QUEUE_PRIORITY); }

FN(queue_put)
{
    if (sim_check_nargs(vm, "put", nargs - 1, 1, 1) < 0)
        return NULL;
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_queue_put(l, LO(args[0]), args[1]));
}

FN(queue_get)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_queue_get(l, LO(args[0])));
}

FN(queue_put_nowait)
{
    if (sim_check_nargs(vm, "put_nowait", nargs - 1, 1, 1) < 0)
        return NULL;
    loop *l = use_loop(ST, args[0]);
    if (loop_queue_put_nowait(l, LO(args[0]), args[1]) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(queue_get_nowait)
{
    loop *l = use_loop(ST, args[0]);
    loop_val v;
    if (loop_queue_get_nowait(l, LO(args[0]), &v) < 0)
        return aio_raise_loop_error(ST, l);
    return v;
}

FN(queue_task_done)
{
    loop *l = use_loop(ST, args[0]);
    if (loop_queue_task_done(l, LO(args[0])) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(queue_join)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_queue_join(l, LO(args[0])));
}

FN(queue_qsize) { return sim_int_new(vm, (int64_t)loop_queue_size(LO(args[0]))); }
FN(queue_empty) { return sim_bool(vm, loop_queue_size(LO(args[0])) == 0); }

FN(queue_full)
{
    int64_t m = loop_queue_maxsize(LO(args[0]));
    return sim_bool(vm, m > 0 && (int64_t)loop_queue_size(LO(args[0])) >= m);
}

FN(queue_maxsize) { return sim_int_new(vm, loop_queue_maxsize(LO(args[0]))); }

const sim_method_def aio_sync_methods_queue[] = {
    {"__new__", queue_new, NULL, SIM_METH_STATIC},
    {"put", queue_put, NULL, 0},
    {"get", queue_get, NULL, 0},
    {"put_nowait", queue_put_nowait, NULL, 0},
    {"get_nowait", queue_get_nowait, NULL, 0},
    {"task_done", queue_task_done, NULL, 0},
    {"join", queue_join, NULL, 0},
    {"qsize", queue_qsize, NULL, 0},
    {"empty", queue_empty, NULL, 0},
    {"full", queue_full, NULL, 0},
    {"maxsize", NULL, queue_maxsize, 0},
    {"__repr__", queue_repr, NULL, 0},
    {"__str__", queue_str, NULL, 0},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def lifo_methods[] = {
    {"__new__", lifo_new, NULL, SIM_METH_STATIC},
    {NULL, NULL, NULL, 0},
};

static const sim_method_def prio_methods[] = {
    {"__new__", prio_new, NULL, SIM_METH_STATIC},
    {NULL, NULL, NULL, 0},
};

/* ---- TaskGroup --------------------------------------------------------------------------------------- */

FN(tg_new)
{
    if (nargs > 1)
        return sim_raise_msg(vm, SIM_E_TypeError, "TaskGroup() takes no arguments");
    loop *l = new_loop(ST);
    return obj_or_raise(ST, l, loop_taskgroup_new(l), NULL);
}

FN(tg_aenter)
{
    loop *l = use_loop(ST, args[0]);
    return ncoro(ST, l, loop_taskgroup_enter(l, LO(args[0])));
}

FN(tg_aexit)
{
    if (nargs < 3)
        return sim_raise_msg(vm, SIM_E_TypeError, "__aexit__() missing arguments");
    loop *l = use_loop(ST, args[0]);
    sim_obj *exc = args[2] == vm->none ? NULL : args[2];
    return ncoro(ST, l, loop_taskgroup_exit(l, LO(args[0]), exc));
}

FN(tg_create_task)
{
    static const char *const names[] = {"coro", "name", "context", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "create_task", args + 1, nargs - 1, kwnames, 1, 1, names, a) < 0)
        return NULL;
    aio_state *st = ST;
    if (!aio_is_coroutine(st, a[0])) {
        sim_obj *r = sim_repr(vm, a[0]);
        if (!r)
            return NULL;
        return sim_raise_msg(vm, SIM_E_TypeError, "a coroutine was expected, got %s", SIM_CSTR(r));
    }
    sim_obj *nm = NULL;
    if (a[1] && a[1] != vm->none) {
        nm = sim_str(vm, a[1]);
        if (!nm)
            return NULL;
        st->task_counter++;
    }
    sim_push(vm, nm);
    sim_obj *ctx = a[2] && a[2] != vm->none ? a[2] : vm->ctx_types[0] ? sim_context_copy(vm) : NULL;
    a[2] = ctx;
    sim_push(vm, ctx);
    loop *l = use_loop(st, args[0]);
    loop_task *t = loop_taskgroup_create_task(l, LO(args[0]), a[0], nm, ctx);
    sim_pop(vm, 2);
    if (!t)
        return aio_raise_loop_error(st, l);
    return AIO_OBJ(t);
}

FN(tg_repr)
{
    (void)nargs, (void)kwnames;
    char buf[128];
    loop_taskgroup_repr(LO(args[0]), buf, sizeof buf);
    return sim_str_cstr(vm, buf);
}

const sim_method_def aio_sync_methods_taskgroup[] = {
    {"__new__", tg_new, NULL, SIM_METH_STATIC},
    {"__aenter__", tg_aenter, NULL, 0},
    {"__aexit__", tg_aexit, NULL, 0},
    {"create_task", tg_create_task, NULL, 0},
    {"__repr__", tg_repr, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- Timeout ----------------------------------------------------------------------------------------- */

/* asyncio.timeout(delay) / timeout_at(when): a Timeout on the running loop. */
sim_obj *aio_timeout_new(aio_state *st, sim_obj *arg, bool absolute)
{
    sim_vm *vm = st->vm;
    aio_loopobj *lo = aio_get_running(st);
    if (!lo)
        return sim_raise_msg(vm, SIM_E_RuntimeError, "no running event loop");
    double when = NAN;
    if (arg && arg != vm->none) {
        bool ok;
        if (!SIM_IS_INT(arg) && !SIM_IS_FLOAT(arg))
            return sim_raise_msg(vm, SIM_E_TypeError, "unsupported operand type(s) for +: 'float' and '%s'",
                                 sim_type_name(arg));
        double d = sim_obj_as_double(vm, arg, &ok);
        when = absolute ? d : loop_time(lo->l) + d;
    }
    return obj_or_raise(st, lo->l, loop_timeout_new(lo->l, when), NULL);
}

FN(tm_aenter)
{
    loop *l = use_loop(ST, args[0]);
    if (loop_timeout_enter(l, LO(args[0])) < 0)
        return aio_raise_loop_error(ST, l);
    return aio_done_coro(ST, args[0]);
}

FN(tm_aexit)
{
    if (nargs < 3)
        return sim_raise_msg(vm, SIM_E_TypeError, "__aexit__() missing arguments");
    loop *l = use_loop(ST, args[0]);
    bool swallow = false;
    sim_obj *exc = args[2] == vm->none ? NULL : args[2];
    if (loop_timeout_exit(l, LO(args[0]), exc, &swallow) < 0)
        return aio_raise_loop_error(ST, l);
    return aio_done_coro(ST, swallow ? vm->true_ : vm->none);
}

FN(tm_when)
{
    double w = loop_timeout_when(LO(args[0]));
    return isnan(w) ? vm->none : sim_float_new(vm, w);
}

FN(tm_reschedule)
{
    if (sim_check_nargs(vm, "reschedule", nargs - 1, 1, 1) < 0)
        return NULL;
    double w = NAN;
    if (args[1] != vm->none) {
        bool ok;
        w = sim_obj_as_double(vm, args[1], &ok);
        if (!ok)
            return NULL;
    }
    loop *l = use_loop(ST, args[0]);
    if (loop_timeout_reschedule(l, LO(args[0]), w) < 0)
        return aio_raise_loop_error(ST, l);
    return vm->none;
}

FN(tm_expired) { return sim_bool(vm, loop_timeout_expired(LO(args[0]))); }

/* Timeout(when): a Timeout on the running loop (timeouts.Timeout(when)). */
FN(tm_new)
{
    if (sim_check_nargs(vm, "Timeout", nargs - 1, 1, 1) < 0)
        return NULL;
    return aio_timeout_new(ST, args[1], true);
}

/* Timeout.__repr__: f"<Timeout [{state}]{' when=' + repr(round(when, 3)) if active}>" */
FN(tm_repr)
{
    (void)nargs, (void)kwnames;
    const char *state = loop_timeout_state_name(LO(args[0]));
    if (strcmp(state, "active") != 0)
        return sim_str_fmt(vm, "<Timeout [%s]>", state);
    double w = loop_timeout_when(LO(args[0]));
    if (isnan(w))
        return sim_str_fmt(vm, "<Timeout [%s] when=None>", state);
    double r;
    pyfmt_err err = {0};
    if (pyfmt_float_round(w, 3, &r, &err) != PYFMT_OK)
        r = w;
    sim_obj *f = sim_float_new(vm, r);
    if (!f)
        return NULL;
    sim_push(vm, f);
    sim_obj *fr = sim_repr(vm, f);
    sim_pop(vm, 1);
    if (!fr)
        return NULL;
    return sim_str_fmt(vm, "<Timeout [%s] when=%s>", state, SIM_CSTR(fr));
}

const sim_method_def aio_sync_methods_timeout[] = {
    {"__new__", tm_new, NULL, SIM_METH_STATIC},
    {"__aenter__", tm_aenter, NULL, 0},
    {"__aexit__", tm_aexit, NULL, 0},
    {"when", tm_when, NULL, 0},
    {"reschedule", tm_reschedule, NULL, 0},
    {"expired", tm_expired, NULL, 0},
    {"__repr__", tm_repr, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- as_completed's iterator ------------------------------------------------------------------------ */

static sim_obj *ac_next(sim_vm *vm, sim_obj *self)
{
    loop *l = use_loop(ST, self);
    loop_ncoro *c = loop_as_completed_next(l, LO(self));
    if (!c) {
        loop_val e = loop_take_error(l);
        if (e)
            return sim_raise(vm, e);
        return NULL;
    }
    return AIO_OBJ(c);
}

static sim_obj *ac_iter(sim_vm *vm, sim_obj *self) { return self; }

FN(ac_m_next)
{
    sim_obj *r = ac_next(vm, args[0]);
    if (!r && !sim_exc_occurred(vm))
        return sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], NULL));
    return r;
}

FN(ac_m_iter) { return args[0]; }

const sim_type_hooks aio_ascompleted_hooks = {.iter = ac_iter, .next = ac_next};

FN(ac_new) { return sim_raise_msg(vm, SIM_E_TypeError, "cannot create '_AsCompleted' instances"); }

const sim_method_def aio_sync_methods_ascompleted[] = {
    {"__new__", ac_new, NULL, SIM_METH_STATIC},
    {"__next__", ac_m_next, NULL, 0},
    {"__iter__", ac_m_iter, NULL, 0},
    {NULL, NULL, NULL, 0},
};

/* ---- subtypes -------------------------------------------------------------------------------------------- */

/* BoundedSemaphore, LifoQueue and PriorityQueue share their base's layout and hooks. */
void aio_sync_subtypes(aio_state *st)
{
    sim_vm *vm = st->vm;
    sim_type *sem = st->kt[LOOP_K_SEMAPHORE], *q = st->kt[LOOP_K_QUEUE];
    st->t_bounded = sim_type_new_native(vm, "BoundedSemaphore", "asyncio.locks", sem, 0, &sem->hooks, bsem_methods);
    st->t_lifo = sim_type_new_native(vm, "LifoQueue", "asyncio.queues", q, 0, &q->hooks, lifo_methods);
    st->t_prio = sim_type_new_native(vm, "PriorityQueue", "asyncio.queues", q, 0, &q->hooks, prio_methods);
}

