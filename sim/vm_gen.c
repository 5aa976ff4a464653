/* vm_gen.c — generators and coroutines: a suspended heap frame driven by send/throw/
 * close, and sim_resume, the one entry the event loop uses to step any awaitable. */
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "vm.h"

sim_obj *sim__gen_new(sim_vm *vm, sim_frame *f, sim_tid tid) {
    sim_push(vm, (sim_obj *)f);
    sim_gen *g = (sim_gen *)sim__alloc_obj(vm, vm->types[tid], sizeof(sim_gen));
    sim_pop(vm, 1);
    g->frame = f;
    f->gen = &g->hdr;
    sim_func *fn = (sim_func *)f->func;
    g->name = fn ? fn->name : f->co->name;
    g->qualname = fn ? fn->qualname : f->co->qualname;
    if (tid == SIM_T_coroutine) {
        vm->unstarted_coros++;
        g->serial = ++vm->coro_serial;
    }
    return &g->hdr;
}

void sim__note_unawaited(sim_vm *vm, sim_gen *g) {
    vm->unstarted_coros--;
    if (vm->nunawaited == vm->capunawaited) {
        size_t cap = vm->capunawaited ? vm->capunawaited * 2 : 16;
        struct sim_unawaited *a = realloc(vm->unawaited, cap * sizeof *a);
        if (!a) return;             /* a lost warning, not a crash */
        vm->unawaited = a;
        vm->capunawaited = cap;
    }
    char *name = strdup(SIM_CSTR(g->qualname));
    if (!name) return;
    vm->unawaited[vm->nunawaited++] = (struct sim_unawaited){ g->serial, name };
}

static const char *gen_kind(sim_vm *vm, sim_obj *g) {
    return g->type == vm->types[SIM_T_coroutine] ? "coroutine" : "generator";
}

/* Resumes g: send v, or throw exc. Returns the yielded or returned value (res says
 * which), or NULL with res == SIM_SEND_ERROR. */
sim_obj *sim__gen_send(sim_vm *vm, sim_obj *gobj, sim_obj *v, sim_obj *exc, sim_sendres *res) {
    sim_gen *g = (sim_gen *)gobj;
    *res = SIM_SEND_ERROR;
    if (g->running) return sim_raise_msg(vm, SIM_E_ValueError, "%s already executing", gen_kind(vm, gobj));
    sim_frame *f = g->frame;
    if (!f) {
        if (exc) return sim_raise(vm, exc);
        if (gobj->type == vm->types[SIM_T_coroutine])
            return sim_raise_msg(vm, SIM_E_RuntimeError, "cannot reuse already awaited coroutine");
        *res = SIM_SEND_RETURN;
        return vm->none;
    }
    if (!f->started && !exc && v && v != vm->none)
        return sim_raise_msg(vm, SIM_E_TypeError, "can't send non-None value to a just-started %s", gen_kind(vm, gobj));
    if (!f->started && gobj->type == vm->types[SIM_T_coroutine]) vm->unstarted_coros--;
    if (!f->started && exc) {
        g->frame = NULL;
        return sim_raise(vm, exc);
    }
    g->running = true;
    g->awaited = true;
    sim_push(vm, gobj);
    bool yielded;
    sim_obj *r = sim__eval(vm, f, v ? v : vm->none, exc, &yielded);
    sim_pop(vm, 1);
    g->running = false;
    if (yielded) {
        *res = SIM_SEND_YIELD;
        return r;
    }
    g->frame = NULL;
    if (r) {
        *res = SIM_SEND_RETURN;
        return r;
    }
    if (sim_exc_matches(vm, SIM_E_StopIteration)) {
        sim_obj *e = sim_exc_fetch(vm);
        sim_raise_msg(vm, SIM_E_RuntimeError, "%s raised StopIteration", gen_kind(vm, gobj));
        sim__set_context(vm, vm->ts->exc, e);
        ((sim_exc *)vm->ts->exc)->cause = e;
        ((sim_exc *)vm->ts->exc)->suppress_context = true;
    }
    return NULL;
}

/* Resumes any iterator-like object: generators and coroutines, native sendables,
 * builtin iterators, and objects with send/throw/__next__ methods. */
sim_sendres sim_resume(sim_vm *vm, sim_obj *it, sim_obj *value, sim_obj *exc, sim_obj **out) {
    sim_sendres res;
    if (SIM_KIND(it) == SIM_K_GEN) {
        *out = sim__gen_send(vm, it, value, exc, &res);
        return res;
    }
    if (it->type->hooks.send) return it->type->hooks.send(vm, it, value ? value : vm->none, exc, out);
    sim_obj *r;
    if (exc) {
        sim_obj *m = sim_getattr_opt(vm, it, vm->n.throw);
        if (!m) {
            if (sim_exc_occurred(vm)) return SIM_SEND_ERROR;
            sim_raise(vm, exc);
            return SIM_SEND_ERROR;
        }
        sim_push(vm, m);
        r = sim_call1(vm, m, exc);
        sim_pop(vm, 1);
    } else if (!value || value == vm->none) {
        r = sim_next(vm, it);
        if (!r && !sim_exc_occurred(vm)) {
            *out = vm->none;
            return SIM_SEND_RETURN;
        }
        if (!r && sim_exc_matches(vm, SIM_E_StopIteration)) {
            *out = sim__stopiteration_value(vm, sim_exc_fetch(vm));
            return SIM_SEND_RETURN;
        }
    } else {
        r = sim_call_method(vm, it, "send", &value, 1);
    }
    if (r) {
        *out = r;
        return SIM_SEND_YIELD;
    }
    if (sim_exc_matches(vm, SIM_E_StopIteration)) {
        *out = sim__stopiteration_value(vm, sim_exc_fetch(vm));
        return SIM_SEND_RETURN;
    }
    return SIM_SEND_ERROR;
}

/* coro.close(): throw GeneratorExit; it must not yield again. */
static sim_obj *gen_close(sim_vm *vm, sim_obj *gobj) {
    sim_gen *g = (sim_gen *)gobj;
    if (!g->frame) return vm->none;
    if (!g->frame->started) {
        if (gobj->type == vm->types[SIM_T_coroutine]) vm->unstarted_coros--;
        g->frame = NULL;
        return vm->none;
    }
    sim_obj *ge = sim_exc_new(vm, vm->exc_types[SIM_E_GeneratorExit], NULL);
    sim_sendres res;
    sim_obj *r = sim__gen_send(vm, gobj, NULL, ge, &res);
    if (res == SIM_SEND_YIELD) {
        (void)r;
        return sim_raise_msg(vm, SIM_E_RuntimeError, "%s ignored GeneratorExit", gen_kind(vm, gobj));
    }
    if (res == SIM_SEND_ERROR) {
        if (sim_exc_matches(vm, SIM_E_GeneratorExit) || sim_exc_matches(vm, SIM_E_StopIteration)) {
            sim_exc_fetch(vm);
            return vm->none;
        }
        return NULL;
    }
    return vm->none;
}

void sim_coro_close(sim_vm *vm, sim_obj *coro) {
    sim_obj *saved = sim_exc_fetch(vm);
    if (SIM_KIND(coro) == SIM_K_GEN) gen_close(vm, coro);
    else if (sim__type_lookup(coro->type, vm->n.close)) {
        sim_obj *r = sim_call_method(vm, coro, "close", NULL, 0);
        (void)r;
    }
    sim_exc_fetch(vm);
    vm->ts->exc = saved;
}

void sim__agen_methods(sim_vm *vm);

/* ---- methods -------------------------------------------------------------------------------- */

static sim_obj *m_send(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "send", nargs - 1, 1, 1) < 0) return NULL;
    sim_sendres res;
    sim_obj *r = sim__gen_send(vm, args[0], args[1], NULL, &res);
    if (res == SIM_SEND_RETURN) {
        sim_obj *a = sim_tuple_new(vm, r == vm->none ? 0 : 1, &r);
        sim_push(vm, a);
        sim_obj *e = sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], a);
        sim_pop(vm, 1);
        return sim_raise(vm, e);
    }
    return r;
}

static sim_obj *m_next(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *a[2] = {args[0], vm->none};
    return m_send(vm, a, 2, NULL);
}

static sim_obj *m_throw(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "throw", nargs - 1, 1, 3) < 0) return NULL;
    sim_obj *e = args[1];
    if (SIM_IS_TYPE(e)) {
        e = nargs > 2 && args[2] != vm->none ? sim_call1(vm, e, args[2]) : sim_call0(vm, e);
        if (!e) return NULL;
    }
    if (!SIM_IS_EXC(e))
        return sim_raise_msg(vm, SIM_E_TypeError, "exceptions must be classes or instances deriving from BaseException, not %s",
                             sim_type_name(e));
    sim_push(vm, e);
    sim_sendres res;
    sim_obj *r = sim__gen_send(vm, args[0], NULL, e, &res);
    sim_pop(vm, 1);
    if (res == SIM_SEND_RETURN) {
        sim_obj *a = sim_tuple_new(vm, r == vm->none ? 0 : 1, &r);
        sim_push(vm, a);
        sim_obj *ex = sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], a);
        sim_pop(vm, 1);
        return sim_raise(vm, ex);
    }
    return r;
}

static sim_obj *m_close(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return gen_close(vm, args[0]);
}

static sim_obj *m_self(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) { return args[0]; }

/* coroutine.__await__(): CPython returns a coroutine_wrapper iterating the coroutine;
 * here the coroutine itself, marked so that a class's __await__ may return it. */
static sim_obj *m_coro_await(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    ((sim_gen *)args[0])->await_called = true;
    return args[0];
}

static sim_obj *m_running(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return sim_bool(vm, ((sim_gen *)args[0])->running);
}

static sim_obj *m_frame(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_gen *g = (sim_gen *)args[0];
    return g->frame ? (sim_obj *)g->frame : vm->none;
}

static sim_obj *m_name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return ((sim_gen *)args[0])->name;
}

static sim_obj *m_qualname(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return ((sim_gen *)args[0])->qualname;
}

static sim_obj *m_code(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_gen *g = (sim_gen *)args[0];
    return g->frame ? (sim_obj *)g->frame->co : vm->none;
}

void sim__gen_methods(sim_vm *vm) {
    static const sim_method_def gen[] = {
        {"send", m_send, NULL, 0}, {"throw", m_throw, NULL, 0}, {"close", m_close, NULL, 0},
        {"__next__", m_next, NULL, 0}, {"__iter__", m_self, NULL, 0},
        {"gi_running", NULL, m_running, 0}, {"gi_frame", NULL, m_frame, 0}, {"gi_code", NULL, m_code, 0},
        {"__name__", NULL, m_name, 0}, {"__qualname__", NULL, m_qualname, 0},
        {NULL, NULL, NULL, 0},
    };
    static const sim_method_def coro[] = {
        {"send", m_send, NULL, 0}, {"throw", m_throw, NULL, 0}, {"close", m_close, NULL, 0},
        {"__await__", m_coro_await, NULL, 0},
        {"cr_running", NULL, m_running, 0}, {"cr_frame", NULL, m_frame, 0}, {"cr_code", NULL, m_code, 0},
        {"__name__", NULL, m_name, 0}, {"__qualname__", NULL, m_qualname, 0},
        {NULL, NULL, NULL, 0},
    };
    sim__add_methods(vm, vm->types[SIM_T_generator], gen);
    sim__add_methods(vm, vm->types[SIM_T_coroutine], coro);
    sim__agen_methods(vm);
}

/* ---- async generators ------------------------------------------------------------------------
 * agen.__anext__() / asend(v) / athrow(e) / aclose() return an awaitable (the
 * async_generator_asend type: src = the generator, aux = the value or exception to
 * start with, n = the mode, i = the state). Driving it resumes the generator's frame:
 * an `await` inside the generator suspends at a YIELD_FROM and passes its value up;
 * a `yield v` (YIELD_VALUE) completes the awaitable with v. */
enum { AG_SEND, AG_THROW, AG_CLOSE };

static sim_sendres asend_send(sim_vm *vm, sim_obj *self, sim_obj *value, sim_obj *exc, sim_obj **out) {
    sim_iterobj *a = (sim_iterobj *)self;
    sim_gen *g = (sim_gen *)a->src;
    if (a->i == 2) {
        sim_raise_msg(vm, SIM_E_RuntimeError, "cannot reuse already awaited __anext__()/asend()");
        return SIM_SEND_ERROR;
    }
    if (a->i == 0) {
        a->i = 1;
        if (a->n == AG_SEND) value = a->aux;
        else if (!exc) exc = a->aux;
    }
    if (!g->frame) {
        a->i = 2;
        if (a->n == AG_CLOSE) { *out = vm->none; return SIM_SEND_RETURN; }
        if (exc) sim_raise(vm, exc);
        else sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_StopAsyncIteration], NULL));
        return SIM_SEND_ERROR;
    }
    sim_sendres res;
    sim_obj *r = sim__gen_send(vm, a->src, value, exc, &res);
    if (res == SIM_SEND_YIELD) {
        if (g->frame && g->frame->in_yield_from) { *out = r; return SIM_SEND_YIELD; }
        a->i = 2;
        if (a->n == AG_CLOSE) {
            sim_raise_msg(vm, SIM_E_RuntimeError, "async generator ignored GeneratorExit");
            return SIM_SEND_ERROR;
        }
        *out = r;
        return SIM_SEND_RETURN;
    }
    a->i = 2;
    if (res == SIM_SEND_RETURN) {
        if (a->n == AG_CLOSE) { *out = vm->none; return SIM_SEND_RETURN; }
        sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_StopAsyncIteration], NULL));
        return SIM_SEND_ERROR;
    }
    if (a->n == AG_CLOSE && (sim_exc_matches(vm, SIM_E_GeneratorExit) || sim_exc_matches(vm, SIM_E_StopAsyncIteration))) {
        sim_exc_fetch(vm);
        *out = vm->none;
        return SIM_SEND_RETURN;
    }
    return SIM_SEND_ERROR;
}

/* async_gen_init_hooks: the first asend/athrow/aclose calls sys's firstiter hook
 * (the event loop registers the generator for shutdown_asyncgens). */
static bool init_hooks(sim_vm *vm, sim_obj *agen) {
    sim_gen *g = (sim_gen *)agen;
    if (g->hooks_inited) return true;
    g->hooks_inited = true;
    if (!vm->agen_firstiter) return true;
    return sim_call1(vm, vm->agen_firstiter, agen) != NULL;
}

static sim_obj *asend_new(sim_vm *vm, sim_obj *agen, sim_obj *aux, int mode) {
    sim_push(vm, aux);
    bool ok = init_hooks(vm, agen);
    sim_pop(vm, 1);
    if (!ok) return NULL;
    sim_obj *a = sim_iter_new(vm, SIM_T_async_gen_asend, agen, aux);
    ((sim_iterobj *)a)->n = mode;
    return a;
}

static sim_obj *ag_anext(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return asend_new(vm, args[0], vm->none, AG_SEND);
}

static sim_obj *ag_asend(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "asend", nargs - 1, 1, 1) < 0) return NULL;
    return asend_new(vm, args[0], args[1], AG_SEND);
}

static sim_obj *ag_athrow(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "athrow", nargs - 1, 1, 3) < 0) return NULL;
    sim_obj *e = args[1];
    if (SIM_IS_TYPE(e)) {
        e = nargs > 2 && args[2] != vm->none ? sim_call1(vm, e, args[2]) : sim_call0(vm, e);
        if (!e) return NULL;
    }
    return asend_new(vm, args[0], e, AG_THROW);
}

static sim_obj *ag_aclose(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *ge = sim_exc_new(vm, vm->exc_types[SIM_E_GeneratorExit], NULL);
    return asend_new(vm, args[0], ge, AG_CLOSE);
}

/* The awaitable itself: send/throw/close/__await__/__next__ for manual driving. */
static sim_obj *as_send(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *out;
    sim_sendres r = asend_send(vm, args[0], nargs > 1 ? args[1] : vm->none, NULL, &out);
    if (r == SIM_SEND_YIELD) return out;
    if (r == SIM_SEND_ERROR) return NULL;
    sim_obj *a = sim_tuple_new(vm, 1, &out);
    return sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], a));
}

static sim_obj *as_throw(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "throw", nargs - 1, 1, 3) < 0) return NULL;
    sim_obj *e = args[1];
    if (SIM_IS_TYPE(e)) {
        e = sim_call0(vm, e);
        if (!e) return NULL;
    }
    sim_obj *out;
    sim_sendres r = asend_send(vm, args[0], NULL, e, &out);
    if (r == SIM_SEND_YIELD) return out;
    if (r == SIM_SEND_ERROR) return NULL;
    sim_obj *a = sim_tuple_new(vm, 1, &out);
    return sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], a));
}

static sim_obj *as_close(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    ((sim_iterobj *)args[0])->i = 2;
    return vm->none;
}

void sim__agen_methods(sim_vm *vm) {
    static const sim_method_def ag[] = {
        {"__anext__", ag_anext, NULL, 0}, {"asend", ag_asend, NULL, 0}, {"athrow", ag_athrow, NULL, 0},
        {"aclose", ag_aclose, NULL, 0}, {"__aiter__", m_self, NULL, 0},
        {"ag_running", NULL, m_running, 0}, {"ag_frame", NULL, m_frame, 0}, {"ag_code", NULL, m_code, 0},
        {"__name__", NULL, m_name, 0}, {"__qualname__", NULL, m_qualname, 0},
        {NULL, NULL, NULL, 0},
    };
    static const sim_method_def as[] = {
        {"send", as_send, NULL, 0}, {"throw", as_throw, NULL, 0}, {"close", as_close, NULL, 0},
        {"__await__", m_self, NULL, 0}, {"__iter__", m_self, NULL, 0}, {"__next__", as_send, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    sim__add_methods(vm, vm->types[SIM_T_async_generator], ag);
    sim__add_methods(vm, vm->types[SIM_T_async_gen_asend], as);
    vm->types[SIM_T_async_gen_asend]->hooks.send = asend_send;
}
