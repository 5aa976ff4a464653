/* func.c — code objects (from the compiler's sim_code), functions, bound methods,
 * functools.partial, and the attributes these carry in their C structs. */
#include <string.h>

#include "code.h"
#include "vm.h"

static sim_obj *const_to_obj(sim_vm *vm, const sim_const *c, sim_obj *filename, sim_obj *parent) {
    switch (c->kind) {
    case SIM_CONST_NONE: return vm->none;
    case SIM_CONST_TRUE: return vm->true_;
    case SIM_CONST_FALSE: return vm->false_;
    case SIM_CONST_ELLIPSIS: return vm->ellipsis;
    case SIM_CONST_INT: return sim_int_new(vm, c->u.i);
    case SIM_CONST_FLOAT: return sim_float_new(vm, c->u.d);
    case SIM_CONST_STR: {
        sim_obj *s = sim_str_new(vm, c->u.str.s, c->u.str.len);
        /* short identifier-like constants are interned (keyword names, attribute strings) */
        return c->u.str.len < 40 ? sim_intern_str(vm, s) : s;
    }
    case SIM_CONST_TUPLE: {
        sim_obj *t = sim_tuple_new(vm, c->u.tuple.n, NULL);
        sim_push(vm, t);
        for (uint32_t i = 0; i < c->u.tuple.n; i++) {
            sim_obj *v = const_to_obj(vm, &c->u.tuple.items[i], filename, parent);
            SIM_TUPLE(t)->items[i] = v;
        }
        sim_pop(vm, 1);
        return t;
    }
    case SIM_CONST_CODE: {
        sim_obj *co = sim__codeobj_new(vm, c->u.code, filename);
        ((sim_codeobj *)co)->parent = parent;
        return co;
    }
    }
    return vm->none;
}

static sim_obj *names_tuple(sim_vm *vm, char **names, uint32_t n, char **more, uint32_t nmore) {
    sim_obj *t = sim_tuple_new(vm, n + nmore, NULL);
    sim_push(vm, t);
    for (uint32_t i = 0; i < n + nmore; i++) {
        sim_obj *s = sim_intern(vm, i < n ? names[i] : more[i - n]);
        SIM_TUPLE(t)->items[i] = s;
    }
    sim_pop(vm, 1);
    return t;
}

/* Wraps a compiler code object (and, recursively, its nested code constants). */
sim_obj *sim__codeobj_new(sim_vm *vm, const sim_code *code, sim_obj *filename) {
    sim_push(vm, filename);
    sim_codeobj *co = (sim_codeobj *)sim__alloc_raw(vm, vm->types[SIM_T_code], SIM_K_CODE, sizeof(sim_codeobj));
    sim_push(vm, &co->hdr);
    co->code = code;
    co->filename = filename;
    co->name = sim_intern(vm, code->name ? code->name : "?");
    co->qualname = sim_intern(vm, code->qualname ? code->qualname : SIM_CSTR(co->name));
    co->names = names_tuple(vm, code->names, code->nnames, NULL, 0);
    co->varnames = names_tuple(vm, code->varnames, code->nlocals, NULL, 0);
    co->cellnames = names_tuple(vm, code->cellvars, code->ncellvars, code->freevars, code->nfreevars);
    if (code->nnames) {
        co->gcache = sim_alloc(vm, code->nnames * sizeof(sim_gcache));
        memset(co->gcache, 0, code->nnames * sizeof(sim_gcache));
        co->mcache = sim_alloc(vm, code->nnames * sizeof(sim_mcache));
        memset(co->mcache, 0, code->nnames * sizeof(sim_mcache));
    }
    co->consts = sim_tuple_new(vm, code->nconsts, NULL);
    for (uint32_t i = 0; i < code->nconsts; i++) {
        sim_obj *v = const_to_obj(vm, &code->consts[i], filename, &co->hdr);
        SIM_TUPLE(co->consts)->items[i] = v;
    }
    sim_pop(vm, 2);
    return &co->hdr;
}

sim_obj *sim__func_new(sim_vm *vm, sim_obj *code, sim_obj *globals) {
    sim_push(vm, code); sim_push(vm, globals);
    sim_func *f = (sim_func *)sim__alloc_raw(vm, vm->types[SIM_T_function], SIM_K_FUNCTION, sizeof(sim_func));
    sim_pop(vm, 2);
    sim_codeobj *co = (sim_codeobj *)code;
    f->code = code;
    f->globals = globals;
    f->name = co->name;
    f->qualname = co->qualname;
    f->module = sim_dict_getstr(vm, globals, vm->n.__name__);
    f->doc = vm->none;
    return &f->hdr;
}

/* ---- attributes kept in C structs (functions, methods, natives, modules, ...) ------------- */

static sim_obj *func_attr(sim_vm *vm, sim_func *f, sim_obj *name) {
    if (name == vm->n.__name__) return f->name;
    if (name == vm->n.__qualname__) return f->qualname;
    if (name == vm->n.__module__) return f->module ? f->module : vm->none;
    if (name == vm->n.__doc__) return f->doc ? f->doc : vm->none;
    if (name == vm->n.__code__) return f->code;
    if (name == vm->n.__defaults__) return f->defaults ? f->defaults : vm->none;
    if (name == vm->n.__kwdefaults__) return f->kwdefaults ? f->kwdefaults : vm->none;
    if (name == vm->n.__dict__) {
        if (!f->dict) f->dict = sim_dict_new(vm);
        return f->dict;
    }
    if (name == vm->n.__class__) return (sim_obj *)f->hdr.type;
    if (strcmp(SIM_CSTR(name), "__globals__") == 0) return f->globals;
    if (strcmp(SIM_CSTR(name), "__closure__") == 0) return f->closure ? f->closure : vm->none;
    return NULL;
}

sim_obj *sim__special_getattr(sim_vm *vm, sim_obj *o, sim_obj *name) {
    if (name == vm->n.__class__) return (sim_obj *)o->type;
    switch (SIM_KIND(o)) {
    case SIM_K_FUNCTION: return func_attr(vm, (sim_func *)o, name);
    case SIM_K_METHOD: {
        sim_method *m = (sim_method *)o;
        if (name == vm->n.__self__) return m->self;
        if (strcmp(SIM_CSTR(name), "__func__") == 0) return m->func;
        return sim_getattr_opt(vm, m->func, name);
    }
    case SIM_K_NATIVE: {
        sim_native *n = (sim_native *)o;
        if (name == vm->n.__name__ || name == vm->n.__qualname__) return sim_str_cstr(vm, n->name);
        if (name == vm->n.__self__) return n->self ? n->self : vm->none;
        if (name == vm->n.__module__) return vm->none;
        if (name == vm->n.__doc__) return vm->none;
        return NULL;
    }
    case SIM_K_EXC: return sim__exc_getattr(vm, o, name);
    case SIM_K_MODULE:
        if (name == vm->n.__dict__) return ((sim_module *)o)->dict;
        return NULL;
    case SIM_K_OBJECT:
        if (name == vm->n.__dict__ && (o->type->flags & SIM_TF_HEAP) && !(o->type->flags & SIM_TF_SLOTS)) {
            sim_instance *in = (sim_instance *)o;
            if (!in->dict) in->dict = sim_dict_new(vm);
            return in->dict;
        }
        return NULL;
    case SIM_K_PARTIAL: {
        sim_partial *p = (sim_partial *)o;
        if (strcmp(SIM_CSTR(name), "func") == 0) return p->func;
        if (name == vm->n.args) return p->args;
        if (strcmp(SIM_CSTR(name), "keywords") == 0) return p->kw;
        return NULL;
    }
    case SIM_K_PROPERTY: {
        sim_property *p = (sim_property *)o;
        if (strcmp(SIM_CSTR(name), "fget") == 0) return p->fget ? p->fget : vm->none;
        if (strcmp(SIM_CSTR(name), "fset") == 0) return p->fset ? p->fset : vm->none;
        return NULL;
    }
    case SIM_K_STATICMETHOD: case SIM_K_CLASSMETHOD:
        if (strcmp(SIM_CSTR(name), "__func__") == 0) return ((sim_wrapper *)o)->func;
        return NULL;
    case SIM_K_SLICE: {
        sim_slice *sl = (sim_slice *)o;
        if (strcmp(SIM_CSTR(name), "start") == 0) return sl->start;
        if (strcmp(SIM_CSTR(name), "stop") == 0) return sl->stop;
        if (strcmp(SIM_CSTR(name), "step") == 0) return sl->step;
        return NULL;
    }
    case SIM_K_RANGE: {
        sim_range *r = (sim_range *)o;
        if (strcmp(SIM_CSTR(name), "start") == 0) return sim_int_new(vm, r->start);
        if (strcmp(SIM_CSTR(name), "stop") == 0) return sim_int_new(vm, r->stop);
        if (strcmp(SIM_CSTR(name), "step") == 0) return sim_int_new(vm, r->step);
        return NULL;
    }
    case SIM_K_CODE: {
        sim_codeobj *c = (sim_codeobj *)o;
        if (strcmp(SIM_CSTR(name), "co_name") == 0) return c->name;
        if (strcmp(SIM_CSTR(name), "co_qualname") == 0) return c->qualname;
        if (strcmp(SIM_CSTR(name), "co_filename") == 0) return c->filename;
        if (strcmp(SIM_CSTR(name), "co_firstlineno") == 0) return sim_int_new(vm, c->code->firstline);
        return NULL;
    }
    case SIM_K_FRAME: {
        sim_frame *f = (sim_frame *)o;
        if (strcmp(SIM_CSTR(name), "f_lineno") == 0)
            return sim_int_new(vm, f->co->code->lines ? f->co->code->lines[f->lasti] : 0);
        if (strcmp(SIM_CSTR(name), "f_code") == 0) return (sim_obj *)f->co;
        return NULL;
    }
    default:
        return NULL;
    }
}

/* ---- property / staticmethod / classmethod ------------------------------------------------- */

static sim_obj *property_copy(sim_vm *vm, sim_obj *p, int which, sim_obj *fn) {
    sim_push(vm, fn);
    sim_property *n = (sim_property *)sim__alloc_obj(vm, vm->types[SIM_T_property], sizeof(sim_property));
    sim_pop(vm, 1);
    sim_property *o = (sim_property *)p;
    n->fget = o->fget; n->fset = o->fset; n->fdel = o->fdel; n->doc = o->doc;
    if (which == 0) n->fget = fn;
    else if (which == 1) n->fset = fn;
    else n->fdel = fn;
    return &n->hdr;
}

static sim_obj *prop_getter(sim_vm *vm, sim_obj **a, int n, sim_obj *kw) { return property_copy(vm, a[0], 0, a[1]); }
static sim_obj *prop_setter(sim_vm *vm, sim_obj **a, int n, sim_obj *kw) { return property_copy(vm, a[0], 1, a[1]); }
static sim_obj *prop_deleter(sim_vm *vm, sim_obj **a, int n, sim_obj *kw) { return property_copy(vm, a[0], 2, a[1]); }

static sim_obj *prop_get(sim_vm *vm, sim_obj **a, int n, sim_obj *kw) {
    sim_property *p = (sim_property *)a[0];
    if (n < 2 || a[1] == vm->none) return a[0];
    if (!p->fget) return sim_raise_msg(vm, SIM_E_AttributeError, "unreadable attribute");
    return sim_call1(vm, p->fget, a[1]);
}

sim_obj *sim__wrapper_new(sim_vm *vm, sim_tid tid, sim_obj *fn) {
    sim_push(vm, fn);
    sim_obj *o = sim__alloc_obj(vm, vm->types[tid], tid == SIM_T_property ? sizeof(sim_property) : sizeof(sim_wrapper));
    sim_pop(vm, 1);
    if (tid == SIM_T_property) ((sim_property *)o)->fget = fn;
    else ((sim_wrapper *)o)->func = fn;
    return o;
}

/* ---- functools.partial ---------------------------------------------------------------------- */

sim_obj *sim__partial_new(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (nargs < 1) return sim_raise_msg(vm, SIM_E_TypeError, "type 'partial' takes at least one argument");
    sim_obj *fn = args[0];
    if (!(SIM_KIND(fn) == SIM_K_FUNCTION || SIM_KIND(fn) == SIM_K_NATIVE || SIM_KIND(fn) == SIM_K_METHOD ||
          SIM_KIND(fn) == SIM_K_TYPE || SIM_KIND(fn) == SIM_K_PARTIAL || fn->type->hooks.call ||
          sim__type_lookup(fn->type, vm->n.__call__)))
        return sim_raise_msg(vm, SIM_E_TypeError, "the first argument must be callable");
    sim_obj *pa = sim_tuple_new(vm, (size_t)nargs - 1, args + 1);
    sim_push(vm, pa);
    sim_obj *kw = sim_dict_new(vm);
    sim_push(vm, kw);
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t i = 0; i < nkw; i++) sim_dict_set(vm, kw, SIM_TUPLE(kwnames)->items[i], args[nargs + i]);
    bool flat = SIM_KIND(fn) == SIM_K_PARTIAL;
    if (flat) {
        /* flatten partial(partial(f, a), b) as CPython does */
        sim_partial *inner = (sim_partial *)fn;
        sim_obj *both = sim__tuple_concat(vm, inner->args, pa);
        sim_push(vm, both);
        sim_obj *kw2 = sim__dict_copy(vm, inner->kw);
        sim_push(vm, kw2);
        if (sim__dict_update(vm, kw2, kw) < 0) { sim_pop(vm, 4); return NULL; }
        fn = inner->func;
        pa = both;
        kw = kw2;
    }
    sim_partial *p = (sim_partial *)sim__alloc_obj(vm, vm->types[SIM_T_partial], sizeof(sim_partial));
    sim_pop(vm, flat ? 4 : 2);
    p->func = fn;
    p->args = pa;
    p->kw = kw;
    return &p->hdr;
}

sim_obj *sim__partial_call(sim_vm *vm, sim_obj *po, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_partial *p = (sim_partial *)po;
    size_t np = SIM_TUPLE(p->args)->len, nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    /* merged keywords: the partial's, overridden by the call's */
    sim_obj *kw = sim__dict_copy(vm, p->kw);
    sim_push(vm, kw);
    for (size_t i = 0; i < nkw; i++) sim_dict_set(vm, kw, SIM_TUPLE(kwnames)->items[i], args[nargs + i]);
    size_t nk = SIM_DICT(kw)->used, total = np + (size_t)nargs + nk;
    sim_obj *all = sim_tuple_new(vm, total, NULL);
    sim_push(vm, all);
    sim_obj *names = sim_tuple_new(vm, nk, NULL);
    sim_push(vm, names);
    memcpy(SIM_TUPLE(all)->items, SIM_TUPLE(p->args)->items, np * sizeof(sim_obj *));
    memcpy(SIM_TUPLE(all)->items + np, args, (size_t)nargs * sizeof(sim_obj *));
    size_t pos = 0, i = 0;
    sim_obj *k, *v;
    while (sim_dict_next(kw, &pos, &k, &v)) {
        SIM_TUPLE(names)->items[i] = k;
        SIM_TUPLE(all)->items[np + (size_t)nargs + i++] = v;
    }
    sim_obj *r = sim_call(vm, p->func, SIM_TUPLE(all)->items, (int)(np + (size_t)nargs), nk ? names : NULL);
    sim_pop(vm, 3);
    return r;
}

sim_obj *sim__tuple_concat(sim_vm *vm, sim_obj *a, sim_obj *b) {
    size_t n = SIM_TUPLE(a)->len, m = SIM_TUPLE(b)->len;
    sim_push(vm, a); sim_push(vm, b);
    sim_obj *r = sim_tuple_new(vm, n + m, NULL);
    sim_pop(vm, 2);
    memcpy(SIM_TUPLE(r)->items, SIM_TUPLE(a)->items, n * sizeof(sim_obj *));
    memcpy(SIM_TUPLE(r)->items + n, SIM_TUPLE(b)->items, m * sizeof(sim_obj *));
    return r;
}

void sim__func_methods(sim_vm *vm) {
    static const sim_method_def prop[] = {
        {"getter", prop_getter, NULL, 0}, {"setter", prop_setter, NULL, 0},
        {"deleter", prop_deleter, NULL, 0}, {"__get__", prop_get, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    sim__add_methods(vm, vm->types[SIM_T_property], prop);
}
