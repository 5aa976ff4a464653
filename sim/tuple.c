/* tuple.c — tuples, slices and ranges (the immutable sequences). */
#include <string.h>

#include "vm.h"

sim_obj *sim_tuple_new(sim_vm *vm, size_t n, sim_obj *const *items) {
    if (n == 0 && vm->empty_tuple) return vm->empty_tuple;
    /* a few items are protected here, so callers may pass C locals */
    size_t np = items && n <= 8 ? n : 0;
    for (size_t i = 0; i < np; i++) sim_push(vm, items[i]);
    sim_tuple *t = (sim_tuple *)sim__alloc_raw(vm, vm->types[SIM_T_tuple], SIM_K_TUPLE,
                                               sizeof(sim_tuple) + n * sizeof(sim_obj *));
    sim_pop(vm, np);
    t->len = n;
    for (size_t i = 0; i < n; i++) t->items[i] = items ? items[i] : vm->none;
    return &t->hdr;
}

sim_obj *sim_tuple_of(sim_vm *vm, sim_obj *iterable) {
    if (SIM_IS_TUPLE(iterable)) return iterable;
    sim_obj *l = sim_list_of(vm, iterable);
    if (!l) return NULL;
    sim_push(vm, l);
    sim_obj *t = sim_tuple_new(vm, SIM_LIST(l)->len, SIM_LIST(l)->items);
    sim_pop(vm, 1);
    return t;
}

sim_obj *sim__tuple_getitem(sim_vm *vm, sim_obj *tup, sim_obj *key) {
    sim_tuple *t = SIM_TUPLE(tup);
    if (SIM_IS_INT(key)) {
        int64_t i = SIM_INT(key);
        if (i < 0) i += (int64_t)t->len;
        if (i < 0 || i >= (int64_t)t->len) return sim_raise_msg(vm, SIM_E_IndexError, "tuple index out of range");
        return t->items[i];
    }
    if (SIM_KIND(key) == SIM_K_SLICE) {
        int64_t start, stop, step;
        int64_t n = sim__slice_indices(vm, key, (int64_t)t->len, &start, &stop, &step);
        if (n < 0) return NULL;
        if (n == (int64_t)t->len && step == 1) return tup;
        sim_push(vm, tup);
        sim_obj *r = sim_tuple_new(vm, (size_t)n, NULL);
        sim_pop(vm, 1);
        t = SIM_TUPLE(tup);
        for (int64_t k = 0; k < n; k++) SIM_TUPLE(r)->items[k] = t->items[start + k * step];
        return r;
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "tuple indices must be integers or slices, not %s",
                         sim_type_name(key));
}

/* Clamps a slice bound like PySlice_AdjustIndices. */
static bool slice_bound(sim_vm *vm, sim_obj *v, int64_t *out) {
    if (v == vm->none) return false;
    *out = SIM_INT(v);
    return true;
}

/* The indices a slice selects in a sequence of length len; returns the count, or -1
 * after raising (bad types, zero step). */
int64_t sim__slice_indices(sim_vm *vm, sim_obj *slice, int64_t len, int64_t *start, int64_t *stop, int64_t *step) {
    sim_slice *s = (sim_slice *)slice;
    sim_obj *parts[3] = {s->start, s->stop, s->step};
    for (int i = 0; i < 3; i++) {
        if (parts[i] != vm->none && !SIM_IS_INT(parts[i])) {
            sim_raise_msg(vm, SIM_E_TypeError,
                          "slice indices must be integers or None or have an __index__ method");
            return -1;
        }
    }
    *step = s->step == vm->none ? 1 : SIM_INT(s->step);
    if (*step == 0) {
        sim_raise_msg(vm, SIM_E_ValueError, "slice step cannot be zero");
        return -1;
    }
    int64_t lo, hi;
    bool has_lo = slice_bound(vm, s->start, &lo), has_hi = slice_bound(vm, s->stop, &hi);
    if (*step > 0) {
        if (!has_lo) lo = 0;
        else if (lo < 0) { lo += len; if (lo < 0) lo = 0; }
        else if (lo > len) lo = len;
        if (!has_hi) hi = len;
        else if (hi < 0) { hi += len; if (hi < 0) hi = 0; }
        else if (hi > len) hi = len;
        *start = lo; *stop = hi;
        return hi > lo ? (hi - lo - 1) / *step + 1 : 0;
    }
    if (!has_lo) lo = len - 1;
    else if (lo < 0) { lo += len; if (lo < 0) lo = -1; }
    else if (lo >= len) lo = len - 1;
    if (!has_hi) hi = -1;
    else if (hi < 0) { hi += len; if (hi < 0) hi = -1; }
    else if (hi >= len) hi = len - 1;
    *start = lo; *stop = hi;
    return lo > hi ? (lo - hi - 1) / (-*step) + 1 : 0;
}

/* Length of range(start, stop, step). */
int64_t sim__range_len(sim_range *r) {
    if (r->step > 0) return r->stop > r->start ? (int64_t)(((uint64_t)r->stop - (uint64_t)r->start - 1) / (uint64_t)r->step + 1) : 0;
    return r->start > r->stop ? (int64_t)(((uint64_t)r->start - (uint64_t)r->stop - 1) / (uint64_t)(-r->step) + 1) : 0;
}

/* repr of a list or tuple: "[1, 2]" / "(1,)" */
sim_obj *sim__seq_repr(sim_vm *vm, sim_obj *o) {
    bool list = SIM_IS_LIST(o);
    size_t n = list ? SIM_LIST(o)->len : SIM_TUPLE(o)->len;
    if (n == 0) return sim_str_cstr(vm, list ? "[]" : "()");
    if (o->oflags & 2) return sim_str_cstr(vm, list ? "[...]" : "(...)");
    o->oflags |= 2;   /* being printed: a recursive reference shows as [...] */
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_putc(&b, list ? '[' : '(');
    sim_push(vm, o);
    for (size_t i = 0; i < (list ? SIM_LIST(o)->len : n); i++) {
        if (i) pyfmt_buf_puts(&b, ", ");
        sim_obj *r = sim_repr(vm, list ? SIM_LIST(o)->items[i] : SIM_TUPLE(o)->items[i]);
        if (!r) { pyfmt_buf_free(&b); sim_pop(vm, 1); o->oflags &= (uint16_t)~2; return NULL; }
        pyfmt_buf_append(&b, SIM_CSTR(r), SIM_STR(r)->len);
    }
    sim_pop(vm, 1);
    o->oflags &= (uint16_t)~2;
    if (!list && n == 1) pyfmt_buf_putc(&b, ',');
    pyfmt_buf_putc(&b, list ? ']' : ')');
    return sim__str_from_buf(vm, &b);
}

static int seq_eq(sim_vm *vm, sim_obj *a, sim_obj *b);

static sim_obj **seq_items(sim_obj *o, size_t *n) {
    if (SIM_IS_LIST(o)) { *n = SIM_LIST(o)->len; return SIM_LIST(o)->items; }
    *n = SIM_TUPLE(o)->len;
    return SIM_TUPLE(o)->items;
}

/* Containers nested deeper than the recursion limit raise RecursionError instead of
 * overflowing the C stack (CPython's "in comparison"). */
static bool enter_compare(sim_vm *vm) {
    if (vm->ts->depth >= vm->recursion_limit + 50) {
        sim_raise_msg(vm, SIM_E_RecursionError, "maximum recursion depth exceeded in comparison");
        return false;
    }
    vm->ts->depth++;
    return true;
}

int sim__seq_eq(sim_vm *vm, sim_obj *a, sim_obj *b) {
    if (!enter_compare(vm)) return -1;
    int r = seq_eq(vm, a, b);
    vm->ts->depth--;
    return r;
}

static int seq_eq(sim_vm *vm, sim_obj *a, sim_obj *b) {
    size_t na, nb;
    seq_items(a, &na);
    seq_items(b, &nb);
    if (na != nb) return 0;
    for (size_t i = 0;; i++) {
        sim_obj **x = seq_items(a, &na), **y = seq_items(b, &nb);
        if (i >= na || i >= nb) return na == nb;
        if (x[i] == y[i]) continue;
        int r = sim_eq(vm, x[i], y[i]);
        if (r <= 0) return r;
    }
}

/* Lexicographic comparison of two lists or two tuples. */
static sim_obj *seq_compare(sim_vm *vm, sim_obj *a, sim_obj *b, int op);

sim_obj *sim__seq_compare(sim_vm *vm, sim_obj *a, sim_obj *b, int op) {
    if (!enter_compare(vm)) return NULL;
    sim_obj *r = seq_compare(vm, a, b, op);
    vm->ts->depth--;
    return r;
}

static sim_obj *seq_compare(sim_vm *vm, sim_obj *a, sim_obj *b, int op) {
    size_t na, nb, i;
    for (i = 0;; i++) {
        sim_obj **x = seq_items(a, &na), **y = seq_items(b, &nb);
        if (i >= na || i >= nb) break;
        if (x[i] == y[i]) continue;
        int r = sim_eq(vm, x[i], y[i]);
        if (r < 0) return NULL;
        if (!r) {
            if (op == SIM_CMP_EQ) return vm->false_;
            if (op == SIM_CMP_NE) return vm->true_;
            return sim_richcompare(vm, x[i], y[i], op);
        }
    }
    int64_t d = (int64_t)na - (int64_t)nb;
    bool r;
    switch (op) {
    case SIM_CMP_LT: r = d < 0; break;
    case SIM_CMP_LE: r = d <= 0; break;
    case SIM_CMP_EQ: r = d == 0; break;
    case SIM_CMP_NE: r = d != 0; break;
    case SIM_CMP_GT: r = d > 0; break;
    default: r = d >= 0; break;
    }
    return sim_bool(vm, r);
}
