/* set.c — set and frozenset with CPython 3.11's table (Objects/setobject.c), so that a
 * set of ints, floats or tuples of them iterates and prints in CPython's order.
 *
 * Layout (in a sim_dict): entries[0..ecap) IS the open-addressing table (ecap = mask+1,
 * a power of two >= 8, or 0 before the first insertion) and nentries == ecap, so the
 * generic walkers (sim_dict_next, the GC, iterators) visit slots in table order and
 * skip empty ones. A slot is unused (key NULL, hash 0), a dummy left by a deletion
 * (key NULL, hash -1) or active. `fill` counts active + dummy, `used` active, `finger`
 * is where set.pop() looks first. Probing: LINEAR_PROBES neighbours, then perturbation. */
#include <string.h>

#include "vm.h"

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5
#define MINSIZE 8
#define DUMMY_HASH ((uint64_t)-1)

static int keys_eq(sim_vm *vm, sim_obj *a, sim_obj *b) {
    if (a == b) return 1;
    if (SIM_IS_STR(a) && SIM_IS_STR(b)) return sim__str_eq(a, b);
    if (SIM_IS_INT(a) && SIM_IS_INT(b)) return SIM_INT(a) == SIM_INT(b);
    return sim_eq(vm, a, b);
}

/* set_lookkey: the slot holding key, or the first unused slot of its probe sequence
 * (-2 when a comparison raised). */
static int64_t lookkey(sim_vm *vm, sim_dict *s, sim_obj *key, uint64_t hash) {
restart:;
    sim_entry *table = s->entries;
    size_t mask = s->ecap - 1, perturb = hash, i = hash & mask;
    for (;;) {
        size_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        size_t j = i;
        do {
            sim_entry *e = &table[j];
            if (!e->key && e->hash == 0) return (int64_t)j;
            if (e->key && e->hash == hash) {
                sim_obj *start = e->key;
                int cmp = keys_eq(vm, start, key);
                if (cmp < 0) return -2;
                if (cmp > 0) return (int64_t)j;
                if (table != s->entries || e->key != start) goto restart;
            }
            j++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static void insert_clean(sim_entry *table, size_t mask, sim_obj *key, uint64_t hash) {
    size_t perturb = hash, i = hash & mask;
    for (;;) {
        if (!table[i].key) goto found;
        if (i + LINEAR_PROBES <= mask)
            for (size_t j = 1; j <= LINEAR_PROBES; j++)
                if (!table[i + j].key) { i += j; goto found; }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found:
    table[i].key = key;
    table[i].hash = hash;
}

/* set_table_resize: a table of the smallest power of two > minused (at least 8). */
static void table_resize(sim_vm *vm, sim_dict *s, size_t minused) {
    size_t newsize = MINSIZE;
    while (newsize <= minused) newsize <<= 1;
    sim_push(vm, (sim_obj *)s);
    sim_entry *nt = sim_alloc(vm, newsize * sizeof(sim_entry));
    sim_pop(vm, 1);
    memset(nt, 0, newsize * sizeof(sim_entry));
    for (size_t i = 0; i < s->ecap; i++)
        if (s->entries[i].key) insert_clean(nt, newsize - 1, s->entries[i].key, s->entries[i].hash);
    sim_free(vm, s->entries, s->ecap * sizeof(sim_entry));
    s->entries = nt;
    s->ecap = s->nentries = newsize;
    s->fill = s->used;
    s->version++;
}

static void ensure_table(sim_vm *vm, sim_dict *s) {
    if (s->ecap == 0) table_resize(vm, s, 0);
}

/* set_add_entry */
static int add_entry(sim_vm *vm, sim_dict *s, sim_obj *key, uint64_t hash) {
    sim_push(vm, key);
    ensure_table(vm, s);
restart:;
    sim_entry *table = s->entries;
    size_t mask = s->ecap - 1, perturb = hash, i = hash & mask;
    sim_entry *freeslot = NULL, *e;
    for (;;) {
        size_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        e = &table[i];
        do {
            if (!e->key && e->hash == 0) goto found_unused_or_dummy;
            if (e->key && e->hash == hash) {
                sim_obj *start = e->key;
                int cmp = keys_eq(vm, start, key);
                if (cmp < 0) { sim_pop(vm, 1); return -1; }
                if (cmp > 0) { sim_pop(vm, 1); return 0; }
                if (table != s->entries || e->key != start) goto restart;
            } else if (!e->key && e->hash == DUMMY_HASH) {
                freeslot = e;
            }
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_unused_or_dummy:
    sim_pop(vm, 1);
    s->version++;
    if (freeslot) {
        s->used++;
        freeslot->key = key;
        freeslot->hash = hash;
        return 0;
    }
    s->fill++;
    s->used++;
    e->key = key;
    e->hash = hash;
    if (s->fill * 5 < mask * 3) return 0;
    table_resize(vm, s, s->used > 50000 ? s->used * 2 : s->used * 4);
    return 0;
}

/* set_discard_entry: 1 found, 0 not found, -1 error */
static int discard_entry(sim_vm *vm, sim_dict *s, sim_obj *key, uint64_t hash) {
    if (s->ecap == 0) return 0;
    int64_t ix = lookkey(vm, s, key, hash);
    if (ix == -2) return -1;
    sim_entry *e = &s->entries[ix];
    if (!e->key) return 0;
    e->key = NULL;
    e->hash = DUMMY_HASH;
    s->used--;
    s->version++;
    return 1;
}

int sim_set_add(sim_vm *vm, sim_obj *so, sim_obj *key) {
    uint64_t h;
    if (sim_hash(vm, key, &h) < 0) return -1;
    return add_entry(vm, SIM_DICT(so), key, h);
}

int sim_set_contains(sim_vm *vm, sim_obj *so, sim_obj *key) {
    if (SIM_IS_DICT(so)) {
        sim_obj *v;
        return sim_dict_get(vm, so, key, &v);
    }
    uint64_t h;
    if (sim_hash(vm, key, &h) < 0) return -1;
    if (SIM_DICT(so)->ecap == 0) return 0;
    int64_t ix = lookkey(vm, SIM_DICT(so), key, h);
    if (ix == -2) return -1;
    return SIM_DICT(so)->entries[ix].key != NULL;
}

int sim_set_discard(sim_vm *vm, sim_obj *so, sim_obj *key) {
    uint64_t h;
    if (sim_hash(vm, key, &h) < 0) return -1;
    return discard_entry(vm, SIM_DICT(so), key, h);
}

/* set.pop(): from the finger on, as CPython. */
bool sim__set_pop(sim_obj *so, sim_obj **key) {
    sim_dict *s = SIM_DICT(so);
    if (s->used == 0) return false;
    size_t mask = s->ecap - 1, i = s->finger & mask;
    while (!s->entries[i].key) i = i == mask ? 0 : i + 1;
    *key = s->entries[i].key;
    s->entries[i].key = NULL;
    s->entries[i].hash = DUMMY_HASH;
    s->used--;
    s->finger = i + 1;
    s->version++;
    return true;
}

void sim__set_clear(sim_vm *vm, sim_obj *so) {
    sim_dict *s = SIM_DICT(so);
    sim_free(vm, s->entries, s->ecap * sizeof(sim_entry));
    s->entries = NULL;
    s->ecap = s->nentries = s->used = s->fill = s->finger = 0;
    s->version++;
}

/* set_merge: other is a set. */
static int merge(sim_vm *vm, sim_dict *s, sim_dict *o) {
    if (s == o || o->used == 0) return 0;
    sim_push(vm, (sim_obj *)s);
    sim_push(vm, (sim_obj *)o);
    ensure_table(vm, s);
    if ((s->fill + o->used) * 5 >= (s->ecap - 1) * 3) table_resize(vm, s, (s->used + o->used) * 2);
    int rc = 0;
    if (s->fill == 0 && s->ecap == o->ecap && o->fill == o->used) {
        memcpy(s->entries, o->entries, o->ecap * sizeof(sim_entry));
        s->fill = o->fill;
        s->used = o->used;
    } else if (s->fill == 0) {
        s->fill = s->used = o->used;
        for (size_t i = 0; i < o->ecap; i++)
            if (o->entries[i].key) insert_clean(s->entries, s->ecap - 1, o->entries[i].key, o->entries[i].hash);
    } else {
        for (size_t i = 0; i < o->ecap && rc == 0; i++)
            if (o->entries[i].key) rc = add_entry(vm, s, o->entries[i].key, o->entries[i].hash);
    }
    s->version++;
    sim_pop(vm, 2);
    return rc;
}

/* set_update_internal */
int sim__set_update(sim_vm *vm, sim_obj *so, sim_obj *iterable) {
    sim_dict *s = SIM_DICT(so);
    if (SIM_IS_SET(iterable)) return merge(vm, s, SIM_DICT(iterable));
    if (SIM_IS_DICT(iterable)) {
        sim_dict *d = SIM_DICT(iterable);
        sim_push(vm, so);
        sim_push(vm, iterable);
        ensure_table(vm, s);
        if ((s->fill + d->used) * 5 >= (s->ecap - 1) * 3) table_resize(vm, s, (s->used + d->used) * 2);
        int rc = 0;
        for (size_t i = 0; i < d->nentries && rc == 0; i++)
            if (d->entries[i].key) rc = add_entry(vm, s, d->entries[i].key, d->entries[i].hash);
        sim_pop(vm, 2);
        return rc;
    }
    sim_obj *it = sim_iter(vm, iterable);
    if (!it) return -1;
    sim_push(vm, so);
    sim_push(vm, it);
    for (;;) {
        sim_obj *v = sim_next(vm, it);
        if (!v) break;
        sim_push(vm, v);
        int rc = sim_set_add(vm, so, v);
        sim_pop(vm, 1);
        if (rc < 0) { sim_pop(vm, 2); return -1; }
    }
    sim_pop(vm, 2);
    return sim_exc_occurred(vm) ? -1 : 0;
}

sim_obj *sim__set_copy(sim_vm *vm, sim_obj *so, bool frozen) {
    sim_push(vm, so);
    sim_obj *r = sim_set_new(vm, frozen);
    sim_push(vm, r);
    int rc = merge(vm, SIM_DICT(r), SIM_DICT(so));
    sim_pop(vm, 2);
    return rc < 0 ? NULL : r;
}

static bool is_frozen(sim_vm *vm, sim_obj *s) { return s->type == vm->types[SIM_T_frozenset]; }

/* set_intersection */
static sim_obj *intersection(sim_vm *vm, sim_obj *a, sim_obj *b) {
    sim_obj *r = sim_set_new(vm, is_frozen(vm, a));
    sim_push(vm, r);
    if (SIM_DICT(b)->used > SIM_DICT(a)->used) { sim_obj *t = a; a = b; b = t; }
    sim_dict *o = SIM_DICT(b);
    for (size_t i = 0; i < o->ecap; i++) {
        sim_entry e = o->entries[i];
        if (!e.key) continue;
        int in = 0;
        if (SIM_DICT(a)->ecap) {
            int64_t ix = lookkey(vm, SIM_DICT(a), e.key, e.hash);
            if (ix == -2) { sim_pop(vm, 1); return NULL; }
            in = SIM_DICT(a)->entries[ix].key != NULL;
        }
        if (in && add_entry(vm, SIM_DICT(r), e.key, e.hash) < 0) { sim_pop(vm, 1); return NULL; }
    }
    sim_pop(vm, 1);
    return r;
}

/* set_difference */
static sim_obj *difference(sim_vm *vm, sim_obj *a, sim_obj *b) {
    if ((SIM_DICT(a)->used >> 2) > SIM_DICT(b)->used) {
        sim_obj *r = sim__set_copy(vm, a, is_frozen(vm, a));
        if (!r) return NULL;
        sim_push(vm, r);
        sim_dict *o = SIM_DICT(b);
        for (size_t i = 0; i < o->ecap; i++)
            if (o->entries[i].key && discard_entry(vm, SIM_DICT(r), o->entries[i].key, o->entries[i].hash) < 0) {
                sim_pop(vm, 1);
                return NULL;
            }
        sim_pop(vm, 1);
        return r;
    }
    sim_obj *r = sim_set_new(vm, is_frozen(vm, a));
    sim_push(vm, r);
    sim_dict *s = SIM_DICT(a);
    for (size_t i = 0; i < s->ecap; i++) {
        sim_entry e = s->entries[i];
        if (!e.key) continue;
        int in = 0;
        if (SIM_DICT(b)->ecap) {
            int64_t ix = lookkey(vm, SIM_DICT(b), e.key, e.hash);
            if (ix == -2) { sim_pop(vm, 1); return NULL; }
            in = SIM_DICT(b)->entries[ix].key != NULL;
        }
        if (!in && add_entry(vm, SIM_DICT(r), e.key, e.hash) < 0) { sim_pop(vm, 1); return NULL; }
    }
    sim_pop(vm, 1);
    return r;
}

/* set_symmetric_difference_update(s, other set) */
static int symdiff_update(sim_vm *vm, sim_obj *s, sim_obj *other) {
    sim_dict *o = SIM_DICT(other);
    for (size_t i = 0; i < o->ecap; i++) {
        sim_entry e = o->entries[i];
        if (!e.key) continue;
        int r = discard_entry(vm, SIM_DICT(s), e.key, e.hash);
        if (r < 0) return -1;
        if (r == 0 && add_entry(vm, SIM_DICT(s), e.key, e.hash) < 0) return -1;
    }
    return 0;
}

/* Set algebra: op is a SIM_BINOP (| & - ^) or -1-cmp for comparisons. */
sim_obj *sim__set_binop(sim_vm *vm, int op, sim_obj *a, sim_obj *b) {
    if (op < 0) {
        int cmp = -1 - op;
        if (cmp == SIM_CMP_EQ || cmp == SIM_CMP_NE) {
            int r = sim__set_eq(vm, a, b);
            return r < 0 ? NULL : sim_bool(vm, (r == 1) == (cmp == SIM_CMP_EQ));
        }
        sim_obj *x = cmp == SIM_CMP_LT || cmp == SIM_CMP_LE ? a : b, *y = x == a ? b : a;
        size_t pos = 0;
        sim_obj *k;
        while (sim_dict_next(x, &pos, &k, NULL)) {
            int r = sim_set_contains(vm, y, k);
            if (r < 0) return NULL;
            if (!r) return vm->false_;
        }
        bool strict = cmp == SIM_CMP_LT || cmp == SIM_CMP_GT;
        return sim_bool(vm, !strict || SIM_DICT(x)->used != SIM_DICT(y)->used);
    }
    switch (op) {
    case SIM_BINOP_OR: {
        sim_obj *r = sim__set_copy(vm, a, is_frozen(vm, a));
        if (!r) return NULL;
        sim_push(vm, r);
        int rc = merge(vm, SIM_DICT(r), SIM_DICT(b));
        sim_pop(vm, 1);
        return rc < 0 ? NULL : r;
    }
    case SIM_BINOP_AND: return intersection(vm, a, b);
    case SIM_BINOP_SUB: return difference(vm, a, b);
    default: {
        sim_obj *r = sim__set_copy(vm, b, is_frozen(vm, a));
        if (!r) return NULL;
        sim_push(vm, r);
        int rc = symdiff_update(vm, r, a);
        sim_pop(vm, 1);
        return rc < 0 ? NULL : r;
    }
    }
}

/* a |= b, a &= b, a -= b, a ^= b on a mutable set (b a set): CPython's in-place paths. */
sim_obj *sim__set_inplace(sim_vm *vm, int op, sim_obj *a, sim_obj *b) {
    int rc = 0;
    switch (op) {
    case SIM_BINOP_OR: rc = merge(vm, SIM_DICT(a), SIM_DICT(b)); break;
    case SIM_BINOP_AND: {
        sim_obj *t = intersection(vm, a, b);
        if (!t) return NULL;
        sim_dict tmp = *SIM_DICT(a), *x = SIM_DICT(a), *y = SIM_DICT(t);
        x->entries = y->entries; x->ecap = y->ecap; x->nentries = y->nentries;
        x->used = y->used; x->fill = y->fill; x->finger = y->finger; x->version++;
        y->entries = tmp.entries; y->ecap = tmp.ecap; y->nentries = tmp.nentries;
        y->used = tmp.used; y->fill = tmp.fill;
        break;
    }
    case SIM_BINOP_SUB: {
        if (a == b) { sim__set_clear(vm, a); break; }
        sim_obj *o = b;
        if ((SIM_DICT(b)->used >> 3) > SIM_DICT(a)->used) {
            o = intersection(vm, a, b);
            if (!o) return NULL;
        }
        sim_push(vm, o);
        sim_dict *od = SIM_DICT(o);
        for (size_t i = 0; i < od->ecap && rc == 0; i++)
            if (od->entries[i].key && discard_entry(vm, SIM_DICT(a), od->entries[i].key, od->entries[i].hash) < 0) rc = -1;
        sim_pop(vm, 1);
        sim_dict *s = SIM_DICT(a);
        if (rc == 0 && s->ecap && (s->fill - s->used) > (s->ecap - 1) / 4)
            table_resize(vm, s, s->used > 50000 ? s->used * 2 : s->used * 4);
        break;
    }
    default:
        if (a == b) { sim__set_clear(vm, a); break; }
        rc = symdiff_update(vm, a, b);
        break;
    }
    return rc < 0 ? NULL : a;
}

/* frozenset's hash: CPython's, independent of order. */
uint64_t sim__frozenset_hash(sim_obj *so) {
    sim_dict *s = SIM_DICT(so);
#define SHUFFLE(h) ((((h) ^ 89869747ull) ^ ((h) << 16)) * 3644798167ull)
    uint64_t hash = 0;
    size_t size = s->ecap ? s->ecap : MINSIZE;
    for (size_t i = 0; i < s->ecap; i++) hash ^= SHUFFLE(s->entries[i].hash);
    if (!s->ecap) hash ^= 0;   /* 8 unused slots: an even number of SHUFFLE(0) */
    if ((size - s->fill) & 1) hash ^= SHUFFLE(0ull);
    if ((s->fill - s->used) & 1) hash ^= SHUFFLE(DUMMY_HASH);
    hash ^= ((uint64_t)s->used + 1) * 1927868237ull;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069u + 907133923ull;
    if (hash == (uint64_t)-1) hash = 590923713ull;
    return hash;
#undef SHUFFLE
}

/* The set a display of constants builds in CPython: the compiler folds the items into
 * a frozenset constant, rebuilds it from its own iteration order (merge_consts), and
 * BUILD_SET 0 + SET_UPDATE merge it into a new set. The layout, hence the order,
 * follows from those three steps. */
sim_obj *sim__set_from_consts(sim_vm *vm, sim_obj **items, size_t n) {
    sim_obj *first = sim_set_new(vm, true);
    sim_push(vm, first);
    for (size_t i = 0; i < n; i++)
        if (sim_set_add(vm, first, items[i]) < 0) { sim_pop(vm, 1); return NULL; }
    sim_obj *second = sim_set_new(vm, true);
    sim_push(vm, second);
    sim_dict *f = SIM_DICT(first);
    for (size_t i = 0; i < f->ecap; i++)
        if (f->entries[i].key && add_entry(vm, SIM_DICT(second), f->entries[i].key, f->entries[i].hash) < 0) {
            sim_pop(vm, 2);
            return NULL;
        }
    sim_obj *r = sim_set_new(vm, false);
    sim_push(vm, r);
    int rc = merge(vm, SIM_DICT(r), SIM_DICT(second));
    sim_pop(vm, 3);
    return rc < 0 ? NULL : r;
}
