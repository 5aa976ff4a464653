/* str.c — str objects: creation, interning, hashing, indexing, joining. The methods
 * are in str_methods.c; text formatting rules come from pyfmt. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pyfmt.h"
#include "vm.h"

uint64_t sim__hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 29;
    return h ? h : 1;
}

static size_t count_chars(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

sim_obj *sim_str_new(sim_vm *vm, const char *s, size_t len) {
    if (len == 1 && (unsigned char)s[0] < 128 && vm->chars[(unsigned char)s[0]])
        return vm->chars[(unsigned char)s[0]];
    if (len == 0 && vm->empty_str) return vm->empty_str;
    sim_strobj *o = (sim_strobj *)sim__alloc_raw(vm, vm->types[SIM_T_str], SIM_K_STR, sizeof(sim_strobj) + len + 1);
    memcpy(o->data, s, len);
    o->data[len] = 0;
    o->len = len;
    o->nchars = count_chars(s, len);
    return &o->hdr;
}

sim_obj *sim_str_cstr(sim_vm *vm, const char *s) { return sim_str_new(vm, s, strlen(s)); }

sim_obj *sim_str_fmt(sim_vm *vm, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < (int)sizeof small) return sim_str_new(vm, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sim_obj *r = sim_str_new(vm, big, (size_t)n);
    free(big);
    return r;
}

static uint64_t str_hash(sim_obj *o) {
    sim_strobj *s = SIM_STR(o);
    if (!s->hash) s->hash = sim__hash_bytes(s->data, s->len);
    return s->hash;
}

/* ---- interning: an open-addressing set of str, by content ------------------------------ */

static sim_obj **intern_slot(sim_vm *vm, const char *s, size_t len, uint64_t h) {
    size_t mask = vm->capintern - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        sim_obj *o = vm->intern[i];
        if (!o) return &vm->intern[i];
        if (SIM_STR(o)->len == len && str_hash(o) == h && memcmp(SIM_CSTR(o), s, len) == 0)
            return &vm->intern[i];
    }
}

static void intern_grow(sim_vm *vm) {
    size_t oldcap = vm->capintern;
    sim_obj **old = vm->intern;
    vm->capintern = oldcap ? oldcap * 2 : 1024;
    vm->intern = calloc(vm->capintern, sizeof(sim_obj *));
    if (!vm->intern) { fputs("aiosim: out of memory\n", stderr); exit(4); }
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i]) continue;
        *intern_slot(vm, SIM_CSTR(old[i]), SIM_STR(old[i])->len, str_hash(old[i])) = old[i];
    }
    free(old);
}

sim_obj *sim_intern_str(sim_vm *vm, sim_obj *s) {
    if (s->oflags & SIM_STR_INTERNED) return s;
    if ((vm->nintern + 1) * 2 > vm->capintern) intern_grow(vm);
    sim_obj **slot = intern_slot(vm, SIM_CSTR(s), SIM_STR(s)->len, str_hash(s));
    if (*slot) return *slot;
    *slot = s;
    s->oflags |= SIM_STR_INTERNED;
    vm->nintern++;
    return s;
}

sim_obj *sim_intern(sim_vm *vm, const char *s) {
    size_t len = strlen(s);
    if (vm->capintern) {
        sim_obj **slot = intern_slot(vm, s, len, sim__hash_bytes(s, len));
        if (*slot) return *slot;
    }
    return sim_intern_str(vm, sim_str_new(vm, s, len));
}

/* ---- operations ------------------------------------------------------------------------ */

bool sim__str_eq(sim_obj *a, sim_obj *b) {
    if (a == b) return true;
    sim_strobj *x = SIM_STR(a), *y = SIM_STR(b);
    if (x->len != y->len) return false;
    if ((a->oflags & b->oflags & SIM_STR_INTERNED)) return false;
    if (x->hash && y->hash && x->hash != y->hash) return false;
    return memcmp(x->data, y->data, x->len) == 0;
}

uint64_t sim__str_hash(sim_obj *o) { return str_hash(o); }

int sim__str_cmp(sim_obj *a, sim_obj *b) {
    sim_strobj *x = SIM_STR(a), *y = SIM_STR(b);
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->data, y->data, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

sim_obj *sim__str_concat(sim_vm *vm, sim_obj *a, sim_obj *b) {
    sim_strobj *x = SIM_STR(a), *y = SIM_STR(b);
    if (y->len == 0) return a;
    if (x->len == 0) return b;
    size_t len = x->len + y->len;
    sim_push(vm, a); sim_push(vm, b);
    sim_strobj *o = (sim_strobj *)sim__alloc_raw(vm, vm->types[SIM_T_str], SIM_K_STR, sizeof(sim_strobj) + len + 1);
    sim_pop(vm, 2);
    x = SIM_STR(a); y = SIM_STR(b);
    memcpy(o->data, x->data, x->len);
    memcpy(o->data + x->len, y->data, y->len);
    o->data[len] = 0;
    o->len = len;
    o->nchars = x->nchars + y->nchars;
    return &o->hdr;
}

sim_obj *sim__str_repeat(sim_vm *vm, sim_obj *s, int64_t n) {
    sim_strobj *x = SIM_STR(s);
    if (n <= 0 || x->len == 0) return vm->empty_str;
    if (n == 1) return s;
    if ((uint64_t)n > (SIZE_MAX / 2) / x->len) return sim_raise_msg(vm, SIM_E_MemoryError, "");
    size_t len = x->len * (size_t)n;
    sim_push(vm, s);
    sim_strobj *o = (sim_strobj *)sim__alloc_raw(vm, vm->types[SIM_T_str], SIM_K_STR, sizeof(sim_strobj) + len + 1);
    sim_pop(vm, 1);
    x = SIM_STR(s);
    for (int64_t i = 0; i < n; i++) memcpy(o->data + (size_t)i * x->len, x->data, x->len);
    o->data[len] = 0;
    o->len = len;
    o->nchars = x->nchars * (size_t)n;
    return &o->hdr;
}

sim_obj *sim__str_from_codepoint(sim_vm *vm, uint32_t cp) {
    char b[4];
    int n = pyfmt_utf8_encode(cp, b);
    return sim_str_new(vm, b, (size_t)n);
}

sim_obj *sim__str_from_buf(sim_vm *vm, pyfmt_buf *b) {
    sim_obj *r = sim_str_new(vm, b->data ? b->data : "", b->len);
    pyfmt_buf_free(b);
    return r;
}

/* Byte offset of code point i (ASCII strings index directly). */
static size_t cp_offset(sim_strobj *s, size_t i) {
    if (s->len == s->nchars) return i;
    return pyfmt_utf8_offset(s->data, s->len, i);
}

sim_obj *sim__str_getitem(sim_vm *vm, sim_obj *s, sim_obj *key) {
    sim_strobj *x = SIM_STR(s);
    if (SIM_IS_INT(key)) {
        int64_t i = SIM_INT(key);
        if (i < 0) i += (int64_t)x->nchars;
        if (i < 0 || i >= (int64_t)x->nchars)
            return sim_raise_msg(vm, SIM_E_IndexError, "string index out of range");
        size_t off = cp_offset(x, (size_t)i), pos = off;
        pyfmt_utf8_next(x->data, x->len, &pos);
        return sim_str_new(vm, x->data + off, pos - off);
    }
    if (SIM_KIND(key) == SIM_K_SLICE) {
        int64_t start, stop, step;
        int64_t n = sim__slice_indices(vm, key, (int64_t)x->nchars, &start, &stop, &step);
        if (n < 0) return NULL;
        if (step == 1) {
            size_t a = cp_offset(x, (size_t)start), b = cp_offset(x, (size_t)(start + n));
            return sim_str_new(vm, x->data + a, b - a);
        }
        pyfmt_buf b;
        pyfmt_buf_init(&b);
        for (int64_t k = 0, i = start; k < n; k++, i += step) {
            size_t off = cp_offset(x, (size_t)i), pos = off;
            pyfmt_utf8_next(x->data, x->len, &pos);
            pyfmt_buf_append(&b, x->data + off, pos - off);
        }
        return sim__str_from_buf(vm, &b);
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "string indices must be integers, not '%s'",
                         sim_type_name(key));
}

sim_obj *sim__str_repr(sim_vm *vm, sim_obj *s) {
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_str_repr(SIM_CSTR(s), SIM_STR(s)->len, 0, &b);
    return sim__str_from_buf(vm, &b);
}

/* sep.join(iterable) */
sim_obj *sim__str_join(sim_vm *vm, sim_obj *sep, sim_obj *iterable) {
    sim_obj *items = sim_list_of(vm, iterable);
    if (!items) return NULL;
    sim_push(vm, items);
    sim_list *l = SIM_LIST(items);
    size_t total = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (!SIM_IS_STR(l->items[i])) {
            sim_pop(vm, 1);
            return sim_raise_msg(vm, SIM_E_TypeError, "sequence item %zu: expected str instance, %s found",
                                 i, sim_type_name(l->items[i]));
        }
        total += SIM_STR(l->items[i])->len + (i ? SIM_STR(sep)->len : 0);
    }
    if (l->len == 1) { sim_pop(vm, 1); return l->items[0]; }
    sim_strobj *o = (sim_strobj *)sim__alloc_raw(vm, vm->types[SIM_T_str], SIM_K_STR, sizeof(sim_strobj) + total + 1);
    sim_pop(vm, 1);
    size_t pos = 0, nchars = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (i) {
            memcpy(o->data + pos, SIM_CSTR(sep), SIM_STR(sep)->len);
            pos += SIM_STR(sep)->len;
            nchars += SIM_STR(sep)->nchars;
        }
        sim_strobj *p = SIM_STR(l->items[i]);
        memcpy(o->data + pos, p->data, p->len);
        pos += p->len;
        nchars += p->nchars;
    }
    o->data[total] = 0;
    o->len = total;
    o->nchars = nchars;
    return &o->hdr;
}

/* ---- printf-style: fmt % args ------------------------------------------------------------ */

typedef struct pct_ctx {
    sim_vm *vm;
    sim_obj *args;      /* the right operand */
    bool tuple;
    sim_obj *keep;      /* a list that keeps converted strings alive */
} pct_ctx;

static int pct_value(pct_ctx *c, sim_obj *v, int conv, pyfmt_arg *out) {
    sim_vm *vm = c->vm;
    out->type_name = sim_type_name(v);
    if (conv == 's' || conv == 'r' || conv == 'a') {
        sim_obj *s = conv == 's' ? sim_str(vm, v) : conv == 'a' ? sim_ascii(vm, v) : sim_repr(vm, v);
        if (!s || sim_list_append(vm, c->keep, s) < 0) return -1;
        out->kind = PYFMT_ARG_STR;
        out->s = SIM_CSTR(s);
        out->slen = SIM_STR(s)->len;
        return 0;
    }
    if (SIM_IS_INT(v)) { out->kind = PYFMT_ARG_INT; out->i = SIM_INT(v); }
    else if (SIM_IS_FLOAT(v)) { out->kind = PYFMT_ARG_FLOAT; out->f = SIM_FLOAT(v); }
    else if (SIM_IS_STR(v)) { out->kind = PYFMT_ARG_STR; out->s = SIM_CSTR(v); out->slen = SIM_STR(v)->len; }
    else out->kind = PYFMT_ARG_OTHER;
    return 0;
}

static int pct_get(void *ctx, long index, const char *key, size_t keylen, int conv, pyfmt_arg *out) {
    pct_ctx *c = ctx;
    sim_vm *vm = c->vm;
    sim_obj *v;
    if (key) {
        sim_obj *k = sim_str_new(vm, key, keylen);
        sim_push(vm, k);
        v = sim_getitem(vm, c->args, k);
        sim_pop(vm, 1);
        if (!v) return -1;
        sim_push(vm, v);
        int r = pct_value(c, v, conv, out);
        sim_pop(vm, 1);
        return r;
    }
    v = c->tuple ? SIM_TUPLE(c->args)->items[index] : c->args;
    return pct_value(c, v, conv, out);
}

sim_obj *sim__raise_pyfmt(sim_vm *vm, const pyfmt_err *err) {
    static const sim_eid map[] = {
        [PYFMT_EVALUE] = SIM_E_ValueError, [PYFMT_ETYPE] = SIM_E_TypeError,
        [PYFMT_EOVERFLOW] = SIM_E_OverflowError, [PYFMT_EINDEX] = SIM_E_IndexError,
        [PYFMT_ENOMEM] = SIM_E_MemoryError,
    };
    if (err->code == PYFMT_ECALLER || err->code == PYFMT_OK) return NULL;
    return sim_raise_msg(vm, map[err->code], "%s", err->msg);
}

sim_obj *sim__str_mod(sim_vm *vm, sim_obj *fmt, sim_obj *args) {
    pct_ctx c = {vm, args, SIM_IS_TUPLE(args), NULL};
    c.keep = sim_list_new(vm, 0, NULL);
    sim_push(vm, c.keep);
    long nargs = c.tuple ? (long)SIM_TUPLE(args)->len : -1;
    int is_mapping = !c.tuple && !SIM_IS_STR(args) &&
                     (SIM_IS_DICT(args) || sim__type_lookup(args->type, vm->n.__getitem__));
    pyfmt_buf b;
    pyfmt_err err = {0};
    pyfmt_buf_init(&b);
    int rc = pyfmt_percent(SIM_CSTR(fmt), SIM_STR(fmt)->len, nargs, is_mapping, pct_get, &c, &b, &err);
    sim_pop(vm, 1);
    if (rc != PYFMT_OK) {
        pyfmt_buf_free(&b);
        if (rc == PYFMT_ECALLER) return NULL;
        return sim__raise_pyfmt(vm, &err);
    }
    return sim__str_from_buf(vm, &b);
}
