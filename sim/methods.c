/* methods.c — methods of object, list, tuple, dict, set, int and float; dict and set
 * reprs and set algebra. */
#include <math.h>
#include <string.h>

#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define NARGS(fname, lo, hi) if (sim_check_nargs(vm, fname, nargs - 1, lo, hi) < 0) return NULL
#define END {NULL, NULL, NULL, 0}

/* ---- object ----------------------------------------------------------------------------------- */

FN(o_init) {
    if (nargs > 1 || (kwnames && SIM_TUPLE(kwnames)->len))
        return sim_raise_msg(vm, SIM_E_TypeError, "object.__init__() takes exactly one argument (the instance to initialize)");
    return vm->none;
}
FN(o_repr) { return sim__repr_default(vm, args[0]); }
FN(o_str) { return sim_repr(vm, args[0]); }
FN(o_eq) { return args[0] == args[1] ? vm->true_ : vm->notimpl; }
FN(o_ne) {
    sim_obj *r = sim_richcompare(vm, args[0], args[1], SIM_CMP_EQ);
    if (!r || r == vm->notimpl) return r;
    int t = sim_truthy(vm, r);
    return t < 0 ? NULL : sim_bool(vm, !t);
}
FN(o_hash) { return sim_int_new(vm, (int64_t)(sim_identity(vm, args[0]) >> 4)); }
FN(o_init_subclass) { return vm->none; }
FN(o_format) {
    sim_obj *out;
    if (nargs > 1 && SIM_IS_STR(args[1]) && SIM_STR(args[1])->len)
        return sim_raise_msg(vm, SIM_E_TypeError, "unsupported format string passed to %s.__format__", sim_type_name(args[0]));
    out = sim_str(vm, args[0]);
    return out;
}
FN(o_setattr) {
    NARGS("__setattr__", 2, 2);
    /* object.__setattr__: store in the instance dict, bypassing a class's __setattr__ */
    sim_obj *o = args[0];
    if (SIM_KIND(o) != SIM_K_OBJECT || !SIM_IS_STR(args[1])) return sim_raise_msg(vm, SIM_E_TypeError, "can't set attributes");
    sim_instance *in = (sim_instance *)o;
    if (!in->dict) in->dict = sim_dict_new(vm);
    if (sim_dict_set(vm, in->dict, sim_intern_str(vm, args[1]), args[2]) < 0) return NULL;
    return vm->none;
}
FN(o_getattribute) {
    NARGS("__getattribute__", 1, 1);
    return sim__obj_getattr_generic(vm, args[0], sim_intern_str(vm, args[1]), true);
}
FN(o_new) {
    if (nargs < 1 || !SIM_IS_TYPE(args[0])) return sim_raise_msg(vm, SIM_E_TypeError, "object.__new__(X): X is not a type object");
    return sim_instance_new(vm, (sim_type *)args[0]);
}

FN(t_subclasses) { return sim_list_new(vm, 0, NULL); }
FN(t_mro) { return sim_list_of(vm, ((sim_type *)args[0])->mro); }

void sim__object_methods(sim_vm *vm) {
    static const sim_method_def obj[] = {
        {"__init__", o_init, NULL, 0}, {"__repr__", o_repr, NULL, 0}, {"__str__", o_str, NULL, 0},
        {"__eq__", o_eq, NULL, 0}, {"__ne__", o_ne, NULL, 0}, {"__hash__", o_hash, NULL, 0},
        {"__init_subclass__", o_init_subclass, NULL, SIM_METH_CLASS}, {"__format__", o_format, NULL, 0},
        {"__setattr__", o_setattr, NULL, 0}, {"__getattribute__", o_getattribute, NULL, 0},
        {"__new__", o_new, NULL, SIM_METH_STATIC},
        END,
    };
    static const sim_method_def type[] = {
        {"__subclasses__", t_subclasses, NULL, 0}, {"mro", t_mro, NULL, 0}, END,
    };
    sim__add_methods(vm, vm->types[SIM_T_object], obj);
    sim__add_methods(vm, vm->types[SIM_T_type], type);
}

/* ---- list ------------------------------------------------------------------------------------ */

/* __init__ of list / dict / set: what a subclass's instance starts from */
FN(l_init) {
    if (sim_no_kwargs(vm, "list", kwnames) < 0) return NULL;
    NARGS("list", 0, 1);
    SIM_LIST(args[0])->len = 0;
    if (nargs > 1 && sim__list_extend(vm, args[0], args[1]) < 0) return NULL;
    return vm->none;
}
FN(d_init) {
    if (nargs > 2) return sim_raise_msg(vm, SIM_E_TypeError, "dict expected at most 1 argument, got %d", nargs - 1);
    if (nargs == 2 && sim__dict_update(vm, args[0], args[1]) < 0) return NULL;
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t i = 0; i < nkw; i++)
        if (sim_dict_set(vm, args[0], SIM_TUPLE(kwnames)->items[i], args[nargs + i]) < 0) return NULL;
    return vm->none;
}
FN(st_init) {
    if (sim_no_kwargs(vm, "set", kwnames) < 0) return NULL;
    NARGS("set", 0, 1);
    sim__set_clear(vm, args[0]);
    if (nargs > 1 && sim__set_update(vm, args[0], args[1]) < 0) return NULL;
    return vm->none;
}

FN(l_append) { NARGS("append", 1, 1); sim_list_append(vm, args[0], args[1]); return vm->none; }
FN(l_extend) { NARGS("extend", 1, 1); return sim__list_extend(vm, args[0], args[1]) < 0 ? NULL : vm->none; }
FN(l_insert) {
    NARGS("insert", 2, 2);
    if (!SIM_IS_INT(args[1])) return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(args[1]));
    sim__list_insert(vm, args[0], SIM_INT(args[1]), args[2]);
    return vm->none;
}
FN(l_pop) {
    NARGS("pop", 0, 1);
    sim_list *l = SIM_LIST(args[0]);
    if (l->len == 0) return sim_raise_msg(vm, SIM_E_IndexError, "pop from empty list");
    int64_t i = nargs > 1 ? SIM_INT(args[1]) : (int64_t)l->len - 1;
    if (i < 0) i += (int64_t)l->len;
    if (i < 0 || i >= (int64_t)l->len) return sim_raise_msg(vm, SIM_E_IndexError, "pop index out of range");
    sim_obj *v = l->items[i];
    memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof(sim_obj *));
    l->len--;
    return v;
}
static int64_t list_find(sim_vm *vm, sim_obj *list, sim_obj *v) {
    for (size_t i = 0; i < SIM_LIST(list)->len; i++) {
        int r = sim_eq(vm, SIM_LIST(list)->items[i], v);
        if (r < 0) return -2;
        if (r) return (int64_t)i;
    }
    return -1;
}
FN(l_remove) {
    NARGS("remove", 1, 1);
    int64_t i = list_find(vm, args[0], args[1]);
    if (i == -2) return NULL;
    if (i < 0) return sim_raise_msg(vm, SIM_E_ValueError, "list.remove(x): x not in list");
    sim_list *l = SIM_LIST(args[0]);
    memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof(sim_obj *));
    l->len--;
    return vm->none;
}
FN(l_index) {
    NARGS("index", 1, 3);
    int64_t i = list_find(vm, args[0], args[1]);
    if (i == -2) return NULL;
    if (i < 0) {
        sim_obj *r = sim_repr(vm, args[1]);
        if (!r) return NULL;
        return sim_raise_msg(vm, SIM_E_ValueError, "%s is not in list", SIM_CSTR(r));
    }
    return sim_int_new(vm, i);
}
FN(l_count) {
    NARGS("count", 1, 1);
    int64_t n = 0;
    sim_obj *seq = args[0];
    for (size_t i = 0;; i++) {
        size_t len = SIM_IS_LIST(seq) ? SIM_LIST(seq)->len : SIM_TUPLE(seq)->len;
        if (i >= len) break;
        int r = sim_eq(vm, SIM_IS_LIST(seq) ? SIM_LIST(seq)->items[i] : SIM_TUPLE(seq)->items[i], args[1]);
        if (r < 0) return NULL;
        n += r;
    }
    return sim_int_new(vm, n);
}
FN(l_sort) {
    static const char *const names[] = {"self", "key", "reverse", NULL};
    sim_obj *a[3];
    if (nargs > 1) return sim_raise_msg(vm, SIM_E_TypeError, "sort() takes no positional arguments");
    if (sim_parse_args(vm, "sort", args, nargs, kwnames, 1, 1, names, a) < 0) return NULL;
    int rev = a[2] ? sim_truthy(vm, a[2]) : 0;
    if (rev < 0 || sim__list_sort(vm, a[0], a[1], rev) < 0) return NULL;
    return vm->none;
}
FN(l_reverse) {
    sim_list *l = SIM_LIST(args[0]);
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        sim_obj *t = l->items[i];
        l->items[i] = l->items[j - 1];
        l->items[j - 1] = t;
    }
    return vm->none;
}
FN(l_copy) { return sim_list_new(vm, SIM_LIST(args[0])->len, SIM_LIST(args[0])->items); }
FN(l_clear) { SIM_LIST(args[0])->len = 0; return vm->none; }
FN(l_len) { return sim_int_new(vm, (int64_t)SIM_LIST(args[0])->len); }
/* The container methods work on the layout itself, so that super().__getitem__ from
 * a subclass's override reaches the builtin behaviour. */
FN(l_getitem) { NARGS("__getitem__", 1, 1); return sim__getitem_builtin(vm, args[0], args[1]); }
FN(l_setitem) {
    NARGS("__setitem__", 2, 2);
    int rc = SIM_IS_DICT(args[0]) ? sim_dict_set(vm, args[0], args[1], args[2])
                                  : sim__list_setitem(vm, args[0], args[1], args[2]);
    return rc < 0 ? NULL : vm->none;
}
FN(l_delitem) {
    NARGS("__delitem__", 1, 1);
    if (SIM_IS_DICT(args[0])) {
        int r = sim_dict_del(vm, args[0], args[1]);
        if (r == 0) sim_raise_keyerror(vm, args[1]);
        return r <= 0 ? NULL : vm->none;
    }
    return sim__list_setitem(vm, args[0], args[1], NULL) < 0 ? NULL : vm->none;
}
FN(l_contains) { int r = sim__contains_builtin(vm, args[0], args[1]); return r < 0 ? NULL : sim_bool(vm, r); }
FN(l_iter) { return sim__iter_builtin(vm, args[0]); }

void sim__list_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"__init__", l_init, NULL, 0},
        {"append", l_append, NULL, 0}, {"extend", l_extend, NULL, 0}, {"insert", l_insert, NULL, 0},
        {"pop", l_pop, NULL, 0}, {"remove", l_remove, NULL, 0}, {"index", l_index, NULL, 0},
        {"count", l_count, NULL, 0}, {"sort", l_sort, NULL, 0}, {"reverse", l_reverse, NULL, 0},
        {"copy", l_copy, NULL, 0}, {"clear", l_clear, NULL, 0}, {"__len__", l_len, NULL, 0},
        {"__getitem__", l_getitem, NULL, 0}, {"__setitem__", l_setitem, NULL, 0},
        {"__delitem__", l_delitem, NULL, 0},
        {"__contains__", l_contains, NULL, 0}, {"__iter__", l_iter, NULL, 0},
        END,
    };
    sim__add_methods(vm, vm->types[SIM_T_list], defs);
}

/* ---- tuple ------------------------------------------------------------------------------------ */

FN(t_index) {
    NARGS("index", 1, 3);
    for (size_t i = 0; i < SIM_TUPLE(args[0])->len; i++) {
        int r = sim_eq(vm, SIM_TUPLE(args[0])->items[i], args[1]);
        if (r < 0) return NULL;
        if (r) return sim_int_new(vm, (int64_t)i);
    }
    return sim_raise_msg(vm, SIM_E_ValueError, "tuple.index(x): x not in tuple");
}
FN(t_len) { return sim_int_new(vm, (int64_t)SIM_TUPLE(args[0])->len); }

void sim__tuple_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"index", t_index, NULL, 0}, {"count", l_count, NULL, 0}, {"__len__", t_len, NULL, 0},
        {"__getitem__", l_getitem, NULL, 0}, {"__contains__", l_contains, NULL, 0}, {"__iter__", l_iter, NULL, 0},
        END,
    };
    sim__add_methods(vm, vm->types[SIM_T_tuple], defs);
}

/* ---- dict ------------------------------------------------------------------------------------- */

FN(d_keys) { return sim_iter_new(vm, SIM_T_dict_keys, args[0], NULL); }
FN(d_values) { return sim_iter_new(vm, SIM_T_dict_values, args[0], NULL); }
FN(d_items) { return sim_iter_new(vm, SIM_T_dict_items, args[0], NULL); }
FN(d_get) {
    NARGS("get", 1, 2);
    sim_obj *v;
    int r = sim_dict_get(vm, args[0], args[1], &v);
    if (r < 0) return NULL;
    return r ? v : nargs > 2 ? args[2] : vm->none;
}
FN(d_setdefault) {
    NARGS("setdefault", 1, 2);
    sim_obj *v;
    int r = sim_dict_get(vm, args[0], args[1], &v);
    if (r < 0) return NULL;
    if (r) return v;
    v = nargs > 2 ? args[2] : vm->none;
    return sim_dict_set(vm, args[0], args[1], v) < 0 ? NULL : v;
}
FN(d_pop) {
    NARGS("pop", 1, 2);
    sim_obj *v;
    int r = sim_dict_get(vm, args[0], args[1], &v);
    if (r < 0) return NULL;
    if (!r) {
        if (nargs > 2) return args[2];
        return sim_raise_keyerror(vm, args[1]);
    }
    sim_push(vm, v);
    r = sim_dict_del(vm, args[0], args[1]);
    sim_pop(vm, 1);
    return r < 0 ? NULL : v;
}
FN(d_popitem) {
    sim_obj *k, *v;
    if (!sim__table_pop(args[0], true, &k, &v)) {
        sim_obj *msg = sim_str_cstr(vm, "popitem(): dictionary is empty");
        return sim_raise_keyerror(vm, msg);
    }
    sim_obj *pair[2] = {k, v};
    return sim_tuple_new(vm, 2, pair);
}
FN(d_update) {
    if (nargs > 2) return sim_raise_msg(vm, SIM_E_TypeError, "update expected at most 1 argument, got %d", nargs - 1);
    if (nargs == 2 && sim__dict_update(vm, args[0], args[1]) < 0) return NULL;
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t i = 0; i < nkw; i++)
        if (sim_dict_set(vm, args[0], SIM_TUPLE(kwnames)->items[i], args[nargs + i]) < 0) return NULL;
    return vm->none;
}
FN(d_copy) { return sim__dict_copy(vm, args[0]); }
FN(d_clear) { sim__dict_clear(vm, args[0]); return vm->none; }
FN(d_fromkeys) {
    if (nargs < 2) return sim_raise_msg(vm, SIM_E_TypeError, "fromkeys expected at least 1 argument, got 0");
    sim_obj *d = sim_dict_new(vm);
    sim_push(vm, d);
    sim_obj *l = sim_list_of(vm, args[1]);
    if (!l) { sim_pop(vm, 1); return NULL; }
    sim_push(vm, l);
    for (size_t i = 0; i < SIM_LIST(l)->len; i++)
        if (sim_dict_set(vm, d, SIM_LIST(l)->items[i], nargs > 2 ? args[2] : vm->none) < 0) { sim_pop(vm, 2); return NULL; }
    sim_pop(vm, 2);
    return d;
}
FN(d_len) { return sim_int_new(vm, (int64_t)SIM_DICT(args[0])->used); }

void sim__dict_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"__init__", d_init, NULL, 0},
        {"keys", d_keys, NULL, 0}, {"values", d_values, NULL, 0}, {"items", d_items, NULL, 0},
        {"get", d_get, NULL, 0}, {"setdefault", d_setdefault, NULL, 0}, {"pop", d_pop, NULL, 0},
        {"popitem", d_popitem, NULL, 0}, {"update", d_update, NULL, 0}, {"copy", d_copy, NULL, 0},
        {"clear", d_clear, NULL, 0}, {"fromkeys", d_fromkeys, NULL, SIM_METH_CLASS},
        {"__len__", d_len, NULL, 0}, {"__getitem__", l_getitem, NULL, 0}, {"__setitem__", l_setitem, NULL, 0},
        {"__delitem__", l_delitem, NULL, 0},
        {"__contains__", l_contains, NULL, 0}, {"__iter__", l_iter, NULL, 0},
        END,
    };
    sim__add_methods(vm, vm->types[SIM_T_dict], defs);
}

sim_obj *sim__dict_repr(sim_vm *vm, sim_obj *d) {
    if (SIM_DICT(d)->used == 0) return sim_str_cstr(vm, "{}");
    if (d->oflags & 2) return sim_str_cstr(vm, "{...}");
    d->oflags |= 2;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_putc(&b, '{');
    size_t pos = 0, n = 0;
    sim_obj *k, *v;
    sim_push(vm, d);
    while (sim_dict_next(d, &pos, &k, &v)) {
        if (n++) pyfmt_buf_puts(&b, ", ");
        sim_push(vm, v);
        sim_obj *r = sim_repr(vm, k);
        sim_obj *r2 = r ? (sim_push(vm, r), sim_repr(vm, v)) : NULL;
        if (r) sim_pop(vm, 1);
        sim_pop(vm, 1);
        if (!r2) { pyfmt_buf_free(&b); sim_pop(vm, 1); d->oflags &= (uint16_t)~2; return NULL; }
        pyfmt_buf_append(&b, SIM_CSTR(r), SIM_STR(r)->len);
        pyfmt_buf_puts(&b, ": ");
        pyfmt_buf_append(&b, SIM_CSTR(r2), SIM_STR(r2)->len);
    }
    sim_pop(vm, 1);
    d->oflags &= (uint16_t)~2;
    pyfmt_buf_putc(&b, '}');
    return sim__str_from_buf(vm, &b);
}

/* ---- set -------------------------------------------------------------------------------------- */

sim_obj *sim__set_repr(sim_vm *vm, sim_obj *s) {
    /* set: {1, 2} / set(); frozenset and subclasses: Name({1, 2}) / Name() */
    bool named = s->type != vm->types[SIM_T_set];
    const char *tn = sim_type_name(s);
    if (SIM_DICT(s)->used == 0) return sim_str_fmt(vm, "%s()", tn);
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    if (named) {
        pyfmt_buf_puts(&b, tn);
        pyfmt_buf_puts(&b, "({");
    } else {
        pyfmt_buf_putc(&b, '{');
    }
    size_t pos = 0, n = 0;
    sim_obj *k;
    sim_push(vm, s);
    while (sim_dict_next(s, &pos, &k, NULL)) {
        if (n++) pyfmt_buf_puts(&b, ", ");
        sim_obj *r = sim_repr(vm, k);
        if (!r) { pyfmt_buf_free(&b); sim_pop(vm, 1); return NULL; }
        pyfmt_buf_append(&b, SIM_CSTR(r), SIM_STR(r)->len);
    }
    sim_pop(vm, 1);
    pyfmt_buf_puts(&b, named ? "})" : "}");
    return sim__str_from_buf(vm, &b);
}

FN(st_add) { NARGS("add", 1, 1); return sim_set_add(vm, args[0], args[1]) < 0 ? NULL : vm->none; }
FN(st_discard) { NARGS("discard", 1, 1); return sim_set_discard(vm, args[0], args[1]) < 0 ? NULL : vm->none; }
FN(st_remove) {
    NARGS("remove", 1, 1);
    int r = sim_set_discard(vm, args[0], args[1]);
    if (r < 0) return NULL;
    if (r == 0) return sim_raise_keyerror(vm, args[1]);
    return vm->none;
}
FN(st_pop) {
    sim_obj *k;
    if (!sim__table_pop(args[0], false, &k, NULL)) {
        sim_obj *msg = sim_str_cstr(vm, "pop from an empty set");
        return sim_raise_keyerror(vm, msg);
    }
    return k;
}
FN(st_copy) { return sim__dict_copy(vm, args[0]); }
FN(st_update) {
    for (int i = 1; i < nargs; i++)
        if (sim__set_update(vm, args[0], args[i]) < 0) return NULL;
    return vm->none;
}
/* A set made from an iterable argument (a set is used as is). */
static sim_obj *as_set(sim_vm *vm, sim_obj *o) {
    if (SIM_IS_SET(o)) return o;
    sim_obj *s = sim_set_new(vm, false);
    sim_push(vm, s);
    int rc = sim__set_update(vm, s, o);
    sim_pop(vm, 1);
    return rc < 0 ? NULL : s;
}

/* union / intersection / difference / symmetric_difference with several arguments,
 * in CPython's order of operations. */
static sim_obj *set_multi(sim_vm *vm, sim_obj **args, int nargs, int op) {
    bool frozen = args[0]->type == vm->types[SIM_T_frozenset];
    if (nargs == 1) return sim__set_copy(vm, args[0], frozen);
    sim_obj *acc;
    if (op == SIM_BINOP_OR) {
        acc = sim__set_copy(vm, args[0], frozen);
        if (!acc) return NULL;
        sim_push(vm, acc);
        for (int i = 1; i < nargs; i++)
            if (sim__set_update(vm, acc, args[i]) < 0) { sim_pop(vm, 1); return NULL; }
        sim_pop(vm, 1);
        return acc;
    }
    acc = args[0];
    sim_push(vm, acc);
    for (int i = 1; i < nargs; i++) {
        sim_obj *other;
        if (op == SIM_BINOP_SUB && i > 1) {
            other = as_set(vm, args[i]);
            if (!other || !sim__set_inplace(vm, SIM_BINOP_SUB, acc, other)) { sim_pop(vm, 1); return NULL; }
            continue;
        }
        if (op == SIM_BINOP_SUB && !SIM_IS_SET(args[i])) {
            /* set_copy_and_difference: a copy, then discard each */
            sim_obj *r = sim__set_copy(vm, acc, frozen);
            if (!r) { sim_pop(vm, 1); return NULL; }
            vm->ts->roots[vm->ts->nroots - 1] = acc = r;
            other = as_set(vm, args[i]);
            if (!other || !sim__set_inplace(vm, SIM_BINOP_SUB, acc, other)) { sim_pop(vm, 1); return NULL; }
            continue;
        }
        other = as_set(vm, args[i]);
        if (!other) { sim_pop(vm, 1); return NULL; }
        sim_push(vm, other);
        sim_obj *r = sim__set_binop(vm, op, acc, other);
        sim_pop(vm, 1);
        if (!r) { sim_pop(vm, 1); return NULL; }
        vm->ts->roots[vm->ts->nroots - 1] = acc = r;
    }
    sim_pop(vm, 1);
    return acc;
}
FN(st_union) { return set_multi(vm, args, nargs, SIM_BINOP_OR); }
FN(st_intersection) { return set_multi(vm, args, nargs, SIM_BINOP_AND); }
FN(st_difference) { return set_multi(vm, args, nargs, SIM_BINOP_SUB); }
FN(st_symdiff) {
    NARGS("symmetric_difference", 1, 1);
    sim_obj *o = as_set(vm, args[1]);
    if (!o) return NULL;
    sim_push(vm, o);
    sim_obj *r = sim__set_binop(vm, SIM_BINOP_XOR, args[0], o);
    sim_pop(vm, 1);
    return r;
}
static sim_obj *set_inplace(sim_vm *vm, sim_obj **args, int nargs, int op) {
    for (int i = 1; i < nargs; i++) {
        sim_obj *o = as_set(vm, args[i]);
        if (!o) return NULL;
        sim_push(vm, o);
        sim_obj *r = sim__set_inplace(vm, op, args[0], o);
        sim_pop(vm, 1);
        if (!r) return NULL;
    }
    return vm->none;
}
FN(st_intersection_update) { return set_inplace(vm, args, nargs, SIM_BINOP_AND); }
FN(st_difference_update) { return set_inplace(vm, args, nargs, SIM_BINOP_SUB); }
FN(st_symdiff_update) { NARGS("symmetric_difference_update", 1, 1); return set_inplace(vm, args, nargs, SIM_BINOP_XOR); }
FN(st_clear2) { sim__set_clear(vm, args[0]); return vm->none; }
static sim_obj *set_rel(sim_vm *vm, sim_obj **args, int nargs, int cmp) {
    NARGS("issubset", 1, 1);
    sim_obj *other = as_set(vm, args[1]);
    if (!other) return NULL;
    sim_push(vm, other);
    sim_obj *r = sim__set_binop(vm, -1 - cmp, args[0], other);
    sim_pop(vm, 1);
    return r;
}
FN(st_issubset) { return set_rel(vm, args, nargs, SIM_CMP_LE); }
FN(st_issuperset) { return set_rel(vm, args, nargs, SIM_CMP_GE); }
FN(st_isdisjoint) {
    NARGS("isdisjoint", 1, 1);
    sim_obj *it = sim_iter(vm, args[1]);
    if (!it) return NULL;
    sim_push(vm, it);
    for (;;) {
        sim_obj *v = sim_next(vm, it);
        if (!v) break;
        int r = sim_set_contains(vm, args[0], v);
        if (r) { sim_pop(vm, 1); return r < 0 ? NULL : vm->false_; }
    }
    sim_pop(vm, 1);
    return sim_exc_occurred(vm) ? NULL : vm->true_;
}

void sim__set_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"__init__", st_init, NULL, 0},
        {"add", st_add, NULL, 0}, {"discard", st_discard, NULL, 0}, {"remove", st_remove, NULL, 0},
        {"pop", st_pop, NULL, 0}, {"clear", st_clear2, NULL, 0}, {"copy", st_copy, NULL, 0},
        {"update", st_update, NULL, 0}, {"union", st_union, NULL, 0},
        {"intersection", st_intersection, NULL, 0}, {"difference", st_difference, NULL, 0},
        {"symmetric_difference", st_symdiff, NULL, 0},
        {"intersection_update", st_intersection_update, NULL, 0},
        {"difference_update", st_difference_update, NULL, 0},
        {"symmetric_difference_update", st_symdiff_update, NULL, 0},
        {"issubset", st_issubset, NULL, 0}, {"issuperset", st_issuperset, NULL, 0},
        {"isdisjoint", st_isdisjoint, NULL, 0}, {"__len__", d_len, NULL, 0},
        {"__contains__", l_contains, NULL, 0}, {"__iter__", l_iter, NULL, 0},
        END,
    };
    static const sim_method_def frozen[] = {
        {"copy", st_copy, NULL, 0}, {"union", st_union, NULL, 0},
        {"intersection", st_intersection, NULL, 0}, {"difference", st_difference, NULL, 0},
        {"symmetric_difference", st_symdiff, NULL, 0},
        {"issubset", st_issubset, NULL, 0}, {"issuperset", st_issuperset, NULL, 0},
        {"isdisjoint", st_isdisjoint, NULL, 0}, {"__len__", d_len, NULL, 0},
        {"__contains__", l_contains, NULL, 0}, {"__iter__", l_iter, NULL, 0},
        END,
    };
    sim__add_methods(vm, vm->types[SIM_T_set], defs);
    sim__add_methods(vm, vm->types[SIM_T_frozenset], frozen);
}

/* ---- int and float ------------------------------------------------------------------------------ */

FN(i_bit_length) {
    int64_t v = SIM_INT(args[0]);
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = 0;
    while (m) { n++; m >>= 1; }
    return sim_int_new(vm, n);
}
FN(i_conjugate) { return sim_int_new(vm, SIM_INT(args[0])); }
FN(i_real) { return sim_int_new(vm, SIM_INT(args[0])); }
FN(i_imag) { return sim_int_new(vm, 0); }
FN(i_to_bytes) { return sim_raise_msg(vm, SIM_E_NotImplementedError, "aiosim does not support bytes yet"); }

void sim__int_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"bit_length", i_bit_length, NULL, 0}, {"conjugate", i_conjugate, NULL, 0},
        {"to_bytes", i_to_bytes, NULL, 0},
        {"real", NULL, i_real, 0}, {"imag", NULL, i_imag, 0},
        {"numerator", NULL, i_real, 0},
        END,
    };
    sim__add_methods(vm, vm->types[SIM_T_int], defs);
}

FN(f_is_integer) { double d = SIM_FLOAT(args[0]); return sim_bool(vm, isfinite(d) && d == floor(d)); }
FN(f_real) { return args[0]; }
FN(f_imag) { return sim_float_new(vm, 0.0); }
FN(f_hex) { return sim_raise_msg(vm, SIM_E_NotImplementedError, "aiosim does not support float.hex yet"); }
FN(f_as_integer_ratio) {
    double d = SIM_FLOAT(args[0]);
    if (!isfinite(d)) return sim_raise_msg(vm, isnan(d) ? SIM_E_ValueError : SIM_E_OverflowError,
                                           isnan(d) ? "cannot convert NaN to integer ratio" : "cannot convert Infinity to integer ratio");
    int e;
    double m = frexp(d, &e);
    int64_t den = 1;
    while (m != floor(m) && den < (1ll << 53)) { m *= 2; e--; }
    int64_t num = (int64_t)m;
    if (e > 0) {
        if (e > 62) return sim_raise_overflow(vm);
        num <<= e;
    } else {
        if (-e > 62) return sim_raise_overflow(vm);
        den <<= -e;
    }
    sim_obj *a = sim_int_new(vm, num);
    sim_push(vm, a);
    sim_obj *b = sim_int_new(vm, den);
    sim_push(vm, b);
    sim_obj *items[2] = {a, b};
    sim_obj *t = sim_tuple_new(vm, 2, items);
    sim_pop(vm, 2);
    return t;
}

void sim__float_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"is_integer", f_is_integer, NULL, 0}, {"hex", f_hex, NULL, 0},
        {"as_integer_ratio", f_as_integer_ratio, NULL, 0},
        {"real", NULL, f_real, 0}, {"imag", NULL, f_imag, 0},
        END,
    };
    sim__add_methods(vm, vm->types[SIM_T_float], defs);
}
