/* vm_instr.c — the longer instructions of the interpreter, one function each
 * (unpacking, f-string formatting, raise, await, with, calls with * and **, imports). */
#include <string.h>

#include "code.h"
#include "vm.h"

#define STACK (f->slots + f->nlocals + f->ncells)
#define PUSH(v) (stack[f->sp++] = (v))
#define POP() (stack[--f->sp])
#define TOP() (stack[f->sp - 1])
#define PEEK(n) (stack[f->sp - (n)])
#define DROP(n) (f->sp -= (n))

/* UNPACK_SEQUENCE n / UNPACK_EX before|after<<8 */
sim_obj *sim__eval_helper_unpack(sim_vm *vm, sim_frame *f, uint32_t arg, bool ex) {
    sim_obj **stack = STACK;
    sim_obj *seq = TOP(), *lst = seq;
    if (!SIM_IS_TUPLE(seq) && !SIM_IS_LIST(seq)) {
        lst = sim_list_of(vm, seq);
        if (!lst) {
            if (sim_exc_matches(vm, SIM_E_TypeError) && SIM_KIND(seq) != SIM_K_GEN && SIM_KIND(seq) != SIM_K_ITER &&
                !(seq->type->flags & SIM_TF_HEAP)) {
                sim_exc_fetch(vm);
                sim_raise_msg(vm, SIM_E_TypeError, "cannot unpack non-iterable %s object", sim_type_name(seq));
            }
            return NULL;
        }
    }
    size_t n = SIM_IS_TUPLE(lst) ? SIM_TUPLE(lst)->len : SIM_LIST(lst)->len;
    uint32_t before = ex ? (arg & 0xFF) : arg, after = ex ? (arg >> 8) : 0;
    if (!ex) {
        if (n != arg) {
            if (n > arg) sim_raise_msg(vm, SIM_E_ValueError, "too many values to unpack (expected %u)", arg);
            else sim_raise_msg(vm, SIM_E_ValueError, "not enough values to unpack (expected %u, got %zu)", arg, n);
            return NULL;
        }
        sim_obj **items = SIM_IS_TUPLE(lst) ? SIM_TUPLE(lst)->items : SIM_LIST(lst)->items;
        DROP(1);
        for (size_t i = n; i-- > 0;) PUSH(items[i]);
        return vm->none;
    }
    if (n < (size_t)before + after) {
        sim_raise_msg(vm, SIM_E_ValueError, "not enough values to unpack (expected at least %u, got %zu)",
                      before + after, n);
        return NULL;
    }
    PUSH(lst);
    size_t nstar = n - before - after;
    sim_obj *star = sim_list_new(vm, nstar, NULL);
    sim_obj **items = SIM_IS_TUPLE(lst) ? SIM_TUPLE(lst)->items : SIM_LIST(lst)->items;
    memcpy(SIM_LIST(star)->items, items + before, nstar * sizeof(sim_obj *));
    DROP(2);
    for (size_t i = n; i-- > n - after;) PUSH(items[i]);
    PUSH(star);
    for (size_t i = before; i-- > 0;) PUSH(items[i]);
    return vm->none;
}

int sim_format(sim_vm *vm, sim_obj *v, sim_obj *spec, sim_obj **out) {
    const char *s = spec ? SIM_CSTR(spec) : "";
    size_t n = spec ? SIM_STR(spec)->len : 0;
    if (v->type->flags & SIM_TF_HEAP) {
        bool found;
        sim_obj *arg = spec ? spec : vm->empty_str;
        sim_obj *r = sim_call_dunder(vm, v, vm->n.__format__, &arg, 1, &found);
        if (found) {
            if (!r) return -1;
            *out = r;
            return 0;
        }
    }
    pyfmt_buf b;
    pyfmt_err err = {0};
    int rc;
    pyfmt_buf_init(&b);
    if (SIM_IS_INT(v) && !(v->type == vm->types[SIM_T_bool] && n == 0)) {
        rc = pyfmt_format_int(SIM_INT(v), s, n, sim_type_name(v), &b, &err);
    } else if (SIM_IS_FLOAT(v)) {
        rc = pyfmt_format_float(SIM_FLOAT(v), s, n, "float", &b, &err);
    } else if (SIM_IS_STR(v)) {
        if (n == 0) { *out = v; return 0; }
        rc = pyfmt_format_str(SIM_CSTR(v), SIM_STR(v)->len, s, n, "str", &b, &err);
    } else {
        if (n) {
            sim_raise_msg(vm, SIM_E_TypeError, "unsupported format string passed to %s.__format__", sim_type_name(v));
            return -1;
        }
        sim_obj *r = sim_str(vm, v);
        if (!r) return -1;
        *out = r;
        return 0;
    }
    if (rc != PYFMT_OK) {
        pyfmt_buf_free(&b);
        sim__raise_pyfmt(vm, &err);
        return -1;
    }
    *out = sim__str_from_buf(vm, &b);
    return 0;
}

/* FORMAT_VALUE: v [spec] -> str */
int sim__format_value(sim_vm *vm, sim_frame *f, uint32_t flags) {
    sim_obj **stack = STACK;
    bool has_spec = flags & SIM_FMT_HAS_SPEC;
    sim_obj *spec = has_spec ? TOP() : NULL;
    sim_obj *v = has_spec ? PEEK(2) : TOP();
    int conv = (int)(flags & SIM_FMT_CONV_MASK);
    if (conv) {
        v = conv == SIM_FMT_STR ? sim_str(vm, v) : conv == SIM_FMT_ASCII ? sim_ascii(vm, v) : sim_repr(vm, v);
        if (!v) return -1;
        if (has_spec) PEEK(2) = v; else TOP() = v;
    }
    sim_obj *r;
    if (SIM_IS_STR(v) && (!spec || SIM_STR(spec)->len == 0)) r = v;
    else if (sim_format(vm, v, spec, &r) < 0) return -1;
    if (has_spec) DROP(1);
    TOP() = r;
    return 0;
}

/* The innermost handled exception along the frame chain, or NULL. */
static sim_obj *current_handled(sim_vm *vm) {
    for (sim_frame *fr = vm->ts->frame; fr; fr = fr->back)
        if (fr->handled && fr->handled != vm->none) return fr->handled;
    return NULL;
}

/* An exception instance from a raise operand (a class is instantiated). */
static sim_obj *make_exc(sim_vm *vm, sim_obj *v, const char *what) {
    if (SIM_IS_TYPE(v) && (((sim_type *)v)->flags & SIM_TF_EXC)) {
        v = sim_call0(vm, v);
        if (!v) return NULL;
        if (!SIM_IS_EXC(v))
            return sim_raise_msg(vm, SIM_E_TypeError, "calling %s should have returned an instance of BaseException, not %s",
                                 SIM_CSTR(((sim_type *)v)->name), sim_type_name(v));
        return v;
    }
    if (SIM_IS_EXC(v)) return v;
    return sim_raise_msg(vm, SIM_E_TypeError, "%s", what);
}

/* RAISE_VARARGS: always leaves an exception set. */
int sim__do_raise(sim_vm *vm, sim_frame *f, uint32_t arg, bool *reraise) {
    sim_obj **stack = STACK;
    if (arg == 0) {
        sim_obj *e = current_handled(vm);
        if (!e) {
            sim_raise_msg(vm, SIM_E_RuntimeError, "No active exception to reraise");
            return -1;
        }
        vm->ts->exc = e;
        *reraise = true;
        return -1;
    }
    sim_obj *exc = make_exc(vm, arg == 2 ? PEEK(2) : TOP(), "exceptions must derive from BaseException");
    if (!exc) return -1;
    if (arg == 2) PEEK(2) = exc; else TOP() = exc;
    if (arg == 2) {
        sim_obj *cause = TOP();
        if (cause == vm->none) {
            cause = NULL;
        } else {
            cause = make_exc(vm, cause, "exception causes must derive from BaseException");
            if (!cause) return -1;
        }
        ((sim_exc *)exc)->cause = cause;
        ((sim_exc *)exc)->suppress_context = true;
    }
    DROP(arg);
    sim_raise(vm, exc);
    return -1;
}

sim_obj *sim__get_awaitable(sim_vm *vm, sim_obj *o, uint32_t where) {
    if (o->type == vm->types[SIM_T_coroutine]) {
        sim_gen *g = (sim_gen *)o;
        if (g->frame && g->frame->in_yield_from && g->frame->started && !g->running) {
            /* awaited elsewhere and suspended: CPython's check */
            return sim_raise_msg(vm, SIM_E_RuntimeError, "coroutine is being awaited already");
        }
        return o;
    }
    if (o->type->hooks.send) return o;
    if (o->type->hooks.await) return o->type->hooks.await(vm, o);
    if (o->type == vm->types[SIM_T_async_gen_asend]) return o;
    bool found = false;
    sim_obj *r = NULL;
    if (o->type->flags & SIM_TF_HEAP) r = sim_call_dunder(vm, o, vm->n.__await__, NULL, 0, &found);
    if (found) {
        if (!r) return NULL;
        if (r->type == vm->types[SIM_T_coroutine] && !((sim_gen *)r)->await_called)
            return sim_raise_msg(vm, SIM_E_TypeError, "__await__() returned a coroutine");
        if (SIM_KIND(r) != SIM_K_GEN && SIM_KIND(r) != SIM_K_ITER && !r->type->hooks.send && !r->type->hooks.next &&
            !sim__type_lookup(r->type, vm->n.__next__))
            return sim_raise_msg(vm, SIM_E_TypeError, "__await__() returned non-iterator of type '%s'", sim_type_name(r));
        return r;
    }
    if (where == 1)
        return sim_raise_msg(vm, SIM_E_TypeError,
                             "'async with' received an object from __aenter__ that does not implement __await__: %s",
                             sim_type_name(o));
    if (where == 2)
        return sim_raise_msg(vm, SIM_E_TypeError,
                             "'async with' received an object from __aexit__ that does not implement __await__: %s",
                             sim_type_name(o));
    return sim_raise_msg(vm, SIM_E_TypeError, "object %s can't be used in 'await' expression", sim_type_name(o));
}

/* YIELD_FROM's send: stack [it v] (or [it] when exc is thrown in). Returns 1 when
 * it yielded (stack [it y]), 0 when it returned (stack [r]), -1 on error. */
int sim__yield_from(sim_vm *vm, sim_frame *f, sim_obj *exc, sim_obj **yv) {
    sim_obj **stack = STACK;
    sim_obj *it = exc ? TOP() : PEEK(2);
    sim_obj *out = NULL;
    sim_sendres res = sim_resume(vm, it, exc ? NULL : TOP(), exc, &out);
    if (res == SIM_SEND_ERROR) return -1;
    if (res == SIM_SEND_YIELD) {
        if (exc) PUSH(out); else TOP() = out;
        *yv = out;
        return 1;
    }
    if (!exc) DROP(1);
    TOP() = out;
    return 0;
}

int sim__build_map(sim_vm *vm, sim_frame *f, uint32_t n) {
    sim_obj **stack = STACK;
    sim_obj *d = sim_dict_new(vm);
    PUSH(d);
    for (uint32_t i = 0; i < n; i++) {
        sim_obj *k = stack[f->sp - 1 - 2 * n + 2 * i], *v = stack[f->sp - 1 - 2 * n + 2 * i + 1];
        if (sim_dict_set(vm, d, k, v) < 0) return -1;
    }
    DROP(2 * n + 1);
    PUSH(d);
    return 0;
}

static const char *callable_name(sim_vm *vm, sim_obj *c, char *buf, size_t n) {
    if (SIM_KIND(c) == SIM_K_FUNCTION) snprintf(buf, n, "%s()", SIM_CSTR(((sim_func *)c)->qualname));
    else if (SIM_KIND(c) == SIM_K_NATIVE) snprintf(buf, n, "%s()", ((sim_native *)c)->name);
    else if (SIM_KIND(c) == SIM_K_TYPE) snprintf(buf, n, "%s()", SIM_CSTR(((sim_type *)c)->name));
    else snprintf(buf, n, "%s object", sim_type_name(c));
    (void)vm;
    return buf;
}

/* DICT_MERGE: f(**a, **b) — a repeated keyword is an error. */
int sim__dict_merge(sim_vm *vm, sim_obj *d, sim_obj *m, sim_obj *callable) {
    char nb[200];
    if (!SIM_IS_DICT(m) && !sim__type_lookup(m->type, vm->n.keys)) {
        sim_raise_msg(vm, SIM_E_TypeError, "%s argument after ** must be a mapping, not %s",
                      callable_name(vm, callable, nb, sizeof nb), sim_type_name(m));
        return -1;
    }
    sim_obj *src = m;
    if (!SIM_IS_DICT(m)) {
        src = sim_dict_new(vm);
        sim_push(vm, src);
        int rc = sim__dict_update(vm, src, m);
        sim_pop(vm, 1);
        if (rc < 0) return -1;
    }
    sim_push(vm, src);
    size_t pos = 0;
    sim_obj *k, *v;
    while (sim_dict_next(src, &pos, &k, &v)) {
        sim_obj *old;
        int r = sim_dict_get(vm, d, k, &old);
        if (r == 1) {
            sim_pop(vm, 1);
            sim_raise_msg(vm, SIM_E_TypeError, "%s got multiple values for keyword argument '%s'",
                          callable_name(vm, callable, nb, sizeof nb), SIM_IS_STR(k) ? SIM_CSTR(k) : "?");
            return -1;
        }
        if (r < 0 || sim_dict_set(vm, d, k, v) < 0) { sim_pop(vm, 1); return -1; }
    }
    sim_pop(vm, 1);
    return 0;
}

/* CALL_EX: f args(tuple) [kwargs(dict)] -> f(*args, **kwargs) */
int sim__call_ex(sim_vm *vm, sim_frame *f, uint32_t flags) {
    sim_obj **stack = STACK;
    sim_obj *kw = flags & 1 ? TOP() : NULL;
    sim_obj *args = flags & 1 ? PEEK(2) : TOP();
    sim_obj *fn = flags & 1 ? PEEK(3) : PEEK(2);
    if (!SIM_IS_TUPLE(args)) {
        args = sim_tuple_of(vm, args);
        if (!args) return -1;
        if (flags & 1) PEEK(2) = args; else TOP() = args;
    }
    size_t n = SIM_TUPLE(args)->len, nkw = kw ? SIM_DICT(kw)->used : 0;
    sim_obj *r;
    vm->steps++;
    if (!nkw) {
        r = sim_call(vm, fn, SIM_TUPLE(args)->items, (int)n, NULL);
    } else {
        sim_obj *all = sim_tuple_new(vm, n + nkw, NULL);
        PUSH(all);
        sim_obj *names = sim_tuple_new(vm, nkw, NULL);
        PUSH(names);
        memcpy(SIM_TUPLE(all)->items, SIM_TUPLE(args)->items, n * sizeof(sim_obj *));
        size_t pos = 0, i = 0;
        sim_obj *k, *v;
        while (sim_dict_next(kw, &pos, &k, &v)) {
            if (!SIM_IS_STR(k)) {
                sim_raise_msg(vm, SIM_E_TypeError, "keywords must be strings");
                return -1;
            }
            SIM_TUPLE(names)->items[i] = sim_intern_str(vm, k);
            SIM_TUPLE(all)->items[n + i++] = v;
        }
        r = sim_call(vm, fn, SIM_TUPLE(all)->items, (int)n, names);
        DROP(2);
    }
    if (!r) return -1;
    DROP(flags & 1 ? 3 : 2);
    PUSH(r);
    return 0;
}

/* MAKE_FUNCTION: [defaults] [kwdefaults] [closure] code -> function */
sim_obj *sim__op_make_function(sim_vm *vm, sim_frame *f, uint32_t flags) {
    sim_obj **stack = STACK;
    sim_obj *fn = sim__func_new(vm, TOP(), f->globals);
    sim_func *fo = (sim_func *)fn;
    uint32_t k = 2;
    if (flags & SIM_MKFN_CLOSURE) fo->closure = PEEK(k++);
    if (flags & SIM_MKFN_KWDEFAULTS) fo->kwdefaults = PEEK(k++);
    if (flags & SIM_MKFN_DEFAULTS) fo->defaults = PEEK(k++);
    DROP(k - 1);
    PUSH(fn);
    return fn;
}

int sim__check_exc_match(sim_vm *vm, sim_obj *exc, sim_obj *t) {
    if (SIM_IS_TUPLE(t)) {
        for (size_t i = 0; i < SIM_TUPLE(t)->len; i++) {
            int r = sim__check_exc_match(vm, exc, SIM_TUPLE(t)->items[i]);
            if (r) return r;
        }
        return 0;
    }
    if (!SIM_IS_TYPE(t) || !(((sim_type *)t)->flags & SIM_TF_EXC)) {
        sim_raise_msg(vm, SIM_E_TypeError, "catching classes that do not inherit from BaseException is not allowed");
        return -1;
    }
    return sim_isinstance_type(exc, (sim_type *)t);
}

/* BEFORE_WITH / BEFORE_ASYNC_WITH: m -> exit enter() */
int sim__before_with(sim_vm *vm, sim_frame *f, bool async) {
    sim_obj **stack = STACK;
    sim_obj *m = TOP();
    sim_obj *ename = async ? vm->n.__aenter__ : vm->n.__enter__;
    sim_obj *xname = async ? vm->n.__aexit__ : vm->n.__exit__;
    if (!sim__type_lookup(m->type, ename) || !sim__type_lookup(m->type, xname)) {
        sim_raise_msg(vm, SIM_E_TypeError, "'%s' object does not support the %scontext manager protocol",
                      sim_type_name(m), async ? "asynchronous " : "");
        return -1;
    }
    sim_obj *exit = sim_getattr(vm, m, xname);
    if (!exit) return -1;
    PUSH(exit);
    sim_obj *enter = sim_getattr(vm, m, ename);
    if (!enter) return -1;
    PUSH(enter);
    sim_obj *r = sim_call0(vm, enter);
    if (!r) return -1;
    DROP(3);
    PUSH(exit);
    PUSH(r);
    return 0;
}

/* ---- imports ------------------------------------------------------------------------------ */

static sim_obj *import_one(sim_vm *vm, const char *full) {
    sim_obj *name = sim_intern(vm, full);
    sim_obj *m = sim_dict_getstr(vm, vm->modules, name);
    if (m) return m;
    for (size_t i = 0; i < vm->nnatives; i++) {
        if (strcmp(vm->natives[i].name, full) != 0) continue;
        m = sim_module_new(vm, full);
        sim_push(vm, m);
        if (sim_dict_set(vm, vm->modules, name, m) < 0 || vm->natives[i].init(vm, m) < 0) {
            sim_dict_del(vm, vm->modules, name);
            sim_pop(vm, 1);
            return NULL;
        }
        sim_pop(vm, 1);
        return m;
    }
    /* a package prefix of a native module ("concurrent" of "concurrent.futures") */
    size_t len = strlen(full);
    for (size_t i = 0; i < vm->nnatives; i++) {
        if (strncmp(vm->natives[i].name, full, len) == 0 && vm->natives[i].name[len] == '.') {
            m = sim_module_new(vm, full);
            sim_push(vm, m);
            sim_dict_set(vm, vm->modules, name, m);
            sim_pop(vm, 1);
            return m;
        }
    }
    /* a module of CPython's standard library that aiosim lacks: say so (still a
     * ModuleNotFoundError, so `except ImportError` behaves the same) */
    static const char *const stdlib[] = {
        "abc", "argparse", "array", "ast", "atexit", "base64", "bisect", "calendar", "cmath", "copy",
        "csv", "dataclasses", "datetime", "decimal", "difflib", "enum", "errno", "fractions", "gc",
        "glob", "hashlib", "heapq", "http", "inspect", "io", "json", "logging", "math", "multiprocessing",
        "numbers", "operator", "os", "pathlib", "pickle", "platform", "pprint", "queue", "random", "re",
        "secrets", "selectors", "shutil", "signal", "socket", "sqlite3", "ssl", "statistics", "string",
        "struct", "subprocess", "tempfile", "textwrap", "threading", "timeit", "traceback", "types",
        "unittest", "urllib", "uuid", "warnings", "weakref", "zlib", NULL};
    size_t top = strcspn(full, ".");
    for (int i = 0; stdlib[i]; i++)
        if (strlen(stdlib[i]) == top && strncmp(stdlib[i], full, top) == 0)
            return sim_raise_msg(vm, SIM_E_ModuleNotFoundError, "aiosim does not support the module '%s' yet", full);
    return sim_raise_msg(vm, SIM_E_ModuleNotFoundError, "No module named '%s'", full);
}

sim_obj *sim__import(sim_vm *vm, sim_obj *name, sim_obj *fromlist) {
    const char *full = SIM_CSTR(name);
    char buf[256];
    sim_obj *top = NULL, *prev = NULL, *m = NULL;
    size_t len = strlen(full);
    if (len >= sizeof buf) return sim_raise_msg(vm, SIM_E_ImportError, "module name too long");
    for (size_t i = 0; i <= len; i++) {
        if (full[i] != '.' && full[i] != 0) continue;
        memcpy(buf, full, i);
        buf[i] = 0;
        if (prev) sim_push(vm, prev);
        m = import_one(vm, buf);
        if (prev) sim_pop(vm, 1);
        if (!m) return NULL;
        if (prev) {
            sim_push(vm, m);
            sim_dict_setstr(vm, ((sim_module *)prev)->dict, buf + (strrchr(buf, '.') - buf) + 1, m);
            sim_pop(vm, 1);
        }
        if (!top) top = m;
        prev = m;
    }
    return fromlist == vm->none || !fromlist ? top : m;
}

sim_obj *sim__import_from(sim_vm *vm, sim_obj *mod, sim_obj *name) {
    sim_obj *v = sim_getattr_opt(vm, mod, name);
    if (v) return v;
    if (sim_exc_occurred(vm)) return NULL;
    if (SIM_KIND(mod) == SIM_K_MODULE) {
        /* a submodule: from concurrent import futures */
        sim_obj *full = sim_str_fmt(vm, "%s.%s", SIM_CSTR(((sim_module *)mod)->name), SIM_CSTR(name));
        sim_push(vm, full);
        for (size_t i = 0; i < vm->nnatives; i++)
            if (strcmp(vm->natives[i].name, SIM_CSTR(full)) == 0) {
                sim_obj *m = sim__import(vm, sim_intern_str(vm, full), vm->empty_tuple);
                sim_pop(vm, 1);
                return m;
            }
        sim_pop(vm, 1);
        return sim_raise_msg(vm, SIM_E_ImportError, "cannot import name '%s' from '%s' (unknown location)",
                             SIM_CSTR(name), SIM_CSTR(((sim_module *)mod)->name));
    }
    return sim_raise_msg(vm, SIM_E_ImportError, "cannot import name '%s'", SIM_CSTR(name));
}

int sim__import_star(sim_vm *vm, sim_frame *f, sim_obj *mod) {
    if (SIM_KIND(mod) != SIM_K_MODULE) return 0;
    sim_obj *d = ((sim_module *)mod)->dict, *dst = f->locals ? f->locals : f->globals;
    size_t pos = 0;
    sim_obj *k, *v;
    while (sim_dict_next(d, &pos, &k, &v)) {
        if (SIM_IS_STR(k) && SIM_CSTR(k)[0] == '_') continue;
        if (sim_dict_set(vm, dst, k, v) < 0) return -1;
    }
    return 0;
}
