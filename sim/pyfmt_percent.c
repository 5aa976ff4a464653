/* pyfmt_percent.c — printf-style formatting (str % args), mirroring
 * PyUnicode_Format in Objects/unicodeobject.c: unicode_format_arg_parse,
 * unicode_format_arg_format, mainformatlong, _PyUnicode_FormatLong,
 * formatfloat, formatchar and unicode_format_arg_output.  Arguments are
 * fetched through the caller's callback, so no object model is needed. */
#include "pyfmt.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

/* The formatter's state: CPython's unicode_formatter_t.  arglen < 0 means
 * a single object (the right operand, or the value of the last %(key)). */
typedef struct pctx {
    const char *fmt;
    size_t n, pos;             /* byte position in fmt */
    long arglen, argidx;
    int dict;
    const char *key;           /* active %(key), or NULL */
    size_t keylen;
    pyfmt_arg_fn get;
    void *ctx;
    pyfmt_err *err;
} pctx;

/* One conversion: CPython's unicode_format_arg_t. */
typedef struct parg {
    uint32_t ch;
    int flags;
    long width, prec;
    int sign;
} parg;

/* Mirrors unicode_format_getnextarg. */
static int next_arg(pctx *c, int conv, pyfmt_arg *a)
{
    if (c->argidx >= c->arglen)
        return pyfmt_seterr(c->err, PYFMT_ETYPE, "not enough arguments for format string");
    long idx = c->argidx++;
    memset(a, 0, sizeof *a);
    a->type_name = "object";
    int rc;
    if (c->arglen < 0)
        rc = c->key ? c->get(c->ctx, -1, c->key, c->keylen, conv, a)
                    : c->get(c->ctx, 0, NULL, 0, conv, a);
    else
        rc = c->get(c->ctx, idx, NULL, 0, conv, a);
    if (rc)
        return pyfmt_seterr(c->err, PYFMT_ECALLER, "error in argument callback");
    if (!a->type_name)
        a->type_name = "object";
    return PYFMT_OK;
}

static int at_end(const pctx *c) { return c->pos >= c->n; }

/* Reads the next format character (a code point). */
static uint32_t read_ch(pctx *c)
{
    return pyfmt_utf8_next(c->fmt, c->n, &c->pos);
}

/* A '*' width or precision: the next argument, which must be an int. */
static int star_arg(pctx *c, long *out, int is_prec)
{
    pyfmt_arg a;
    int rc = next_arg(c, '*', &a);
    if (rc)
        return rc;
    if (a.kind == PYFMT_ARG_BIGINT)
        return pyfmt_seterr(c->err, PYFMT_EOVERFLOW, is_prec
                            ? "Python int too large to convert to C int"
                            : "Python int too large to convert to C ssize_t");
    if (a.kind != PYFMT_ARG_INT)
        return pyfmt_seterr(c->err, PYFMT_ETYPE, "* wants int");
    if (is_prec && (a.i > INT_MAX || a.i < INT_MIN))
        return pyfmt_seterr(c->err, PYFMT_EOVERFLOW, "Python int too large to convert to C int");
    *out = (long)a.i;
    return PYFMT_OK;
}

/* Mirrors unicode_format_arg_parse: [(key)][flags][width][.prec][hlL]ch. */
static int parse_arg(pctx *c, parg *arg)
{
    int rc;
    if (c->fmt[c->pos] == '(') {
        int pcount = 1;
        if (!c->dict)
            return pyfmt_seterr(c->err, PYFMT_ETYPE, "format requires a mapping");
        c->pos++;
        size_t keystart = c->pos;
        while (pcount > 0 && c->pos < c->n) {
            char ch = c->fmt[c->pos++];
            if (ch == ')')
                --pcount;
            else if (ch == '(')
                ++pcount;
        }
        if (pcount > 0)
            return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format key");
        c->key = c->fmt + keystart;
        c->keylen = c->pos - keystart - 1;
        c->arglen = -1;
        c->argidx = -2;
    }
    int have = 0;   /* arg->ch holds a character read from fmt */
    while (!at_end(c)) {
        arg->ch = read_ch(c);
        have = 1;
        switch (arg->ch) {
        case '-': arg->flags |= F_LJUST; continue;
        case '+': arg->flags |= F_SIGN; continue;
        case ' ': arg->flags |= F_BLANK; continue;
        case '#': arg->flags |= F_ALT; continue;
        case '0': arg->flags |= F_ZERO; continue;
        }
        break;
    }
    if (!have)
        return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format");
    have = 0;
    if (arg->ch == '*') {
        if ((rc = star_arg(c, &arg->width, 0)))
            return rc;
        if (arg->width < 0) {
            arg->flags |= F_LJUST;
            arg->width = -arg->width;
        }
        if (at_end(c))
            return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format");
        arg->ch = read_ch(c);
    } else if (arg->ch >= '0' && arg->ch <= '9') {
        arg->width = (long)(arg->ch - '0');
        for (;;) {
            if (at_end(c))
                return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format");
            arg->ch = read_ch(c);
            if (arg->ch < '0' || arg->ch > '9')
                break;
            if (arg->width > (LONG_MAX - (long)(arg->ch - '0')) / 10)
                return pyfmt_seterr(c->err, PYFMT_EVALUE, "width too big");
            arg->width = arg->width * 10 + (long)(arg->ch - '0');
        }
    }
    if (arg->ch == '.') {
        arg->prec = 0;
        if (at_end(c))
            return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format");
        arg->ch = read_ch(c);
        if (arg->ch == '*') {
            if ((rc = star_arg(c, &arg->prec, 1)))
                return rc;
            if (arg->prec < 0)
                arg->prec = 0;
            if (at_end(c))
                return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format");
            arg->ch = read_ch(c);
        } else if (arg->ch >= '0' && arg->ch <= '9') {
            arg->prec = (long)(arg->ch - '0');
            for (;;) {
                if (at_end(c))
                    return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format");
                arg->ch = read_ch(c);
                if (arg->ch < '0' || arg->ch > '9')
                    break;
                if (arg->prec > (INT_MAX - (long)(arg->ch - '0')) / 10)
                    return pyfmt_seterr(c->err, PYFMT_EVALUE, "precision too big");
                arg->prec = arg->prec * 10 + (long)(arg->ch - '0');
            }
        }
    }
    if (arg->ch == 'h' || arg->ch == 'l' || arg->ch == 'L') {
        if (at_end(c))
            return pyfmt_seterr(c->err, PYFMT_EVALUE, "incomplete format");
        arg->ch = read_ch(c);
    }
    return PYFMT_OK;
}

/* Mirrors _PyUnicode_FormatLong: [-][0x]digits, zero-filled to prec digits. */
static int format_long(int neg, const char *dec, size_t decn, int alt, long prec,
                       uint32_t type, pyfmt_buf *s)
{
    int base = type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
    pyfmt_buf d;
    pyfmt_buf_init(&d);
    if (pyfmt_digits_to_base(0, dec, decn, base, 0, &d) < 0)
        return -1;
    int rc = 0;
    if (neg && !(d.len == 1 && d.data[0] == '0'))
        rc |= pyfmt_buf_putc(s, '-');
    if (alt && base != 10)
        rc |= pyfmt_buf_puts(s, base == 8 ? "0o" : "0x");
    if (prec > (long)d.len)
        rc |= pyfmt_buf_fill(s, '0', (size_t)(prec - (long)d.len));
    rc |= pyfmt_buf_append(s, d.data, d.len);
    pyfmt_buf_free(&d);
    if (type == 'X')
        for (size_t i = 0; i < s->len; i++)
            if (s->data[i] >= 'a' && s->data[i] <= 'x')
                s->data[i] = (char)(s->data[i] - 32);
    return rc;
}

/* Mirrors mainformatlong: d i u o x X of an int (or a float for d i u). */
static int format_int_arg(pctx *c, const pyfmt_arg *a, parg *arg, pyfmt_buf *s)
{
    char dec[400];
    const char *digits = dec;
    size_t nd;
    int neg = 0;
    char t = (char)arg->ch;
    switch (a->kind) {
    case PYFMT_ARG_INT: {
        unsigned long long m = a->i < 0 ? 0ULL - (unsigned long long)a->i
                                        : (unsigned long long)a->i;
        neg = a->i < 0;
        nd = (size_t)snprintf(dec, sizeof dec, "%llu", m);
        break;
    }
    case PYFMT_ARG_BIGINT:
        neg = a->neg;
        digits = a->s;
        nd = a->slen;
        break;
    case PYFMT_ARG_FLOAT:
        if (t == 'o' || t == 'x' || t == 'X')
            return pyfmt_seterr(c->err, PYFMT_ETYPE,
                                "%%%c format: an integer is required, not %.200s",
                                t, a->type_name);
        if (pyfmt_float_to_int_error(a->f, c->err))
            return c->err ? (int)c->err->code : PYFMT_EVALUE;
        neg = a->f < 0;
        nd = (size_t)snprintf(dec, sizeof dec, "%.0f", fabs(trunc(a->f)));
        break;
    default:
        if (t == 'o' || t == 'x' || t == 'X')
            return pyfmt_seterr(c->err, PYFMT_ETYPE,
                                "%%%c format: an integer is required, not %.200s",
                                t, a->type_name);
        return pyfmt_seterr(c->err, PYFMT_ETYPE,
                            "%%%c format: a real number is required, not %.200s",
                            t, a->type_name);
    }
    if (format_long(neg, digits, nd, arg->flags & F_ALT, arg->prec, arg->ch, s) < 0)
        return pyfmt_seterr(c->err, PYFMT_ENOMEM, "out of memory");
    arg->sign = 1;
    return PYFMT_OK;
}

/* Mirrors formatfloat: e E f F g G. */
static int format_float_arg(pctx *c, const pyfmt_arg *a, parg *arg, pyfmt_buf *s)
{
    double x;
    if (a->kind == PYFMT_ARG_FLOAT) {
        x = a->f;
    } else if (a->kind == PYFMT_ARG_INT) {
        x = (double)a->i;
    } else if (a->kind == PYFMT_ARG_BIGINT) {
        char *t = malloc(a->slen + 2);
        if (!t)
            return pyfmt_seterr(c->err, PYFMT_ENOMEM, "out of memory");
        t[0] = a->neg ? '-' : '+';
        memcpy(t + 1, a->s, a->slen);
        t[a->slen + 1] = '\0';
        x = strtod(t, NULL);
        free(t);
        if (isinf(x))
            return pyfmt_seterr(c->err, PYFMT_EOVERFLOW, "int too large to convert to float");
    } else {
        return pyfmt_seterr(c->err, PYFMT_ETYPE, "must be real number, not %.200s",
                            a->type_name);
    }
    long prec = arg->prec < 0 ? 6 : arg->prec;
    if (pyfmt_double_to_string(x, (char)arg->ch, (int)prec,
                               (arg->flags & F_ALT) ? PYFMT_DTSF_ALT : 0, s) < 0)
        return pyfmt_seterr(c->err, PYFMT_ENOMEM, "out of memory");
    arg->sign = 1;
    return PYFMT_OK;
}

/* Mirrors formatchar: a one-character str or an int code point. */
static int format_char_arg(pctx *c, const pyfmt_arg *a, pyfmt_buf *s)
{
    uint32_t cp;
    if (a->kind == PYFMT_ARG_STR) {
        size_t pos = 0;
        if (a->slen == 0)
            goto wrong;
        cp = pyfmt_utf8_next(a->s, a->slen, &pos);
        if (pos != a->slen)
            goto wrong;
    } else if (a->kind == PYFMT_ARG_INT || a->kind == PYFMT_ARG_BIGINT) {
        if (a->kind == PYFMT_ARG_BIGINT || a->i < 0 || a->i > 0x10ffff)
            return pyfmt_seterr(c->err, PYFMT_EOVERFLOW, "%%c arg not in range(0x110000)");
        cp = (uint32_t)a->i;
    } else {
        goto wrong;
    }
    return pyfmt_buf_put_cp(s, cp) ? pyfmt_seterr(c->err, PYFMT_ENOMEM, "out of memory") : 0;
wrong:
    return pyfmt_seterr(c->err, PYFMT_ETYPE, "%%c requires int or char");
}

/* Mirrors unicode_format_arg_output: sign, 0x prefix, padding, truncation.
 * Lengths are in code points; s holds UTF-8. */
static int output_arg(parg *arg, const pyfmt_buf *s, pyfmt_buf *out)
{
    uint32_t fill = (arg->sign && (arg->flags & F_ZERO)) ? '0' : ' ';
    const char *p = pyfmt_buf_cstr(s);
    size_t nbytes = s->len;
    long len = (long)pyfmt_utf8_len(p, nbytes);
    int rc = 0;
    if ((arg->width == -1 || arg->width <= len) && (arg->prec == -1 || arg->prec >= len)
        && !(arg->flags & (F_SIGN | F_BLANK)))
        return pyfmt_buf_append(out, p, nbytes);
    if ((arg->ch == 's' || arg->ch == 'r' || arg->ch == 'a') && arg->prec >= 0
        && len > arg->prec) {
        len = arg->prec;
        nbytes = pyfmt_utf8_offset(p, s->len, (size_t)len);
    }
    char signchar = 0;
    if (arg->sign) {
        if (nbytes > 0 && (p[0] == '-' || p[0] == '+')) {
            signchar = p[0];
            p++;
            nbytes--;
            len--;
        } else if (arg->flags & F_SIGN) {
            signchar = '+';
        } else if (arg->flags & F_BLANK) {
            signchar = ' ';
        } else {
            arg->sign = 0;
        }
    }
    if (arg->width < len)
        arg->width = len;
    if (arg->sign) {
        if (fill != ' ')
            rc |= pyfmt_buf_putc(out, signchar);
        if (arg->width > len)
            arg->width--;
    }
    int alt_prefix = (arg->flags & F_ALT)
        && (arg->ch == 'x' || arg->ch == 'X' || arg->ch == 'o');
    if (alt_prefix) {
        if (fill != ' ') {
            rc |= pyfmt_buf_append(out, p, 2);
            p += 2;
            nbytes -= 2;
        }
        arg->width -= 2;
        if (arg->width < 0)
            arg->width = 0;
        len -= 2;
    }
    if (arg->width > len && !(arg->flags & F_LJUST)) {
        rc |= pyfmt_buf_fill_cp(out, fill, (size_t)(arg->width - len));
        arg->width = len;
    }
    if (fill == ' ') {
        if (arg->sign)
            rc |= pyfmt_buf_putc(out, signchar);
        if (alt_prefix) {
            rc |= pyfmt_buf_append(out, p, 2);
            p += 2;
            nbytes -= 2;
        }
    }
    rc |= pyfmt_buf_append(out, p, nbytes);
    if (arg->width > len)
        rc |= pyfmt_buf_fill(out, ' ', (size_t)(arg->width - len));
    return rc;
}

/* One conversion after a '%': mirrors unicode_format_arg. */
static int format_one(pctx *c, pyfmt_buf *out, pyfmt_buf *s)
{
    if (c->fmt[c->pos] == '%') {
        c->pos++;
        return pyfmt_buf_putc(out, '%') ? pyfmt_seterr(c->err, PYFMT_ENOMEM, "out of memory") : 0;
    }
    parg arg = {0, 0, -1, -1, 0};
    int rc = parse_arg(c, &arg);
    if (rc)
        return rc;
    pyfmt_arg a;
    uint32_t conv = arg.ch;
    rc = next_arg(c, conv < 0x80 ? (int)conv : '?', &a);
    if (rc)
        return rc;
    pyfmt_buf_clear(s);
    switch (conv) {
    case 's': case 'r': case 'a':
        if (pyfmt_buf_append(s, a.s ? a.s : "", a.s ? a.slen : 0) < 0)
            return pyfmt_seterr(c->err, PYFMT_ENOMEM, "out of memory");
        break;
    case 'i': case 'd': case 'u': case 'o': case 'x': case 'X':
        rc = format_int_arg(c, &a, &arg, s);
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        rc = format_float_arg(c, &a, &arg, s);
        break;
    case 'c':
        rc = format_char_arg(c, &a, s);
        break;
    default: {
        size_t index = pyfmt_utf8_len(c->fmt, c->pos) - 1;
        return pyfmt_seterr(c->err, PYFMT_EVALUE,
                            "unsupported format character '%c' (0x%x) at index %zu",
                            (conv >= 31 && conv <= 126) ? (char)conv : '?',
                            (unsigned)conv, index);
    }
    }
    if (rc)
        return rc;
    if (output_arg(&arg, s, out))
        return pyfmt_seterr(c->err, PYFMT_ENOMEM, "out of memory");
    if (c->dict && c->argidx < c->arglen)
        return pyfmt_seterr(c->err, PYFMT_ETYPE,
                            "not all arguments converted during string formatting");
    return PYFMT_OK;
}

int pyfmt_percent(const char *fmt, size_t n, long nargs, int is_mapping,
                  pyfmt_arg_fn get, void *ctx, pyfmt_buf *out, pyfmt_err *err)
{
    pctx c = {fmt, n, 0, nargs, 0, 0, NULL, 0, get, ctx, err};
    if (nargs < 0) {
        c.arglen = -1;
        c.argidx = -2;
        c.dict = is_mapping;
    }
    pyfmt_buf s;
    pyfmt_buf_init(&s);
    int rc = PYFMT_OK;
    while (c.pos < n) {
        const char *pct = memchr(fmt + c.pos, '%', n - c.pos);
        size_t stop = pct ? (size_t)(pct - fmt) : n;
        if (pyfmt_buf_append(out, fmt + c.pos, stop - c.pos) < 0) {
            rc = pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
            break;
        }
        c.pos = stop;
        if (!pct)
            break;
        c.pos++;
        if (c.pos >= n) {
            rc = pyfmt_seterr(err, PYFMT_EVALUE, "incomplete format");
            break;
        }
        if ((rc = format_one(&c, out, &s)))
            break;
    }
    if (rc == PYFMT_OK && c.argidx < c.arglen && !c.dict)
        rc = pyfmt_seterr(err, PYFMT_ETYPE,
                          "not all arguments converted during string formatting");
    pyfmt_buf_free(&s);
    return rc;
}
