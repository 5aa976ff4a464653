/* builtins.c — the builtins module: functions (print, len, sorted, ...) and the
 * constructors of the builtin types (int(), str(), list(), ...). */
#include <math.h>
#include <string.h>

#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define NOKW(fname) if (sim_no_kwargs(vm, fname, kwnames) < 0) return NULL
#define NARGS(fname, lo, hi) if (sim_check_nargs(vm, fname, nargs, lo, hi) < 0) return NULL

/* ---- print ---------------------------------------------------------------------------------- */

static int write_to(sim_vm *vm, sim_obj *file, const char *s, size_t n) {
    if (!file || file == vm->none) return sim__write(vm, 1, s, n);
    if (file->type == vm->textio) return sim__write(vm, (int)((sim_textio *)file)->fd, s, n);
    sim_obj *str = sim_str_new(vm, s, n);
    sim_push(vm, str);
    sim_obj *r = sim_call_method(vm, file, "write", &str, 1);
    sim_pop(vm, 1);
    return r ? 0 : -1;
}

FN(b_print) {
    static const char *const names[] = {"sep", "end", "file", "flush", NULL};
    sim_obj *kw[4] = {NULL, NULL, NULL, NULL};
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t k = 0; k < nkw; k++) {
        const char *kn = SIM_CSTR(SIM_TUPLE(kwnames)->items[k]);
        int i;
        for (i = 0; names[i]; i++) if (strcmp(names[i], kn) == 0) break;
        if (!names[i]) return sim_raise_msg(vm, SIM_E_TypeError, "'%s' is an invalid keyword argument for print()", kn);
        kw[i] = args[nargs + k];
    }
    for (int i = 0; i < 2; i++)
        if (kw[i] && kw[i] != vm->none && !SIM_IS_STR(kw[i]))
            return sim_raise_msg(vm, SIM_E_TypeError, "%s must be None or a string, not %s", names[i], sim_type_name(kw[i]));
    sim_obj *sep = kw[0] && kw[0] != vm->none ? kw[0] : NULL, *end = kw[1] && kw[1] != vm->none ? kw[1] : NULL;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    for (int i = 0; i < nargs; i++) {
        if (i) {
            if (sep) pyfmt_buf_append(&b, SIM_CSTR(sep), SIM_STR(sep)->len);
            else pyfmt_buf_putc(&b, ' ');
        }
        sim_obj *s = sim_str(vm, args[i]);
        if (!s) { pyfmt_buf_free(&b); return NULL; }
        pyfmt_buf_append(&b, SIM_CSTR(s), SIM_STR(s)->len);
    }
    if (end) pyfmt_buf_append(&b, SIM_CSTR(end), SIM_STR(end)->len);
    else pyfmt_buf_putc(&b, '\n');
    int rc = write_to(vm, kw[2], pyfmt_buf_cstr(&b), b.len);
    pyfmt_buf_free(&b);
    return rc < 0 ? NULL : vm->none;
}

/* ---- simple functions ----------------------------------------------------------------------- */

FN(b_len) {
    NOKW("len"); NARGS("len", 1, 1);
    int64_t n = sim_len(vm, args[0]);
    return n < 0 ? NULL : sim_int_new(vm, n);
}

FN(b_repr) { NOKW("repr"); NARGS("repr", 1, 1); return sim_repr(vm, args[0]); }

/* ascii(x): repr(x) with every non-ASCII code point escaped as \\xhh, \\uhhhh or \\Uhhhhhhhh. */
sim_obj *sim_ascii(sim_vm *vm, sim_obj *o) {
    sim_obj *r = sim_repr(vm, o);
    if (!r) return NULL;
    const char *p = SIM_CSTR(r);
    size_t n = SIM_STR(r)->len;
    if (pyfmt_str_isascii(p, n)) return r;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    size_t pos = 0;
    while (pos < n) {
        uint32_t c = pyfmt_utf8_next(p, n, &pos);
        char esc[16];
        if (c < 0x80) { esc[0] = (char)c; esc[1] = 0; }
        else if (c < 0x100) snprintf(esc, sizeof esc, "\\x%02x", (unsigned)c);
        else if (c < 0x10000) snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
        else snprintf(esc, sizeof esc, "\\U%08x", (unsigned)c);
        pyfmt_buf_puts(&b, esc);
    }
    return sim__str_from_buf(vm, &b);
}

FN(b_ascii) { NOKW("ascii"); NARGS("ascii", 1, 1); return sim_ascii(vm, args[0]); }

FN(b_abs) {
    NOKW("abs"); NARGS("abs", 1, 1);
    sim_obj *v = args[0];
    if (SIM_IS_INT(v)) {
        if (SIM_INT(v) == INT64_MIN) return sim_raise_overflow(vm);
        return sim_int_new(vm, SIM_INT(v) < 0 ? -SIM_INT(v) : SIM_INT(v));
    }
    if (SIM_IS_FLOAT(v)) return sim_float_new(vm, fabs(SIM_FLOAT(v)));
    bool found;
    sim_obj *r = sim_call_dunder(vm, v, vm->n.__abs__, NULL, 0, &found);
    if (found) return r;
    return sim_raise_msg(vm, SIM_E_TypeError, "bad operand type for abs(): '%s'", sim_type_name(v));
}

FN(b_round) {
    static const char *const names[] = {"number", "ndigits", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "round", args, nargs, kwnames, 1, 2, names, a) < 0) return NULL;
    sim_obj *v = a[0], *nd = a[1] == vm->none ? NULL : a[1];
    pyfmt_err err = {0};
    if (SIM_IS_FLOAT(v)) {
        double d = SIM_FLOAT(v);
        if (!nd) {
            double r = pyfmt_float_round_half_even(d);
            return sim__float_to_int(vm, r);
        }
        if (!SIM_IS_INT(nd)) return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(nd));
        double r;
        if (pyfmt_float_round(d, (long)SIM_INT(nd), &r, &err) != PYFMT_OK) return sim__raise_pyfmt(vm, &err);
        return sim_float_new(vm, r);
    }
    if (SIM_IS_INT(v)) {
        if (!nd || SIM_INT(nd) >= 0) return sim_int_new(vm, SIM_INT(v));
        long long r;
        if (pyfmt_int_round(SIM_INT(v), (long)SIM_INT(nd), &r, &err) != PYFMT_OK) return sim__raise_pyfmt(vm, &err);
        return sim_int_new(vm, r);
    }
    bool found;
    sim_obj *r = sim_call_dunder(vm, v, vm->n.__round__, nd ? &nd : NULL, nd ? 1 : 0, &found);
    if (found) return r;
    return sim_raise_msg(vm, SIM_E_TypeError, "type %s doesn't define __round__ method", sim_type_name(v));
}

FN(b_divmod) {
    NOKW("divmod"); NARGS("divmod", 2, 2);
    sim_obj *a = args[0], *b = args[1];
    if (SIM_IS_INT(a) && SIM_IS_INT(b)) return sim__int_divmod(vm, SIM_INT(a), SIM_INT(b));
    if ((SIM_IS_INT(a) || SIM_IS_FLOAT(a)) && (SIM_IS_INT(b) || SIM_IS_FLOAT(b))) {
        bool ok;
        return sim__float_divmod(vm, sim_obj_as_double(vm, a, &ok), sim_obj_as_double(vm, b, &ok));
    }
    return sim_raise_msg(vm, SIM_E_TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'",
                         sim_type_name(a), sim_type_name(b));
}

FN(b_pow) {
    NOKW("pow"); NARGS("pow", 2, 3);
    if (nargs == 3 && args[2] != vm->none) {
        if (!SIM_IS_INT(args[0]) || !SIM_IS_INT(args[1]) || !SIM_IS_INT(args[2]))
            return sim_raise_msg(vm, SIM_E_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
        int64_t b = SIM_INT(args[0]), e = SIM_INT(args[1]), m = SIM_INT(args[2]);
        if (m == 0) return sim_raise_msg(vm, SIM_E_ValueError, "pow() 3rd argument cannot be 0");
        if (e < 0) return sim_raise_msg(vm, SIM_E_ValueError, "aiosim: pow() with a negative exponent and a modulus is not supported");
        __int128 r = 1, x = ((b % m) + m) % m;
        while (e) {
            if (e & 1) r = r * x % m;
            x = x * x % m;
            e >>= 1;
        }
        int64_t res = (int64_t)r;
        if (res != 0 && (m < 0)) res += m;
        return sim_int_new(vm, res);
    }
    return sim_binary_op(vm, SIM_BINOP_POW, args[0], args[1], false);
}

/* sum(iterable, /, start=0) */
FN(b_sum) {
    static const char *const names[] = {"iterable", "start", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "sum", args, nargs, kwnames, 1, 2, names, a) < 0) return NULL;
    sim_obj *acc = a[1] ? a[1] : sim_int_new(vm, 0);
    if (SIM_IS_STR(acc)) return sim_raise_msg(vm, SIM_E_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
    sim_obj *it = sim_iter(vm, a[0]);
    if (!it) return NULL;
    sim_push(vm, it);
    sim_push(vm, acc);
    for (;;) {
        sim_obj *v = sim_next(vm, it);
        if (!v) break;
        sim_push(vm, v);
        sim_obj *r = sim_binary_op(vm, SIM_BINOP_ADD, vm->ts->roots[vm->ts->nroots - 2], v, false);
        sim_pop(vm, 1);
        if (!r) break;
        vm->ts->roots[vm->ts->nroots - 1] = r;
    }
    acc = vm->ts->roots[vm->ts->nroots - 1];
    sim_pop(vm, 2);
    return sim_exc_occurred(vm) ? NULL : acc;
}

/* min/max(iterable, *, key=None, default=...) or min/max(a, b, ..., key=None) */
static sim_obj *minmax(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames, bool is_max) {
    const char *fname = is_max ? "max" : "min";
    sim_obj *key = NULL, *dflt = NULL;
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t k = 0; k < nkw; k++) {
        const char *kn = SIM_CSTR(SIM_TUPLE(kwnames)->items[k]);
        if (strcmp(kn, "key") == 0) key = args[nargs + k];
        else if (strcmp(kn, "default") == 0) dflt = args[nargs + k];
        else return sim_raise_msg(vm, SIM_E_TypeError, "%s() got an unexpected keyword argument '%s'", fname, kn);
    }
    if (key == vm->none) key = NULL;
    if (nargs == 0) return sim_raise_msg(vm, SIM_E_TypeError, "%s expected at least 1 argument, got 0", fname);
    if (nargs > 1 && dflt)
        return sim_raise_msg(vm, SIM_E_TypeError, "Cannot specify a default for %s() with multiple positional arguments", fname);
    sim_obj *src = nargs == 1 ? args[0] : sim_tuple_new(vm, (size_t)nargs, args);
    sim_push(vm, src);
    sim_obj *it = sim_iter(vm, src);
    if (!it) { sim_pop(vm, 1); return NULL; }
    sim_push(vm, it);
    sim_obj *best = NULL, *bestkey = NULL;
    sim_push(vm, vm->none); sim_push(vm, vm->none);
    size_t base = vm->ts->nroots - 2;
    for (;;) {
        sim_obj *v = sim_next(vm, it);
        if (!v) break;
        sim_push(vm, v);
        sim_obj *k = key ? sim_call1(vm, key, v) : v;
        sim_pop(vm, 1);
        if (!k) break;
        if (!best) {
            best = v; bestkey = k;
        } else {
            sim_push(vm, v); sim_push(vm, k);
            int c = is_max ? sim_lt(vm, bestkey, k) : sim_lt(vm, k, bestkey);
            sim_pop(vm, 2);
            if (c < 0) { best = NULL; break; }
            if (c) { best = v; bestkey = k; }
        }
        vm->ts->roots[base] = best;
        vm->ts->roots[base + 1] = bestkey;
    }
    sim_pop(vm, 4);
    if (sim_exc_occurred(vm)) return NULL;
    if (!best) {
        if (dflt) return dflt;
        return sim_raise_msg(vm, SIM_E_ValueError, "%s() arg is an empty sequence", fname);
    }
    return best;
}

FN(b_min) { return minmax(vm, args, nargs, kwnames, false); }
FN(b_max) { return minmax(vm, args, nargs, kwnames, true); }

FN(b_sorted) {
    if (nargs != 1) return sim_raise_msg(vm, SIM_E_TypeError, "sorted expected 1 argument, got %d", nargs);
    static const char *const names[] = {"iterable", "key", "reverse", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "sorted", args, nargs, kwnames, 1, 1, names, a) < 0) return NULL;
    sim_obj *l = sim_list_of(vm, a[0]);
    if (!l) return NULL;
    sim_push(vm, l);
    int rev = a[2] ? sim_truthy(vm, a[2]) : 0;
    int rc = rev < 0 ? -1 : sim__list_sort(vm, l, a[1], rev);
    sim_pop(vm, 1);
    return rc < 0 ? NULL : l;
}

static sim_obj *anyall(sim_vm *vm, sim_obj *iterable, bool any) {
    sim_obj *it = sim_iter(vm, iterable);
    if (!it) return NULL;
    sim_push(vm, it);
    for (;;) {
        sim_obj *v = sim_next(vm, it);
        if (!v) break;
        int t = sim_truthy(vm, v);
        if (t < 0) break;
        if (t == any) { sim_pop(vm, 1); return sim_bool(vm, any); }
    }
    sim_pop(vm, 1);
    return sim_exc_occurred(vm) ? NULL : sim_bool(vm, !any);
}

FN(b_any) { NOKW("any"); NARGS("any", 1, 1); return anyall(vm, args[0], true); }
FN(b_all) { NOKW("all"); NARGS("all", 1, 1); return anyall(vm, args[0], false); }

FN(b_isinstance) {
    NOKW("isinstance"); NARGS("isinstance", 2, 2);
    int r = sim_isinstance(vm, args[0], args[1]);
    return r < 0 ? NULL : sim_bool(vm, r);
}

static int subclass_of(sim_vm *vm, sim_obj *c, sim_obj *cls) {
    if (SIM_IS_TUPLE(cls)) {
        for (size_t i = 0; i < SIM_TUPLE(cls)->len; i++) {
            int r = subclass_of(vm, c, SIM_TUPLE(cls)->items[i]);
            if (r) return r;
        }
        return 0;
    }
    if (!SIM_IS_TYPE(cls)) {
        sim_raise_msg(vm, SIM_E_TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
        return -1;
    }
    return sim_issubtype((sim_type *)c, (sim_type *)cls);
}

FN(b_issubclass) {
    NOKW("issubclass"); NARGS("issubclass", 2, 2);
    if (!SIM_IS_TYPE(args[0])) return sim_raise_msg(vm, SIM_E_TypeError, "issubclass() arg 1 must be a class");
    int r = subclass_of(vm, args[0], args[1]);
    return r < 0 ? NULL : sim_bool(vm, r);
}

static sim_obj *attr_name(sim_vm *vm, sim_obj *n, const char *fname) {
    if (!SIM_IS_STR(n))
        return sim_raise_msg(vm, SIM_E_TypeError, "attribute name must be string, not '%s'", sim_type_name(n));
    return sim_intern_str(vm, n);
}

FN(b_getattr) {
    NOKW("getattr"); NARGS("getattr", 2, 3);
    sim_obj *name = attr_name(vm, args[1], "getattr");
    if (!name) return NULL;
    if (nargs == 3) {
        sim_obj *v = sim_getattr_opt(vm, args[0], name);
        if (v || sim_exc_occurred(vm)) return v;
        return args[2];
    }
    return sim_getattr(vm, args[0], name);
}

FN(b_setattr) {
    NOKW("setattr"); NARGS("setattr", 3, 3);
    sim_obj *name = attr_name(vm, args[1], "setattr");
    if (!name || sim_setattr(vm, args[0], name, args[2]) < 0) return NULL;
    return vm->none;
}

FN(b_delattr) {
    NOKW("delattr"); NARGS("delattr", 2, 2);
    sim_obj *name = attr_name(vm, args[1], "delattr");
    if (!name || sim_setattr(vm, args[0], name, NULL) < 0) return NULL;
    return vm->none;
}

FN(b_hasattr) {
    NOKW("hasattr"); NARGS("hasattr", 2, 2);
    sim_obj *name = attr_name(vm, args[1], "hasattr");
    if (!name) return NULL;
    sim_obj *v = sim_getattr_opt(vm, args[0], name);
    if (!v && sim_exc_occurred(vm)) return NULL;
    return sim_bool(vm, v != NULL);
}

FN(b_id) { NOKW("id"); NARGS("id", 1, 1); return sim_int_new(vm, (int64_t)sim_identity(vm, args[0])); }

FN(b_hash) {
    NOKW("hash"); NARGS("hash", 1, 1);
    uint64_t h;
    if (sim_hash(vm, args[0], &h) < 0) return NULL;
    return sim_int_new(vm, (int64_t)h);
}

FN(b_iter) {
    NOKW("iter"); NARGS("iter", 1, 2);
    if (nargs == 2) {
        /* iter(callable, sentinel): call until the sentinel comes back */
        sim_obj *it = sim_iter_new(vm, SIM_T_callable_iterator, args[0], args[1]);
        ((sim_iterobj *)it)->step = 2;
        return it;
    }
    return sim_iter(vm, args[0]);
}

FN(b_next) {
    NOKW("next"); NARGS("next", 1, 2);
    sim_obj *it = args[0];
    if (SIM_KIND(it) != SIM_K_ITER && SIM_KIND(it) != SIM_K_GEN && !it->type->hooks.next &&
        !sim__type_lookup(it->type, vm->n.__next__))
        return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not an iterator", sim_type_name(it));
    sim_obj *v;
    if (SIM_KIND(it) == SIM_K_GEN) {
        sim_sendres res;
        v = sim__gen_send(vm, it, vm->none, NULL, &res);
        if (res == SIM_SEND_YIELD) return v;
        if (res == SIM_SEND_ERROR) return NULL;
        if (nargs == 2) return args[1];
        sim_obj *a = sim_tuple_new(vm, v == vm->none ? 0 : 1, &v);
        sim_push(vm, a);
        sim_obj *e = sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], a);
        sim_pop(vm, 1);
        return sim_raise(vm, e);
    }
    if (it->type->flags & SIM_TF_HEAP) {
        bool found;
        v = sim_call_dunder(vm, it, vm->n.__next__, NULL, 0, &found);
        if (!v && nargs == 2 && sim_exc_matches(vm, SIM_E_StopIteration)) { sim_exc_fetch(vm); return args[1]; }
        return v;
    }
    v = sim_next(vm, it);
    if (v || sim_exc_occurred(vm)) return v;
    if (nargs == 2) return args[1];
    sim_obj *e = sim_exc_new(vm, vm->exc_types[SIM_E_StopIteration], NULL);
    return sim_raise(vm, e);
}

FN(b_callable) {
    NOKW("callable"); NARGS("callable", 1, 1);
    sim_obj *o = args[0];
    sim_kind k = SIM_KIND(o);
    bool r = k == SIM_K_FUNCTION || k == SIM_K_NATIVE || k == SIM_K_METHOD || k == SIM_K_TYPE || k == SIM_K_PARTIAL ||
             o->type->hooks.call || ((o->type->flags & SIM_TF_HEAP) && sim__type_lookup(o->type, vm->n.__call__));
    return sim_bool(vm, r);
}

FN(b_chr) {
    NOKW("chr"); NARGS("chr", 1, 1);
    if (!SIM_IS_INT(args[0])) return sim_raise_msg(vm, SIM_E_TypeError, "an integer is required (got type %s)", sim_type_name(args[0]));
    int64_t c = SIM_INT(args[0]);
    if (c < 0 || c > 0x10FFFF) return sim_raise_msg(vm, SIM_E_ValueError, "chr() arg not in range(0x110000)");
    return sim__str_from_codepoint(vm, (uint32_t)c);
}

FN(b_ord) {
    NOKW("ord"); NARGS("ord", 1, 1);
    sim_obj *s = args[0];
    if (!SIM_IS_STR(s)) return sim_raise_msg(vm, SIM_E_TypeError, "ord() expected string of length 1, but %s found", sim_type_name(s));
    if (SIM_STR(s)->nchars != 1)
        return sim_raise_msg(vm, SIM_E_TypeError, "ord() expected a character, but string of length %zu found", SIM_STR(s)->nchars);
    size_t pos = 0;
    return sim_int_new(vm, pyfmt_utf8_next(SIM_CSTR(s), SIM_STR(s)->len, &pos));
}

static sim_obj *int_base(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames, int base, const char *fname) {
    NOKW(fname); NARGS(fname, 1, 1);
    bool ok;
    int64_t v = sim_index(vm, args[0], &ok);
    if (!ok) return NULL;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_int_to_base(v, base, 1, &b);
    return sim__str_from_buf(vm, &b);
}

FN(b_hex) { return int_base(vm, args, nargs, kwnames, 16, "hex"); }
FN(b_oct) { return int_base(vm, args, nargs, kwnames, 8, "oct"); }
FN(b_bin) { return int_base(vm, args, nargs, kwnames, 2, "bin"); }

FN(b_format) {
    NOKW("format"); NARGS("format", 1, 2);
    sim_obj *spec = nargs > 1 ? args[1] : NULL;
    if (spec && !SIM_IS_STR(spec))
        return sim_raise_msg(vm, SIM_E_TypeError, "format() argument 2 must be str, not %s", sim_type_name(spec));
    sim_obj *r;
    return sim_format(vm, args[0], spec, &r) < 0 ? NULL : r;
}

FN(b_vars) {
    NOKW("vars"); NARGS("vars", 0, 1);
    if (nargs == 0) {
        sim_frame *f = vm->ts->frame;
        return f && f->locals ? f->locals : f ? f->globals : vm->none;
    }
    sim_obj *d = sim_getattr_opt(vm, args[0], vm->n.__dict__);
    if (d) return d;
    if (sim_exc_occurred(vm)) return NULL;
    return sim_raise_msg(vm, SIM_E_TypeError, "vars() argument must have __dict__ attribute");
}

FN(b_globals) { return vm->ts->frame ? vm->ts->frame->globals : vm->none; }

FN(b_locals) {
    sim_frame *f = vm->ts->frame;
    if (!f) return vm->none;
    if (f->locals) return f->locals;
    sim_obj *d = sim_dict_new(vm);
    sim_push(vm, d);
    for (uint32_t i = 0; i < f->nlocals; i++)
        if (f->slots[i]) sim_dict_set(vm, d, SIM_TUPLE(f->co->varnames)->items[i], f->slots[i]);
    sim_pop(vm, 1);
    return d;
}

FN(b_dir) {
    NOKW("dir"); NARGS("dir", 0, 1);
    sim_obj *l = sim_list_new(vm, 0, NULL);
    sim_push(vm, l);
    sim_obj *d = nargs ? sim_getattr_opt(vm, args[0], vm->n.__dict__) : b_locals(vm, args, 0, NULL);
    if (d && SIM_IS_DICT(d)) {
        size_t pos = 0;
        sim_obj *k;
        while (sim_dict_next(d, &pos, &k, NULL)) sim_list_append(vm, l, k);
    }
    if (nargs && !SIM_IS_TYPE(args[0]) && SIM_KIND(args[0]) != SIM_K_MODULE) {
        sim_tuple *mro = SIM_TUPLE(args[0]->type->mro);
        for (size_t i = 0; i < mro->len; i++) {
            size_t pos = 0;
            sim_obj *k;
            while (sim_dict_next(((sim_type *)mro->items[i])->dict, &pos, &k, NULL)) {
                int c = sim_contains(vm, l, k);
                if (!c) sim_list_append(vm, l, k);
            }
        }
    }
    sim_exc_fetch(vm);
    sim__list_sort(vm, l, NULL, false);
    sim_pop(vm, 1);
    return l;
}

FN(b_build_class) { return sim__build_class(vm, args, nargs, kwnames); }

FN(b_input) { return sim_raise_msg(vm, SIM_E_EOFError, "EOF when reading a line"); }

FN(b_open) {
    return sim_raise_msg(vm, SIM_E_NotImplementedError, "aiosim does not support open() (no file I/O in scenarios)");
}

FN(b_aiter) {
    NOKW("aiter"); NARGS("aiter", 1, 1);
    return sim_call_method(vm, args[0], "__aiter__", NULL, 0);
}

FN(b_anext) {
    NOKW("anext"); NARGS("anext", 1, 2);
    if (nargs == 2)
        return sim_raise_msg(vm, SIM_E_NotImplementedError, "aiosim does not support anext() with a default yet");
    return sim_call_method(vm, args[0], "__anext__", NULL, 0);
}

static const sim_method_def BUILTIN_FNS[] = {
    {"print", b_print, NULL, 0}, {"len", b_len, NULL, 0}, {"repr", b_repr, NULL, 0}, {"ascii", b_ascii, NULL, 0},
    {"abs", b_abs, NULL, 0}, {"round", b_round, NULL, 0}, {"divmod", b_divmod, NULL, 0},
    {"pow", b_pow, NULL, 0}, {"sum", b_sum, NULL, 0}, {"min", b_min, NULL, 0},
    {"max", b_max, NULL, 0}, {"sorted", b_sorted, NULL, 0}, {"any", b_any, NULL, 0},
    {"all", b_all, NULL, 0}, {"isinstance", b_isinstance, NULL, 0},
    {"issubclass", b_issubclass, NULL, 0}, {"getattr", b_getattr, NULL, 0},
    {"setattr", b_setattr, NULL, 0}, {"delattr", b_delattr, NULL, 0},
    {"hasattr", b_hasattr, NULL, 0}, {"id", b_id, NULL, 0}, {"hash", b_hash, NULL, 0},
    {"iter", b_iter, NULL, 0}, {"next", b_next, NULL, 0}, {"callable", b_callable, NULL, 0},
    {"chr", b_chr, NULL, 0}, {"ord", b_ord, NULL, 0}, {"hex", b_hex, NULL, 0},
    {"oct", b_oct, NULL, 0}, {"bin", b_bin, NULL, 0}, {"format", b_format, NULL, 0},
    {"vars", b_vars, NULL, 0}, {"globals", b_globals, NULL, 0}, {"locals", b_locals, NULL, 0},
    {"dir", b_dir, NULL, 0}, {"__build_class__", b_build_class, NULL, 0},
    {"input", b_input, NULL, 0}, {"open", b_open, NULL, 0},
    {"aiter", b_aiter, NULL, 0}, {"anext", b_anext, NULL, 0},
    {NULL, NULL, NULL, 0},
};

void sim__init_builtins(sim_vm *vm) {
    vm->builtins = sim_dict_new(vm);
    sim_obj *b = vm->builtins;
    for (const sim_method_def *d = BUILTIN_FNS; d->name; d++)
        sim_dict_setstr(vm, b, d->name, sim_native_new(vm, d->name, d->fn, NULL, NULL));
    vm->build_class = sim_dict_getstr(vm, b, sim_intern(vm, "__build_class__"));
    static const sim_tid types[] = {
        SIM_T_object, SIM_T_type, SIM_T_int, SIM_T_bool, SIM_T_float, SIM_T_str, SIM_T_list, SIM_T_tuple,
        SIM_T_dict, SIM_T_set, SIM_T_frozenset, SIM_T_range, SIM_T_slice, SIM_T_property,
        SIM_T_staticmethod, SIM_T_classmethod, SIM_T_super, SIM_T_enumerate, SIM_T_zip, SIM_T_map,
        SIM_T_filter, SIM_T_reversed,
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        sim_dict_set(vm, b, vm->types[types[i]]->name, (sim_obj *)vm->types[types[i]]);
    for (int i = 0; i < SIM_E__COUNT; i++)
        sim_dict_set(vm, b, vm->exc_types[i]->name, (sim_obj *)vm->exc_types[i]);
    sim_dict_setstr(vm, b, "EnvironmentError", (sim_obj *)vm->exc_types[SIM_E_OSError]);
    sim_dict_setstr(vm, b, "IOError", (sim_obj *)vm->exc_types[SIM_E_OSError]);
    sim_dict_setstr(vm, b, "None", vm->none);
    sim_dict_setstr(vm, b, "True", vm->true_);
    sim_dict_setstr(vm, b, "False", vm->false_);
    sim_dict_setstr(vm, b, "NotImplemented", vm->notimpl);
    sim_dict_setstr(vm, b, "Ellipsis", vm->ellipsis);
    sim_dict_setstr(vm, b, "__name__", sim_intern(vm, "builtins"));
    sim_dict_setstr(vm, b, "__debug__", vm->true_);
}
