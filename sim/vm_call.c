/* vm_call.c — calling: dispatch on the callable's kind, binding arguments to a new
 * frame's locals (CPython's messages for every mismatch), partial objects. */
#include <string.h>

#include "code.h"
#include "vm.h"

#define SMALL_ARGS 16

sim_obj *sim__partial_call(sim_vm *vm, sim_obj *p, sim_obj **args, int nargs, sim_obj *kwnames);

sim_frame *sim__frame_new(sim_vm *vm, sim_codeobj *co, sim_obj *globals, sim_obj *locals) {
    const sim_code *c = co->code;
    uint32_t ncells = c->ncellvars + c->nfreevars;
    size_t nslots = (size_t)c->nlocals + ncells + c->stacksize + 1;
    sim_push(vm, (sim_obj *)co); sim_push(vm, globals); sim_push(vm, locals);
    sim_frame *f = (sim_frame *)sim__alloc_raw(vm, vm->types[SIM_T_frame], SIM_K_FRAME,
                                               sizeof(sim_frame) + nslots * sizeof(sim_obj *));
    sim_pop(vm, 3);
    f->co = co;
    f->globals = globals;
    f->builtins = vm->builtins;
    f->locals = locals;
    f->nlocals = c->nlocals;
    f->ncells = ncells;
    f->stacksize = c->stacksize + 1;
    return f;
}

/* "a", "a and b", "a, b, and c" */
static void name_list(pyfmt_buf *b, sim_obj **names, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (i) pyfmt_buf_puts(b, n == 2 ? " and " : (i == n - 1 ? ", and " : ", "));
        pyfmt_buf_putc(b, '\'');
        pyfmt_buf_puts(b, SIM_CSTR(names[i]));
        pyfmt_buf_putc(b, '\'');
    }
}

static int missing_args(sim_vm *vm, sim_func *fn, sim_frame *f, uint32_t from, uint32_t to, bool kwonly) {
    sim_codeobj *co = (sim_codeobj *)fn->code;
    sim_obj *names[64];
    size_t n = 0;
    for (uint32_t i = from; i < to && n < 64; i++)
        if (!f->slots[i]) names[n++] = SIM_TUPLE(co->varnames)->items[i];
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    name_list(&b, names, n);
    sim_raise_msg(vm, SIM_E_TypeError, "%s() missing %zu required %s argument%s: %s", SIM_CSTR(fn->qualname), n,
                  kwonly ? "keyword-only" : "positional", n == 1 ? "" : "s", pyfmt_buf_cstr(&b));
    pyfmt_buf_free(&b);
    return -1;
}

static int too_many_positional(sim_vm *vm, sim_func *fn, int nargs, sim_frame *f) {
    const sim_code *c = ((sim_codeobj *)fn->code)->code;
    size_t ndef = fn->defaults ? SIM_TUPLE(fn->defaults)->len : 0;
    uint32_t nkwonly_given = 0;
    for (uint32_t i = c->argcount; i < c->argcount + c->kwonlyargcount; i++) nkwonly_given += f->slots[i] != NULL;
    char takes[64];
    if (ndef) snprintf(takes, sizeof takes, "from %zu to %u positional arguments", c->argcount - ndef, c->argcount);
    else snprintf(takes, sizeof takes, "%u positional argument%s", c->argcount, c->argcount == 1 ? "" : "s");
    if (nkwonly_given)
        sim_raise_msg(vm, SIM_E_TypeError, "%s() takes %s but %d positional argument%s (and %u keyword-only argument%s) were given",
                      SIM_CSTR(fn->qualname), takes, nargs, nargs == 1 ? "" : "s", nkwonly_given, nkwonly_given == 1 ? "" : "s");
    else
        sim_raise_msg(vm, SIM_E_TypeError, "%s() takes %s but %d %s given", SIM_CSTR(fn->qualname), takes, nargs,
                      nargs == 1 ? "was" : "were");
    return -1;
}

static int bind_keywords(sim_vm *vm, sim_func *fn, sim_frame *f, sim_obj **kwv, sim_obj *kwnames, sim_obj *kwdict) {
    sim_codeobj *co = (sim_codeobj *)fn->code;
    const sim_code *c = co->code;
    uint32_t nparams = c->argcount + c->kwonlyargcount;
    for (size_t k = 0; k < SIM_TUPLE(kwnames)->len; k++) {
        sim_obj *name = SIM_TUPLE(kwnames)->items[k];
        uint32_t i;
        for (i = c->posonlyargcount; i < nparams; i++) {
            sim_obj *vn = SIM_TUPLE(co->varnames)->items[i];
            if (vn == name || sim__str_eq(vn, name)) break;
        }
        if (i < nparams) {
            if (f->slots[i]) {
                sim_raise_msg(vm, SIM_E_TypeError, "%s() got multiple values for argument '%s'",
                              SIM_CSTR(fn->qualname), SIM_CSTR(name));
                return -1;
            }
            f->slots[i] = kwv[k];
        } else if (kwdict) {
            if (sim_dict_set(vm, kwdict, name, kwv[k]) < 0) return -1;
        } else {
            sim_raise_msg(vm, SIM_E_TypeError, "%s() got an unexpected keyword argument '%s'",
                          SIM_CSTR(fn->qualname), SIM_CSTR(name));
            return -1;
        }
    }
    return 0;
}

/* Fills a new frame's locals from the call's arguments. The frame is rooted. */
static int bind_args(sim_vm *vm, sim_func *fn, sim_frame *f, sim_obj **args, int nargs, sim_obj *kwnames) {
    const sim_code *c = ((sim_codeobj *)fn->code)->code;
    uint32_t argc = c->argcount, nparams = argc + c->kwonlyargcount;
    uint32_t n = (uint32_t)nargs < argc ? (uint32_t)nargs : argc;
    for (uint32_t i = 0; i < n; i++) f->slots[i] = args[i];
    uint32_t slot = nparams;
    if (c->flags & SIM_CO_VARARGS) {
        sim_obj *t = (uint32_t)nargs > argc ? sim_tuple_new(vm, (size_t)nargs - argc, args + argc) : vm->empty_tuple;
        f->slots[slot++] = t;
    }
    sim_obj *kwdict = NULL;
    if (c->flags & SIM_CO_VARKEYWORDS) {
        kwdict = sim_dict_new(vm);
        f->slots[slot++] = kwdict;
    }
    if (kwnames && SIM_TUPLE(kwnames)->len && bind_keywords(vm, fn, f, args + nargs, kwnames, kwdict) < 0)
        return -1;
    if ((uint32_t)nargs > argc && !(c->flags & SIM_CO_VARARGS)) return too_many_positional(vm, fn, nargs, f);
    if (n < argc) {
        size_t ndef = fn->defaults ? SIM_TUPLE(fn->defaults)->len : 0;
        uint32_t first_def = argc - (uint32_t)ndef;
        for (uint32_t i = n; i < argc; i++)
            if (!f->slots[i] && i >= first_def) f->slots[i] = SIM_TUPLE(fn->defaults)->items[i - first_def];
        for (uint32_t i = n; i < argc; i++)
            if (!f->slots[i]) return missing_args(vm, fn, f, n, argc, false);
    }
    if (c->kwonlyargcount) {
        sim_codeobj *co = (sim_codeobj *)fn->code;
        for (uint32_t i = argc; i < nparams; i++) {
            if (f->slots[i] || !fn->kwdefaults) continue;
            f->slots[i] = sim_dict_getstr(vm, fn->kwdefaults, SIM_TUPLE(co->varnames)->items[i]);
        }
        for (uint32_t i = argc; i < nparams; i++)
            if (!f->slots[i]) return missing_args(vm, fn, f, argc, nparams, true);
    }
    return 0;
}

/* Creates the cells of a frame: fresh cells (moving arguments that are captured), then
 * the function's closure. */
void sim__make_cells(sim_vm *vm, sim_func *fn, sim_frame *f) {
    const sim_code *c = ((sim_codeobj *)fn->code)->code;
    for (uint32_t i = 0; i < c->ncellvars; i++) {
        sim_obj *v = NULL;
        if (c->cell2arg && c->cell2arg[i] >= 0) v = f->slots[c->cell2arg[i]];
        sim_obj *cell = sim_cell_new(vm, v);
        f->slots[f->nlocals + i] = cell;
    }
    for (uint32_t i = 0; i < c->nfreevars; i++)
        f->slots[f->nlocals + c->ncellvars + i] = SIM_TUPLE(fn->closure)->items[i];
}

sim_obj *sim__call_function(sim_vm *vm, sim_obj *fnobj, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_func *fn = (sim_func *)fnobj;
    sim_codeobj *co = (sim_codeobj *)fn->code;
    sim_push(vm, fnobj);
    sim_frame *f = sim__frame_new(vm, co, fn->globals, NULL);
    f->func = fnobj;
    sim_push(vm, (sim_obj *)f);
    if (bind_args(vm, fn, f, args, nargs, kwnames) < 0) { sim_pop(vm, 2); return NULL; }
    sim__make_cells(vm, fn, f);
    uint32_t flags = co->code->flags;
    sim_obj *r;
    if (flags & (SIM_CO_GENERATOR | SIM_CO_COROUTINE | SIM_CO_ASYNC_GENERATOR)) {
        sim_tid tid = flags & SIM_CO_ASYNC_GENERATOR ? SIM_T_async_generator
                      : flags & SIM_CO_COROUTINE ? SIM_T_coroutine : SIM_T_generator;
        if ((flags & SIM_CO_GENERATOR) && (flags & SIM_CO_COROUTINE)) tid = SIM_T_async_generator;
        r = sim__gen_new(vm, f, tid);
    } else {
        bool yielded;
        r = sim__eval(vm, f, NULL, NULL, &yielded);
    }
    sim_pop(vm, 2);
    return r;
}

/* Calls fn (or the native function nfn when not NULL) with self prepended to the
 * arguments. The arguments are rooted by the caller; a large copy is kept in a tuple. */
static sim_obj *call_prepend(sim_vm *vm, sim_obj *fn, sim_native_fn nfn, sim_obj *self, sim_obj **args, int nargs,
                             sim_obj *kwnames) {
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    size_t total = (size_t)nargs + nkw + 1;
    sim_obj *small[SMALL_ARGS], **argv = small, *keep = NULL;
    if (total > SMALL_ARGS) {
        keep = sim_tuple_new(vm, total, NULL);
        argv = SIM_TUPLE(keep)->items;
        sim_push(vm, keep);
    }
    argv[0] = self;
    if (total > 1) memcpy(argv + 1, args, (total - 1) * sizeof(sim_obj *));
    sim_obj *r = nfn ? nfn(vm, argv, nargs + 1, kwnames) : sim_call(vm, fn, argv, nargs + 1, kwnames);
    if (keep) sim_pop(vm, 1);
    return r;
}

sim_obj *sim_call(sim_vm *vm, sim_obj *fn, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (kwnames && SIM_TUPLE(kwnames)->len == 0) kwnames = NULL;
    switch (SIM_KIND(fn)) {
    case SIM_K_FUNCTION: return sim__call_function(vm, fn, args, nargs, kwnames);
    case SIM_K_NATIVE: {
        sim_native *n = (sim_native *)fn;
        if (n->self) return call_prepend(vm, NULL, n->fn, n->self, args, nargs, kwnames);
        return n->fn(vm, args, nargs, kwnames);
    }
    case SIM_K_METHOD: {
        sim_method *m = (sim_method *)fn;
        if (SIM_KIND(m->func) == SIM_K_NATIVE && !((sim_native *)m->func)->self)
            return call_prepend(vm, NULL, ((sim_native *)m->func)->fn, m->self, args, nargs, kwnames);
        return call_prepend(vm, m->func, NULL, m->self, args, nargs, kwnames);
    }
    case SIM_K_TYPE: return sim__type_call(vm, (sim_type *)fn, args, nargs, kwnames);
    case SIM_K_PARTIAL: return sim__partial_call(vm, fn, args, nargs, kwnames);
    default:
        break;
    }
    if (fn->type->hooks.call) return fn->type->hooks.call(vm, fn, args, nargs, kwnames);
    if (fn->type->flags & SIM_TF_HEAP) {
        sim_obj *c = sim__type_lookup(fn->type, vm->n.__call__);
        if (c) return call_prepend(vm, c, NULL, fn, args, nargs, kwnames);
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not callable", sim_type_name(fn));
}

sim_obj *sim_call0(sim_vm *vm, sim_obj *fn) { return sim_call(vm, fn, NULL, 0, NULL); }
sim_obj *sim_call1(sim_vm *vm, sim_obj *fn, sim_obj *a) { return sim_call(vm, fn, &a, 1, NULL); }

sim_obj *sim_call_method(sim_vm *vm, sim_obj *self, const char *name, sim_obj **args, int nargs) {
    sim_push(vm, self);
    sim_obj *m = sim_getattr(vm, self, sim_intern(vm, name));
    if (!m) { sim_pop(vm, 1); return NULL; }
    sim_push(vm, m);
    sim_obj *r = sim_call(vm, m, args, nargs, NULL);
    sim_pop(vm, 2);
    return r;
}

/* ---- argument parsing for natives ------------------------------------------------------------ */

int sim_parse_args(sim_vm *vm, const char *fname, sim_obj **args, int nargs, sim_obj *kwnames,
                   int nreq, int npos, const char *const *names, sim_obj **out) {
    int nnames = 0;
    while (names[nnames]) nnames++;
    for (int i = 0; i < nnames; i++) out[i] = NULL;
    if (nargs > npos) {
        sim_raise_msg(vm, SIM_E_TypeError, "%s() takes at most %d argument%s (%d given)", fname, npos,
                      npos == 1 ? "" : "s", nargs);
        return -1;
    }
    for (int i = 0; i < nargs; i++) out[i] = args[i];
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t k = 0; k < nkw; k++) {
        const char *kn = SIM_CSTR(SIM_TUPLE(kwnames)->items[k]);
        int i;
        for (i = 0; i < nnames; i++) if (strcmp(names[i], kn) == 0) break;
        if (i == nnames) {
            sim_raise_msg(vm, SIM_E_TypeError, "%s() got an unexpected keyword argument '%s'", fname, kn);
            return -1;
        }
        if (out[i]) {
            sim_raise_msg(vm, SIM_E_TypeError, "argument for %s() given by name ('%s') and position (%d)", fname, kn, i + 1);
            return -1;
        }
        out[i] = args[nargs + k];
    }
    for (int i = 0; i < nreq; i++)
        if (!out[i]) {
            sim_raise_msg(vm, SIM_E_TypeError, "%s() missing required argument '%s' (pos %d)", fname, names[i], i + 1);
            return -1;
        }
    return 0;
}

int sim_no_kwargs(sim_vm *vm, const char *fname, sim_obj *kwnames) {
    if (kwnames && SIM_TUPLE(kwnames)->len) {
        sim_raise_msg(vm, SIM_E_TypeError, "%s() takes no keyword arguments", fname);
        return -1;
    }
    return 0;
}

int sim_check_nargs(sim_vm *vm, const char *fname, int nargs, int min, int max) {
    if (nargs >= min && nargs <= max) return 0;
    if (min == max)
        sim_raise_msg(vm, SIM_E_TypeError, "%s() takes exactly %s (%d given)", fname,
                      min == 0 ? "no arguments" : min == 1 ? "one argument" : "the given arguments", nargs);
    else if (nargs < min)
        sim_raise_msg(vm, SIM_E_TypeError, "%s expected at least %d argument%s, got %d", fname, min, min == 1 ? "" : "s", nargs);
    else
        sim_raise_msg(vm, SIM_E_TypeError, "%s expected at most %d argument%s, got %d", fname, max, max == 1 ? "" : "s", nargs);
    return -1;
}
