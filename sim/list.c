/* list.c — list objects: storage, indexing, slicing, sorting, methods. */
#include <string.h>

#include "vm.h"

sim_obj *sim_list_new(sim_vm *vm, size_t n, sim_obj *const *items) {
    size_t np = items && n <= 8 ? n : 0;   /* a few items are protected: C locals are fine */
    for (size_t i = 0; i < np; i++) sim_push(vm, items[i]);
    sim_list *l = (sim_list *)sim__alloc_raw(vm, vm->types[SIM_T_list], SIM_K_LIST, sizeof(sim_list));
    if (n) {
        sim_push(vm, &l->hdr);
        sim_obj **a = sim_alloc(vm, n * sizeof(sim_obj *));
        sim_pop(vm, 1);
        for (size_t i = 0; i < n; i++) a[i] = items ? items[i] : vm->none;
        l->items = a;
        l->cap = l->len = n;
    }
    sim_pop(vm, np);
    return &l->hdr;
}

static void reserve(sim_vm *vm, sim_list *l, size_t need) {
    if (need <= l->cap) return;
    size_t cap = l->cap < 4 ? 4 : l->cap + l->cap / 2;
    if (cap < need) cap = need;
    sim_push(vm, &l->hdr);
    sim_obj **a = sim_alloc(vm, cap * sizeof(sim_obj *));
    sim_pop(vm, 1);
    if (l->len) memcpy(a, l->items, l->len * sizeof(sim_obj *));
    sim_free(vm, l->items, l->cap * sizeof(sim_obj *));
    l->items = a;
    l->cap = cap;
}

int sim_list_append(sim_vm *vm, sim_obj *list, sim_obj *v) {
    sim_list *l = SIM_LIST(list);
    if (l->len == l->cap) {
        sim_push(vm, v);
        reserve(vm, l, l->len + 1);
        sim_pop(vm, 1);
    }
    l->items[l->len++] = v;
    return 0;
}

int sim__list_insert(sim_vm *vm, sim_obj *list, int64_t i, sim_obj *v) {
    sim_list *l = SIM_LIST(list);
    sim_push(vm, v);
    reserve(vm, l, l->len + 1);
    sim_pop(vm, 1);
    int64_t n = (int64_t)l->len;
    if (i < 0) { i += n; if (i < 0) i = 0; }
    if (i > n) i = n;
    memmove(l->items + i + 1, l->items + i, (size_t)(n - i) * sizeof(sim_obj *));
    l->items[i] = v;
    l->len++;
    return 0;
}

int sim__list_extend(sim_vm *vm, sim_obj *list, sim_obj *iterable) {
    if (SIM_IS_LIST(iterable) || SIM_IS_TUPLE(iterable)) {
        size_t n = SIM_IS_LIST(iterable) ? SIM_LIST(iterable)->len : SIM_TUPLE(iterable)->len;
        sim_push(vm, iterable);
        reserve(vm, SIM_LIST(list), SIM_LIST(list)->len + n);
        sim_pop(vm, 1);
        sim_obj **src = SIM_IS_LIST(iterable) ? SIM_LIST(iterable)->items : SIM_TUPLE(iterable)->items;
        if (n) memmove(SIM_LIST(list)->items + SIM_LIST(list)->len, src, n * sizeof(sim_obj *));
        SIM_LIST(list)->len += n;
        return 0;
    }
    sim_obj *it = sim_iter(vm, iterable);
    if (!it) return -1;
    sim_push(vm, it);
    for (;;) {
        sim_obj *v = sim_next(vm, it);
        if (!v) break;
        sim_list_append(vm, list, v);
    }
    sim_pop(vm, 1);
    return sim_exc_occurred(vm) ? -1 : 0;
}

/* list(iterable); the iterable may be a fresh object held only by the caller. */
sim_obj *sim_list_of(sim_vm *vm, sim_obj *iterable) {
    sim_push(vm, iterable);
    sim_obj *l = sim_list_new(vm, 0, NULL);
    sim_push(vm, l);
    int rc = sim__list_extend(vm, l, iterable);
    sim_pop(vm, 2);
    return rc < 0 ? NULL : l;
}

/* Normalizes an index for a sequence of length n; -1 after raising IndexError. */
static int64_t seq_index(sim_vm *vm, sim_obj *key, int64_t n, const char *what) {
    int64_t i = SIM_INT(key);
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        sim_raise_msg(vm, SIM_E_IndexError, "%s index out of range", what);
        return -1;
    }
    return i;
}

sim_obj *sim__list_getitem(sim_vm *vm, sim_obj *list, sim_obj *key) {
    sim_list *l = SIM_LIST(list);
    if (SIM_IS_INT(key)) {
        int64_t i = seq_index(vm, key, (int64_t)l->len, "list");
        return i < 0 ? NULL : l->items[i];
    }
    if (SIM_KIND(key) == SIM_K_SLICE) {
        int64_t start, stop, step;
        int64_t n = sim__slice_indices(vm, key, (int64_t)l->len, &start, &stop, &step);
        if (n < 0) return NULL;
        sim_obj *r = sim_list_new(vm, (size_t)n, NULL);
        for (int64_t k = 0; k < n; k++) SIM_LIST(r)->items[k] = l->items[start + k * step];
        return r;
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "list indices must be integers or slices, not %s",
                         sim_type_name(key));
}

static int slice_assign(sim_vm *vm, sim_obj *list, sim_obj *key, sim_obj *v) {
    sim_list *l = SIM_LIST(list);
    int64_t start, stop, step;
    int64_t n = sim__slice_indices(vm, key, (int64_t)l->len, &start, &stop, &step);
    if (n < 0) return -1;
    sim_obj *src = v ? sim_list_of(vm, v) : sim_list_new(vm, 0, NULL);
    if (!src) return -1;
    sim_list *s = SIM_LIST(src);
    if (step == 1) {
        if (stop < start) stop = start;
        size_t m = s->len, old = (size_t)(stop - start);
        sim_push(vm, src);
        if (m > old) reserve(vm, l, l->len + m - old);
        sim_pop(vm, 1);
        memmove(l->items + start + m, l->items + stop, (l->len - (size_t)stop) * sizeof(sim_obj *));
        memcpy(l->items + start, s->items, m * sizeof(sim_obj *));
        l->len = l->len + m - old;
        return 0;
    }
    if (!v) {   /* del l[a:b:c] */
        size_t w = 0;
        for (size_t r = 0; r < l->len; r++) {
            bool hit = step > 0 ? ((int64_t)r >= start && (int64_t)r < stop && ((int64_t)r - start) % step == 0)
                                : ((int64_t)r <= start && (int64_t)r > stop && (start - (int64_t)r) % -step == 0);
            if (!hit) l->items[w++] = l->items[r];
        }
        l->len = w;
        return 0;
    }
    if ((int64_t)s->len != n) {
        sim_raise_msg(vm, SIM_E_ValueError, "attempt to assign sequence of size %zu to extended slice of size %lld",
                      s->len, (long long)n);
        return -1;
    }
    for (int64_t k = 0; k < n; k++) l->items[start + k * step] = s->items[k];
    return 0;
}

int sim__list_setitem(sim_vm *vm, sim_obj *list, sim_obj *key, sim_obj *v) {
    sim_list *l = SIM_LIST(list);
    if (SIM_IS_INT(key)) {
        int64_t i = SIM_INT(key);
        if (i < 0) i += (int64_t)l->len;
        if (i < 0 || i >= (int64_t)l->len) {
            sim_raise_msg(vm, SIM_E_IndexError, v ? "list assignment index out of range" : "list index out of range");
            return -1;
        }
        if (v) {
            l->items[i] = v;
        } else {
            memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof(sim_obj *));
            l->len--;
        }
        return 0;
    }
    if (SIM_KIND(key) == SIM_K_SLICE) return slice_assign(vm, list, key, v);
    sim_raise_msg(vm, SIM_E_TypeError, "list indices must be integers or slices, not %s", sim_type_name(key));
    return -1;
}

/* ---- sorting: a stable merge sort with a comparison that may raise ------------------------ */

typedef struct sort_item { sim_obj *key, *value; } sort_item;

static int merge_sort(sim_vm *vm, sort_item *a, sort_item *tmp, size_t n, bool reverse) {
    if (n < 2) return 0;
    size_t mid = n / 2;
    if (merge_sort(vm, a, tmp, mid, reverse) < 0 || merge_sort(vm, a + mid, tmp, n - mid, reverse) < 0)
        return -1;
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        /* stable: take from the right only when strictly less (reverse: strictly greater) */
        int lt = reverse ? sim_lt(vm, a[i].key, a[j].key) : sim_lt(vm, a[j].key, a[i].key);
        if (lt < 0) return -1;
        tmp[k++] = lt ? a[j++] : a[i++];
    }
    while (i < mid) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
    return 0;
}

int sim__list_sort(sim_vm *vm, sim_obj *list, sim_obj *key, bool reverse) {
    sim_list *l = SIM_LIST(list);
    size_t n = l->len;
    if (n < 2) return 0;
    /* keys and values live in a list while sorting, so the GC sees them */
    sim_obj *keep = sim_list_new(vm, 2 * n, NULL);
    sim_push(vm, keep);
    for (size_t i = 0; i < n; i++) {
        sim_obj *v = l->items[i], *k = v;
        if (key && key != vm->none) {
            k = sim_call1(vm, key, v);
            if (!k) { sim_pop(vm, 1); return -1; }
        }
        SIM_LIST(keep)->items[2 * i] = k;
        SIM_LIST(keep)->items[2 * i + 1] = v;
    }
    size_t bytes = n * sizeof(sort_item);
    sort_item *a = sim_alloc(vm, 2 * bytes);
    for (size_t i = 0; i < n; i++) {
        a[i].key = SIM_LIST(keep)->items[2 * i];
        a[i].value = SIM_LIST(keep)->items[2 * i + 1];
    }
    int rc = merge_sort(vm, a, a + n, n, reverse);
    if (rc == 0) {
        if (l->len != n) {
            rc = -1;
            sim_raise_msg(vm, SIM_E_ValueError, "list modified during sort");
        } else {
            for (size_t i = 0; i < n; i++) l->items[i] = a[i].value;
        }
    }
    sim_free(vm, a, 2 * bytes);
    sim_pop(vm, 1);
    return rc;
}
