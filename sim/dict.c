/* dict.c — the insertion-ordered hash table behind dict and set (CPython's compact
 * dict layout: an entries array in insertion order plus an index of slots). */
#include <string.h>

#include "vm.h"

#define EMPTY (-1)
#define DUMMY (-2)

sim_obj *sim_dict_new(sim_vm *vm) {
    return sim__alloc_raw(vm, vm->types[SIM_T_dict], SIM_K_DICT, sizeof(sim_dict));
}

sim_obj *sim_set_new(sim_vm *vm, bool frozen) {
    return sim__alloc_raw(vm, vm->types[frozen ? SIM_T_frozenset : SIM_T_set], SIM_K_SET, sizeof(sim_dict));
}

/* Key equality as dict uses it: identity, then str and number fast paths, then ==. */
static int keys_equal(sim_vm *vm, sim_obj *a, sim_obj *b) {
    if (a == b) return 1;
    if (SIM_IS_STR(a) && SIM_IS_STR(b)) return sim__str_eq(a, b);
    if (SIM_IS_INT(a) && SIM_IS_INT(b)) return SIM_INT(a) == SIM_INT(b);
    if (SIM_IS_STR(a) || SIM_IS_STR(b)) {
        sim_obj *o = SIM_IS_STR(a) ? b : a;
        sim_kind k = SIM_KIND(o);
        if (k == SIM_K_NONE || k == SIM_K_INT || k == SIM_K_FLOAT || k == SIM_K_STR ||
            k == SIM_K_TUPLE || k == SIM_K_TYPE)
            return 0;
    }
    return sim_eq(vm, a, b);
}

/* Finds key: returns the entry number, -1 when absent (*slot = the index slot to use),
 * -2 when a comparison raised. */
static int64_t lookup(sim_vm *vm, sim_dict *d, sim_obj *key, uint64_t h, size_t *slot) {
    if (d->icap == 0) { *slot = 0; return -1; }
restart:;
    size_t mask = d->icap - 1, free_slot = SIZE_MAX;
    sim_entry *entries = d->entries;
    uint64_t version = d->version;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        int32_t ix = d->index[i];
        if (ix == EMPTY) {
            *slot = free_slot != SIZE_MAX ? free_slot : i;
            return -1;
        }
        if (ix == DUMMY) {
            if (free_slot == SIZE_MAX) free_slot = i;
            continue;
        }
        sim_entry *e = &entries[ix];
        if (e->key == key) { *slot = i; return ix; }
        if (e->hash != h) continue;
        sim_obj *k = e->key;
        int eq = keys_equal(vm, k, key);
        if (eq < 0) return -2;
        if (d->entries != entries || d->version != version) goto restart;
        if (eq) { *slot = i; return ix; }
    }
}

static void rebuild_index(sim_vm *vm, sim_dict *d, size_t icap) {
    int32_t *index = sim_realloc(vm, NULL, 0, icap * sizeof(int32_t));
    sim_free(vm, d->index, d->icap * sizeof(int32_t));
    d->index = index;
    d->icap = icap;
    memset(index, 0xFF, icap * sizeof(int32_t));   /* EMPTY */
    size_t mask = icap - 1, n = 0;
    for (size_t j = 0; j < d->nentries; j++) {
        sim_entry *e = &d->entries[j];
        if (!e->key) continue;
        d->entries[n] = *e;
        size_t i = e->hash & mask;
        while (index[i] != EMPTY) i = (i + 1) & mask;
        index[i] = (int32_t)n++;
    }
    d->nentries = n;
}

/* Makes room for one more entry. The table is rooted by the caller. */
static void grow(sim_vm *vm, sim_dict *d) {
    size_t need = d->used + 1;
    size_t icap = 8;
    while (icap * 2 < need * 3) icap *= 2;
    size_t ecap = icap * 2 / 3 + 1;
    if (ecap < need) ecap = need;
    vm->gc_off = true;   /* the table is inconsistent until both arrays are in place */
    sim_entry *e = sim_realloc(vm, d->entries, d->ecap * sizeof(sim_entry), ecap * sizeof(sim_entry));
    vm->gc_off = false;
    d->entries = e;
    d->ecap = ecap;
    rebuild_index(vm, d, icap);
}

static int insert(sim_vm *vm, sim_dict *d, sim_obj *key, uint64_t h, sim_obj *value) {
    size_t slot;
    int64_t ix = lookup(vm, d, key, h, &slot);
    if (ix == -2) return -1;
    if (ix >= 0) {
        d->entries[ix].value = value;
        d->version++;       /* LOAD_GLOBAL's cache keys on the version */
        return 0;
    }
    if (d->nentries >= d->ecap || (d->nentries + 1) * 3 > d->icap * 2) {
        sim_push(vm, (sim_obj *)d); sim_push(vm, key); sim_push(vm, value);
        grow(vm, d);
        sim_pop(vm, 3);
        lookup(vm, d, key, h, &slot);   /* no comparison can run: the key is absent */
    }
    sim_entry *e = &d->entries[d->nentries];
    e->key = key;
    e->value = value;
    e->hash = h;
    d->index[slot] = (int32_t)d->nentries++;
    d->used++;
    d->version++;
    return 0;
}

int sim_dict_get(sim_vm *vm, sim_obj *d, sim_obj *key, sim_obj **out) {
    uint64_t h;
    if (sim_hash(vm, key, &h) < 0) return -1;
    size_t slot;
    int64_t ix = lookup(vm, SIM_DICT(d), key, h, &slot);
    if (ix == -2) return -1;
    if (ix < 0) return 0;
    *out = SIM_DICT(d)->entries[ix].value;
    return 1;
}

int sim_dict_set(sim_vm *vm, sim_obj *d, sim_obj *key, sim_obj *v) {
    uint64_t h;
    if (sim_hash(vm, key, &h) < 0) return -1;
    return insert(vm, SIM_DICT(d), key, h, v);
}

static int delete_entry(sim_dict *d, size_t slot, int64_t ix) {
    d->index[slot] = DUMMY;
    d->entries[ix].key = NULL;
    d->entries[ix].value = NULL;
    d->used--;
    d->version++;
    return 1;
}

int sim_dict_del(sim_vm *vm, sim_obj *d, sim_obj *key) {
    uint64_t h;
    if (sim_hash(vm, key, &h) < 0) return -1;
    size_t slot;
    int64_t ix = lookup(vm, SIM_DICT(d), key, h, &slot);
    if (ix == -2) return -1;
    if (ix < 0) return 0;
    return delete_entry(SIM_DICT(d), slot, ix);
}

sim_obj *sim_dict_getstr(sim_vm *vm, sim_obj *d, sim_obj *istr) {
    sim_dict *t = SIM_DICT(d);
    if (!t->icap) return NULL;
    uint64_t h = sim__str_hash(istr);
    size_t mask = t->icap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        int32_t ix = t->index[i];
        if (ix == EMPTY) return NULL;
        if (ix == DUMMY) continue;
        sim_entry *e = &t->entries[ix];
        if (e->key == istr) return e->value;
        if (e->hash == h && SIM_IS_STR(e->key) && sim__str_eq(e->key, istr)) return e->value;
    }
    (void)vm;
}

int sim_dict_setstr(sim_vm *vm, sim_obj *d, const char *key, sim_obj *v) {
    sim_push(vm, v);
    sim_obj *k = sim_intern(vm, key);
    sim_pop(vm, 1);
    return sim_dict_set(vm, d, k, v);
}

bool sim_dict_next(sim_obj *d, size_t *pos, sim_obj **key, sim_obj **value) {
    sim_dict *t = SIM_DICT(d);
    while (*pos < t->nentries) {
        sim_entry *e = &t->entries[(*pos)++];
        if (!e->key) continue;
        if (key) *key = e->key;
        if (value) *value = e->value;
        return true;
    }
    return false;
}

void sim__dict_clear(sim_vm *vm, sim_obj *d) {
    sim_dict *t = SIM_DICT(d);
    sim_free(vm, t->entries, t->ecap * sizeof(sim_entry));
    sim_free(vm, t->index, t->icap * sizeof(int32_t));
    t->entries = NULL;
    t->index = NULL;
    t->ecap = t->icap = t->used = t->nentries = t->fill = t->finger = 0;
    t->version++;
}

/* Removes and returns the last entry (dict.popitem / set.pop take from different ends:
 * dict the last, set the first, as CPython's insertion-ordered behaviour shows). */
bool sim__set_pop(sim_obj *so, sim_obj **key);

bool sim__table_pop(sim_obj *d, bool last, sim_obj **key, sim_obj **value) {
    if (SIM_IS_SET(d)) return sim__set_pop(d, key);
    sim_dict *t = SIM_DICT(d);
    if (t->used == 0) return false;
    int64_t ix = -1;
    if (last) {
        for (int64_t j = (int64_t)t->nentries - 1; j >= 0; j--)
            if (t->entries[j].key) { ix = j; break; }
    } else {
        for (size_t j = 0; j < t->nentries; j++)
            if (t->entries[j].key) { ix = (int64_t)j; break; }
    }
    sim_entry *e = &t->entries[ix];
    *key = e->key;
    if (value) *value = e->value;
    size_t mask = t->icap - 1;
    for (size_t i = e->hash & mask;; i = (i + 1) & mask)
        if (t->index[i] == (int32_t)ix) { delete_entry(t, i, ix); break; }
    if (last && (size_t)ix == t->nentries - 1) t->nentries--;
    return true;
}

sim_obj *sim__set_copy(sim_vm *vm, sim_obj *so, bool frozen);

sim_obj *sim__dict_copy(sim_vm *vm, sim_obj *d) {
    if (SIM_IS_SET(d)) return sim__set_copy(vm, d, d->type == vm->types[SIM_T_frozenset]);
    sim_obj *c = sim_dict_new(vm);
    sim_push(vm, c);
    size_t pos = 0;
    sim_obj *k, *v;
    sim_dict *src = SIM_DICT(d);
    while (sim_dict_next(d, &pos, &k, &v)) {
        if (insert(vm, SIM_DICT(c), k, src->entries[pos - 1].hash, v) < 0) { sim_pop(vm, 1); return NULL; }
    }
    sim_pop(vm, 1);
    return c;
}

/* d.update(src): a dict, or an iterable of pairs, or an object with keys(). */
int sim__dict_update(sim_vm *vm, sim_obj *d, sim_obj *src) {
    if (SIM_IS_DICT(src)) {
        size_t pos = 0;
        sim_obj *k, *v;
        while (sim_dict_next(src, &pos, &k, &v))
            if (insert(vm, SIM_DICT(d), k, SIM_DICT(src)->entries[pos - 1].hash, v) < 0) return -1;
        return 0;
    }
    sim_obj *keys = sim_getattr_opt(vm, src, vm->n.keys);
    if (keys) {
        sim_push(vm, keys);
        sim_obj *ks = sim_call0(vm, keys);
        sim_pop(vm, 1);
        if (!ks) return -1;
        sim_obj *l = sim_list_of(vm, ks);
        if (!l) return -1;
        sim_push(vm, l);
        for (size_t i = 0; i < SIM_LIST(l)->len; i++) {
            sim_obj *k = SIM_LIST(l)->items[i];
            sim_obj *v = sim_getitem(vm, src, k);
            if (!v || sim_dict_set(vm, d, k, v) < 0) { sim_pop(vm, 1); return -1; }
        }
        sim_pop(vm, 1);
        return 0;
    }
    if (sim_exc_occurred(vm)) return -1;
    sim_obj *l = sim_list_of(vm, src);
    if (!l) return -1;
    sim_push(vm, l);
    for (size_t i = 0; i < SIM_LIST(l)->len; i++) {
        sim_obj *pair = sim_tuple_of(vm, SIM_LIST(l)->items[i]);
        if (!pair) {
            sim_exc_fetch(vm);
            sim_pop(vm, 1);
            sim_raise_msg(vm, SIM_E_TypeError, "cannot convert dictionary update sequence element #%zu to a sequence", i);
            return -1;
        }
        if (SIM_TUPLE(pair)->len != 2) {
            sim_pop(vm, 1);
            sim_raise_msg(vm, SIM_E_ValueError,
                          "dictionary update sequence element #%zu has length %zu; 2 is required",
                          i, SIM_TUPLE(pair)->len);
            return -1;
        }
        sim_push(vm, pair);
        int rc = sim_dict_set(vm, d, SIM_TUPLE(pair)->items[0], SIM_TUPLE(pair)->items[1]);
        sim_pop(vm, 1);
        if (rc < 0) { sim_pop(vm, 1); return -1; }
    }
    sim_pop(vm, 1);
    return 0;
}

int sim__dict_eq(sim_vm *vm, sim_obj *a, sim_obj *b) {
    if (SIM_DICT(a)->used != SIM_DICT(b)->used) return 0;
    size_t pos = 0;
    sim_obj *k, *v;
    while (sim_dict_next(a, &pos, &k, &v)) {
        sim_obj *w;
        sim_push(vm, k); sim_push(vm, v);
        int r = sim_dict_get(vm, b, k, &w);
        if (r <= 0) { sim_pop(vm, 2); return r; }
        r = sim_eq(vm, v, w);
        sim_pop(vm, 2);
        if (r <= 0) return r;
    }
    return 1;
}

int sim__set_eq(sim_vm *vm, sim_obj *a, sim_obj *b) {
    if (SIM_DICT(a)->used != SIM_DICT(b)->used) return 0;
    size_t pos = 0;
    sim_obj *k;
    while (sim_dict_next(a, &pos, &k, NULL)) {
        int r = sim_set_contains(vm, b, k);
        if (r <= 0) return r;
    }
    return 1;
}
