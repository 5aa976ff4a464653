/* pyfmt_spec.c — the format-spec mini-language for int, float and str,
 * mirroring Python/formatter_unicode.c (parse_internal_render_format_spec,
 * calc_number_widths, fill_number, format_{long,float,string}_internal).
 * Locale-dependent 'n' behaves as in the C locale: no grouping, '.' point. */
#include "pyfmt.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPEC 64   /* longer specs are decoded only as far as needed */

static int is_align(uint32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

/* Reads decimal digits at cps[*pos]; returns how many were consumed, or -1
 * on overflow (mirrors get_integer). */
static long get_integer(const uint32_t *cps, size_t end, size_t *pos, long *result,
                        pyfmt_err *err)
{
    long acc = 0, consumed = 0;
    for (; *pos < end; (*pos)++, consumed++) {
        int d = pyfmt_cp_decimal_value(cps[*pos]);
        if (d < 0)
            break;
        if (acc > (LONG_MAX - d) / 10) {
            pyfmt_seterr(err, PYFMT_EVALUE, "Too many decimal digits in format string");
            return -1;
        }
        acc = acc * 10 + d;
    }
    *result = acc;
    return consumed;
}

static int invalid_sep(int sep, uint32_t type, pyfmt_err *err)
{
    if (type > 32 && type < 128)
        return pyfmt_seterr(err, PYFMT_EVALUE, "Cannot specify '%c' with '%c'.",
                            sep, (char)type);
    return pyfmt_seterr(err, PYFMT_EVALUE, "Cannot specify '%c' with '\\x%x'.",
                        sep, (unsigned)type);
}

static int unknown_type(uint32_t type, const char *tname, pyfmt_err *err)
{
    if (type > 32 && type < 128)
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "Unknown format code '%c' for object of type '%.200s'",
                            (char)type, tname);
    return pyfmt_seterr(err, PYFMT_EVALUE,
                        "Unknown format code '\\x%x' for object of type '%.200s'",
                        (unsigned)type, tname);
}

int pyfmt_parse_spec(const char *spec, size_t n, char default_type,
                     char default_align, const char *tname, pyfmt_spec *f,
                     pyfmt_err *err)
{
    uint32_t cps[MAX_SPEC + 2];
    size_t end = 0, bp = 0;
    while (bp < n && end < MAX_SPEC + 2)
        cps[end++] = pyfmt_utf8_next(spec, n, &bp);
    size_t pos = 0;
    int align_specified = 0, fill_specified = 0;
    f->fill = ' ';
    f->align = default_align;
    f->alternate = 0;
    f->no_neg_0 = 0;
    f->sign = 0;
    f->width = -1;
    f->grouping = 0;
    f->precision = -1;
    f->type = (uint32_t)(unsigned char)default_type;

    if (end - pos >= 2 && is_align(cps[pos + 1])) {
        f->align = (char)cps[pos + 1];
        f->fill = cps[pos];
        fill_specified = align_specified = 1;
        pos += 2;
    } else if (end - pos >= 1 && is_align(cps[pos])) {
        f->align = (char)cps[pos];
        align_specified = 1;
        pos++;
    }
    if (end - pos >= 1 && (cps[pos] == '+' || cps[pos] == '-' || cps[pos] == ' '))
        f->sign = (char)cps[pos++];
    if (end - pos >= 1 && cps[pos] == 'z') {
        f->no_neg_0 = 1;
        pos++;
    }
    if (end - pos >= 1 && cps[pos] == '#') {
        f->alternate = 1;
        pos++;
    }
    if (!fill_specified && end - pos >= 1 && cps[pos] == '0') {
        f->fill = '0';
        if (!align_specified && default_align == '>')
            f->align = '=';
        pos++;
    }
    long consumed = get_integer(cps, end, &pos, &f->width, err);
    if (consumed < 0)
        return PYFMT_EVALUE;
    if (consumed == 0)
        f->width = -1;
    if (end - pos && cps[pos] == ',') {
        f->grouping = ',';
        pos++;
    }
    if (end - pos && cps[pos] == '_') {
        if (f->grouping)
            return pyfmt_seterr(err, PYFMT_EVALUE, "Cannot specify both ',' and '_'.");
        f->grouping = '_';
        pos++;
    }
    if (end - pos && cps[pos] == ',' && f->grouping == '_')
        return pyfmt_seterr(err, PYFMT_EVALUE, "Cannot specify both ',' and '_'.");
    if (end - pos && cps[pos] == '.') {
        pos++;
        consumed = get_integer(cps, end, &pos, &f->precision, err);
        if (consumed < 0)
            return PYFMT_EVALUE;
        if (consumed == 0)
            return pyfmt_seterr(err, PYFMT_EVALUE, "Format specifier missing precision");
    }
    if (end - pos > 1 || bp < n) {
        size_t cut = n;   /* the message shows at most 150 bytes, whole characters */
        if (cut > 150)
            for (cut = 150; cut > 0 && ((unsigned char)spec[cut] & 0xc0) == 0x80; cut--)
                ;
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "Invalid format specifier '%.*s' for object of type '%.200s'",
                            (int)cut, spec, tname);
    }
    if (end - pos == 1)
        f->type = cps[pos++];
    if (f->grouping) {
        switch (f->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%':
        case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f->grouping == '_') {
                f->grouping = '4';   /* every four digits in bin/oct/hex */
                break;
            }
            /* fall through */
        default:
            return invalid_sep(f->grouping, f->type, err);
        }
    }
    return PYFMT_OK;
}

/* ---- number layout ------------------------------------------------------ */

/* The pieces of a formatted number (see calc_number_widths):
 *   <lpad> <sign> <prefix> <spad> <grouped digits> <decimal> <rem> <rpad> */
typedef struct numparts {
    char sign;                  /* '-' or 0: the number's own sign */
    const char *prefix;         /* "0x" etc. or "" */
    const char *digits;         /* ASCII digits to group */
    size_t ndigits;
    int has_decimal;
    const char *rem;            /* after the decimal point (or exponent, ...) */
    size_t nrem, rem_cps;       /* bytes and code points */
    int upper;                  /* upper-case prefix and digits ('X') */
} numparts;

/* Groups digits from the right, zero-padding on the left up to min_width
 * characters as _PyUnicode_InsertThousandsGrouping does.  Result reversed. */
static int group_digits(const numparts *p, long min_width, char sep, int group,
                        pyfmt_buf *rev)
{
    long remaining = (long)p->ndigits;
    const char *d = p->digits + p->ndigits;
    int use_sep = 0, rc = 0;
    if (!sep) {
        long l = remaining > min_width ? remaining : min_width;
        if (l < 1)
            l = 1;
        for (long i = 0; i < remaining; i++)
            rc |= pyfmt_buf_putc(rev, *--d);
        rc |= pyfmt_buf_fill(rev, '0', (size_t)(l - remaining));
        return rc;
    }
    for (;;) {
        long m = remaining > min_width ? remaining : min_width;
        if (m < 1)
            m = 1;
        long l = group < m ? group : m;
        long n_zeros = l - remaining > 0 ? l - remaining : 0;
        long n_chars = remaining < l ? remaining : l;
        if (n_chars < 0)
            n_chars = 0;
        if (use_sep)
            rc |= pyfmt_buf_putc(rev, sep);
        for (long i = 0; i < n_chars; i++)
            rc |= pyfmt_buf_putc(rev, *--d);
        rc |= pyfmt_buf_fill(rev, '0', (size_t)n_zeros);
        use_sep = 1;
        remaining -= n_chars;
        min_width -= l;
        if (remaining <= 0 && min_width <= 0)
            break;
        min_width -= 1;
    }
    return rc;
}

/* Mirrors calc_number_widths + fill_number. */
static int fill_number(const pyfmt_spec *f, const numparts *p, pyfmt_buf *out)
{
    char sep = 0;
    int group = 3;
    if (f->type != 'n') {
        if (f->grouping == ',' || f->grouping == '_')
            sep = f->grouping;
        else if (f->grouping == '4') {
            sep = '_';
            group = 4;
        }
    }
    char sign = 0;
    if (f->sign == '+')
        sign = p->sign == '-' ? '-' : '+';
    else if (f->sign == ' ')
        sign = p->sign == '-' ? '-' : ' ';
    else if (p->sign == '-')
        sign = '-';
    long nprefix = (long)strlen(p->prefix);
    long non_digit = (sign ? 1 : 0) + nprefix + (p->has_decimal ? 1 : 0) + (long)p->rem_cps;
    long min_width = (f->fill == '0' && f->align == '=') ? f->width - non_digit : 0;
    pyfmt_buf g;
    pyfmt_buf_init(&g);
    int rc = 0;
    if (p->ndigits > 0)
        rc |= group_digits(p, min_width, sep, group, &g);
    long n_padding = f->width - (non_digit + (long)g.len);
    long lpad = 0, spad = 0, rpad = 0;
    if (n_padding > 0) {
        switch (f->align) {
        case '<': rpad = n_padding; break;
        case '^': lpad = n_padding / 2; rpad = n_padding - lpad; break;
        case '=': spad = n_padding; break;
        default: lpad = n_padding; break;
        }
    }
    rc |= pyfmt_buf_fill_cp(out, f->fill, (size_t)lpad);
    if (sign)
        rc |= pyfmt_buf_putc(out, sign);
    for (long i = 0; i < nprefix; i++)
        rc |= pyfmt_buf_putc(out, p->upper && p->prefix[i] == 'x' ? 'X' : p->prefix[i]);
    rc |= pyfmt_buf_fill_cp(out, f->fill, (size_t)spad);
    for (size_t i = g.len; i-- > 0;) {
        char c = g.data[i];
        if (p->upper && c >= 'a' && c <= 'f')
            c = (char)(c - 32);
        rc |= pyfmt_buf_putc(out, c);
    }
    if (p->has_decimal)
        rc |= pyfmt_buf_putc(out, '.');
    rc |= pyfmt_buf_append(out, p->rem, p->nrem);
    rc |= pyfmt_buf_fill_cp(out, f->fill, (size_t)rpad);
    pyfmt_buf_free(&g);
    return rc ? -1 : 0;
}

/* ---- float -------------------------------------------------------------- */

/* Mirrors format_float_internal. */
static int format_float_spec(double x, const pyfmt_spec *f, pyfmt_buf *out,
                             pyfmt_err *err)
{
    uint32_t type = f->type;
    int flags = 0, default_precision = 6, add_pct = 0;
    long precision = f->precision;
    if (precision > INT_MAX)
        return pyfmt_seterr(err, PYFMT_EVALUE, "precision too big");
    if (f->alternate)
        flags |= PYFMT_DTSF_ALT;
    if (f->no_neg_0)
        flags |= PYFMT_DTSF_NO_NEG_0;
    if (type == 0) {
        flags |= PYFMT_DTSF_ADD_DOT_0;
        type = 'r';
        default_precision = 0;
    }
    if (type == 'n')
        type = 'g';
    if (type == '%') {
        type = 'f';
        x *= 100;
        add_pct = 1;
    }
    if (precision < 0)
        precision = default_precision;
    else if (type == 'r')
        type = 'g';
    pyfmt_buf s;
    pyfmt_buf_init(&s);
    if (pyfmt_double_to_string(x, (char)type, (int)precision, flags, &s) < 0
        || (add_pct && pyfmt_buf_putc(&s, '%') < 0)) {
        pyfmt_buf_free(&s);
        return pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
    }
    numparts p = {0};
    const char *t = s.data;
    size_t i = 0;
    if (t[0] == '-') {
        p.sign = '-';
        i = 1;
    }
    p.prefix = "";
    p.digits = t + i;
    while (i < s.len && t[i] >= '0' && t[i] <= '9')
        i++;
    p.ndigits = (size_t)(t + i - p.digits);
    p.has_decimal = i < s.len && t[i] == '.';
    if (p.has_decimal)
        i++;
    p.rem = t + i;
    p.nrem = p.rem_cps = s.len - i;
    int rc = fill_number(f, &p, out);
    pyfmt_buf_free(&s);
    return rc ? pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory") : PYFMT_OK;
}

int pyfmt_format_float(double x, const char *spec, size_t n, const char *tname,
                       pyfmt_buf *out, pyfmt_err *err)
{
    pyfmt_spec f;
    if (!tname)
        tname = "float";
    int rc = pyfmt_parse_spec(spec, n, 0, '>', tname, &f, err);
    if (rc)
        return rc;
    switch (f.type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
    case 'n': case '%':
        return format_float_spec(x, &f, out, err);
    default:
        return unknown_type(f.type, tname, err);
    }
}

/* ---- int ---------------------------------------------------------------- */

/* Mirrors format_long_internal for sign + decimal magnitude digits. */
static int format_long_spec(int neg, const char *dec, size_t decn,
                            const pyfmt_spec *f, pyfmt_buf *out, pyfmt_err *err)
{
    if (f->precision != -1)
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "Precision not allowed in integer format specifier");
    if (f->no_neg_0)
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "Negative zero coercion (z) not allowed in integer"
                            " format specifier");
    numparts p = {0};
    p.prefix = "";
    pyfmt_buf digits;
    pyfmt_buf_init(&digits);
    char ch[4];
    if (f->type == 'c') {
        if (f->sign)
            return pyfmt_seterr(err, PYFMT_EVALUE,
                                "Sign not allowed with integer format specifier 'c'");
        if (f->alternate)
            return pyfmt_seterr(err, PYFMT_EVALUE,
                                "Alternate form (#) not allowed with integer"
                                " format specifier 'c'");
        /* PyLong_AsLong first: a value beyond 64 bits fails there */
        if (decn > 19 || (decn == 19 && strcmp(dec, neg ? "9223372036854775808"
                                                        : "9223372036854775807") > 0))
            return pyfmt_seterr(err, PYFMT_EOVERFLOW,
                                "Python int too large to convert to C long");
        long x = decn > 7 ? 0x7fffffff : strtol(dec, NULL, 10);
        if (neg || x > 0x10ffff)
            return pyfmt_seterr(err, PYFMT_EOVERFLOW, "%%c arg not in range(0x110000)");
        p.rem = ch;
        p.nrem = (size_t)pyfmt_utf8_encode((uint32_t)x, ch);
        p.rem_cps = 1;
        p.digits = "";
    } else {
        int base = 10;
        switch (f->type) {
        case 'b': base = 2; break;
        case 'o': base = 8; break;
        case 'x': case 'X': base = 16; break;
        }
        if (f->alternate && base != 10)
            p.prefix = base == 2 ? "0b" : base == 8 ? "0o" : "0x";
        if (pyfmt_digits_to_base(0, dec, decn, base, 0, &digits) < 0)
            return pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
        p.sign = neg ? '-' : 0;
        p.digits = digits.data;
        p.ndigits = digits.len;
        p.rem = "";
        p.upper = f->type == 'X';
    }
    int rc = fill_number(f, &p, out);
    pyfmt_buf_free(&digits);
    return rc ? pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory") : PYFMT_OK;
}

int pyfmt_format_bigint(int neg, const char *dec, size_t decn, const char *spec,
                        size_t n, const char *tname, pyfmt_buf *out, pyfmt_err *err)
{
    pyfmt_spec f;
    if (!tname)
        tname = "int";
    if (decn == 1 && dec[0] == '0')
        neg = 0;
    int rc = pyfmt_parse_spec(spec, n, 'd', '>', tname, &f, err);
    if (rc)
        return rc;
    switch (f.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        return format_long_spec(neg, dec, decn, &f, out, err);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        /* float(v): strtod rounds the decimal digits correctly, as int.__float__ */
        char *t = malloc(decn + 2);
        if (!t)
            return pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
        t[0] = neg ? '-' : '+';
        memcpy(t + 1, dec, decn);
        t[decn + 1] = '\0';
        double x = strtod(t, NULL);
        free(t);
        if (isinf(x))
            return pyfmt_seterr(err, PYFMT_EOVERFLOW, "int too large to convert to float");
        return format_float_spec(x, &f, out, err);
    }
    default:
        return unknown_type(f.type, tname, err);
    }
}

int pyfmt_format_int(long long v, const char *spec, size_t n, const char *tname,
                     pyfmt_buf *out, pyfmt_err *err)
{
    char dec[32];
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int len = snprintf(dec, sizeof dec, "%llu", m);
    return pyfmt_format_bigint(v < 0, dec, (size_t)len, spec, n, tname, out, err);
}

/* ---- str ---------------------------------------------------------------- */

/* Mirrors format_string_internal. */
int pyfmt_format_str(const char *s, size_t slen, const char *spec, size_t n,
                     const char *tname, pyfmt_buf *out, pyfmt_err *err)
{
    pyfmt_spec f;
    if (!tname)
        tname = "str";
    int rc = pyfmt_parse_spec(spec, n, 's', '<', tname, &f, err);
    if (rc)
        return rc;
    if (f.type != 's')
        return unknown_type(f.type, tname, err);
    if (f.sign == ' ')
        return pyfmt_seterr(err, PYFMT_EVALUE, "Space not allowed in string format specifier");
    if (f.sign)
        return pyfmt_seterr(err, PYFMT_EVALUE, "Sign not allowed in string format specifier");
    if (f.no_neg_0)
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "Negative zero coercion (z) not allowed in string format "
                            "specifier");
    if (f.alternate)
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "Alternate form (#) not allowed in string format specifier");
    if (f.align == '=')
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "'=' alignment not allowed in string format specifier");
    long len = (long)pyfmt_utf8_len(s, slen);
    size_t bytes = slen;
    if (f.precision >= 0 && len >= f.precision) {
        len = f.precision;
        bytes = pyfmt_utf8_offset(s, slen, (size_t)len);
    }
    long total = f.width >= 0 && f.width > len ? f.width : len;
    long lpad = f.align == '>' ? total - len : f.align == '^' ? (total - len) / 2 : 0;
    long rpad = total - len - lpad;
    rc = pyfmt_buf_fill_cp(out, f.fill, (size_t)lpad);
    rc |= pyfmt_buf_append(out, s, bytes);
    rc |= pyfmt_buf_fill_cp(out, f.fill, (size_t)rpad);
    return rc ? pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory") : PYFMT_OK;
}
