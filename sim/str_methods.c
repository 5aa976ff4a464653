/* str_methods.c — the methods of str (text rules from pyfmt) and str.format. */
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)
#define S(o) SIM_CSTR(o), SIM_STR(o)->len

static bool need_str(sim_vm *vm, sim_obj *o, const char *what) {
    if (SIM_IS_STR(o)) return true;
    sim_raise_msg(vm, SIM_E_TypeError, "%s", what);
    return false;
}

static sim_obj *from_span(sim_vm *vm, sim_obj *s, pyfmt_span sp) {
    if (sp.off == 0 && sp.len == SIM_STR(s)->len) return s;
    return sim_str_new(vm, SIM_CSTR(s) + sp.off, sp.len);
}

static int range_args(sim_vm *vm, sim_obj **args, int nargs, int first, pyfmt_range *r) {
    *r = PYFMT_ALL;
    if (nargs > first && args[first] != vm->none) {
        if (!SIM_IS_INT(args[first])) {
            sim_raise_msg(vm, SIM_E_TypeError, "slice indices must be integers or None or have an __index__ method");
            return -1;
        }
        r->start = (long)SIM_INT(args[first]);
        r->has_start = 1;
    }
    if (nargs > first + 1 && args[first + 1] != vm->none) {
        if (!SIM_IS_INT(args[first + 1])) {
            sim_raise_msg(vm, SIM_E_TypeError, "slice indices must be integers or None or have an __index__ method");
            return -1;
        }
        r->end = (long)SIM_INT(args[first + 1]);
        r->has_end = 1;
    }
    return 0;
}

static sim_obj *spans_list(sim_vm *vm, sim_obj *s, pyfmt_spans *sp) {
    sim_obj *l = sim_list_new(vm, sp->n, NULL);
    sim_push(vm, l);
    for (size_t i = 0; i < sp->n; i++) {
        sim_obj *p = sim_str_new(vm, SIM_CSTR(s) + sp->v[i].off, sp->v[i].len);
        SIM_LIST(l)->items[i] = p;
    }
    sim_pop(vm, 1);
    pyfmt_spans_free(sp);
    return l;
}

static sim_obj *do_split(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames, bool right) {
    static const char *const names[] = {"self", "sep", "maxsplit", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, right ? "rsplit" : "split", args, nargs, kwnames, 1, 3, names, a) < 0) return NULL;
    sim_obj *sep = a[1] && a[1] != vm->none ? a[1] : NULL;
    if (sep && !need_str(vm, sep, "must be str or None")) return NULL;
    long maxsplit = a[2] ? (long)SIM_INT(a[2]) : -1;
    pyfmt_spans sp = {0};
    pyfmt_err err = {0};
    int rc = right ? pyfmt_str_rsplit(S(a[0]), sep ? SIM_CSTR(sep) : NULL, sep ? SIM_STR(sep)->len : 0, maxsplit, &sp, &err)
                   : pyfmt_str_split(S(a[0]), sep ? SIM_CSTR(sep) : NULL, sep ? SIM_STR(sep)->len : 0, maxsplit, &sp, &err);
    if (rc != PYFMT_OK) { pyfmt_spans_free(&sp); return sim__raise_pyfmt(vm, &err); }
    return spans_list(vm, a[0], &sp);
}

FN(s_split) { return do_split(vm, args, nargs, kwnames, false); }
FN(s_rsplit) { return do_split(vm, args, nargs, kwnames, true); }

FN(s_splitlines) {
    static const char *const names[] = {"self", "keepends", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "splitlines", args, nargs, kwnames, 1, 2, names, a) < 0) return NULL;
    pyfmt_spans sp = {0};
    pyfmt_str_splitlines(S(a[0]), a[1] ? sim_truthy(vm, a[1]) : 0, &sp);
    return spans_list(vm, a[0], &sp);
}

FN(s_join) {
    if (sim_check_nargs(vm, "join", nargs - 1, 1, 1) < 0) return NULL;
    return sim__str_join(vm, args[0], args[1]);
}

static sim_obj *do_strip(sim_vm *vm, sim_obj **args, int nargs, int which, const char *fname) {
    if (sim_check_nargs(vm, fname, nargs - 1, 0, 1) < 0) return NULL;
    sim_obj *chars = nargs > 1 && args[1] != vm->none ? args[1] : NULL;
    if (chars && !need_str(vm, chars, "strip arg must be None or str")) return NULL;
    pyfmt_span sp = pyfmt_str_strip(S(args[0]), chars ? SIM_CSTR(chars) : NULL, chars ? SIM_STR(chars)->len : 0, which);
    return from_span(vm, args[0], sp);
}

FN(s_strip) { return do_strip(vm, args, nargs, 3, "strip"); }
FN(s_lstrip) { return do_strip(vm, args, nargs, 1, "lstrip"); }
FN(s_rstrip) { return do_strip(vm, args, nargs, 2, "rstrip"); }

FN(s_replace) {
    if (sim_check_nargs(vm, "replace", nargs - 1, 2, 3) < 0) return NULL;
    if (!need_str(vm, args[1], "replace() argument 1 must be str") || !need_str(vm, args[2], "replace() argument 2 must be str"))
        return NULL;
    long count = nargs > 3 ? (long)SIM_INT(args[3]) : -1;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_str_replace(S(args[0]), S(args[1]), S(args[2]), count, &b);
    return sim__str_from_buf(vm, &b);
}

static sim_obj *prefix_test(sim_vm *vm, sim_obj **args, int nargs, bool ends) {
    const char *fname = ends ? "endswith" : "startswith";
    if (sim_check_nargs(vm, fname, nargs - 1, 1, 3) < 0) return NULL;
    pyfmt_range r;
    if (range_args(vm, args, nargs, 2, &r) < 0) return NULL;
    sim_obj *p = args[1];
    size_t n = SIM_IS_TUPLE(p) ? SIM_TUPLE(p)->len : 1;
    for (size_t i = 0; i < n; i++) {
        sim_obj *x = SIM_IS_TUPLE(p) ? SIM_TUPLE(p)->items[i] : p;
        if (!SIM_IS_STR(x))
            return sim_raise_msg(vm, SIM_E_TypeError, "%s first arg must be str or a tuple of str, not %s", fname, sim_type_name(x));
        int hit = ends ? pyfmt_str_endswith(S(args[0]), S(x), r) : pyfmt_str_startswith(S(args[0]), S(x), r);
        if (hit) return vm->true_;
    }
    return vm->false_;
}

FN(s_startswith) { return prefix_test(vm, args, nargs, false); }
FN(s_endswith) { return prefix_test(vm, args, nargs, true); }

static sim_obj *do_find(sim_vm *vm, sim_obj **args, int nargs, int mode, const char *fname) {
    if (sim_check_nargs(vm, fname, nargs - 1, 1, 3) < 0) return NULL;
    if (!SIM_IS_STR(args[1]))
        return sim_raise_msg(vm, SIM_E_TypeError, "must be str, not %s", sim_type_name(args[1]));
    pyfmt_range r;
    if (range_args(vm, args, nargs, 2, &r) < 0) return NULL;
    long i;
    if (mode == 4) return sim_int_new(vm, pyfmt_str_count(S(args[0]), S(args[1]), r));
    i = (mode & 1) ? pyfmt_str_rfind(S(args[0]), S(args[1]), r) : pyfmt_str_find(S(args[0]), S(args[1]), r);
    if (i < 0 && (mode & 2)) return sim_raise_msg(vm, SIM_E_ValueError, "substring not found");
    return sim_int_new(vm, i);
}

FN(s_find) { return do_find(vm, args, nargs, 0, "find"); }
FN(s_rfind) { return do_find(vm, args, nargs, 1, "rfind"); }
FN(s_index) { return do_find(vm, args, nargs, 2, "index"); }
FN(s_rindex) { return do_find(vm, args, nargs, 3, "rindex"); }
FN(s_count) { return do_find(vm, args, nargs, 4, "count"); }

static sim_obj *do_case(sim_vm *vm, sim_obj **args, int nargs, int which) {
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_str_case(S(args[0]), which, &b);
    return sim__str_from_buf(vm, &b);
}

FN(s_upper) { return do_case(vm, args, nargs, PYFMT_UPPER); }
FN(s_lower) { return do_case(vm, args, nargs, PYFMT_LOWER); }
FN(s_capitalize) { return do_case(vm, args, nargs, PYFMT_CAPITALIZE); }
FN(s_title) { return do_case(vm, args, nargs, PYFMT_TITLE); }
FN(s_swapcase) { return do_case(vm, args, nargs, PYFMT_SWAPCASE); }
FN(s_casefold) { return do_case(vm, args, nargs, PYFMT_CASEFOLD); }

static sim_obj *do_pad(sim_vm *vm, sim_obj **args, int nargs, int which, const char *fname) {
    if (sim_check_nargs(vm, fname, nargs - 1, 1, which == 3 ? 1 : 2) < 0) return NULL;
    if (!SIM_IS_INT(args[1]))
        return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(args[1]));
    uint32_t fill = ' ';
    if (nargs > 2) {
        if (!SIM_IS_STR(args[2]) || SIM_STR(args[2])->nchars != 1)
            return sim_raise_msg(vm, SIM_E_TypeError, "The fill character must be exactly one character long");
        size_t pos = 0;
        fill = pyfmt_utf8_next(S(args[2]), &pos);
    }
    long w = (long)SIM_INT(args[1]);
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    if (which == 0) pyfmt_str_center(S(args[0]), w, fill, &b);
    else if (which == 1) pyfmt_str_ljust(S(args[0]), w, fill, &b);
    else if (which == 2) pyfmt_str_rjust(S(args[0]), w, fill, &b);
    else pyfmt_str_zfill(S(args[0]), w, &b);
    return sim__str_from_buf(vm, &b);
}

FN(s_center) { return do_pad(vm, args, nargs, 0, "center"); }
FN(s_ljust) { return do_pad(vm, args, nargs, 1, "ljust"); }
FN(s_rjust) { return do_pad(vm, args, nargs, 2, "rjust"); }
FN(s_zfill) { return do_pad(vm, args, nargs, 3, "zfill"); }

FN(s_expandtabs) {
    long ts = nargs > 1 ? (long)SIM_INT(args[1]) : 8;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_str_expandtabs(S(args[0]), ts, &b);
    return sim__str_from_buf(vm, &b);
}

static sim_obj *do_partition(sim_vm *vm, sim_obj **args, int nargs, bool right) {
    if (sim_check_nargs(vm, right ? "rpartition" : "partition", nargs - 1, 1, 1) < 0) return NULL;
    if (!need_str(vm, args[1], "must be str")) return NULL;
    pyfmt_span sp[3];
    pyfmt_err err = {0};
    int rc = right ? pyfmt_str_rpartition(S(args[0]), S(args[1]), sp, &err) : pyfmt_str_partition(S(args[0]), S(args[1]), sp, &err);
    if (rc != PYFMT_OK) return sim__raise_pyfmt(vm, &err);
    sim_obj *t = sim_tuple_new(vm, 3, NULL);
    sim_push(vm, t);
    for (int i = 0; i < 3; i++) {
        sim_obj *p = sim_str_new(vm, SIM_CSTR(args[0]) + sp[i].off, sp[i].len);
        SIM_TUPLE(t)->items[i] = p;
    }
    sim_pop(vm, 1);
    return t;
}

FN(s_partition) { return do_partition(vm, args, nargs, false); }
FN(s_rpartition) { return do_partition(vm, args, nargs, true); }

FN(s_removeprefix) {
    if (sim_check_nargs(vm, "removeprefix", nargs - 1, 1, 1) < 0 || !need_str(vm, args[1], "must be str")) return NULL;
    sim_strobj *s = SIM_STR(args[0]), *p = SIM_STR(args[1]);
    if (p->len <= s->len && memcmp(s->data, p->data, p->len) == 0) return sim_str_new(vm, s->data + p->len, s->len - p->len);
    return args[0];
}

FN(s_removesuffix) {
    if (sim_check_nargs(vm, "removesuffix", nargs - 1, 1, 1) < 0 || !need_str(vm, args[1], "must be str")) return NULL;
    sim_strobj *s = SIM_STR(args[0]), *p = SIM_STR(args[1]);
    if (p->len && p->len <= s->len && memcmp(s->data + s->len - p->len, p->data, p->len) == 0)
        return sim_str_new(vm, s->data, s->len - p->len);
    return args[0];
}

#define PRED(name, fn) FN(name) { return sim_bool(vm, fn(S(args[0]))); }
PRED(s_isdigit, pyfmt_str_isdigit)
PRED(s_isdecimal, pyfmt_str_isdecimal)
PRED(s_isnumeric, pyfmt_str_isnumeric)
PRED(s_isalpha, pyfmt_str_isalpha)
PRED(s_isalnum, pyfmt_str_isalnum)
PRED(s_isspace, pyfmt_str_isspace)
PRED(s_isupper, pyfmt_str_isupper)
PRED(s_islower, pyfmt_str_islower)
PRED(s_istitle, pyfmt_str_istitle)
PRED(s_isidentifier, pyfmt_str_isidentifier)
PRED(s_isprintable, pyfmt_str_isprintable)
PRED(s_isascii, pyfmt_str_isascii)

FN(s_format) { return sim__str_format_method(vm, args[0], args + 1, nargs - 1, kwnames); }

FN(s_encode) {
    return sim_raise_msg(vm, SIM_E_NotImplementedError, "aiosim does not support bytes (str.encode) yet");
}

FN(s_len) { return sim_int_new(vm, (int64_t)SIM_STR(args[0])->nchars); }
FN(s_str) { return args[0]; }
FN(s_repr) { return sim__str_repr(vm, args[0]); }

FN(s_getitem) {
    if (sim_check_nargs(vm, "__getitem__", nargs - 1, 1, 1) < 0) return NULL;
    return sim__str_getitem(vm, args[0], args[1]);
}

FN(s_contains) {
    int r = sim_contains(vm, args[0], args[1]);
    return r < 0 ? NULL : sim_bool(vm, r);
}

void sim__str_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"split", s_split, NULL, 0}, {"rsplit", s_rsplit, NULL, 0}, {"splitlines", s_splitlines, NULL, 0},
        {"join", s_join, NULL, 0}, {"strip", s_strip, NULL, 0}, {"lstrip", s_lstrip, NULL, 0},
        {"rstrip", s_rstrip, NULL, 0}, {"replace", s_replace, NULL, 0},
        {"startswith", s_startswith, NULL, 0}, {"endswith", s_endswith, NULL, 0},
        {"find", s_find, NULL, 0}, {"rfind", s_rfind, NULL, 0}, {"index", s_index, NULL, 0},
        {"rindex", s_rindex, NULL, 0}, {"count", s_count, NULL, 0},
        {"upper", s_upper, NULL, 0}, {"lower", s_lower, NULL, 0}, {"capitalize", s_capitalize, NULL, 0},
        {"title", s_title, NULL, 0}, {"swapcase", s_swapcase, NULL, 0}, {"casefold", s_casefold, NULL, 0},
        {"center", s_center, NULL, 0}, {"ljust", s_ljust, NULL, 0}, {"rjust", s_rjust, NULL, 0},
        {"zfill", s_zfill, NULL, 0}, {"expandtabs", s_expandtabs, NULL, 0},
        {"partition", s_partition, NULL, 0}, {"rpartition", s_rpartition, NULL, 0},
        {"removeprefix", s_removeprefix, NULL, 0}, {"removesuffix", s_removesuffix, NULL, 0},
        {"isdigit", s_isdigit, NULL, 0}, {"isdecimal", s_isdecimal, NULL, 0},
        {"isnumeric", s_isnumeric, NULL, 0}, {"isalpha", s_isalpha, NULL, 0},
        {"isalnum", s_isalnum, NULL, 0}, {"isspace", s_isspace, NULL, 0},
        {"isupper", s_isupper, NULL, 0}, {"islower", s_islower, NULL, 0},
        {"istitle", s_istitle, NULL, 0}, {"isidentifier", s_isidentifier, NULL, 0},
        {"isprintable", s_isprintable, NULL, 0}, {"isascii", s_isascii, NULL, 0},
        {"format", s_format, NULL, 0}, {"encode", s_encode, NULL, 0},
        {"__len__", s_len, NULL, 0}, {"__str__", s_str, NULL, 0}, {"__repr__", s_repr, NULL, 0},
        {"__getitem__", s_getitem, NULL, 0}, {"__contains__", s_contains, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    sim__add_methods(vm, vm->types[SIM_T_str], defs);
}

/* ---- str.format ---------------------------------------------------------------------------- */

/* Resolves a field name ("0", "name", "0.attr", "name[key]") to its value. */
static sim_obj *format_field(sim_vm *vm, const char *s, size_t n, sim_obj **args, int nargs, sim_obj *kwnames,
                             int *auto_idx) {
    size_t i = 0;
    while (i < n && s[i] != '.' && s[i] != '[') i++;
    sim_obj *v = NULL;
    if (i == 0) {
        if (*auto_idx < 0)
            return sim_raise_msg(vm, SIM_E_ValueError, "cannot switch from manual field specification to automatic field numbering");
        int k = (*auto_idx)++;
        if (k >= nargs)
            return sim_raise_msg(vm, SIM_E_IndexError, "Replacement index %d out of range for positional args tuple", k);
        v = args[k];
    } else if (s[0] >= '0' && s[0] <= '9') {
        if (*auto_idx > 0)
            return sim_raise_msg(vm, SIM_E_ValueError, "cannot switch from automatic field numbering to manual field specification");
        *auto_idx = -1;
        long k = strtol(s, NULL, 10);
        if (k >= nargs)
            return sim_raise_msg(vm, SIM_E_IndexError, "Replacement index %ld out of range for positional args tuple", k);
        v = args[k];
    } else {
        size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
        for (size_t k = 0; k < nkw; k++) {
            sim_obj *kn = SIM_TUPLE(kwnames)->items[k];
            if (SIM_STR(kn)->len == i && memcmp(SIM_CSTR(kn), s, i) == 0) v = args[nargs + k];
        }
        if (!v) {
            sim_obj *key = sim_str_new(vm, s, i);
            return sim_raise_keyerror(vm, key);
        }
    }
    while (i < n) {
        sim_push(vm, v);
        if (s[i] == '.') {
            size_t j = ++i;
            while (i < n && s[i] != '.' && s[i] != '[') i++;
            sim_obj *name = sim_intern_str(vm, sim_str_new(vm, s + j, i - j));
            v = sim_getattr(vm, v, name);
        } else {
            size_t j = ++i;
            while (i < n && s[i] != ']') i++;
            sim_obj *key;
            bool digits = i > j;
            for (size_t k = j; k < i; k++) digits &= s[k] >= '0' && s[k] <= '9';
            key = digits ? sim_int_new(vm, strtol(s + j, NULL, 10)) : sim_str_new(vm, s + j, i - j);
            sim_push(vm, key);
            v = sim_getitem(vm, v, key);
            sim_pop(vm, 1);
            i++;
        }
        sim_pop(vm, 1);
        if (!v) return NULL;
    }
    return v;
}

static int format_one(sim_vm *vm, pyfmt_buf *b, const char *s, size_t n, sim_obj **args, int nargs,
                      sim_obj *kwnames, int *auto_idx, int depth);

/* Expands nested {fields} in a format spec. */
static sim_obj *expand_spec(sim_vm *vm, const char *s, size_t n, sim_obj **args, int nargs, sim_obj *kwnames,
                            int *auto_idx, int depth) {
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '{') { pyfmt_buf_putc(&b, s[i]); continue; }
        size_t j = i + 1;
        while (j < n && s[j] != '}') j++;
        if (format_one(vm, &b, s + i + 1, j - i - 1, args, nargs, kwnames, auto_idx, depth + 1) < 0) {
            pyfmt_buf_free(&b);
            return NULL;
        }
        i = j;
    }
    return sim__str_from_buf(vm, &b);
}

static int format_one(sim_vm *vm, pyfmt_buf *b, const char *s, size_t n, sim_obj **args, int nargs,
                      sim_obj *kwnames, int *auto_idx, int depth) {
    if (depth > 2) {
        sim_raise_msg(vm, SIM_E_ValueError, "Max string recursion exceeded");
        return -1;
    }
    size_t name_end = 0;
    int bracket = 0;
    while (name_end < n && (bracket || (s[name_end] != '!' && s[name_end] != ':'))) {
        if (s[name_end] == '[') bracket = 1;
        else if (s[name_end] == ']') bracket = 0;
        name_end++;
    }
    sim_obj *v = format_field(vm, s, name_end, args, nargs, kwnames, auto_idx);
    if (!v) return -1;
    size_t i = name_end;
    char conv = 0;
    if (i < n && s[i] == '!') {
        if (i + 1 >= n) {
            sim_raise_msg(vm, SIM_E_ValueError, "end of string while looking for conversion specifier");
            return -1;
        }
        conv = s[i + 1];
        i += 2;
        if (i < n && s[i] != ':') {
            sim_raise_msg(vm, SIM_E_ValueError, "expected ':' after conversion specifier");
            return -1;
        }
    }
    sim_push(vm, v);
    if (conv == 'r') v = sim_repr(vm, v);
    else if (conv == 'a') v = sim_ascii(vm, v);
    else if (conv == 's') v = sim_str(vm, v);
    else if (conv) {
        sim_pop(vm, 1);
        sim_raise_msg(vm, SIM_E_ValueError, "Unknown conversion specifier %c", conv);
        return -1;
    }
    sim_pop(vm, 1);
    if (!v) return -1;
    sim_push(vm, v);
    sim_obj *spec = NULL;
    if (i < n && s[i] == ':') {
        spec = expand_spec(vm, s + i + 1, n - i - 1, args, nargs, kwnames, auto_idx, depth);
        if (!spec) { sim_pop(vm, 1); return -1; }
    }
    sim_push(vm, spec ? spec : vm->none);
    sim_obj *out;
    int rc = sim_format(vm, v, spec, &out);
    sim_pop(vm, 2);
    if (rc < 0) return -1;
    pyfmt_buf_append(b, SIM_CSTR(out), SIM_STR(out)->len);
    return 0;
}

sim_obj *sim__str_format_method(sim_vm *vm, sim_obj *fmt, sim_obj **args, int nargs, sim_obj *kwnames) {
    const char *s = SIM_CSTR(fmt);
    size_t n = SIM_STR(fmt)->len;
    int auto_idx = 0;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '}') {
            if (i + 1 < n && s[i + 1] == '}') { pyfmt_buf_putc(&b, '}'); i++; continue; }
            pyfmt_buf_free(&b);
            return sim_raise_msg(vm, SIM_E_ValueError, "Single '}' encountered in format string");
        }
        if (c != '{') { pyfmt_buf_putc(&b, c); continue; }
        if (i + 1 < n && s[i + 1] == '{') { pyfmt_buf_putc(&b, '{'); i++; continue; }
        size_t j = i + 1;
        int depth = 1;
        while (j < n) {
            if (s[j] == '{') depth++;
            else if (s[j] == '}' && --depth == 0) break;
            j++;
        }
        if (j >= n) {
            pyfmt_buf_free(&b);
            return sim_raise_msg(vm, SIM_E_ValueError, "Single '{' encountered in format string");
        }
        if (format_one(vm, &b, s + i + 1, j - i - 1, args, nargs, kwnames, &auto_idx, 0) < 0) {
            pyfmt_buf_free(&b);
            return NULL;
        }
        i = j;
    }
    return sim__str_from_buf(vm, &b);
}
