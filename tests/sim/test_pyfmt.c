/* test_pyfmt.c — sim/pyfmt against CPython 3.11.  The tables in pyfmt_cases.h
 * come from tests/sim/gen_pyfmt_cases.py run under python3.11; each table test
 * prints every mismatch and then asserts there were none.  A few direct
 * assertions pin the headline cases and the error wording. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pyfmt.h"

struct float_repr_case { uint64_t bits; const char *want; };
enum { FMT_INT, FMT_BIGINT, FMT_FLOAT, FMT_STR, FMT_BOOL };
struct format_case { int kind; long long i; uint64_t bits; const char *s; const char *spec; const char *want; };
enum { PA_NONE, PA_INT, PA_BOOL, PA_FLOAT, PA_STR, PA_LIST };
struct pa { int kind; long long i; uint64_t bits; const char *s; };
struct percent_case { const char *fmt; long nargs; struct pa args[3]; const char *want; };
struct round_case { uint64_t x; long nd; uint64_t want; };
struct int_round_case { long long v; long nd; long long want; int ok; };
struct parse_case { const char *s; int base; const char *want; };
struct repr_case { const char *s; const char *repr; const char *ascii; };
struct search_case { const char *s, *sub; long start, end; int has_start, has_end;
                     long find, rfind, count; int sw, ew; };
struct split_case { const char *s, *sep; long maxsplit; const char *split, *rsplit; };
struct method_case { const char *s, *upper, *lower, *capitalize, *title, *swapcase, *casefold;
                     int preds; const char *lines, *strip, *pads, *parts, *slices; };

#include "pyfmt_cases.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static double d_of(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static uint64_t bits_of(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* Renders a result or an error as the generator does ("!Kind: msg"). */
static const char *result(int rc, const pyfmt_buf *b, const pyfmt_err *e, char *tmp, size_t cap)
{
    if (rc == PYFMT_OK)
        return pyfmt_buf_cstr(b);
    snprintf(tmp, cap, "!%s: %s", pyfmt_status_name(e->code), e->msg);
    return tmp;
}

static int check(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return 0;
    printf("MISMATCH %s\n   got: [%s]\n  want: [%s]\n", what, got, want);
    return 1;
}

/* ---- floats ------------------------------------------------------------- */

static void float_repr_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(float_repr_cases); i++) {
        char out[32], what[64];
        pyfmt_float_repr(d_of(float_repr_cases[i].bits), out);
        snprintf(what, sizeof what, "repr %016llx", (unsigned long long)float_repr_cases[i].bits);
        bad += check(what, out, float_repr_cases[i].want);
    }
    assert_int_equal(bad, 0);
}

static const char *repr_of(double x)
{
    static char out[32];
    pyfmt_float_repr(x, out);
    return out;
}

static void float_repr_examples(void **state)
{
    assert_string_equal(repr_of(0.1), "0.1");
    assert_string_equal(repr_of(0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(repr_of(5.0), "5.0");
    assert_string_equal(repr_of(1e-9), "1e-09");
    assert_string_equal(repr_of(1e16), "1e+16");
    assert_string_equal(repr_of(123456789012345678.0), "1.2345678901234568e+17");
    assert_string_equal(repr_of(-0.0), "-0.0");
    assert_string_equal(repr_of(1.0 / 0.0), "inf");
    assert_string_equal(repr_of(-1.0 / 0.0), "-inf");
    assert_string_equal(repr_of(0.0 / 0.0), "nan");
    assert_string_equal(repr_of(9007199254740993.0), "9007199254740992.0");
    assert_string_equal(repr_of(5e-324), "5e-324");
}

static void round_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(round_cases); i++) {
        double r = -1;
        pyfmt_err e;
        int rc = pyfmt_float_round(d_of(round_cases[i].x), round_cases[i].nd, &r, &e);
        if (rc != PYFMT_OK || bits_of(r) != round_cases[i].want) {
            printf("MISMATCH round(%.17g, %ld) = %.17g want %.17g\n", d_of(round_cases[i].x),
                   round_cases[i].nd, r, d_of(round_cases[i].want));
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    assert_true(pyfmt_float_round_half_even(2.5) == 2.0);
    assert_true(pyfmt_float_round_half_even(3.5) == 4.0);
    assert_true(pyfmt_float_round_half_even(-0.5) == 0.0);
    pyfmt_err e;
    double r;
    assert_int_equal(pyfmt_float_round(1.7976931348623157e308, -308, &r, &e), PYFMT_EOVERFLOW);
    assert_string_equal(e.msg, "rounded value too large to represent");
    assert_int_equal(pyfmt_float_to_int_error(1.0 / 0.0, &e), PYFMT_EOVERFLOW);
    assert_string_equal(e.msg, "cannot convert float infinity to integer");
}

static void int_round_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(int_round_cases); i++) {
        const struct int_round_case *c = &int_round_cases[i];
        long long r = 0;
        pyfmt_err e;
        int rc = pyfmt_int_round(c->v, c->nd, &r, &e);
        if ((rc == PYFMT_OK) != c->ok || (c->ok && r != c->want)) {
            printf("MISMATCH round(%lld, %ld) = %lld rc %d\n", c->v, c->nd, r, rc);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* ---- format() ----------------------------------------------------------- */

static int run_format_kind(int kind)
{
    int bad = 0;
    for (size_t i = 0; i < N(format_cases); i++) {
        const struct format_case *c = &format_cases[i];
        if (c->kind != kind)
            continue;
        pyfmt_buf b;
        pyfmt_err e = {0, ""};
        pyfmt_buf_init(&b);
        size_t sn = strlen(c->spec);
        int rc;
        char what[160], tmp[400];
        switch (kind) {
        case FMT_INT:
            rc = pyfmt_format_int(c->i, c->spec, sn, NULL, &b, &e);
            snprintf(what, sizeof what, "format(%lld, '%s')", c->i, c->spec);
            break;
        case FMT_BOOL:
            if (sn == 0)   /* the caller's job: an empty spec means str() */
                rc = pyfmt_buf_puts(&b, c->i ? "True" : "False");
            else
                rc = pyfmt_format_int(c->i, c->spec, sn, "bool", &b, &e);
            snprintf(what, sizeof what, "format(%s, '%s')", c->i ? "True" : "False", c->spec);
            break;
        case FMT_BIGINT:
            rc = pyfmt_format_bigint((int)c->i, c->s, strlen(c->s), c->spec, sn, NULL, &b, &e);
            snprintf(what, sizeof what, "format(%s%s, '%s')", c->i ? "-" : "", c->s, c->spec);
            break;
        case FMT_FLOAT:
            rc = pyfmt_format_float(d_of(c->bits), c->spec, sn, NULL, &b, &e);
            snprintf(what, sizeof what, "format(%.17g, '%s')", d_of(c->bits), c->spec);
            break;
        default:
            rc = pyfmt_format_str(c->s, strlen(c->s), c->spec, sn, NULL, &b, &e);
            snprintf(what, sizeof what, "format('%s', '%s')", c->s, c->spec);
            break;
        }
        bad += check(what, result(rc, &b, &e, tmp, sizeof tmp), c->want);
        pyfmt_buf_free(&b);
    }
    return bad;
}

static void format_float_table(void **state) { assert_int_equal(run_format_kind(FMT_FLOAT), 0); }
static void format_int_table(void **state)
{
    assert_int_equal(run_format_kind(FMT_INT), 0);
    assert_int_equal(run_format_kind(FMT_BOOL), 0);
    assert_int_equal(run_format_kind(FMT_BIGINT), 0);
}
static void format_str_table(void **state) { assert_int_equal(run_format_kind(FMT_STR), 0); }

static void format_errors(void **state)
{
    pyfmt_buf b;
    pyfmt_err e;
    pyfmt_buf_init(&b);
    assert_int_equal(pyfmt_format_float(1.5, "d", 1, NULL, &b, &e), PYFMT_EVALUE);
    assert_string_equal(e.msg, "Unknown format code 'd' for object of type 'float'");
    assert_int_equal(pyfmt_format_int(1, "dd", 2, NULL, &b, &e), PYFMT_EVALUE);
    assert_string_equal(e.msg, "Invalid format specifier 'dd' for object of type 'int'");
    assert_int_equal(pyfmt_format_str("a", 1, "+", 1, NULL, &b, &e), PYFMT_EVALUE);
    assert_string_equal(e.msg, "Sign not allowed in string format specifier");
    assert_int_equal(pyfmt_format_int(-1, "c", 1, NULL, &b, &e), PYFMT_EOVERFLOW);
    assert_string_equal(e.msg, "%c arg not in range(0x110000)");
    assert_int_equal(pyfmt_format_int(5, ",x", 2, NULL, &b, &e), PYFMT_EVALUE);
    assert_string_equal(e.msg, "Cannot specify ',' with 'x'.");
    assert_int_equal(b.len, 0);
    /* width counts code points, and the fill may be any code point */
    assert_int_equal(pyfmt_format_str("\xe4\xb8\xad", 3, "\xc2\xb7^5", 4, NULL, &b, &e), PYFMT_OK);
    assert_string_equal(b.data, "\xc2\xb7\xc2\xb7\xe4\xb8\xad\xc2\xb7\xc2\xb7");
    pyfmt_buf_clear(&b);
    assert_int_equal(pyfmt_format_float(1e16, "", 0, NULL, &b, &e), PYFMT_OK);
    assert_string_equal(b.data, "1e+16");
    pyfmt_buf_clear(&b);
    assert_int_equal(pyfmt_format_float(0.1, ".3", 2, NULL, &b, &e), PYFMT_OK);
    assert_string_equal(b.data, "0.1");
    pyfmt_buf_free(&b);
}

/* ---- %-formatting ------------------------------------------------------- */

/* The callback over a test case's arguments: a tiny stand-in object model. */
struct pctx { const struct pa *args; pyfmt_buf text; };

static int fetch(void *ctx, long index, const char *key, size_t keylen, int conv, pyfmt_arg *out)
{
    struct pctx *p = ctx;
    const struct pa *a = &p->args[index < 0 ? 0 : index];
    char tmp[32];
    pyfmt_buf_clear(&p->text);
    switch (a->kind) {
    case PA_INT:
    case PA_BOOL:
        out->kind = PYFMT_ARG_INT;
        out->i = a->i;
        out->type_name = a->kind == PA_INT ? "int" : "bool";
        if (a->kind == PA_BOOL)
            pyfmt_buf_puts(&p->text, a->i ? "True" : "False");
        else
            pyfmt_int_to_base(a->i, 10, 0, &p->text);
        break;
    case PA_FLOAT:
        out->kind = PYFMT_ARG_FLOAT;
        out->f = d_of(a->bits);
        out->type_name = "float";
        pyfmt_float_repr(out->f, tmp);
        pyfmt_buf_puts(&p->text, tmp);
        break;
    case PA_STR:
        out->kind = PYFMT_ARG_STR;
        out->type_name = "str";
        if (conv == 'r' || conv == 'a')
            pyfmt_str_repr(a->s, strlen(a->s), conv == 'a', &p->text);
        else
            pyfmt_buf_puts(&p->text, a->s);
        break;
    default:
        out->kind = PYFMT_ARG_OTHER;
        out->type_name = "list";
        pyfmt_buf_puts(&p->text, a->s);
        break;
    }
    out->s = pyfmt_buf_cstr(&p->text);
    out->slen = p->text.len;
    if (a->kind == PA_STR && conv != 's' && conv != 'r' && conv != 'a') {
        out->s = a->s;
        out->slen = strlen(a->s);
    }
    return 0;
}

static void percent_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(percent_cases); i++) {
        const struct percent_case *c = &percent_cases[i];
        struct pctx p = {c->args, {0}};
        pyfmt_buf b;
        pyfmt_err e = {0, ""};
        char what[200], tmp[400];
        pyfmt_buf_init(&b);
        long nargs = c->nargs < 0 ? -1 : c->nargs;
        int rc = pyfmt_percent(c->fmt, strlen(c->fmt), nargs, c->nargs == -2, fetch, &p, &b, &e);
        snprintf(what, sizeof what, "'%s' %% ...", c->fmt);
        bad += check(what, result(rc, &b, &e, tmp, sizeof tmp), c->want);
        pyfmt_buf_free(&b);
        pyfmt_buf_free(&p.text);
    }
    assert_int_equal(bad, 0);
}

/* A mapping {'a': 'x', 'n': 7}; any other key fails as KeyError would. */
static int fetch_map(void *ctx, long index, const char *key, size_t keylen, int conv, pyfmt_arg *out)
{
    int *calls = ctx;
    ++*calls;
    if (!key) {
        out->kind = PYFMT_ARG_OTHER;
        out->type_name = "dict";
        out->s = "{'a': 'x', 'n': 7}";
        out->slen = strlen(out->s);
        return 0;
    }
    if (keylen == 1 && key[0] == 'a') {
        out->kind = PYFMT_ARG_STR;
        out->s = "x";
        out->slen = 1;
        return 0;
    }
    if (keylen == 1 && key[0] == 'n') {
        out->kind = PYFMT_ARG_INT;
        out->i = 7;
        out->s = "7";
        out->slen = 1;
        return 0;
    }
    return 1;
}

static void percent_mapping(void **state)
{
    pyfmt_buf b;
    pyfmt_err e;
    int calls = 0;
    pyfmt_buf_init(&b);
    const char *f = "%(a)s-%(n)03d-%(a)r|";
    assert_int_equal(pyfmt_percent(f, strlen(f), -1, 1, fetch_map, &calls, &b, &e), PYFMT_OK);
    assert_string_equal(b.data, "x-007-x|");
    assert_int_equal(calls, 3);
    /* after a key the single value is used up: '%(a)s %s' % d fails */
    f = "%(a)s %s";
    assert_int_equal(pyfmt_percent(f, strlen(f), -1, 1, fetch_map, &calls, &b, &e), PYFMT_ETYPE);
    assert_string_equal(e.msg, "not enough arguments for format string");
    pyfmt_buf_clear(&b);
    f = "%s";
    assert_int_equal(pyfmt_percent(f, strlen(f), -1, 1, fetch_map, &calls, &b, &e), PYFMT_OK);
    assert_string_equal(b.data, "{'a': 'x', 'n': 7}");
    pyfmt_buf_clear(&b);
    f = "%(zz)s";
    assert_int_equal(pyfmt_percent(f, strlen(f), -1, 1, fetch_map, &calls, &b, &e), PYFMT_ECALLER);
    f = "%(a)s";
    assert_int_equal(pyfmt_percent(f, strlen(f), 1, 0, fetch_map, &calls, &b, &e), PYFMT_ETYPE);
    assert_string_equal(e.msg, "format requires a mapping");
    f = "%(a";
    assert_int_equal(pyfmt_percent(f, strlen(f), -1, 1, fetch_map, &calls, &b, &e), PYFMT_EVALUE);
    assert_string_equal(e.msg, "incomplete format key");
    f = "no conversions";
    pyfmt_buf_clear(&b);
    assert_int_equal(pyfmt_percent(f, strlen(f), -1, 1, fetch_map, &calls, &b, &e), PYFMT_OK);
    assert_string_equal(b.data, "no conversions");
    pyfmt_buf_free(&b);
}

/* ---- str.format --------------------------------------------------------- */

/* Objects of the stand-in model: an argument, a keyword, or one character of
 * a str argument (after [i]). */
struct tobj { struct pa v; char ch[8]; };
struct tctx { const struct pa *args; struct tobj objs[8]; int nobj; pyfmt_err err; };

static int t_resolve(void *ctx, const char *s, pyfmt_fieldref *ref, void **obj)
{
    struct tctx *t = ctx;
    struct tobj *o = &t->objs[t->nobj++ % 8];
    if (ref->index >= 0) {
        o->v = t->args[ref->index];
    } else if (ref->first.len == 1 && s[ref->first.off] == 'x') {
        o->v = (struct pa){PA_STR, 0, 0, "X!"};
    } else if (ref->first.len == 1 && s[ref->first.off] == 'n') {
        o->v = (struct pa){PA_INT, 42, 0, NULL};
    } else {
        return 1;   /* KeyError */
    }
    int is_attr, rc;
    long index;
    pyfmt_span name;
    pyfmt_err e;
    while ((rc = pyfmt_fieldname_next(s, ref, &is_attr, &index, &name, &e)) > 0) {
        pyfmt_span ch;
        if (is_attr || o->v.kind != PA_STR || index < 0
            || pyfmt_str_getitem(o->v.s, strlen(o->v.s), index, &ch, &e))
            return 1;
        memcpy(o->ch, o->v.s + ch.off, ch.len);
        o->ch[ch.len] = '\0';
        o->v.s = o->ch;
    }
    *obj = o;
    if (rc < 0)
        t->err = e;
    return rc < 0;
}

static int t_render(void *ctx, void *obj, uint32_t conv, const char *spec, size_t specn,
                    pyfmt_buf *out)
{
    struct tobj *o = obj;
    pyfmt_err e;
    if (conv) {
        struct pctx p = {&o->v, {0}};
        pyfmt_arg a;
        fetch(&p, 0, NULL, 0, (int)conv, &a);
        int rc = pyfmt_format_str(a.s, a.slen, spec, specn, NULL, out, &e);
        pyfmt_buf_free(&p.text);
        return rc;
    }
    switch (o->v.kind) {
    case PA_INT: return pyfmt_format_int(o->v.i, spec, specn, NULL, out, &e);
    case PA_FLOAT: return pyfmt_format_float(d_of(o->v.bits), spec, specn, NULL, out, &e);
    default: return pyfmt_format_str(o->v.s, strlen(o->v.s), spec, specn, NULL, out, &e);
    }
}

static void template_table(void **state)
{
    const pyfmt_template_ops ops = {t_resolve, t_render, NULL};
    int bad = 0;
    for (size_t i = 0; i < N(template_cases); i++) {
        const struct percent_case *c = &template_cases[i];
        struct tctx t = {c->args, {{{0, 0, 0, NULL}, ""}}, 0, {0, ""}};
        pyfmt_buf b;
        pyfmt_err e = {0, ""};
        char what[200], tmp[400];
        pyfmt_buf_init(&b);
        int rc = pyfmt_template_format(c->fmt, strlen(c->fmt), c->nargs, &ops, &t, &b, &e);
        snprintf(what, sizeof what, "'%s'.format(...)", c->fmt);
        if (rc == PYFMT_ECALLER && t.err.code)   /* an accessor error seen by resolve */
            e = t.err;
        const char *got = result(rc, &b, &e, tmp, sizeof tmp);
        /* other caller-raised errors (KeyError, a format error inside render)
         * have no message here: compare only the fact of failing */
        if (rc == PYFMT_ECALLER && !t.err.code && c->want[0] == '!')
            got = c->want;
        bad += check(what, got, c->want);
        pyfmt_buf_free(&b);
    }
    assert_int_equal(bad, 0);
}

/* ---- parsing ------------------------------------------------------------ */

static void int_parse_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(int_parse_cases); i++) {
        const struct parse_case *c = &int_parse_cases[i];
        long long v = 0;
        pyfmt_err e = {0, ""};
        pyfmt_buf b, big;
        char what[300], tmp[400];
        pyfmt_buf_init(&b);
        pyfmt_buf_init(&big);
        int rc = pyfmt_parse_int(c->s, strlen(c->s), c->base, &v, &big, &e);
        if (rc == PYFMT_OK)
            pyfmt_int_to_base(v, 10, 0, &b);
        snprintf(what, sizeof what, "int('%s', %d)", c->s, c->base);
        bad += check(what, result(rc, &b, &e, tmp, sizeof tmp), c->want);
        pyfmt_buf_free(&b);
        pyfmt_buf_free(&big);
    }
    assert_int_equal(bad, 0);
    long long v;
    pyfmt_buf big;
    pyfmt_buf_init(&big);
    assert_int_equal(pyfmt_parse_int(" -0x1_0000_0000_0000_0000 ", 26, 0, &v, &big, NULL),
                     PYFMT_EOVERFLOW);
    assert_string_equal(big.data, "-18446744073709551616");
    pyfmt_buf_free(&big);
}

static void float_parse_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(float_parse_cases); i++) {
        const struct parse_case *c = &float_parse_cases[i];
        double v = 0;
        pyfmt_err e = {0, ""};
        pyfmt_buf b;
        char what[300], tmp[400], r[32];
        pyfmt_buf_init(&b);
        int rc = pyfmt_parse_float(c->s, strlen(c->s), &v, &e);
        if (rc == PYFMT_OK) {
            pyfmt_float_repr(v, r);
            pyfmt_buf_puts(&b, r);
        }
        snprintf(what, sizeof what, "float('%s')", c->s);
        bad += check(what, result(rc, &b, &e, tmp, sizeof tmp), c->want);
        pyfmt_buf_free(&b);
    }
    assert_int_equal(bad, 0);
}

/* ---- str ---------------------------------------------------------------- */

static void repr_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(repr_cases); i++) {
        pyfmt_buf b;
        pyfmt_buf_init(&b);
        pyfmt_str_repr(repr_cases[i].s, strlen(repr_cases[i].s), 0, &b);
        bad += check("repr", pyfmt_buf_cstr(&b), repr_cases[i].repr);
        pyfmt_buf_clear(&b);
        pyfmt_str_repr(repr_cases[i].s, strlen(repr_cases[i].s), 1, &b);
        bad += check("ascii", pyfmt_buf_cstr(&b), repr_cases[i].ascii);
        pyfmt_buf_free(&b);
    }
    assert_int_equal(bad, 0);
}

static void search_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(search_cases); i++) {
        const struct search_case *c = &search_cases[i];
        pyfmt_range r = {c->start, c->end, c->has_start, c->has_end};
        size_t n = strlen(c->s), m = strlen(c->sub);
        long f = pyfmt_str_find(c->s, n, c->sub, m, r);
        long rf = pyfmt_str_rfind(c->s, n, c->sub, m, r);
        long k = pyfmt_str_count(c->s, n, c->sub, m, r);
        int sw = pyfmt_str_startswith(c->s, n, c->sub, m, r);
        int ew = pyfmt_str_endswith(c->s, n, c->sub, m, r);
        if (f != c->find || rf != c->rfind || k != c->count || sw != c->sw || ew != c->ew) {
            printf("MISMATCH search '%s' '%s' [%ld%s:%ld%s]: %ld %ld %ld %d %d want %ld %ld %ld %d %d\n",
                   c->s, c->sub, c->start, c->has_start ? "" : "?", c->end, c->has_end ? "" : "?",
                   f, rf, k, sw, ew, c->find, c->rfind, c->count, c->sw, c->ew);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Joins spans of s with \x01, as the generator joins lists. */
static void join_spans(const char *s, const pyfmt_spans *l, pyfmt_buf *out)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            pyfmt_buf_putc(out, '\x01');
        pyfmt_buf_append(out, s + l->v[i].off, l->v[i].len);
    }
}

static void split_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(split_cases); i++) {
        const struct split_case *c = &split_cases[i];
        for (int right = 0; right < 2; right++) {
            pyfmt_spans l = {0};
            pyfmt_buf b;
            pyfmt_err e = {0, ""};
            char tmp[300], what[300];
            pyfmt_buf_init(&b);
            size_t n = strlen(c->s), sn = c->sep ? strlen(c->sep) : 0;
            int rc = right ? pyfmt_str_rsplit(c->s, n, c->sep, sn, c->maxsplit, &l, &e)
                           : pyfmt_str_split(c->s, n, c->sep, sn, c->maxsplit, &l, &e);
            if (rc == PYFMT_OK)
                join_spans(c->s, &l, &b);
            snprintf(what, sizeof what, "'%s'.%ssplit(%s, %ld)", c->s, right ? "r" : "",
                     c->sep ? c->sep : "None", c->maxsplit);
            bad += check(what, result(rc, &b, &e, tmp, sizeof tmp), right ? c->rsplit : c->split);
            pyfmt_spans_free(&l);
            pyfmt_buf_free(&b);
        }
    }
    assert_int_equal(bad, 0);
}

static int (*const preds[])(const char *, size_t) = {
    pyfmt_str_isdigit, pyfmt_str_isdecimal, pyfmt_str_isnumeric, pyfmt_str_isalpha,
    pyfmt_str_isalnum, pyfmt_str_isspace, pyfmt_str_isupper, pyfmt_str_islower,
    pyfmt_str_istitle, pyfmt_str_isidentifier, pyfmt_str_isprintable, pyfmt_str_isascii,
};

static void case_and_predicates_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(method_cases); i++) {
        const struct method_case *c = &method_cases[i];
        const char *want[] = {c->upper, c->lower, c->capitalize, c->title, c->swapcase, c->casefold};
        const int which[] = {PYFMT_UPPER, PYFMT_LOWER, PYFMT_CAPITALIZE, PYFMT_TITLE,
                             PYFMT_SWAPCASE, PYFMT_CASEFOLD};
        size_t n = strlen(c->s);
        for (int k = 0; k < 6; k++) {
            pyfmt_buf b;
            char what[200];
            pyfmt_buf_init(&b);
            pyfmt_str_case(c->s, n, which[k], &b);
            snprintf(what, sizeof what, "case %d of '%s'", k, c->s);
            bad += check(what, pyfmt_buf_cstr(&b), want[k]);
            pyfmt_buf_free(&b);
        }
        int mask = 0;
        for (size_t k = 0; k < N(preds); k++)
            mask |= preds[k](c->s, n) ? 1 << k : 0;
        if (mask != c->preds) {
            printf("MISMATCH predicates of '%s': %#x want %#x\n", c->s, mask, c->preds);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void lines_strip_pad_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(method_cases); i++) {
        const struct method_case *c = &method_cases[i];
        size_t n = strlen(c->s);
        pyfmt_buf b;
        pyfmt_spans l = {0};
        char what[200];
        pyfmt_buf_init(&b);
        pyfmt_str_splitlines(c->s, n, 0, &l);
        join_spans(c->s, &l, &b);
        pyfmt_buf_putc(&b, '\x02');
        l.n = 0;
        pyfmt_str_splitlines(c->s, n, 1, &l);
        join_spans(c->s, &l, &b);
        snprintf(what, sizeof what, "splitlines of '%s'", c->s);
        bad += check(what, pyfmt_buf_cstr(&b), c->lines);

        pyfmt_buf_clear(&b);
        pyfmt_span sp[5] = {
            pyfmt_str_strip(c->s, n, NULL, 0, 3), pyfmt_str_strip(c->s, n, NULL, 0, 1),
            pyfmt_str_strip(c->s, n, NULL, 0, 2), pyfmt_str_strip(c->s, n, "a,", 2, 3),
            pyfmt_str_strip(c->s, n, "\xe4\xb8\xad\xe6\x96\x87", 6, 3),
        };
        for (int k = 0; k < 5; k++) {
            if (k)
                pyfmt_buf_putc(&b, '\x01');
            pyfmt_buf_append(&b, c->s + sp[k].off, sp[k].len);
        }
        snprintf(what, sizeof what, "strips of '%s'", c->s);
        bad += check(what, pyfmt_buf_cstr(&b), c->strip);

        pyfmt_buf_clear(&b);
        pyfmt_str_center(c->s, n, 15, '*', &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_center(c->s, n, 16, ' ', &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_ljust(c->s, n, 12, 0xb7, &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_rjust(c->s, n, 12, ' ', &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_zfill(c->s, n, 14, &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_expandtabs(c->s, n, 8, &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_expandtabs(c->s, n, 3, &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_replace(c->s, n, "a", 1, "XY", 2, -1, &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_replace(c->s, n, "", 0, "-", 1, 4, &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_replace(c->s, n, "l", 1, "", 0, 1, &b);
        pyfmt_buf_putc(&b, '\x01');
        pyfmt_str_replace(c->s, n, "\xe4\xb8\xad", 3, "Z", 1, -1, &b);
        snprintf(what, sizeof what, "pads of '%s'", c->s);
        bad += check(what, pyfmt_buf_cstr(&b), c->pads);
        pyfmt_buf_free(&b);
        pyfmt_spans_free(&l);
    }
    assert_int_equal(bad, 0);
}

static void partition_slice_table(void **state)
{
    int bad = 0;
    for (size_t i = 0; i < N(method_cases); i++) {
        const struct method_case *c = &method_cases[i];
        size_t n = strlen(c->s);
        pyfmt_buf b;
        pyfmt_span p[9];
        char what[200];
        pyfmt_buf_init(&b);
        pyfmt_str_partition(c->s, n, " ", 1, p, NULL);
        pyfmt_str_rpartition(c->s, n, " ", 1, p + 3, NULL);
        pyfmt_str_partition(c->s, n, "\xe6\x96\x87", 3, p + 6, NULL);
        for (int k = 0; k < 9; k++) {
            if (k)
                pyfmt_buf_putc(&b, '\x01');
            pyfmt_buf_append(&b, c->s + p[k].off, p[k].len);
        }
        snprintf(what, sizeof what, "partitions of '%s'", c->s);
        bad += check(what, pyfmt_buf_cstr(&b), c->parts);

        pyfmt_buf_clear(&b);
        static const long sl[7][5] = {   /* start, stop, step, has_start, has_stop */
            {1, 0, 1, 1, 0}, {0, 0, -1, 0, 0}, {0, 0, 2, 0, 0}, {-3, 0, 1, 1, 0},
            {1, -1, 3, 1, 1}, {5, 1, -2, 1, 1}, {100, 0, 1, 1, 0},
        };
        for (int k = 0; k < 7; k++) {
            if (k)
                pyfmt_buf_putc(&b, '\x01');
            pyfmt_str_slice(c->s, n, sl[k][0], sl[k][1], sl[k][2], (int)sl[k][3], (int)sl[k][4], &b);
        }
        snprintf(what, sizeof what, "slices of '%s'", c->s);
        bad += check(what, pyfmt_buf_cstr(&b), c->slices);
        pyfmt_buf_free(&b);
    }
    assert_int_equal(bad, 0);
}

static void getitem_and_errors(void **state)
{
    pyfmt_span sp;
    pyfmt_err e;
    const char *s = "a\xe4\xb8\xad" "b";
    assert_int_equal(pyfmt_str_getitem(s, 5, 1, &sp, &e), PYFMT_OK);
    assert_int_equal(sp.off, 1);
    assert_int_equal(sp.len, 3);
    assert_int_equal(pyfmt_str_getitem(s, 5, -1, &sp, &e), PYFMT_OK);
    assert_int_equal(sp.off, 4);
    assert_int_equal(pyfmt_str_getitem(s, 5, 3, &sp, &e), PYFMT_EINDEX);
    assert_string_equal(e.msg, "string index out of range");
    pyfmt_spans l = {0};
    assert_int_equal(pyfmt_str_split(s, 5, "", 0, -1, &l, &e), PYFMT_EVALUE);
    assert_string_equal(e.msg, "empty separator");
    pyfmt_span p[3];
    assert_int_equal(pyfmt_str_partition(s, 5, "", 0, p, &e), PYFMT_EVALUE);
    assert_int_equal(pyfmt_utf8_len(s, 5), 3);
    assert_int_equal(pyfmt_utf8_offset(s, 5, 2), 4);
    pyfmt_spans_free(&l);
}

/* ---- buffer and int text ------------------------------------------------ */

static void buf_and_bases(void **state)
{
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    assert_string_equal(pyfmt_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(pyfmt_buf_putc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 1000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[1000], '\0');
    pyfmt_buf_clear(&b);
    pyfmt_buf_fill_cp(&b, 0x4e2d, 2);
    assert_string_equal(b.data, "\xe4\xb8\xad\xe4\xb8\xad");
    pyfmt_buf_clear(&b);
    pyfmt_int_to_base(-255, 16, 1, &b);
    pyfmt_buf_putc(&b, ' ');
    pyfmt_int_to_base(5, 2, 1, &b);
    pyfmt_buf_putc(&b, ' ');
    pyfmt_int_to_base(8, 8, 1, &b);
    pyfmt_buf_putc(&b, ' ');
    pyfmt_int_to_base(-9223372036854775807LL - 1, 10, 0, &b);
    assert_string_equal(b.data, "-0xff 0b101 0o10 -9223372036854775808");
    pyfmt_buf_clear(&b);
    pyfmt_digits_to_base(1, "18446744073709551616", 20, 16, 1, &b);
    assert_string_equal(b.data, "-0x10000000000000000");
    pyfmt_buf_free(&b);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(float_repr_table),
        cmocka_unit_test(float_repr_examples),
        cmocka_unit_test(round_table),
        cmocka_unit_test(int_round_table),
        cmocka_unit_test(format_float_table),
        cmocka_unit_test(format_int_table),
        cmocka_unit_test(format_str_table),
        cmocka_unit_test(format_errors),
        cmocka_unit_test(percent_table),
        cmocka_unit_test(percent_mapping),
        cmocka_unit_test(template_table),
        cmocka_unit_test(int_parse_table),
        cmocka_unit_test(float_parse_table),
        cmocka_unit_test(repr_table),
        cmocka_unit_test(search_table),
        cmocka_unit_test(split_table),
        cmocka_unit_test(case_and_predicates_table),
        cmocka_unit_test(lines_strip_pad_table),
        cmocka_unit_test(partition_slice_table),
        cmocka_unit_test(getitem_and_errors),
        cmocka_unit_test(buf_and_bases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
