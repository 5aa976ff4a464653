/* builtins_types.c — calling a builtin type: int(), float(), str(), list(), dict(),
 * range(), enumerate(), ... with CPython's conversions and messages. */
#include <math.h>
#include <string.h>

#include "vm.h"

#define NOKW(fname) if (sim_no_kwargs(vm, fname, kwnames) < 0) return NULL

static sim_obj *new_int(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    static const char *const names[] = {"x", "base", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "int", args, nargs, kwnames, 0, 2, names, a) < 0) return NULL;
    if (!a[0]) return sim_int_new(vm, 0);
    sim_obj *x = a[0];
    if (a[1]) {
        if (!SIM_IS_STR(x)) return sim_raise_msg(vm, SIM_E_TypeError, "int() can't convert non-string with explicit base");
        if (!SIM_IS_INT(a[1])) return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(a[1]));
        return sim__int_from_str(vm, x, (int)SIM_INT(a[1]));
    }
    if (SIM_IS_INT(x)) return sim_int_new(vm, SIM_INT(x));
    if (SIM_IS_FLOAT(x)) return sim__float_to_int(vm, SIM_FLOAT(x));
    if (SIM_IS_STR(x)) return sim__int_from_str(vm, x, 10);
    bool found;
    sim_obj *r = sim_call_dunder(vm, x, vm->n.__int__, NULL, 0, &found);
    if (found) return r;
    r = sim_call_dunder(vm, x, vm->n.__index__, NULL, 0, &found);
    if (found) return r;
    return sim_raise_msg(vm, SIM_E_TypeError,
                         "int() argument must be a string, a bytes-like object or a real number, not '%s'", sim_type_name(x));
}

static sim_obj *new_float(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    NOKW("float");
    if (sim_check_nargs(vm, "float", nargs, 0, 1) < 0) return NULL;
    if (nargs == 0) return sim_float_new(vm, 0.0);
    sim_obj *x = args[0];
    if (SIM_IS_FLOAT(x)) return x;
    if (SIM_IS_INT(x)) return sim_float_new(vm, (double)SIM_INT(x));
    if (SIM_IS_STR(x)) {
        double d;
        pyfmt_err err = {0};
        if (pyfmt_parse_float(SIM_CSTR(x), SIM_STR(x)->len, &d, &err) != PYFMT_OK) return sim__raise_pyfmt(vm, &err);
        return sim_float_new(vm, d);
    }
    bool found;
    sim_obj *r = sim_call_dunder(vm, x, vm->n.__float__, NULL, 0, &found);
    if (found) return r;
    return sim_raise_msg(vm, SIM_E_TypeError, "float() argument must be a string or a real number, not '%s'", sim_type_name(x));
}

static sim_obj *new_str(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    static const char *const names[] = {"object", "encoding", "errors", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "str", args, nargs, kwnames, 0, 3, names, a) < 0) return NULL;
    if (!a[0]) return vm->empty_str;
    return sim_str(vm, a[0]);
}

static sim_obj *new_range(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    NOKW("range");
    if (nargs < 1 || nargs > 3)
        return sim_raise_msg(vm, SIM_E_TypeError, nargs ? "range expected at most 3 arguments, got %d" : "range expected at least 1 argument, got %d", nargs);
    int64_t v[3] = {0, 0, 1};
    for (int i = 0; i < nargs; i++) {
        bool ok;
        if (SIM_IS_FLOAT(args[i]))
            return sim_raise_msg(vm, SIM_E_TypeError, "'float' object cannot be interpreted as an integer");
        v[i] = sim_index(vm, args[i], &ok);
        if (!ok) return NULL;
    }
    if (nargs == 1) return sim_range_new(vm, 0, v[0], 1);
    if (v[2] == 0) return sim_raise_msg(vm, SIM_E_ValueError, "range() arg 3 must not be zero");
    return sim_range_new(vm, v[0], v[1], nargs == 3 ? v[2] : 1);
}

static sim_obj *new_dict(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (nargs > 1) return sim_raise_msg(vm, SIM_E_TypeError, "dict expected at most 1 argument, got %d", nargs);
    sim_obj *d = sim_dict_new(vm);
    sim_push(vm, d);
    if (nargs == 1 && sim__dict_update(vm, d, args[0]) < 0) { sim_pop(vm, 1); return NULL; }
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t i = 0; i < nkw; i++)
        if (sim_dict_set(vm, d, SIM_TUPLE(kwnames)->items[i], args[nargs + i]) < 0) { sim_pop(vm, 1); return NULL; }
    sim_pop(vm, 1);
    return d;
}

static sim_obj *new_set(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames, bool frozen) {
    NOKW(frozen ? "frozenset" : "set");
    if (sim_check_nargs(vm, frozen ? "frozenset" : "set", nargs, 0, 1) < 0) return NULL;
    sim_obj *s = sim_set_new(vm, frozen);
    sim_push(vm, s);
    int rc = nargs ? sim__set_update(vm, s, args[0]) : 0;
    sim_pop(vm, 1);
    return rc < 0 ? NULL : s;
}

static sim_obj *new_type(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (nargs == 1) return (sim_obj *)args[0]->type;
    if (nargs != 3) return sim_raise_msg(vm, SIM_E_TypeError, "type() takes 1 or 3 arguments");
    if (!SIM_IS_STR(args[0]) || !SIM_IS_TUPLE(args[1]) || !SIM_IS_DICT(args[2]))
        return sim_raise_msg(vm, SIM_E_TypeError, "type.__new__() argument types are wrong");
    sim_obj *d = sim__dict_copy(vm, args[2]);
    sim_push(vm, d);
    if (!sim_dict_getstr(vm, d, vm->n.__module__)) {
        sim_frame *f = vm->ts->frame;
        sim_obj *mn = f ? sim_dict_getstr(vm, f->globals, vm->n.__name__) : NULL;
        if (mn) sim_dict_set(vm, d, vm->n.__module__, mn);
    }
    sim_obj *t = sim__make_type(vm, args[0], args[1], d);
    sim_pop(vm, 1);
    return t;
}

static sim_obj *new_iterator(sim_vm *vm, sim_tid tid, sim_obj **args, int nargs, sim_obj *kwnames) {
    switch (tid) {
    case SIM_T_enumerate: {
        static const char *const names[] = {"iterable", "start", NULL};
        sim_obj *a[2];
        if (sim_parse_args(vm, "enumerate", args, nargs, kwnames, 1, 2, names, a) < 0) return NULL;
        sim_obj *it = sim_iter(vm, a[0]);
        if (!it) return NULL;
        sim_obj *e = sim_iter_new(vm, SIM_T_enumerate, it, NULL);
        ((sim_iterobj *)e)->i = a[1] ? SIM_INT(a[1]) : 0;
        return e;
    }
    case SIM_T_zip: case SIM_T_map: {
        NOKW(tid == SIM_T_zip ? "zip" : "map");
        int first = tid == SIM_T_map ? 1 : 0;
        if (tid == SIM_T_map && nargs < 2) return sim_raise_msg(vm, SIM_E_TypeError, "map() must have at least two arguments.");
        sim_obj *its = sim_tuple_new(vm, (size_t)(nargs - first), NULL);
        sim_push(vm, its);
        for (int i = first; i < nargs; i++) {
            sim_obj *it = sim_iter(vm, args[i]);
            if (!it) {
                if (tid == SIM_T_zip && sim_exc_matches(vm, SIM_E_TypeError)) {
                    sim_exc_fetch(vm);
                    sim_raise_msg(vm, SIM_E_TypeError, "zip argument #%d must support iteration", i + 1);
                }
                sim_pop(vm, 1);
                return NULL;
            }
            SIM_TUPLE(its)->items[i - first] = it;
        }
        sim_obj *r = tid == SIM_T_zip ? sim_iter_new(vm, SIM_T_zip, NULL, its) : sim_iter_new(vm, SIM_T_map, its, args[0]);
        sim_pop(vm, 1);
        return r;
    }
    case SIM_T_filter: {
        NOKW("filter");
        if (sim_check_nargs(vm, "filter", nargs, 2, 2) < 0) return NULL;
        sim_obj *it = sim_iter(vm, args[1]);
        if (!it) return NULL;
        return sim_iter_new(vm, SIM_T_filter, it, args[0]);
    }
    default: {
        NOKW("reversed");
        if (sim_check_nargs(vm, "reversed", nargs, 1, 1) < 0) return NULL;
        sim_obj *s = args[0];
        bool found;
        sim_obj *r = sim_call_dunder(vm, s, vm->n.__reversed__, NULL, 0, &found);
        if (found) return r;
        if (SIM_IS_DICT(s)) {
            sim_obj *l = sim_list_of(vm, s);
            if (!l) return NULL;
            s = l;
        }
        int64_t n = sim_len(vm, s);
        if (n < 0) {
            sim_exc_fetch(vm);
            return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not reversible", sim_type_name(args[0]));
        }
        sim_obj *it = sim_iter_new(vm, SIM_T_reversed, s, NULL);
        ((sim_iterobj *)it)->i = n - 1;
        return it;
    }
    }
}

static sim_obj *new_wrapper(sim_vm *vm, sim_type *t, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_tid tid = t == vm->types[SIM_T_property] ? SIM_T_property
                  : t == vm->types[SIM_T_staticmethod] ? SIM_T_staticmethod : SIM_T_classmethod;
    if (tid == SIM_T_property) {
        static const char *const names[] = {"fget", "fset", "fdel", "doc", NULL};
        sim_obj *a[4];
        if (sim_parse_args(vm, "property", args, nargs, kwnames, 0, 4, names, a) < 0) return NULL;
        sim_obj *p = sim__wrapper_new(vm, SIM_T_property, a[0] == vm->none ? NULL : a[0]);
        ((sim_property *)p)->fset = a[1] == vm->none ? NULL : a[1];
        ((sim_property *)p)->fdel = a[2] == vm->none ? NULL : a[2];
        ((sim_property *)p)->doc = a[3];
        return p;
    }
    NOKW(SIM_CSTR(t->name));
    if (sim_check_nargs(vm, SIM_CSTR(t->name), nargs, 1, 1) < 0) return NULL;
    return sim__wrapper_new(vm, tid, args[0]);
}

static sim_obj *new_super(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    NOKW("super");
    if (nargs == 0) return sim__super_zero(vm);
    if (nargs != 2 || !SIM_IS_TYPE(args[0]))
        return sim_raise_msg(vm, SIM_E_TypeError, "super() argument 1 must be a type, not %s", sim_type_name(args[0]));
    sim_type *t = (sim_type *)args[0];
    sim_obj *o = args[1];
    if (!sim_isinstance_type(o, t) && !(SIM_IS_TYPE(o) && sim_issubtype((sim_type *)o, t)))
        return sim_raise_msg(vm, SIM_E_TypeError, "super(type, obj): obj must be an instance or subtype of type");
    return sim__super_new(vm, t, o);
}

static sim_obj *new_slice(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    NOKW("slice");
    if (sim_check_nargs(vm, "slice", nargs, 1, 3) < 0) return NULL;
    if (nargs == 1) return sim_slice_new(vm, vm->none, args[0], vm->none);
    return sim_slice_new(vm, args[0], args[1], nargs == 3 ? args[2] : vm->none);
}

sim_obj *sim__builtin_construct(sim_vm *vm, sim_type *t, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_type **T = vm->types;
    if (t == T[SIM_T_int]) return new_int(vm, args, nargs, kwnames);
    if (t == T[SIM_T_float]) return new_float(vm, args, nargs, kwnames);
    if (t == T[SIM_T_str]) return new_str(vm, args, nargs, kwnames);
    if (t == T[SIM_T_bool]) {
        NOKW("bool");
        if (sim_check_nargs(vm, "bool", nargs, 0, 1) < 0) return NULL;
        int r = nargs ? sim_truthy(vm, args[0]) : 0;
        return r < 0 ? NULL : sim_bool(vm, r);
    }
    if (t == T[SIM_T_list]) {
        NOKW("list");
        if (sim_check_nargs(vm, "list", nargs, 0, 1) < 0) return NULL;
        return nargs ? sim_list_of(vm, args[0]) : sim_list_new(vm, 0, NULL);
    }
    if (t == T[SIM_T_tuple]) {
        NOKW("tuple");
        if (sim_check_nargs(vm, "tuple", nargs, 0, 1) < 0) return NULL;
        return nargs ? sim_tuple_of(vm, args[0]) : vm->empty_tuple;
    }
    if (t == T[SIM_T_dict]) return new_dict(vm, args, nargs, kwnames);
    if (t == T[SIM_T_set] || t == T[SIM_T_frozenset]) return new_set(vm, args, nargs, kwnames, t == T[SIM_T_frozenset]);
    if (t == T[SIM_T_range]) return new_range(vm, args, nargs, kwnames);
    if (t == T[SIM_T_slice]) return new_slice(vm, args, nargs, kwnames);
    if (t == T[SIM_T_type]) return new_type(vm, args, nargs, kwnames);
    if (t == T[SIM_T_object]) {
        if (nargs || (kwnames && SIM_TUPLE(kwnames)->len)) return sim_raise_msg(vm, SIM_E_TypeError, "object() takes no arguments");
        return sim_instance_new(vm, t);
    }
    if (t == T[SIM_T_super]) return new_super(vm, args, nargs, kwnames);
    if (t == T[SIM_T_property] || t == T[SIM_T_staticmethod] || t == T[SIM_T_classmethod])
        return new_wrapper(vm, t, args, nargs, kwnames);
    if (t == T[SIM_T_enumerate] || t == T[SIM_T_zip] || t == T[SIM_T_map] || t == T[SIM_T_filter] || t == T[SIM_T_reversed]) {
        sim_tid tid = t == T[SIM_T_enumerate] ? SIM_T_enumerate : t == T[SIM_T_zip] ? SIM_T_zip
                      : t == T[SIM_T_map] ? SIM_T_map : t == T[SIM_T_filter] ? SIM_T_filter : SIM_T_reversed;
        return new_iterator(vm, tid, args, nargs, kwnames);
    }
    if (t == T[SIM_T_partial]) return sim__partial_new(vm, args, nargs, kwnames);
    return sim_raise_msg(vm, SIM_E_TypeError, "cannot create '%s' instances", SIM_CSTR(t->name));
}
