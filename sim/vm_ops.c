/* vm_ops.c — the generic operations: repr/str, truth, hashing, comparison, arithmetic,
 * subscripting, membership, iteration, len. Builtin kinds are handled in C; classes
 * (and native types) are reached through their dunder methods. */
#include <math.h>
#include <string.h>

#include "vm.h"

static const char *const BINOP_SYM[] = {
#define SYM(n, s) [SIM_BINOP_##n] = s,
    SIM_BINOP_LIST(SYM)
#undef SYM
};
static const char *const BINOP_DUNDER[][3] = {
    [SIM_BINOP_ADD] = {"__add__", "__radd__", "__iadd__"},
    [SIM_BINOP_SUB] = {"__sub__", "__rsub__", "__isub__"},
    [SIM_BINOP_MUL] = {"__mul__", "__rmul__", "__imul__"},
    [SIM_BINOP_TRUEDIV] = {"__truediv__", "__rtruediv__", "__itruediv__"},
    [SIM_BINOP_FLOORDIV] = {"__floordiv__", "__rfloordiv__", "__ifloordiv__"},
    [SIM_BINOP_MOD] = {"__mod__", "__rmod__", "__imod__"},
    [SIM_BINOP_POW] = {"__pow__", "__rpow__", "__ipow__"},
    [SIM_BINOP_LSHIFT] = {"__lshift__", "__rlshift__", "__ilshift__"},
    [SIM_BINOP_RSHIFT] = {"__rshift__", "__rrshift__", "__irshift__"},
    [SIM_BINOP_AND] = {"__and__", "__rand__", "__iand__"},
    [SIM_BINOP_OR] = {"__or__", "__ror__", "__ior__"},
    [SIM_BINOP_XOR] = {"__xor__", "__rxor__", "__ixor__"},
    [SIM_BINOP_MATMUL] = {"__matmul__", "__rmatmul__", "__imatmul__"},
};
static const char *const CMP_SYM[] = {"<", "<=", "==", "!=", ">", ">="};
static const char *const CMP_DUNDER[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
static const int CMP_SWAP[] = {SIM_CMP_GT, SIM_CMP_GE, SIM_CMP_EQ, SIM_CMP_NE, SIM_CMP_LT, SIM_CMP_LE};

/* A type whose behaviour may come from Python-level dunders. */
static inline bool has_dunders(sim_type *t) {
    return (t->flags & SIM_TF_HEAP) || t->kind == SIM_K_CNATIVE;
}

/* Looks `name` up on type(self) and calls it bound to self. Natives found on builtin
 * types are skipped (the C default applies): *found says whether a Python-level (or
 * native-type) method ran. */
sim_obj *sim_call_dunder(sim_vm *vm, sim_obj *self, sim_obj *name, sim_obj **args, int nargs, bool *found) {
    *found = false;
    sim_type *t = self->type;
    if (!has_dunders(t)) return NULL;
    sim_obj *m = sim__type_lookup(t, name);
    if (!m || m == vm->none) return NULL;
    if (SIM_KIND(m) == SIM_K_NATIVE && ((sim_native *)m)->owner &&
        !has_dunders(((sim_native *)m)->owner))
        return NULL;
    *found = true;
    sim_obj *argv[4];
    argv[0] = self;
    for (int i = 0; i < nargs && i < 3; i++) argv[i + 1] = args[i];
    if (SIM_KIND(m) == SIM_K_FUNCTION || SIM_KIND(m) == SIM_K_NATIVE)
        return sim_call(vm, m, argv, nargs + 1, NULL);
    if (SIM_KIND(m) == SIM_K_STATICMETHOD) return sim_call(vm, ((sim_wrapper *)m)->func, args, nargs, NULL);
    sim_obj *bound = sim_getattr(vm, self, name);
    if (!bound) return NULL;
    return sim_call(vm, bound, args, nargs, NULL);
}

static sim_obj *dunder(sim_vm *vm, sim_obj *self, const char *name, sim_obj **args, int nargs, bool *found) {
    *found = false;
    if (!has_dunders(self->type)) return NULL;
    return sim_call_dunder(vm, self, sim_intern(vm, name), args, nargs, found);
}

/* ---- repr and str ----------------------------------------------------------------------- */

sim_obj *sim__int_repr(sim_vm *vm, int64_t v) {
    char b[32];
    int n = snprintf(b, sizeof b, "%lld", (long long)v);
    return sim_str_new(vm, b, (size_t)n);
}

sim_obj *sim__float_repr(sim_vm *vm, double d) {
    char b[32];
    int n = pyfmt_float_repr(d, b);
    return sim_str_new(vm, b, (size_t)n);
}

static sim_obj *qualified_name(sim_vm *vm, sim_type *t) {
    if (!t->module || sim__str_eq(t->module, sim_intern(vm, "builtins")))
        return t->qualname;
    return sim_str_fmt(vm, "%s.%s", SIM_CSTR(t->module), SIM_CSTR(t->qualname));
}

sim_obj *sim__repr_default(sim_vm *vm, sim_obj *o) {
    sim_obj *qn = qualified_name(vm, o->type);
    return sim_str_fmt(vm, "<%s object at 0x%llx>", SIM_CSTR(qn), (unsigned long long)sim_identity(vm, o));
}

static sim_obj *repr_exc(sim_vm *vm, sim_obj *o) {
    sim_exc *e = (sim_exc *)o;
    sim_obj *name = o->type->name;
    if (SIM_TUPLE(e->args)->len == 1) {
        sim_obj *r = sim_repr(vm, SIM_TUPLE(e->args)->items[0]);
        if (!r) return NULL;
        return sim_str_fmt(vm, "%s(%s)", SIM_CSTR(name), SIM_CSTR(r));
    }
    if (SIM_TUPLE(e->args)->len == 0) return sim_str_fmt(vm, "%s()", SIM_CSTR(name));
    sim_obj *r = sim_repr(vm, e->args);
    if (!r) return NULL;
    return sim_str_fmt(vm, "%s%s", SIM_CSTR(name), SIM_CSTR(r));
}

static sim_obj *repr_native(sim_vm *vm, sim_native *n) {
    if (n->self && SIM_KIND(n->self) != SIM_K_MODULE)
        return sim_str_fmt(vm, "<built-in method %s of %s object at 0x%llx>", n->name,
                           sim_type_name(n->self), (unsigned long long)sim_identity(vm, n->self));
    return sim_str_fmt(vm, "<built-in function %s>", n->name);
}

static sim_obj *repr_partial(sim_vm *vm, sim_partial *p) {
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_puts(&b, "functools.partial(");
    sim_obj *r = sim_repr(vm, p->func);
    if (!r) goto fail;
    pyfmt_buf_puts(&b, SIM_CSTR(r));
    for (size_t i = 0; i < SIM_TUPLE(p->args)->len; i++) {
        r = sim_repr(vm, SIM_TUPLE(p->args)->items[i]);
        if (!r) goto fail;
        pyfmt_buf_puts(&b, ", ");
        pyfmt_buf_puts(&b, SIM_CSTR(r));
    }
    size_t pos = 0;
    sim_obj *k, *v;
    while (p->kw && sim_dict_next(p->kw, &pos, &k, &v)) {
        r = sim_repr(vm, v);
        if (!r) goto fail;
        pyfmt_buf_puts(&b, ", ");
        pyfmt_buf_puts(&b, SIM_CSTR(k));
        pyfmt_buf_putc(&b, '=');
        pyfmt_buf_puts(&b, SIM_CSTR(r));
    }
    pyfmt_buf_putc(&b, ')');
    return sim__str_from_buf(vm, &b);
fail:
    pyfmt_buf_free(&b);
    return NULL;
}

static sim_obj *repr_method(sim_vm *vm, sim_method *m) {
    sim_obj *r = sim_repr(vm, m->self);
    if (!r) return NULL;
    if (SIM_KIND(m->func) == SIM_K_NATIVE) {
        /* a method of a native type standing for a Python class (asyncio.Event.wait) */
        sim_native *n = (sim_native *)m->func;
        if (!n->owner || !n->owner->module || sim__str_eq(n->owner->module, sim_intern(vm, "builtins")))
            return sim_str_fmt(vm, "<built-in method %s of %s object at 0x%llx>", n->name, sim_type_name(m->self),
                               (unsigned long long)sim_identity(vm, m->self));
        if (n->owner)
            return sim_str_fmt(vm, "<bound method %s.%s of %s>", SIM_CSTR(n->owner->qualname), n->name, SIM_CSTR(r));
        return sim_str_fmt(vm, "<bound method %s of %s>", n->name, SIM_CSTR(r));
    }
    sim_obj *qn = SIM_KIND(m->func) == SIM_K_FUNCTION ? ((sim_func *)m->func)->qualname : vm->n.__name__;
    return sim_str_fmt(vm, "<bound method %s of %s>", SIM_CSTR(qn), SIM_CSTR(r));
}

static sim_obj *repr_kind(sim_vm *vm, sim_obj *o) {
    switch (SIM_KIND(o)) {
    case SIM_K_NONE: return sim_intern(vm, "None");
    case SIM_K_NOTIMPL: return sim_intern(vm, "NotImplemented");
    case SIM_K_ELLIPSIS: return sim_intern(vm, "Ellipsis");
    case SIM_K_INT:
        if (o->type == vm->types[SIM_T_bool]) return sim_intern(vm, SIM_INT(o) ? "True" : "False");
        return sim__int_repr(vm, SIM_INT(o));
    case SIM_K_FLOAT: return sim__float_repr(vm, SIM_FLOAT(o));
    case SIM_K_STR: return sim__str_repr(vm, o);
    case SIM_K_LIST: case SIM_K_TUPLE: return sim__seq_repr(vm, o);
    case SIM_K_DICT: return sim__dict_repr(vm, o);
    case SIM_K_SET: return sim__set_repr(vm, o);
    case SIM_K_RANGE: {
        sim_range *r = (sim_range *)o;
        if (r->step == 1) return sim_str_fmt(vm, "range(%lld, %lld)", (long long)r->start, (long long)r->stop);
        return sim_str_fmt(vm, "range(%lld, %lld, %lld)", (long long)r->start, (long long)r->stop, (long long)r->step);
    }
    case SIM_K_SLICE: {
        sim_slice *s = (sim_slice *)o;
        sim_obj *a = sim_repr(vm, s->start), *b, *c;
        if (!a) return NULL;
        sim_push(vm, a);
        b = sim_repr(vm, s->stop);
        if (!b) { sim_pop(vm, 1); return NULL; }
        sim_push(vm, b);
        c = sim_repr(vm, s->step);
        sim_pop(vm, 2);
        if (!c) return NULL;
        return sim_str_fmt(vm, "slice(%s, %s, %s)", SIM_CSTR(a), SIM_CSTR(b), SIM_CSTR(c));
    }
    case SIM_K_FUNCTION:
        return sim_str_fmt(vm, "<function %s at 0x%llx>", SIM_CSTR(((sim_func *)o)->qualname), (unsigned long long)sim_identity(vm, o));
    case SIM_K_METHOD: return repr_method(vm, (sim_method *)o);
    case SIM_K_NATIVE: return repr_native(vm, (sim_native *)o);
    case SIM_K_TYPE: {
        sim_obj *qn = qualified_name(vm, (sim_type *)o);
        return sim_str_fmt(vm, "<class '%s'>", SIM_CSTR(qn));
    }
    case SIM_K_MODULE:
        return sim_str_fmt(vm, "<module '%s' (built-in)>", SIM_CSTR(((sim_module *)o)->name));
    case SIM_K_EXC: return repr_exc(vm, o);
    case SIM_K_GEN:
        return sim_str_fmt(vm, "<%s object %s at 0x%llx>", sim_type_name(o),
                           SIM_CSTR(((sim_gen *)o)->qualname), (unsigned long long)sim_identity(vm, o));
    case SIM_K_PARTIAL: return repr_partial(vm, (sim_partial *)o);
    case SIM_K_CELL: return sim_str_fmt(vm, "<cell at 0x%llx>", (unsigned long long)sim_identity(vm, o));
    default: return sim__repr_default(vm, o);
    }
}

static bool check_depth(sim_vm *vm) {
    if (vm->ts->depth >= vm->recursion_limit + 50) {
        sim_raise_msg(vm, SIM_E_RecursionError, "maximum recursion depth exceeded while getting the repr of an object");
        return false;
    }
    return true;
}

sim_obj *sim_repr(sim_vm *vm, sim_obj *o) {
    if (has_dunders(o->type)) {
        bool found;
        if (!check_depth(vm)) return NULL;
        vm->ts->depth++;
        sim_obj *r = sim_call_dunder(vm, o, vm->n.__repr__, NULL, 0, &found);
        vm->ts->depth--;
        if (found) {
            if (r && !SIM_IS_STR(r))
                return sim_raise_msg(vm, SIM_E_TypeError, "__repr__ returned non-string (type %s)", sim_type_name(r));
            return r;
        }
        if (o->type->hooks.repr) return o->type->hooks.repr(vm, o);
    }
    vm->ts->depth++;
    sim_obj *r = check_depth(vm) ? repr_kind(vm, o) : NULL;
    vm->ts->depth--;
    return r;
}

sim_obj *sim_str(sim_vm *vm, sim_obj *o) {
    if (SIM_IS_STR(o)) return o;
    if (has_dunders(o->type)) {
        bool found;
        sim_obj *r = sim_call_dunder(vm, o, vm->n.__str__, NULL, 0, &found);
        if (found) {
            if (r && !SIM_IS_STR(r))
                return sim_raise_msg(vm, SIM_E_TypeError, "__str__ returned non-string (type %s)", sim_type_name(r));
            return r;
        }
    }
    if (SIM_IS_EXC(o)) return sim__exc_str(vm, o);
    return sim_repr(vm, o);
}

/* ---- truth ------------------------------------------------------------------------------ */

int sim_truthy(sim_vm *vm, sim_obj *o) {
    switch (SIM_KIND(o)) {
    case SIM_K_NONE: return 0;
    case SIM_K_INT: return SIM_INT(o) != 0;
    case SIM_K_FLOAT: return SIM_FLOAT(o) != 0.0;
    case SIM_K_STR: return SIM_STR(o)->len != 0;
    case SIM_K_LIST: return SIM_LIST(o)->len != 0;
    case SIM_K_TUPLE: return SIM_TUPLE(o)->len != 0;
    case SIM_K_DICT: case SIM_K_SET: return SIM_DICT(o)->used != 0;
    case SIM_K_RANGE: return sim__range_len((sim_range *)o) != 0;
    case SIM_K_OBJECT: case SIM_K_CNATIVE: case SIM_K_EXC: {
        bool found;
        sim_obj *r = sim_call_dunder(vm, o, vm->n.__bool__, NULL, 0, &found);
        if (found) {
            if (!r) return -1;
            if (r->type != vm->types[SIM_T_bool]) {
                sim_raise_msg(vm, SIM_E_TypeError, "__bool__ should return bool, returned %s", sim_type_name(r));
                return -1;
            }
            return SIM_INT(r) != 0;
        }
        r = sim_call_dunder(vm, o, vm->n.__len__, NULL, 0, &found);
        if (found) {
            if (!r) return -1;
            return SIM_IS_INT(r) && SIM_INT(r) != 0;
        }
        return 1;
    }
    default: return 1;
    }
}

/* ---- hashing ------------------------------------------------------------------------------ */

#define HASH_MODULUS ((1ull << 61) - 1)

static uint64_t hash_int(int64_t v) {
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    m %= HASH_MODULUS;
    int64_t h = v < 0 ? -(int64_t)m : (int64_t)m;
    if (h == -1) h = -2;
    return (uint64_t)h;
}

/* CPython's _Py_HashDouble: equal to the int hash for integral values. */
uint64_t sim__hash_double(double v) {
    if (isnan(v)) return 0;
    if (isinf(v)) return v > 0 ? 314159 : (uint64_t)-314159;
    int e, sign = 1;
    double m = frexp(v, &e);
    if (m < 0) { sign = -1; m = -m; }
    uint64_t x = 0, y;
    while (m) {
        x = ((x << 28) & HASH_MODULUS) | x >> (61 - 28);
        m *= 268435456.0;
        e -= 28;
        y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
    x = ((x << e) & HASH_MODULUS) | x >> (61 - e);
    x = x * (uint64_t)(int64_t)sign;
    if (x == (uint64_t)-1) x = (uint64_t)-2;
    return x;
}

static int hash_tuple_items(sim_vm *vm, sim_obj *t, uint64_t *out);

/* CPython 3.11's tuplehash (xxHash-based), so hash(tuple) and set order agree. */
static int hash_tuple(sim_vm *vm, sim_obj *t, uint64_t *out) {
    if (vm->ts->depth >= vm->recursion_limit + 50) {
        sim_raise_msg(vm, SIM_E_RecursionError, "maximum recursion depth exceeded while calling a Python object");
        return -1;
    }
    vm->ts->depth++;
    int r = hash_tuple_items(vm, t, out);
    vm->ts->depth--;
    return r;
}

static int hash_tuple_items(sim_vm *vm, sim_obj *t, uint64_t *out) {
    const uint64_t p1 = 11400714785074694791ull, p2 = 14029467366897019727ull, p5 = 2870177450012600261ull;
    uint64_t acc = p5;
    size_t len = SIM_TUPLE(t)->len;
    for (size_t i = 0; i < len; i++) {
        uint64_t lane;
        if (sim_hash(vm, SIM_TUPLE(t)->items[i], &lane) < 0) return -1;
        acc += lane * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += len ^ (p5 ^ 3527539ull);
    *out = acc == (uint64_t)-1 ? 1546275796 : acc;
    return 0;
}

static int unhashable(sim_vm *vm, sim_obj *o) {
    sim_raise_msg(vm, SIM_E_TypeError, "unhashable type: '%s'", sim_type_name(o));
    return -1;
}

int sim_hash(sim_vm *vm, sim_obj *o, uint64_t *out) {
    switch (SIM_KIND(o)) {
    case SIM_K_STR: *out = sim__str_hash(o); return 0;
    case SIM_K_INT: *out = hash_int(SIM_INT(o)); return 0;
    case SIM_K_FLOAT: *out = sim__hash_double(SIM_FLOAT(o)); return 0;
    case SIM_K_TUPLE: return hash_tuple(vm, o, out);
    case SIM_K_LIST: case SIM_K_DICT: case SIM_K_SLICE: return unhashable(vm, o);
    case SIM_K_SET:
        if (o->type == vm->types[SIM_T_set]) return unhashable(vm, o);
        *out = sim__frozenset_hash(o);
        return 0;
    case SIM_K_OBJECT: case SIM_K_CNATIVE: case SIM_K_EXC:
        if (has_dunders(o->type)) {
            sim_obj *m = sim__type_lookup(o->type, vm->n.__hash__);
            if (m == vm->none) return unhashable(vm, o);
            if (m && SIM_KIND(m) == SIM_K_FUNCTION) {
                sim_obj *r = sim_call1(vm, m, o);
                if (!r) return -1;
                if (!SIM_IS_INT(r)) {
                    sim_raise_msg(vm, SIM_E_TypeError, "__hash__ method should return an integer");
                    return -1;
                }
                *out = hash_int(SIM_INT(r));
                return 0;
            }
            if (o->type->hooks.hash) { *out = o->type->hooks.hash(vm, o); return 0; }
        }
        /* fallthrough */
    default:
        *out = sim_identity(vm, o) >> 4;
        return 0;
    }
}

/* ---- comparison -------------------------------------------------------------------------- */

static sim_obj *cmp_result(sim_vm *vm, int c, int op) {
    bool r;
    switch (op) {
    case SIM_CMP_LT: r = c < 0; break;
    case SIM_CMP_LE: r = c <= 0; break;
    case SIM_CMP_EQ: r = c == 0; break;
    case SIM_CMP_NE: r = c != 0; break;
    case SIM_CMP_GT: r = c > 0; break;
    default: r = c >= 0; break;
    }
    return sim_bool(vm, r);
}

static sim_obj *cmp_doubles(sim_vm *vm, double a, double b, int op) {
    bool r;
    switch (op) {
    case SIM_CMP_LT: r = a < b; break;
    case SIM_CMP_LE: r = a <= b; break;
    case SIM_CMP_EQ: r = a == b; break;
    case SIM_CMP_NE: r = a != b; break;
    case SIM_CMP_GT: r = a > b; break;
    default: r = a >= b; break;
    }
    return sim_bool(vm, r);
}

/* int vs float compared exactly (2**53+1 != float(2**53)). */
static sim_obj *cmp_int_float(sim_vm *vm, int64_t i, double d, int op, bool swapped) {
    int c;
    if (isnan(d)) return sim_bool(vm, op == SIM_CMP_NE);
    if (d >= 9.3e18) c = -1;
    else if (d <= -9.3e18) c = 1;
    else {
        double fl = floor(d);
        int64_t di = (int64_t)fl;
        if (i != di) c = i < di ? -1 : 1;
        else c = fl < d ? -1 : 0;
    }
    if (swapped) c = -c;
    return cmp_result(vm, c, op);
}

static sim_obj *cmp_builtin(sim_vm *vm, sim_obj *a, sim_obj *b, int op) {
    sim_kind ka = SIM_KIND(a), kb = SIM_KIND(b);
    if (ka == SIM_K_INT && kb == SIM_K_FLOAT) return cmp_int_float(vm, SIM_INT(a), SIM_FLOAT(b), op, false);
    if (ka == SIM_K_FLOAT && kb == SIM_K_INT) return cmp_int_float(vm, SIM_INT(b), SIM_FLOAT(a), op, true);
    if (ka != kb) return vm->notimpl;
    switch (ka) {
    case SIM_K_FLOAT: return cmp_doubles(vm, SIM_FLOAT(a), SIM_FLOAT(b), op);
    case SIM_K_LIST: case SIM_K_TUPLE: return sim__seq_compare(vm, a, b, op);
    case SIM_K_DICT:
        if (op == SIM_CMP_EQ || op == SIM_CMP_NE) {
            if (vm->ts->depth >= vm->recursion_limit + 50)
                return sim_raise_msg(vm, SIM_E_RecursionError, "maximum recursion depth exceeded in comparison");
            vm->ts->depth++;
            int r = sim__dict_eq(vm, a, b);
            vm->ts->depth--;
            if (r < 0) return NULL;
            return sim_bool(vm, (op == SIM_CMP_EQ) == (r == 1));
        }
        return vm->notimpl;
    case SIM_K_SET: return sim__set_binop(vm, -1 - op, a, b);
    case SIM_K_RANGE:
        if (op == SIM_CMP_EQ || op == SIM_CMP_NE) {
            sim_range *x = (sim_range *)a, *y = (sim_range *)b;
            int64_t n = sim__range_len(x);
            bool eq = n == sim__range_len(y) && (n == 0 || (x->start == y->start && (n == 1 || x->step == y->step)));
            return sim_bool(vm, (op == SIM_CMP_EQ) == eq);
        }
        return vm->notimpl;
    default: return vm->notimpl;
    }
}

/* Calls a's rich comparison dunder (then b's reflected one) for classes. */
static sim_obj *cmp_dunders(sim_vm *vm, sim_obj *a, sim_obj *b, int op) {
    bool found;
    bool b_first = has_dunders(b->type) && b->type != a->type && sim_issubtype(b->type, a->type);
    if (b_first) {
        sim_obj *r = dunder(vm, b, CMP_DUNDER[CMP_SWAP[op]], &a, 1, &found);
        if (found && (!r || r != vm->notimpl)) return r;
    }
    sim_obj *r = dunder(vm, a, CMP_DUNDER[op], &b, 1, &found);
    if (found && (!r || r != vm->notimpl)) return r;
    if (op == SIM_CMP_NE && has_dunders(a->type)) {
        r = dunder(vm, a, "__eq__", &b, 1, &found);
        if (found && !r) return NULL;
        if (found && r != vm->notimpl) {
            int t = sim_truthy(vm, r);
            return t < 0 ? NULL : sim_bool(vm, !t);
        }
    }
    if (!b_first) {
        r = dunder(vm, b, CMP_DUNDER[CMP_SWAP[op]], &a, 1, &found);
        if (found && (!r || r != vm->notimpl)) return r;
    }
    return vm->notimpl;
}

sim_obj *sim_richcompare(sim_vm *vm, sim_obj *a, sim_obj *b, int op) {
    if (SIM_KIND(a) == SIM_K_INT && SIM_KIND(b) == SIM_K_INT) {
        int64_t x = SIM_INT(a), y = SIM_INT(b);
        return cmp_result(vm, (x > y) - (x < y), op);
    }
    if (SIM_KIND(a) == SIM_K_STR && SIM_KIND(b) == SIM_K_STR) {
        if (op == SIM_CMP_EQ) return sim_bool(vm, sim__str_eq(a, b));
        if (op == SIM_CMP_NE) return sim_bool(vm, !sim__str_eq(a, b));
        return cmp_result(vm, sim__str_cmp(a, b), op);
    }
    sim_obj *r;
    if (has_dunders(a->type) || has_dunders(b->type)) {
        r = cmp_dunders(vm, a, b, op);
        if (r != vm->notimpl) return r;
    }
    r = cmp_builtin(vm, a, b, op);
    if (r != vm->notimpl) return r;
    if (op == SIM_CMP_EQ) return sim_bool(vm, a == b);
    if (op == SIM_CMP_NE) return sim_bool(vm, a != b);
    return sim_raise_msg(vm, SIM_E_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                         CMP_SYM[op], sim_type_name(a), sim_type_name(b));
}

int sim_eq(sim_vm *vm, sim_obj *a, sim_obj *b) {
    if (a == b) return 1;
    sim_obj *r = sim_richcompare(vm, a, b, SIM_CMP_EQ);
    if (!r) return -1;
    if (r == vm->true_) return 1;
    if (r == vm->false_) return 0;
    return sim_truthy(vm, r);
}

int sim_lt(sim_vm *vm, sim_obj *a, sim_obj *b) {
    sim_obj *r = sim_richcompare(vm, a, b, SIM_CMP_LT);
    if (!r) return -1;
    if (r == vm->true_) return 1;
    if (r == vm->false_) return 0;
    return sim_truthy(vm, r);
}

/* ---- arithmetic ---------------------------------------------------------------------------- */

static sim_obj *binop_builtin(sim_vm *vm, int op, sim_obj *a, sim_obj *b, bool inplace) {
    sim_kind ka = SIM_KIND(a), kb = SIM_KIND(b);
    if (ka == SIM_K_INT && kb == SIM_K_INT) {
        if ((op == SIM_BINOP_AND || op == SIM_BINOP_OR || op == SIM_BINOP_XOR) &&
            a->type == vm->types[SIM_T_bool] && b->type == vm->types[SIM_T_bool]) {
            int64_t x = SIM_INT(a), y = SIM_INT(b);
            return sim_bool(vm, op == SIM_BINOP_AND ? (x & y) : op == SIM_BINOP_OR ? (x | y) : (x ^ y));
        }
        return sim__int_binop(vm, op, SIM_INT(a), SIM_INT(b));
    }
    if ((ka == SIM_K_FLOAT || ka == SIM_K_INT) && (kb == SIM_K_FLOAT || kb == SIM_K_INT)) {
        double x = ka == SIM_K_FLOAT ? SIM_FLOAT(a) : (double)SIM_INT(a);
        double y = kb == SIM_K_FLOAT ? SIM_FLOAT(b) : (double)SIM_INT(b);
        return sim__float_binop(vm, op, x, y);
    }
    switch (op) {
    case SIM_BINOP_ADD:
        if (ka == SIM_K_STR && kb == SIM_K_STR) return sim__str_concat(vm, a, b);
        if (ka == SIM_K_LIST && kb == SIM_K_LIST) {
            if (inplace) return sim__list_extend(vm, a, b) < 0 ? NULL : a;
            sim_obj *r = sim_list_new(vm, 0, NULL);
            sim_push(vm, r);
            sim__list_extend(vm, r, a);
            sim__list_extend(vm, r, b);
            sim_pop(vm, 1);
            return r;
        }
        if (ka == SIM_K_LIST && inplace) return sim__list_extend(vm, a, b) < 0 ? NULL : a;
        if (ka == SIM_K_TUPLE && kb == SIM_K_TUPLE) {
            size_t n = SIM_TUPLE(a)->len, m = SIM_TUPLE(b)->len;
            sim_obj *r = sim_tuple_new(vm, n + m, NULL);
            memcpy(SIM_TUPLE(r)->items, SIM_TUPLE(a)->items, n * sizeof(sim_obj *));
            memcpy(SIM_TUPLE(r)->items + n, SIM_TUPLE(b)->items, m * sizeof(sim_obj *));
            return r;
        }
        if (ka == SIM_K_STR || ka == SIM_K_LIST || ka == SIM_K_TUPLE)
            return sim_raise_msg(vm, SIM_E_TypeError, "can only concatenate %s (not \"%s\") to %s",
                                 sim_type_name(a), sim_type_name(b), sim_type_name(a));
        break;
    case SIM_BINOP_MUL: {
        sim_obj *seq = NULL, *n = NULL;
        if ((ka == SIM_K_STR || ka == SIM_K_LIST || ka == SIM_K_TUPLE)) { seq = a; n = b; }
        else if ((kb == SIM_K_STR || kb == SIM_K_LIST || kb == SIM_K_TUPLE)) { seq = b; n = a; }
        if (!seq) break;
        if (!SIM_IS_INT(n)) {
            if (has_dunders(n->type)) break;
            return sim_raise_msg(vm, SIM_E_TypeError, "can't multiply sequence by non-int of type '%s'",
                                 sim_type_name(n));
        }
        int64_t k = SIM_INT(n);
        if (SIM_IS_STR(seq)) return sim__str_repeat(vm, seq, k);
        size_t len = SIM_IS_LIST(seq) ? SIM_LIST(seq)->len : SIM_TUPLE(seq)->len;
        if (k < 0) k = 0;
        if (len && (uint64_t)k > (1ull << 32) / len) return sim_raise_msg(vm, SIM_E_MemoryError, "");
        sim_obj *r = SIM_IS_LIST(seq) ? sim_list_new(vm, len * (size_t)k, NULL) : sim_tuple_new(vm, len * (size_t)k, NULL);
        sim_obj **dst = SIM_IS_LIST(seq) ? SIM_LIST(r)->items : SIM_TUPLE(r)->items;
        sim_obj **src = SIM_IS_LIST(seq) ? SIM_LIST(seq)->items : SIM_TUPLE(seq)->items;
        for (int64_t i = 0; i < k; i++) memcpy(dst + (size_t)i * len, src, len * sizeof(sim_obj *));
        if (inplace && SIM_IS_LIST(seq) && seq == a) {
            sim_list *l = SIM_LIST(a);
            sim_obj **old = l->items;
            size_t oldcap = l->cap;
            l->items = SIM_LIST(r)->items; l->len = SIM_LIST(r)->len; l->cap = SIM_LIST(r)->cap;
            SIM_LIST(r)->items = old; SIM_LIST(r)->len = 0; SIM_LIST(r)->cap = oldcap;
            return a;
        }
        return r;
    }
    case SIM_BINOP_MOD:
        if (ka == SIM_K_STR) return sim__str_mod(vm, a, b);
        break;
    case SIM_BINOP_OR: case SIM_BINOP_AND: case SIM_BINOP_SUB: case SIM_BINOP_XOR:
        if (ka == SIM_K_SET && kb == SIM_K_SET) {
            if (inplace && a->type == vm->types[SIM_T_set]) return sim__set_inplace(vm, op, a, b);
            return sim__set_binop(vm, op, a, b);
        }
        if (op == SIM_BINOP_OR && ka == SIM_K_DICT && kb == SIM_K_DICT) {
            sim_obj *r = inplace ? a : sim__dict_copy(vm, a);
            if (!r) return NULL;
            sim_push(vm, r);
            int rc = sim__dict_update(vm, r, b);
            sim_pop(vm, 1);
            return rc < 0 ? NULL : r;
        }
        break;
    default:
        break;
    }
    return vm->notimpl;
}

sim_obj *sim_binary_op(sim_vm *vm, int op, sim_obj *a, sim_obj *b, bool inplace) {
    if (SIM_KIND(a) == SIM_K_INT && SIM_KIND(b) == SIM_K_INT && a->type == vm->types[SIM_T_int] &&
        b->type == vm->types[SIM_T_int])
        return sim__int_binop(vm, op, SIM_INT(a), SIM_INT(b));
    bool da = has_dunders(a->type), db = has_dunders(b->type);
    if (da || db) {
        bool found;
        sim_obj *r;
        if (inplace && da) {
            r = dunder(vm, a, BINOP_DUNDER[op][2], &b, 1, &found);
            if (found && (!r || r != vm->notimpl)) return r;
        }
        if (da) {
            r = dunder(vm, a, BINOP_DUNDER[op][0], &b, 1, &found);
            if (found && (!r || r != vm->notimpl)) return r;
        }
        if (db && b->type != a->type) {
            r = dunder(vm, b, BINOP_DUNDER[op][1], &a, 1, &found);
            if (found && (!r || r != vm->notimpl)) return r;
        }
    }
    sim_obj *r = binop_builtin(vm, op, a, b, inplace);
    if (r != vm->notimpl) return r;
    return sim_raise_msg(vm, SIM_E_TypeError, "unsupported operand type(s) for %s%s: '%s' and '%s'",
                         op == SIM_BINOP_POW ? "** or pow()" : BINOP_SYM[op], inplace ? "=" : "",
                         sim_type_name(a), sim_type_name(b));
}

sim_obj *sim_unary(sim_vm *vm, int op, sim_obj *a) {
    static const char *const names[] = {"__neg__", "__pos__", "__invert__"};
    static const char *const syms[] = {"-", "+", "~"};
    if (op == SIM_U_NOT) {
        int t = sim_truthy(vm, a);
        return t < 0 ? NULL : sim_bool(vm, !t);
    }
    if (SIM_IS_INT(a)) {
        int64_t v = SIM_INT(a);
        if (op == SIM_U_NEG) {
            if (v == INT64_MIN) return sim_raise_overflow(vm);
            return sim_int_new(vm, -v);
        }
        if (op == SIM_U_POS) return sim_int_new(vm, v);
        return sim_int_new(vm, ~v);
    }
    if (SIM_IS_FLOAT(a) && op != SIM_U_INVERT)
        return op == SIM_U_NEG ? sim_float_new(vm, -SIM_FLOAT(a)) : a;
    bool found;
    sim_obj *r = dunder(vm, a, names[op], NULL, 0, &found);
    if (found) return r;
    return sim_raise_msg(vm, SIM_E_TypeError, "bad operand type for unary %s: '%s'", syms[op], sim_type_name(a));
}

/* ---- subscripting ------------------------------------------------------------------------- */

sim_obj *sim_getitem(sim_vm *vm, sim_obj *o, sim_obj *key) {
    if ((o->type->flags & SIM_TF_HEAP) && SIM_KIND(o) != SIM_K_OBJECT) {
        /* a subclass of a builtin container may override __getitem__ */
        bool found;
        sim_obj *r = sim_call_dunder(vm, o, vm->n.__getitem__, &key, 1, &found);
        if (found) return r;
    }
    return sim__getitem_builtin(vm, o, key);
}

/* o[key] by o's layout, ignoring overrides (what list.__getitem__ etc. do). */
sim_obj *sim__getitem_builtin(sim_vm *vm, sim_obj *o, sim_obj *key) {
    switch (SIM_KIND(o)) {
    case SIM_K_LIST: return sim__list_getitem(vm, o, key);
    case SIM_K_TUPLE: return sim__tuple_getitem(vm, o, key);
    case SIM_K_STR: return sim__str_getitem(vm, o, key);
    case SIM_K_DICT: {
        sim_obj *v;
        int r = sim_dict_get(vm, o, key, &v);
        if (r < 0) return NULL;
        if (r) return v;
        if (o->type != vm->types[SIM_T_dict]) {
            bool found;
            v = sim_call_dunder(vm, o, vm->n.__missing__, &key, 1, &found);
            if (found) return v;
        }
        return sim_raise_keyerror(vm, key);
    }
    case SIM_K_RANGE: {
        sim_range *r = (sim_range *)o;
        int64_t n = sim__range_len(r);
        if (SIM_IS_INT(key)) {
            int64_t i = SIM_INT(key);
            if (i < 0) i += n;
            if (i < 0 || i >= n) return sim_raise_msg(vm, SIM_E_IndexError, "range object index out of range");
            return sim_int_new(vm, r->start + i * r->step);
        }
        if (SIM_KIND(key) == SIM_K_SLICE) {
            int64_t start, stop, step;
            int64_t m = sim__slice_indices(vm, key, n, &start, &stop, &step);
            if (m < 0) return NULL;
            int64_t s0 = r->start + start * r->step, st = r->step * step;
            return sim_range_new(vm, s0, s0 + m * st, st);
        }
        break;
    }
    case SIM_K_TYPE:
        /* list[int], dict[str, int] in annotations: return the class itself */
        return o;
    default:
        break;
    }
    bool found;
    sim_obj *r = sim_call_dunder(vm, o, vm->n.__getitem__, &key, 1, &found);
    if (found) return r;
    return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not subscriptable", sim_type_name(o));
}

int sim_setitem(sim_vm *vm, sim_obj *o, sim_obj *key, sim_obj *v) {
    if ((o->type->flags & SIM_TF_HEAP) && SIM_KIND(o) != SIM_K_OBJECT) {
        bool found;
        sim_obj *a[2] = {key, v};
        sim_obj *r = sim_call_dunder(vm, o, v ? vm->n.__setitem__ : vm->n.__delitem__, a, v ? 2 : 1, &found);
        if (found) return r ? 0 : -1;
    }
    switch (SIM_KIND(o)) {
    case SIM_K_LIST: return sim__list_setitem(vm, o, key, v);
    case SIM_K_DICT:
        if (v) return sim_dict_set(vm, o, key, v);
        {
            int r = sim_dict_del(vm, o, key);
            if (r == 0) sim_raise_keyerror(vm, key);
            return r <= 0 ? -1 : 0;
        }
    default:
        break;
    }
    bool found;
    sim_obj *args[2] = {key, v};
    sim_obj *r = sim_call_dunder(vm, o, v ? vm->n.__setitem__ : vm->n.__delitem__, args, v ? 2 : 1, &found);
    if (found) return r ? 0 : -1;
    if (v) sim_raise_msg(vm, SIM_E_TypeError, "'%s' object does not support item assignment", sim_type_name(o));
    else sim_raise_msg(vm, SIM_E_TypeError, "'%s' object doesn't support item deletion", sim_type_name(o));
    return -1;
}

int sim_contains(sim_vm *vm, sim_obj *c, sim_obj *item) {
    if ((c->type->flags & SIM_TF_HEAP) && SIM_KIND(c) != SIM_K_OBJECT) {
        bool found;
        sim_obj *r = sim_call_dunder(vm, c, vm->n.__contains__, &item, 1, &found);
        if (found) return r ? sim_truthy(vm, r) : -1;
    }
    return sim__contains_builtin(vm, c, item);
}

int sim__contains_builtin(sim_vm *vm, sim_obj *c, sim_obj *item) {
    switch (SIM_KIND(c)) {
    case SIM_K_DICT: case SIM_K_SET: return sim_set_contains(vm, c, item);
    case SIM_K_STR:
        if (!SIM_IS_STR(item)) {
            sim_raise_msg(vm, SIM_E_TypeError, "'in <string>' requires string as left operand, not %s",
                          sim_type_name(item));
            return -1;
        }
        return strstr(SIM_CSTR(c), SIM_CSTR(item)) != NULL || SIM_STR(item)->len == 0;
    case SIM_K_LIST: case SIM_K_TUPLE:
        for (size_t i = 0;; i++) {
            size_t n = SIM_IS_LIST(c) ? SIM_LIST(c)->len : SIM_TUPLE(c)->len;
            if (i >= n) return 0;
            sim_obj *x = SIM_IS_LIST(c) ? SIM_LIST(c)->items[i] : SIM_TUPLE(c)->items[i];
            int r = sim_eq(vm, x, item);
            if (r) return r;
        }
    case SIM_K_RANGE:
        if (SIM_IS_INT(item)) {
            sim_range *r = (sim_range *)c;
            int64_t v = SIM_INT(item);
            if (r->step > 0 ? (v < r->start || v >= r->stop) : (v > r->start || v <= r->stop)) return 0;
            return (v - r->start) % r->step == 0;
        }
        break;
    default: {
        bool found;
        sim_obj *r = sim_call_dunder(vm, c, vm->n.__contains__, &item, 1, &found);
        if (found) return r ? sim_truthy(vm, r) : -1;
        break;
    }
    }
    if (SIM_KIND(c) != SIM_K_RANGE && !has_dunders(c->type) && SIM_KIND(c) != SIM_K_ITER && SIM_KIND(c) != SIM_K_GEN) {
        sim_raise_msg(vm, SIM_E_TypeError, "argument of type '%s' is not iterable", sim_type_name(c));
        return -1;
    }
    sim_obj *it = sim_iter(vm, c);
    if (!it) return -1;
    sim_push(vm, it);
    for (;;) {
        sim_obj *x = sim_next(vm, it);
        if (!x) { sim_pop(vm, 1); return sim_exc_occurred(vm) ? -1 : 0; }
        int r = sim_eq(vm, x, item);
        if (r) { sim_pop(vm, 1); return r; }
    }
}

/* ---- iteration and length ------------------------------------------------------------------ */

sim_obj *sim_iter(sim_vm *vm, sim_obj *o) {
    if ((o->type->flags & SIM_TF_HEAP) && SIM_KIND(o) != SIM_K_OBJECT && SIM_KIND(o) != SIM_K_EXC) {
        bool found;
        sim_obj *r = sim_call_dunder(vm, o, vm->n.__iter__, NULL, 0, &found);
        if (found) return r;
    }
    return sim__iter_builtin(vm, o);
}

sim_obj *sim__iter_builtin(sim_vm *vm, sim_obj *o) {
    switch (SIM_KIND(o)) {
    case SIM_K_LIST: return sim_iter_new(vm, SIM_T_list_iterator, o, NULL);
    case SIM_K_TUPLE: return sim_iter_new(vm, SIM_T_tuple_iterator, o, NULL);
    case SIM_K_STR: return sim_iter_new(vm, SIM_T_str_iterator, o, NULL);
    case SIM_K_DICT: {
        sim_obj *it = sim_iter_new(vm, SIM_T_dict_keyiterator, o, NULL);
        ((sim_iterobj *)it)->n = (int64_t)SIM_DICT(o)->used;
        return it;
    }
    case SIM_K_SET: {
        sim_obj *it = sim_iter_new(vm, SIM_T_set_iterator, o, NULL);
        ((sim_iterobj *)it)->n = (int64_t)SIM_DICT(o)->used;
        return it;
    }
    case SIM_K_RANGE: {
        sim_range *r = (sim_range *)o;
        sim_obj *it = sim_iter_new(vm, SIM_T_range_iterator, NULL, NULL);
        ((sim_iterobj *)it)->i = r->start;
        ((sim_iterobj *)it)->step = r->step;
        ((sim_iterobj *)it)->n = sim__range_len(r);
        return it;
    }
    case SIM_K_ITER: {
        sim_tid views[] = {SIM_T_dict_keys, SIM_T_dict_values, SIM_T_dict_items};
        for (int i = 0; i < 3; i++)
            if (o->type == vm->types[views[i]]) {
                sim_obj *it = sim_iter_new(vm, (sim_tid)(SIM_T_dict_keyiterator + i), ((sim_iterobj *)o)->src, NULL);
                ((sim_iterobj *)it)->n = (int64_t)SIM_DICT(((sim_iterobj *)o)->src)->used;
                return it;
            }
        return o;
    }
    case SIM_K_GEN:
        if (o->type == vm->types[SIM_T_generator]) return o;
        break;
    default:
        break;
    }
    if (o->type->hooks.iter) return o->type->hooks.iter(vm, o);
    if (o->type->hooks.next) return o;
    bool found;
    sim_obj *r = sim_call_dunder(vm, o, vm->n.__iter__, NULL, 0, &found);
    if (found) return r;
    if (has_dunders(o->type) && sim__type_lookup(o->type, vm->n.__getitem__)) {
        sim_obj *it = sim_iter_new(vm, SIM_T_callable_iterator, o, NULL);
        ((sim_iterobj *)it)->step = 1;   /* the sequence protocol */
        return it;
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not iterable", sim_type_name(o));
}

sim_obj *sim_next(sim_vm *vm, sim_obj *it) {
    if (SIM_KIND(it) == SIM_K_ITER) return sim__iter_next(vm, it);
    if (SIM_KIND(it) == SIM_K_GEN) {
        sim_sendres res;
        sim_obj *r = sim__gen_send(vm, it, vm->none, NULL, &res);
        if (res == SIM_SEND_YIELD) return r;
        if (res == SIM_SEND_RETURN) return NULL;
        if (sim_exc_matches(vm, SIM_E_StopIteration)) sim_exc_fetch(vm);
        return NULL;
    }
    if (it->type->hooks.next) return it->type->hooks.next(vm, it);
    bool found;
    sim_obj *r = sim_call_dunder(vm, it, vm->n.__next__, NULL, 0, &found);
    if (found) {
        if (!r && sim_exc_matches(vm, SIM_E_StopIteration)) sim_exc_fetch(vm);
        return r;
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not an iterator", sim_type_name(it));
}

int64_t sim_len(sim_vm *vm, sim_obj *o) {
    if ((o->type->flags & SIM_TF_HEAP) && SIM_KIND(o) != SIM_K_OBJECT && SIM_KIND(o) != SIM_K_EXC) {
        bool found;
        sim_obj *r = sim_call_dunder(vm, o, vm->n.__len__, NULL, 0, &found);
        if (found) {
            if (!r) return -1;
            if (SIM_IS_INT(r)) return SIM_INT(r);
        }
    }
    switch (SIM_KIND(o)) {
    case SIM_K_STR: return (int64_t)SIM_STR(o)->nchars;
    case SIM_K_LIST: return (int64_t)SIM_LIST(o)->len;
    case SIM_K_TUPLE: return (int64_t)SIM_TUPLE(o)->len;
    case SIM_K_DICT: case SIM_K_SET: return (int64_t)SIM_DICT(o)->used;
    case SIM_K_RANGE: return sim__range_len((sim_range *)o);
    case SIM_K_ITER:
        if (o->type == vm->types[SIM_T_dict_keys] || o->type == vm->types[SIM_T_dict_values] ||
            o->type == vm->types[SIM_T_dict_items])
            return (int64_t)SIM_DICT(((sim_iterobj *)o)->src)->used;
        break;
    default: {
        bool found;
        sim_obj *r = sim_call_dunder(vm, o, vm->n.__len__, NULL, 0, &found);
        if (found) {
            if (!r) return -1;
            if (!SIM_IS_INT(r)) {
                sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(r));
                return -1;
            }
            if (SIM_INT(r) < 0) {
                sim_raise_msg(vm, SIM_E_ValueError, "__len__() should return >= 0");
                return -1;
            }
            return SIM_INT(r);
        }
        break;
    }
    }
    sim_raise_msg(vm, SIM_E_TypeError, "object of type '%s' has no len()", sim_type_name(o));
    return -1;
}

int64_t sim_index(sim_vm *vm, sim_obj *o, bool *ok) {
    *ok = true;
    if (SIM_IS_INT(o)) return SIM_INT(o);
    bool found;
    sim_obj *r = sim_call_dunder(vm, o, vm->n.__index__, NULL, 0, &found);
    if (found && r && SIM_IS_INT(r)) return SIM_INT(r);
    *ok = false;
    if (!found) sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(o));
    return 0;
}

double sim_obj_as_double(sim_vm *vm, sim_obj *o, bool *ok) {
    *ok = true;
    if (SIM_IS_FLOAT(o)) return SIM_FLOAT(o);
    if (SIM_IS_INT(o)) return (double)SIM_INT(o);
    bool found;
    sim_obj *r = sim_call_dunder(vm, o, vm->n.__float__, NULL, 0, &found);
    if (found && r && SIM_IS_FLOAT(r)) return SIM_FLOAT(r);
    *ok = false;
    if (!found) sim_raise_msg(vm, SIM_E_TypeError, "must be real number, not %s", sim_type_name(o));
    return 0;
}
