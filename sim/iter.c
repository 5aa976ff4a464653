/* iter.c — the builtin iterators (one layout, sim_iterobj; the type says which) and
 * dict views. */
#include <string.h>

#include "vm.h"

static sim_obj *dict_iter_next(sim_vm *vm, sim_iterobj *it, int what) {
    sim_dict *d = SIM_DICT(it->src);
    if (!it->src) return NULL;
    if ((int64_t)d->used != it->n) {
        it->n = -1;
        return sim_raise_msg(vm, SIM_E_RuntimeError, "%s changed size during iteration",
                             SIM_IS_SET(it->src) ? "Set" : "dictionary");
    }
    while ((size_t)it->i < d->nentries) {
        sim_entry *e = &d->entries[it->i++];
        if (!e->key) continue;
        if (what == 0) return e->key;
        if (what == 1) return e->value;
        sim_obj *pair[2] = {e->key, e->value};
        return sim_tuple_new(vm, 2, pair);
    }
    it->src = NULL;
    return NULL;
}

static sim_obj *zip_next(sim_vm *vm, sim_iterobj *it) {
    sim_obj *iters = it->aux;
    size_t n = SIM_TUPLE(iters)->len;
    if (n == 0 || it->n < 0) return NULL;
    sim_obj *t = sim_tuple_new(vm, n, NULL);
    sim_push(vm, t);
    for (size_t i = 0; i < n; i++) {
        sim_obj *v = sim_next(vm, SIM_TUPLE(iters)->items[i]);
        if (!v) { it->n = -1; sim_pop(vm, 1); return NULL; }
        SIM_TUPLE(t)->items[i] = v;
    }
    sim_pop(vm, 1);
    return t;
}

static sim_obj *map_next(sim_vm *vm, sim_iterobj *it) {
    sim_obj *iters = it->src;
    size_t n = SIM_TUPLE(iters)->len;
    sim_obj *args = sim_tuple_new(vm, n, NULL);
    sim_push(vm, args);
    for (size_t i = 0; i < n; i++) {
        sim_obj *v = sim_next(vm, SIM_TUPLE(iters)->items[i]);
        if (!v) { sim_pop(vm, 1); return NULL; }
        SIM_TUPLE(args)->items[i] = v;
    }
    sim_obj *r = sim_call(vm, it->aux, SIM_TUPLE(args)->items, (int)n, NULL);
    sim_pop(vm, 1);
    return r;
}

static sim_obj *filter_next(sim_vm *vm, sim_iterobj *it) {
    for (;;) {
        sim_obj *v = sim_next(vm, it->src);
        if (!v) return NULL;
        sim_push(vm, v);
        int t;
        if (it->aux == vm->none) {
            t = sim_truthy(vm, v);
        } else {
            sim_obj *r = sim_call1(vm, it->aux, v);
            t = r ? sim_truthy(vm, r) : -1;
        }
        sim_pop(vm, 1);
        if (t < 0) return NULL;
        if (t) return v;
    }
}

static sim_obj *str_next(sim_vm *vm, sim_iterobj *it) {
    sim_strobj *s = SIM_STR(it->src);
    if ((size_t)it->i >= s->len) return NULL;
    size_t pos = (size_t)it->i;
    pyfmt_utf8_next(s->data, s->len, &pos);
    sim_obj *r = sim_str_new(vm, s->data + it->i, pos - (size_t)it->i);
    it->i = (int64_t)pos;
    return r;
}

/* next() of a builtin iterator; NULL without an exception when exhausted. */
sim_obj *sim__iter_next(sim_vm *vm, sim_obj *o) {
    sim_iterobj *it = (sim_iterobj *)o;
    sim_type *t = o->type;
    sim_type **T = vm->types;
    if (t == T[SIM_T_list_iterator]) {
        if (!it->src || (size_t)it->i >= SIM_LIST(it->src)->len) { it->src = NULL; return NULL; }
        return SIM_LIST(it->src)->items[it->i++];
    }
    if (t == T[SIM_T_tuple_iterator]) {
        if ((size_t)it->i >= SIM_TUPLE(it->src)->len) return NULL;
        return SIM_TUPLE(it->src)->items[it->i++];
    }
    if (t == T[SIM_T_range_iterator]) {
        if (it->n <= 0) return NULL;
        it->n--;
        int64_t v = it->i;
        it->i += it->step;
        return sim_int_new(vm, v);
    }
    if (t == T[SIM_T_str_iterator]) return str_next(vm, it);
    if (t == T[SIM_T_dict_keyiterator] || t == T[SIM_T_set_iterator]) return dict_iter_next(vm, it, 0);
    if (t == T[SIM_T_dict_valueiterator]) return dict_iter_next(vm, it, 1);
    if (t == T[SIM_T_dict_itemiterator]) return dict_iter_next(vm, it, 2);
    if (t == T[SIM_T_enumerate]) {
        sim_obj *v = sim_next(vm, it->src);
        if (!v) return NULL;
        sim_push(vm, v);
        sim_obj *n = sim_int_new(vm, it->i++);
        sim_obj *pair[2] = {n, v};
        sim_push(vm, n);
        sim_obj *r = sim_tuple_new(vm, 2, pair);
        sim_pop(vm, 2);
        return r;
    }
    if (t == T[SIM_T_zip]) return zip_next(vm, it);
    if (t == T[SIM_T_map]) return map_next(vm, it);
    if (t == T[SIM_T_filter]) return filter_next(vm, it);
    if (t == T[SIM_T_reversed]) {
        if (it->i < 0) return NULL;
        sim_obj *src = it->src;
        if (SIM_IS_LIST(src)) {
            if ((size_t)it->i >= SIM_LIST(src)->len) { it->i = -1; return NULL; }
            return SIM_LIST(src)->items[it->i--];
        }
        sim_obj *idx = sim_int_new(vm, it->i--);
        return sim_getitem(vm, src, idx);
    }
    if (t == T[SIM_T_callable_iterator] && it->step == 2) {
        if (it->n < 0) return NULL;
        sim_obj *v = sim_call0(vm, it->src);
        if (!v) return NULL;
        sim_push(vm, v);
        int eq = sim_eq(vm, v, it->aux);
        sim_pop(vm, 1);
        if (eq < 0) return NULL;
        if (eq) { it->n = -1; return NULL; }
        return v;
    }
    if (t == T[SIM_T_callable_iterator]) {
        if (it->n < 0) return NULL;
        sim_obj *idx = sim_int_new(vm, it->i++);
        sim_obj *v = sim_getitem(vm, it->src, idx);
        if (!v && (sim_exc_matches(vm, SIM_E_IndexError) || sim_exc_matches(vm, SIM_E_StopIteration))) {
            sim_exc_fetch(vm);
            it->n = -1;
        }
        return v;
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not an iterator", sim_type_name(o));
}

/* ---- dict views -------------------------------------------------------------------------- */

sim_obj *sim__view_repr(sim_vm *vm, sim_obj *o) {
    sim_obj *l = sim_list_of(vm, o);
    if (!l) return NULL;
    sim_push(vm, l);
    sim_obj *r = sim_repr(vm, l);
    sim_pop(vm, 1);
    if (!r) return NULL;
    return sim_str_fmt(vm, "%s(%s)", sim_type_name(o), SIM_CSTR(r));
}
