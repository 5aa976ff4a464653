/* asyncio_host.c — the loop_host over sim objects: allocation of loop objects as GC
 * objects, resuming coroutines (Python, native and executor jobs on virtual
 * threads), CPython's exception classes, calls, containers, task names and the
 * default exception handler's log. See asyncio_int.h for the object model. */
#include <stdlib.h>
#include <string.h>

#include "asyncio_int.h"

/* ---- GC glue ------------------------------------------------------------------------ */

static void tr_val(void *ud, loop_val v) { sim_mark(ud, v); }
static void tr_obj(void *ud, loop_obj *o) { sim_mark(ud, AIO_OBJ(o)); }

/* The loop_tracer that marks what a loop object holds (kept in the state). */
const loop_tracer *aio_tracer(sim_vm *vm)
{
    return &((aio_state *)vm->asyncio)->tracer;
}

/* Every loop's roots (ready queue, timers, pending tasks, pins) and the loop objects. */
static void trace_state(sim_vm *vm, void *ud)
{
    aio_state *st = ud;
    for (size_t i = 0; i < st->nloops; i++)
        sim_mark(vm, &st->loops[i]->hdr);
    sim_mark(vm, st->failed);
}

/* A future (or task) that got an exception: kept until the end of the program, when
 * CPython's Future.__del__ would log it if nobody retrieved it. Keeping it alive
 * makes the log independent of when the collector runs. */
void aio_note_failed(aio_state *st, sim_obj *fut)
{
    sim_vm *vm = st->vm;
    if (!st->failed) {
        sim_push(vm, fut);
        st->failed = sim_list_new(vm, 0, NULL);
        sim_pop(vm, 1);
    }
    sim_list_append(vm, st->failed, fut);
}

/* "Task exception was never retrieved" for every future noted whose exception
 * nobody asked for, in the order they failed. CPython logs when the future is
 * collected; one that outlives the program (held by a frame of the final
 * traceback, or simply alive at exit) logs after everything else, which is what
 * decides the last line of stderr. */
void aio_report_unretrieved(sim_vm *vm, aio_state *st)
{
    if (!st->failed)
        return;
    for (size_t i = 0; i < SIM_LIST(st->failed)->len; i++) {
        loop_future *f = (loop_future *)AIO_LOBJ(SIM_LIST(st->failed)->items[i]);
        if (f->state != LOOP_FINISHED || !f->exception || !f->log_traceback)
            continue;
        f->log_traceback = false;
        /* Future.__del__ calls loop.call_exception_handler(context): a handler set
         * on the future's loop gets {'message', 'exception', 'future'} */
        aio_loopobj *lo = aio_loopobj_of(st, f->hdr.owner);
        if (lo && lo->exc_handler) {
            sim_obj *saved = sim_exc_fetch(vm);
            sim_obj *ctx = sim_dict_new(vm);
            sim_push(vm, ctx);
            sim_obj *m = sim_str_cstr(vm, loop_is_task(f) ? "Task exception was never retrieved"
                                                           : "Future exception was never retrieved");
            sim_push(vm, m);
            sim_dict_setstr(vm, ctx, "message", m);
            sim_dict_setstr(vm, ctx, "exception", f->exception);
            sim_dict_setstr(vm, ctx, "future", AIO_OBJ(&f->hdr));
            sim_obj *a[2] = {&lo->hdr, ctx};
            sim_obj *res = sim_call(vm, lo->exc_handler, a, 2, NULL);
            if (!res) {
                sim_obj *e = sim_exc_fetch(vm);
                fflush(vm->opt.out);
                fprintf(vm->opt.err, "Unhandled error in exception handler\n");
                if (e)
                    sim__print_exception(vm, e, vm->opt.err);
            }
            sim_pop(vm, 2);
            vm->ts->exc = saved;
            continue;
        }
        sim_obj *r = aio_future_repr(st, f);
        if (!r) {
            sim_exc_fetch(vm);
            continue;
        }
        fflush(vm->opt.out);
        fprintf(vm->opt.err, "%s exception was never retrieved\nfuture: %s\n",
                loop_is_task(f) ? "Task" : "Future", SIM_CSTR(r));
        sim__print_exception(vm, f->exception, vm->opt.err);
    }
    st->failed = NULL;
}

static void sentinel_finalize(sim_vm *vm, sim_obj *self)
{
    aio_state *st = vm->asyncio;
    if (!st)
        return;
    for (size_t i = 0; i < st->nloops; i++)
        loop_free(st->loops[i]->l);
    free(st->loops);
    free(st->deadlock_info);
    free(st);
    vm->asyncio = NULL;
    vm->sleep_fn = NULL;
    vm->clock_fn = NULL;
}

/* ---- clock -------------------------------------------------------------------------- */

static double aio_clock(void *ud)
{
    aio_state *st = ud;
    return st->clock_loop ? loop_time(st->clock_loop->l) : st->clock;
}

/* Makes lo's clock the clock: brought forward to the previous one's time. */
void aio_sync_clock(aio_state *st, aio_loopobj *lo)
{
    if (st->clock_loop == lo)
        return;
    double now = aio_clock(st);
    double t = loop_time(lo->l);
    if (now > t && !loop_is_running(lo->l))
        loop_block_sleep(lo->l, now - t);
    st->clock_loop = lo;
}

/* Threads: executor jobs are the VM's suspendable calls (vm_thread.c); time.sleep
 * inside one suspends it before reaching vm->sleep_fn. */

/* vm->sleep_fn: time.sleep(d). */
static void aio_sleep(void *ud, double d)
{
    aio_state *st = ud;
    aio_loopobj *lo = st->running ? st->running : st->clock_loop;
    if (lo) {
        aio_sync_clock(st, lo);
        loop_block_sleep(lo->l, d);
    } else {
        st->clock += d;
    }
}

/* A job fn(*args, **kwargs) for an executor: args[0..nargs) positional, then the
 * values of kwnames. */
sim_obj *aio_job_new(aio_state *st, sim_obj *fn, sim_obj **args, int nargs, sim_obj *kwnames)
{
    sim_vm *vm = st->vm;
    sim_obj *t = sim_tuple_new(vm, (size_t)nargs, args);
    if (!t)
        return NULL;
    sim_push(vm, t);
    sim_obj *kw = NULL;
    if (kwnames && SIM_TUPLE(kwnames)->len) {
        kw = sim_dict_new(vm);
        sim_push(vm, kw);
        for (size_t i = 0; i < SIM_TUPLE(kwnames)->len; i++)
            sim_dict_set(vm, kw, SIM_TUPLE(kwnames)->items[i], args[nargs + i]);
        sim_pop(vm, 1);
    }
    sim_push(vm, kw);
    sim_obj *j = sim_job_new(vm, fn, t, kw);
    sim_pop(vm, 2);
    return j;
}

/* ---- host functions ------------------------------------------------------------------- */

/* A task gets one more slot after its loop_task: the code object of its coroutine,
 * which a finished coroutine no longer has (its repr says "defined at file:line"). */
sim_obj **aio_task_code_slot(loop_task *t)
{
    return (sim_obj **)((char *)t + sizeof(loop_task));
}

static void *h_alloc(void *ud, loop_kind kind, size_t size)
{
    aio_state *st = ud;
    size_t extra = kind == LOOP_K_TASK ? sizeof(sim_obj *) : 0;
    sim_obj *o = sim__alloc_obj(st->vm, st->kt[kind], sizeof(sim_obj) + size + extra);
    return AIO_LOBJ(o);
}

static sim_type *error_type(aio_state *st, loop_error_kind kind)
{
    sim_vm *vm = st->vm;
    switch (kind) {
    case LOOP_E_RUNTIME: return vm->exc_types[SIM_E_RuntimeError];
    case LOOP_E_VALUE: return vm->exc_types[SIM_E_ValueError];
    case LOOP_E_TYPE: return vm->exc_types[SIM_E_TypeError];
    case LOOP_E_INVALID_STATE: return st->e_invalid;
    case LOOP_E_CANCELLED: return st->e_cancelled;
    case LOOP_E_TIMEOUT: return vm->exc_types[SIM_E_TimeoutError];
    case LOOP_E_QUEUE_EMPTY: return st->e_qempty;
    case LOOP_E_QUEUE_FULL: return st->e_qfull;
    case LOOP_E_BROKEN_EXECUTOR: return st->e_broken;
    case LOOP_E_CF_CANCELLED: return st->e_cf_cancelled;
    default: return vm->exc_types[SIM_E_RuntimeError];
    }
}

static loop_val h_new_error(void *ud, loop_error_kind kind, const char *msg, loop_val arg)
{
    aio_state *st = ud;
    sim_vm *vm = st->vm;
    sim_obj *args = NULL;
    if (msg) {
        sim_obj *s = sim_str_cstr(vm, msg);
        sim_push(vm, s);
        args = sim_tuple_new(vm, 1, &s);
        sim_pop(vm, 1);
    } else if (arg) {
        sim_obj *a = arg;
        args = sim_tuple_new(vm, 1, &a);
    }
    return sim_exc_new(vm, error_type(st, kind), args);
}

static bool h_is_error(void *ud, loop_val exc, loop_error_kind kind)
{
    aio_state *st = ud;
    sim_vm *vm = st->vm;
    if (!exc || !SIM_IS_EXC((sim_obj *)exc))
        return false;
    if (kind == LOOP_E__COUNT)
        return sim_isinstance_type(exc, vm->exc_types[SIM_E_KeyboardInterrupt]) ||
               sim_isinstance_type(exc, vm->exc_types[SIM_E_SystemExit]) ||
               sim_isinstance_type(exc, st->e_deadlock);
    return sim_isinstance_type(exc, error_type(st, kind));
}

loop_resume aio_resume(void *ud, loop_val coro, loop_val value, loop_val exc,
                       loop_val *out, double *sleep_for)
{
    aio_state *st = ud;
    sim_vm *vm = st->vm;
    sim_obj *c = coro;
    if (c->type == vm->job_type) {
        sim_obj *r = NULL;
        int k = sim_job_resume(vm, c, &r, sleep_for);
        *out = r ? r : vm->none;
        return k == 0 ? LOOP_RETURNED : k < 0 ? LOOP_RAISED : LOOP_SLEPT;
    }
    if (c->type == st->kt[LOOP_K_NCORO]) {
        loop_ncoro *n = (loop_ncoro *)AIO_LOBJ(c);
        return loop_ncoro_resume(n->hdr.owner, n, value, exc, out);
    }
    if (SIM_KIND(c) == SIM_K_GEN && ((sim_gen *)c)->frame && st->running) {
        loop_task *t = loop_current_task(st->running->l);
        if (t && t->coro == coro && !*aio_task_code_slot(t))
            *aio_task_code_slot(t) = &((sim_gen *)c)->frame->co->hdr;
    }
    /* a task's step runs in the task's context (Task.__step: context.run) */
    sim_obj *ctx = NULL, *prev = NULL;
    if (st->running) {
        loop_task *t = loop_current_task(st->running->l);
        if (t && t->coro == coro && t->ctx) {
            ctx = t->ctx;
            prev = sim_context_enter(vm, ctx);
        }
    }
    sim_obj *r = NULL;
    sim_sendres res = sim_resume(vm, c, value ? value : vm->none, exc, &r);
    if (ctx)
        sim_context_exit(vm, prev);
    if (res == SIM_SEND_ERROR && st->running) {
        /* the task stepping this coroutine will take the exception */
        loop_task *t = loop_current_task(st->running->l);
        if (t && t->coro == coro) {
            sim_obj *e = sim_exc_fetch(vm);
            sim_push(vm, e);
            if (!sim_isinstance_type(e, st->e_cancelled))
                aio_note_failed(st, AIO_OBJ(t));
            sim_pop(vm, 1);
            *out = e;
            return LOOP_RAISED;
        }
    }
    switch (res) {
    case SIM_SEND_YIELD: *out = r; return LOOP_YIELDED;
    case SIM_SEND_RETURN: *out = r; return LOOP_RETURNED;
    default: *out = sim_exc_fetch(vm); return LOOP_RAISED;
    }
}

static void h_close_coro(void *ud, loop_val coro)
{
    aio_state *st = ud;
    sim_obj *c = coro;
    if (c->type == st->kt[LOOP_K_NCORO]) {
        loop_ncoro *n = (loop_ncoro *)AIO_LOBJ(c);
        loop_ncoro_close(n->hdr.owner, n);
        return;
    }
    if (c->type == st->vm->job_type)
        return;
    sim_coro_close(st->vm, c);
}

loop_future *aio_as_future(aio_state *st, sim_obj *o)
{
    if (!o || SIM_KIND(o) != SIM_K_CNATIVE)
        return NULL;
    if (sim_isinstance_type(o, st->kt[LOOP_K_FUTURE]) || sim_isinstance_type(o, st->kt[LOOP_K_TASK]))
        return (loop_future *)AIO_LOBJ(o);
    return NULL;
}

static loop_future *h_as_future(void *ud, loop_val v)
{
    return aio_as_future(ud, v);
}

static loop_val h_wrap(void *ud, loop_obj *o)
{
    return AIO_OBJ(o);
}

static loop_future *h_ensure_future(void *ud, loop *l, loop_val v)
{
    aio_state *st = ud;
    loop_future *f = aio_as_future(st, v);
    if (f)
        return f;
    if (aio_is_coroutine(st, v)) {
        sim_obj *t = aio_loop_create_task(st, aio_loopobj_of(st, l), v);
        if (!t) {
            loop_set_error_val(l, sim_exc_fetch(st->vm));
            return NULL;
        }
        return aio_as_future(st, t);
    }
    sim_obj *w = aio_wrap_awaitable(st, v);
    if (w) {
        sim_obj *t = aio_loop_create_task(st, aio_loopobj_of(st, l), w);
        if (!t) {
            loop_set_error_val(l, sim_exc_fetch(st->vm));
            return NULL;
        }
        return aio_as_future(st, t);
    }
    loop_set_error(l, LOOP_E_TYPE, "An asyncio.Future, a coroutine or an awaitable is required");
    return NULL;
}

static int h_call(void *ud, loop_val fn, size_t n, const loop_val *args, loop_val *out)
{
    aio_state *st = ud;
    sim_obj *r = sim_call(st->vm, fn, (sim_obj **)args, (int)n, NULL);
    if (!r) {
        *out = sim_exc_fetch(st->vm);
        return -1;
    }
    *out = r;
    return 0;
}

static bool h_eq(void *ud, loop_val a, loop_val b)
{
    aio_state *st = ud;
    if (a == b)
        return true;
    sim_obj *saved = sim_exc_fetch(st->vm);
    int r = sim_eq(st->vm, a, b);
    sim_exc_fetch(st->vm);
    st->vm->ts->exc = saved;
    return r == 1;
}

static int h_truthy(void *ud, loop_val v, loop_val *exc)
{
    aio_state *st = ud;
    int r = sim_truthy(st->vm, v);
    if (r < 0)
        *exc = sim_exc_fetch(st->vm);
    return r;
}

static int h_less(void *ud, loop_val a, loop_val b, loop_val *exc)
{
    aio_state *st = ud;
    int r = sim_lt(st->vm, a, b);
    if (r < 0)
        *exc = sim_exc_fetch(st->vm);
    return r;
}

static loop_val h_make_list(void *ud, size_t n, const loop_val *items)
{
    aio_state *st = ud;
    return sim_list_new(st->vm, n, (sim_obj *const *)items);
}

static loop_val h_make_set(void *ud, size_t n, const loop_val *items)
{
    aio_state *st = ud;
    sim_vm *vm = st->vm;
    sim_obj *s = sim_set_new(vm, false);
    sim_push(vm, s);
    for (size_t i = 0; i < n; i++)
        sim_set_add(vm, s, items[i]);
    sim_pop(vm, 1);
    return s;
}

static loop_val h_make_tuple(void *ud, size_t n, const loop_val *items)
{
    aio_state *st = ud;
    return sim_tuple_new(st->vm, n, (sim_obj *const *)items);
}

/* BaseExceptionGroup(msg, excs): an ExceptionGroup when every member is an Exception. */
static loop_val h_make_group(void *ud, const char *msg, size_t n, const loop_val *excs)
{
    aio_state *st = ud;
    sim_vm *vm = st->vm;
    bool all_exc = true;
    for (size_t i = 0; i < n; i++)
        if (!sim_isinstance_type(excs[i], vm->exc_types[SIM_E_Exception]))
            all_exc = false;
    sim_type *t = vm->exc_types[all_exc ? SIM_E_ExceptionGroup : SIM_E_BaseExceptionGroup];
    sim_obj *lst = sim_list_new(vm, n, (sim_obj *const *)excs);
    sim_push(vm, lst);
    sim_obj *m = sim_str_cstr(vm, msg);
    sim_push(vm, m);
    sim_obj *a[2] = {m, lst};
    sim_obj *g = sim_call(vm, (sim_obj *)t, a, 2, NULL);
    sim_pop(vm, 2);
    if (!g) {
        sim_exc_fetch(vm);
        g = sim_exc_new(vm, t, NULL);
    }
    return g;
}

static void h_set_cause(void *ud, loop_val exc, loop_val cause)
{
    sim_exc *e = exc;
    if (!SIM_IS_EXC((sim_obj *)exc))
        return;
    e->cause = cause;
    e->context = cause;
    e->suppress_context = true;
}

static loop_val h_task_name(void *ud)
{
    aio_state *st = ud;
    char buf[40];
    snprintf(buf, sizeof buf, "Task-%llu", (unsigned long long)++st->task_counter);
    return sim_str_cstr(st->vm, buf);
}

/* host->report: call_exception_handler({'message': ..., 'exception': ..., 'handle'
 * or 'future'/'task': ...}). */
static void h_report(void *ud, loop *l, const char *message, loop_val exc, loop_obj *where)
{
    aio_state *st = ud;
    sim_vm *vm = st->vm;
    sim_obj *saved = sim_exc_fetch(vm);
    sim_obj *ctx = sim_dict_new(vm);
    sim_push(vm, ctx);
    sim_obj *m = sim_str_cstr(vm, message);
    sim_push(vm, m);
    sim_dict_setstr(vm, ctx, "message", m);
    sim_pop(vm, 1);
    if (exc)
        sim_dict_setstr(vm, ctx, "exception", exc);
    if (where) {
        const char *key = where->kind == LOOP_K_HANDLE ? "handle" :
                          where->kind == LOOP_K_TASK ? "task" : "future";
        sim_dict_setstr(vm, ctx, key, AIO_OBJ(where));
    }
    aio_loopobj *lo = aio_loopobj_of(st, l);
    if (lo && lo->exc_handler) {
        sim_obj *a[2] = {&lo->hdr, ctx};
        sim_obj *r = sim_call(vm, lo->exc_handler, a, 2, NULL);
        if (!r) {
            /* CPython logs 'Unhandled error in exception handler' and goes on */
            sim_obj *e = sim_exc_fetch(vm);
            fflush(vm->opt.out);
            fprintf(vm->opt.err, "Unhandled error in exception handler\n");
            if (e)
                sim__print_exception(vm, e, vm->opt.err);
        }
    } else {
        aio_default_report(st, lo, ctx);
    }
    sim_pop(vm, 1);
    vm->ts->exc = saved;
}

static void h_repr(void *ud, loop_val v, char *buf, size_t cap)
{
    aio_state *st = ud;
    sim_vm *vm = st->vm;
    sim_obj *saved = sim_exc_fetch(vm);
    sim_obj *r = sim_repr(vm, v);
    if (r)
        snprintf(buf, cap, "%s", SIM_CSTR(r));
    else
        snprintf(buf, cap, "<object>");
    sim_exc_fetch(vm);
    vm->ts->exc = saved;
}

/* BaseEventLoop.default_exception_handler: the log line, then the exception's
 * traceback, on stderr. */
void aio_default_report(aio_state *st, aio_loopobj *lo, sim_obj *context)
{
    sim_vm *vm = st->vm;
    sim_obj *msg = sim_dict_getstr(vm, context, sim_intern(vm, "message"));
    sim_obj *exc = sim_dict_getstr(vm, context, sim_intern(vm, "exception"));
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_puts(&b, msg && SIM_IS_STR(msg) ? SIM_CSTR(msg) : "Unhandled exception in event loop");
    /* every other key, sorted, as 'key: repr(value)' */
    sim_obj *keys = sim_list_new(vm, 0, NULL);
    sim_push(vm, keys);
    size_t pos = 0;
    sim_obj *k, *v;
    while (sim_dict_next(context, &pos, &k, &v))
        if (SIM_IS_STR(k) && strcmp(SIM_CSTR(k), "message") != 0 && strcmp(SIM_CSTR(k), "exception") != 0)
            sim_list_append(vm, keys, k);
    if (sim__list_sort(vm, keys, NULL, false) < 0)
        sim_exc_fetch(vm);
    for (size_t i = 0; i < SIM_LIST(keys)->len; i++) {
        sim_obj *key = SIM_LIST(keys)->items[i], *val = NULL;
        if (sim_dict_get(vm, context, key, &val) <= 0)
            continue;
        sim_obj *r = sim_repr(vm, val);
        if (!r) {
            sim_exc_fetch(vm);
            continue;
        }
        pyfmt_buf_puts(&b, "\n");
        pyfmt_buf_puts(&b, SIM_CSTR(key));
        pyfmt_buf_puts(&b, ": ");
        pyfmt_buf_puts(&b, SIM_CSTR(r));
    }
    sim_pop(vm, 1);
    pyfmt_buf_puts(&b, "\n");
    fflush(vm->opt.out);
    sim__write(vm, 2, b.data, b.len);
    pyfmt_buf_free(&b);
    if (exc && SIM_IS_EXC(exc))
        sim__print_exception(vm, exc, vm->opt.err);
}

/* ---- the error slot ------------------------------------------------------------------- */

/* The loop's pending exception raised in the VM; returns NULL for `return aio_...`. */
sim_obj *aio_raise_loop_error(aio_state *st, loop *l)
{
    sim_obj *e = loop_take_error(l);
    if (!e)
        return sim_raise_msg(st->vm, SIM_E_SystemError, "aiosim: loop error without exception");
    return sim_raise(st->vm, e);
}

aio_loopobj *aio_loopobj_of(aio_state *st, loop *l)
{
    for (size_t i = st->nloops; i-- > 0;)
        if (st->loops[i]->l == l)
            return st->loops[i];
    return NULL;
}

/* ---- helpers ---------------------------------------------------------------------------- */

sim_obj *aio_kwarg(sim_obj **args, int nargs, sim_obj *kwnames, const char *name)
{
    if (!kwnames)
        return NULL;
    sim_tuple *t = SIM_TUPLE(kwnames);
    for (size_t i = 0; i < t->len; i++)
        if (strcmp(SIM_CSTR(t->items[i]), name) == 0)
            return args[nargs + i];
    return NULL;
}

int aio_check_kw(sim_vm *vm, const char *fname, sim_obj *kwnames, const char *const *allowed)
{
    if (!kwnames)
        return 0;
    sim_tuple *t = SIM_TUPLE(kwnames);
    for (size_t i = 0; i < t->len; i++) {
        bool ok = false;
        for (int k = 0; allowed && allowed[k]; k++)
            if (strcmp(SIM_CSTR(t->items[i]), allowed[k]) == 0)
                ok = true;
        if (!ok) {
            sim_raise_msg(vm, SIM_E_TypeError, "%s() got an unexpected keyword argument '%s'", fname,
                          SIM_CSTR(t->items[i]));
            return -1;
        }
    }
    return 0;
}

/* ---- the state ------------------------------------------------------------------------------ */

aio_state *aio_state_get(sim_vm *vm)
{
    if (vm->asyncio)
        return vm->asyncio;
    aio_state *st = calloc(1, sizeof *st);
    if (!st) {
        fputs("aiosim: out of memory\n", stderr);
        exit(4);
    }
    st->vm = vm;
    vm->asyncio = st;
    st->tracer.ud = vm;
    st->tracer.val = tr_val;
    st->tracer.obj = tr_obj;
    loop_host *h = &st->host;
    h->ud = st;
    h->none = vm->none;
    h->true_val = vm->true_;
    h->false_val = vm->false_;
    h->alloc = h_alloc;
    h->new_error = h_new_error;
    h->is_error = h_is_error;
    h->resume = aio_resume;
    h->close_coro = h_close_coro;
    h->as_future = h_as_future;
    h->wrap = h_wrap;
    h->ensure_future = h_ensure_future;
    h->call = h_call;
    h->eq = h_eq;
    h->truthy = h_truthy;
    h->less = h_less;
    h->make_list = h_make_list;
    h->make_set = h_make_set;
    h->make_tuple = h_make_tuple;
    h->make_exception_group = h_make_group;
    h->set_cause = h_set_cause;
    h->task_name = h_task_name;
    h->report = h_report;
    h->repr = h_repr;
    bool gc_was_off = vm->gc_off;
    vm->gc_off = true;          /* types half built must not be collected */
    static const sim_type_hooks sentinel_hooks = {.finalize = sentinel_finalize};
    sim_type *t = sim_type_new_native(vm, "_aiosim_state", "asyncio", NULL, sizeof(sim_obj),
                                      &sentinel_hooks, NULL);
    st->sentinel = sim_cobj_new(vm, t);
    sim_gc_add_root(vm, &st->sentinel);
    aio_types_init(st);
    vm->gc_off = gc_was_off;
    sim_gc_add_tracer(vm, trace_state, st);
    st->clock = vm->clock;
    vm->clock_fn = aio_clock;
    vm->sleep_fn = aio_sleep;
    vm->clock_ud = st;
    return st;
}
