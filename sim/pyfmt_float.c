/* pyfmt_float.c — float to text and back, the way CPython's pystrtod.c and
 * floatobject.c do it.
 *
 * CPython gets decimal digits from David Gay's dtoa.  We get the same digits
 * from glibc, whose printf is exact and rounds half-even on the binary value:
 * "%.*e" gives dtoa mode 2 (n significant digits), "%.*f" gives mode 3 (n
 * digits after the point), and the shortest round-trip string (mode 0) is the
 * first of "%.0e" .. "%.16e" that strtod reads back as the same double.
 * format_float_short below then lays the digits out exactly as CPython does. */
#include "pyfmt.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits and decimal-point position: value = 0.DIGITS * 10**decpt.  digits
 * has no leading or trailing zeros except that zero itself is "0" with
 * decpt 1 (and a mode-3 result that rounds to zero is "" with decpt -nd). */
typedef struct digits { pyfmt_buf d; int decpt; } digits;

/* Reads glibc "%.*e" output "D.DDDDe+XX" (x > 0) into dg. */
static int parse_e(const char *t, digits *dg)
{
    pyfmt_buf_clear(&dg->d);
    const char *p = t;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && pyfmt_buf_putc(&dg->d, *p) < 0)
            return -1;
    dg->decpt = atoi(p + 1) + 1;
    while (dg->d.len > 1 && dg->d.data[dg->d.len - 1] == '0')
        dg->d.len--;
    dg->d.data[dg->d.len] = '\0';
    return 0;
}

/* Reads glibc "%.*f" output (x >= 0) into dg. */
static int parse_f(const char *t, int nd, digits *dg)
{
    pyfmt_buf_clear(&dg->d);
    int intlen = 0, seen_dot = 0, lead = 1;
    for (const char *p = t; *p; p++) {
        if (*p == '.') {
            seen_dot = 1;
            continue;
        }
        if (!seen_dot)
            intlen++;
        if (lead && *p == '0') {
            intlen--;
            continue;
        }
        lead = 0;
        if (pyfmt_buf_putc(&dg->d, *p) < 0)
            return -1;
    }
    if (dg->d.len == 0) {
        dg->decpt = -nd;
        return pyfmt_buf_puts(&dg->d, "") ;
    }
    dg->decpt = intlen;
    while (dg->d.len > 0 && dg->d.data[dg->d.len - 1] == '0')
        dg->d.len--;
    dg->d.data[dg->d.len] = '\0';
    return 0;
}

/* Drops trailing zeros (keeping at least one digit). */
static void strip_zeros(digits *dg)
{
    while (dg->d.len > 1 && dg->d.data[dg->d.len - 1] == '0')
        dg->d.len--;
    dg->d.data[dg->d.len] = '\0';
}

/* Adds one unit in the last digit of dg (a digit string of 9s carries). */
static void bump_last(digits *dg)
{
    size_t i = dg->d.len;
    while (i > 0 && dg->d.data[i - 1] == '9')
        dg->d.data[--i] = '0';
    if (i == 0) {
        dg->d.data[0] = '1';
        dg->d.len = 1;
        dg->decpt++;
    } else {
        dg->d.data[i - 1]++;
    }
    strip_zeros(dg);
}

/* Moves dg, read as a p-digit decimal, one unit of its last digit up
 * (dir > 0) or down.  Returns -1 on allocation failure. */
static int step_digits(digits *dg, int p, int dir)
{
    if (dg->d.len < (size_t)p && pyfmt_buf_fill(&dg->d, '0', (size_t)p - dg->d.len) < 0)
        return -1;
    if (dir > 0) {
        bump_last(dg);
        return 0;
    }
    size_t i = dg->d.len;
    while (i > 0 && dg->d.data[i - 1] == '0')
        dg->d.data[--i] = '9';
    if (i == 0)
        return 0;   /* was zero: cannot happen for x > 0 */
    dg->d.data[i - 1]--;
    if (dg->d.data[0] == '0') {   /* 1000 -> 0999: one digit fewer */
        memmove(dg->d.data, dg->d.data + 1, dg->d.len);
        dg->d.len--;
        dg->decpt--;
    }
    strip_zeros(dg);
    return 0;
}

/* Does 0.DIGITS * 10**decpt read back as x? */
static int round_trips(const digits *dg, double x)
{
    char t[64];
    snprintf(t, sizeof t, "0.%se%d", dg->d.data, dg->decpt);
    return strtod(t, NULL) == x;
}

/* Is the correctly rounded p-digit decimal of x a round trip?  If not, its
 * neighbours one unit up or down may still be: a decimal exactly halfway
 * between two doubles reads back as the even one, and at a power of two the
 * interval below x is half as wide as the one above. */
static int try_digits(double x, int p, digits *dg, int *ok)
{
    char t[64];
    snprintf(t, sizeof t, "%.*e", p - 1, x);
    if (parse_e(t, dg) < 0)
        return -1;
    *ok = round_trips(dg, x);
    for (int dir = 1; !*ok && dir >= -1; dir -= 2) {
        if (parse_e(t, dg) < 0 || step_digits(dg, p, dir) < 0)
            return -1;
        *ok = round_trips(dg, x);
    }
    if (!*ok)
        return parse_e(t, dg);
    return 0;
}

/* Shortest digits that round-trip (dtoa mode 0), x > 0 finite.  For a
 * normal double, a string of at most 15 digits that reads back as x is the
 * 15-digit rounding of x with its trailing zeros dropped (DBL_DIG == 15:
 * such decimals survive decimal -> double -> decimal), so one try settles
 * every short case and only 16 and 17 digits remain.  Subnormals have less
 * precision, so they search upward from one digit. */
static int shortest(double x, digits *dg)
{
    int ok = 0;
    if (x >= DBL_MIN) {
        if (try_digits(x, 15, dg, &ok) < 0)
            return -1;
        if (ok)
            return 0;
        for (int p = 16; p <= 17; p++) {
            if (try_digits(x, p, dg, &ok) < 0)
                return -1;
            if (ok)
                return 0;
        }
    } else {
        for (int p = 1; p <= 17; p++) {
            if (try_digits(x, p, dg, &ok) < 0)
                return -1;
            if (ok)
                return 0;
        }
    }
    char t[64];
    snprintf(t, sizeof t, "%.16e", x);
    return parse_e(t, dg);
}

/* Rounds the exact digits in dg half-even so that only keep digits remain. */
static void round_exact(digits *dg, long keep)
{
    const char *d = dg->d.data;
    long len = (long)dg->d.len;
    if (keep >= len)
        return;
    int up;
    if (keep < 0) {
        up = 0;
    } else {
        char first = d[keep];
        int rest = len > keep + 1;
        int odd = keep > 0 && ((d[keep - 1] - '0') & 1);
        up = first > '5' || (first == '5' && (rest || odd));
    }
    if (keep <= 0) {
        dg->d.len = 0;
        if (up) {
            pyfmt_buf_putc(&dg->d, '1');
            dg->decpt += 1 - (int)keep;   /* keep == 0: one place up */
        } else {
            dg->d.data[0] = '\0';
        }
        return;
    }
    dg->d.len = (size_t)keep;
    dg->d.data[keep] = '\0';
    if (up)
        bump_last(dg);
    while (dg->d.len > 1 && dg->d.data[dg->d.len - 1] == '0')
        dg->d.len--;
    dg->d.data[dg->d.len] = '\0';
}

/* dtoa for |x|, x finite: mode 0 shortest, 2 nd significant digits, 3 nd
 * digits after the point (nd may be negative for round()). */
static int get_digits(double x, int mode, long nd, digits *dg)
{
    x = fabs(x);
    pyfmt_buf_clear(&dg->d);
    if (x == 0) {
        dg->decpt = 1;
        return pyfmt_buf_putc(&dg->d, '0');
    }
    if (mode == 0)
        return shortest(x, dg);
    if (nd > 100000000)
        return -1;
    size_t cap = (size_t)(nd < 0 ? 0 : nd) + 400;
    char *t = malloc(cap + 800);
    if (!t)
        return -1;
    int rc;
    if (mode == 2) {
        snprintf(t, cap, "%.*e", (int)(nd < 1 ? 0 : nd - 1), x);
        rc = parse_e(t, dg);
    } else if (nd >= 0) {
        snprintf(t, cap, "%.*f", (int)nd, x);
        rc = parse_f(t, (int)nd, dg);
    } else {
        snprintf(t, cap + 800, "%.770e", x);   /* exact: at most 767 digits */
        rc = parse_e(t, dg);
        if (rc == 0)
            round_exact(dg, dg->decpt + nd);
    }
    free(t);
    return rc;
}

/* Mirrors format_float_short: lays out sign, digits, zeros, point and
 * exponent for code e, f, g or r.  precision is already adjusted as
 * PyOS_double_to_string adjusts it. */
static int layout(const digits *dg, int neg, char code, int upper,
                  int precision, int flags, pyfmt_buf *out)
{
    long digits_len = (long)dg->d.len, decpt = dg->decpt;
    long vdigits_end = digits_len, vdigits_start;
    int use_exp = 0, exp = 0;
    int add_dot_0 = flags & PYFMT_DTSF_ADD_DOT_0, alt = flags & PYFMT_DTSF_ALT;
    const char *d = dg->d.data;
    if ((flags & PYFMT_DTSF_NO_NEG_0) && neg
        && (digits_len == 0 || (digits_len == 1 && d[0] == '0')))
        neg = 0;
    switch (code) {
    case 'e':
        use_exp = 1;
        vdigits_end = precision;
        break;
    case 'f':
        vdigits_end = decpt + precision;
        break;
    case 'g':
        if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision))
            use_exp = 1;
        if (alt)
            vdigits_end = precision;
        break;
    case 'r':
        /* 'r' switches to an exponent at 1e16 */
        if (decpt <= -4 || decpt > 16)
            use_exp = 1;
        break;
    }
    if (use_exp) {
        exp = (int)decpt - 1;
        decpt = 1;
    }
    vdigits_start = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && add_dot_0)
        vdigits_end = vdigits_end > decpt ? vdigits_end : decpt + 1;
    else
        vdigits_end = vdigits_end > decpt ? vdigits_end : decpt;

    int rc = 0;
    if (neg)
        rc |= pyfmt_buf_putc(out, '-');
    else if (flags & PYFMT_DTSF_SIGN)
        rc |= pyfmt_buf_putc(out, '+');
    if (decpt <= 0) {
        rc |= pyfmt_buf_fill(out, '0', (size_t)(decpt - vdigits_start));
        rc |= pyfmt_buf_putc(out, '.');
        rc |= pyfmt_buf_fill(out, '0', (size_t)(0 - decpt));
    } else {
        rc |= pyfmt_buf_fill(out, '0', (size_t)(0 - vdigits_start));
    }
    if (0 < decpt && decpt <= digits_len) {
        rc |= pyfmt_buf_append(out, d, (size_t)decpt);
        rc |= pyfmt_buf_putc(out, '.');
        rc |= pyfmt_buf_append(out, d + decpt, (size_t)(digits_len - decpt));
    } else {
        rc |= pyfmt_buf_append(out, d, (size_t)digits_len);
    }
    if (digits_len < decpt) {
        rc |= pyfmt_buf_fill(out, '0', (size_t)(decpt - digits_len));
        rc |= pyfmt_buf_putc(out, '.');
        rc |= pyfmt_buf_fill(out, '0', (size_t)(vdigits_end - decpt));
    } else {
        rc |= pyfmt_buf_fill(out, '0', (size_t)(vdigits_end - digits_len));
    }
    if (rc == 0 && out->data[out->len - 1] == '.' && !alt)
        out->data[--out->len] = '\0';
    if (use_exp) {
        char e[16];
        snprintf(e, sizeof e, "%c%+.02d", upper ? 'E' : 'e', exp);
        rc |= pyfmt_buf_puts(out, e);
    }
    return rc ? -1 : 0;
}

int pyfmt_double_to_string(double x, char code, int precision, int flags,
                           pyfmt_buf *out)
{
    int upper = 0, mode;
    switch (code) {
    case 'E': upper = 1; code = 'e'; /* fall through */
    case 'e': mode = 2; precision++; break;
    case 'F': upper = 1; code = 'f'; /* fall through */
    case 'f': mode = 3; break;
    case 'G': upper = 1; code = 'g'; /* fall through */
    case 'g': mode = 2; if (precision == 0) precision = 1; break;
    case 'r': mode = 0; if (precision != 0) return -1; break;
    default: return -1;
    }
    int neg = signbit(x) != 0;
    if (isinf(x)) {
        if (neg)
            pyfmt_buf_putc(out, '-');
        else if (flags & PYFMT_DTSF_SIGN)
            pyfmt_buf_putc(out, '+');
        return pyfmt_buf_puts(out, upper ? "INF" : "inf");
    }
    if (isnan(x))   /* never a sign for a nan, even if asked */
        return pyfmt_buf_puts(out, upper ? "NAN" : "nan");
    digits dg;
    pyfmt_buf_init(&dg.d);
    int rc = get_digits(x, mode, precision, &dg);
    if (rc == 0)
        rc = layout(&dg, neg, code, upper, precision, flags, out);
    pyfmt_buf_free(&dg.d);
    return rc;
}

int pyfmt_float_repr(double x, char out[32])
{
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    int n = -1;
    if (pyfmt_double_to_string(x, 'r', 0, PYFMT_DTSF_ADD_DOT_0, &b) == 0
        && b.len < 32) {
        memcpy(out, b.data, b.len + 1);
        n = (int)b.len;
    } else {
        out[0] = '\0';
    }
    pyfmt_buf_free(&b);
    return n;
}

/* Mirrors float___round___impl and double_round: round to a decimal string
 * with mode 3, then read it back. */
int pyfmt_float_round(double x, long ndigits, double *result, pyfmt_err *err)
{
    const long ndigits_max = (long)((53 - (-1021)) * 0.30103);
    const long ndigits_min = -(long)((1024 + 1) * 0.30103);
    if (!isfinite(x) || ndigits > ndigits_max) {
        *result = x;
        return PYFMT_OK;
    }
    if (ndigits < ndigits_min) {
        *result = 0.0 * x;
        return PYFMT_OK;
    }
    digits dg;
    pyfmt_buf_init(&dg.d);
    if (get_digits(x, 3, ndigits, &dg) < 0) {
        pyfmt_buf_free(&dg.d);
        return pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
    }
    pyfmt_buf s;
    pyfmt_buf_init(&s);
    char e[32];
    snprintf(e, sizeof e, "e%d", dg.decpt);
    int rc = pyfmt_buf_puts(&s, signbit(x) ? "-0." : "0.");
    rc |= pyfmt_buf_puts(&s, dg.d.len ? dg.d.data : "0");
    rc |= pyfmt_buf_puts(&s, e);
    pyfmt_buf_free(&dg.d);
    if (rc) {
        pyfmt_buf_free(&s);
        return pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
    }
    errno = 0;
    double r = strtod(s.data, NULL);
    int range = errno == ERANGE;
    pyfmt_buf_free(&s);
    if (range && fabs(r) >= 1.0)
        return pyfmt_seterr(err, PYFMT_EOVERFLOW,
                            "rounded value too large to represent");
    *result = r;
    return PYFMT_OK;
}

double pyfmt_float_round_half_even(double x)
{
    double r = round(x);
    if (fabs(x - r) == 0.5)
        r = 2.0 * round(x / 2.0);
    return r;
}

int pyfmt_float_to_int_error(double x, pyfmt_err *err)
{
    if (isinf(x))
        return pyfmt_seterr(err, PYFMT_EOVERFLOW,
                            "cannot convert float infinity to integer");
    if (isnan(x))
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "cannot convert float NaN to integer");
    return PYFMT_OK;
}

/* Case-insensitive match of the ASCII word w against s[0..n). */
static int word_is(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) != w[i])
            return 0;
    return 1;
}

/* Copies s (stripped, with Unicode decimal digits made ASCII) into clean,
 * dropping underscores that sit between two digits; fails on anything
 * outside [sign] digits [. digits] [e [sign] digits]. */
static int clean_float(const char *s, size_t n, pyfmt_buf *clean)
{
    size_t pos = 0;
    int ndig = 0, prev_digit = 0, state = 0; /* 0 mantissa, 1 fraction, 2 exp */
    while (pos < n) {
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        int dv = pyfmt_cp_decimal_value(c);
        if (dv >= 0) {
            pyfmt_buf_putc(clean, (char)('0' + dv));
            if (state < 2)
                ndig++;
            prev_digit = 1;
            continue;
        }
        if (c == '_') {
            if (!prev_digit || pos >= n)
                return -1;
            size_t p2 = pos;
            if (pyfmt_cp_decimal_value(pyfmt_utf8_next(s, n, &p2)) < 0)
                return -1;
            continue;
        }
        prev_digit = 0;
        if ((c == '+' || c == '-') && (clean->len == 0 ||
            (state == 2 && (clean->data[clean->len - 1] | 0x20) == 'e'))) {
            pyfmt_buf_putc(clean, (char)c);
        } else if (c == '.' && state == 0) {
            state = 1;
            pyfmt_buf_putc(clean, '.');
        } else if ((c == 'e' || c == 'E') && state < 2 && ndig > 0) {
            state = 2;
            pyfmt_buf_putc(clean, 'e');
        } else {
            return -1;
        }
    }
    if (ndig == 0)
        return -1;
    if (state == 2 && !(clean->data[clean->len - 1] >= '0'
                        && clean->data[clean->len - 1] <= '9'))
        return -1;
    return 0;
}

static int strip_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x80 && pyfmt_cp_isspace(c));
}

int pyfmt_parse_float(const char *s, size_t n, double *out, pyfmt_err *err)
{
    size_t a = 0, b = n;
    size_t p;
    /* strip whitespace: non-ASCII Unicode spaces or ASCII " \t\n\v\f\r"
     * (CPython maps the former to ' ' and then strips with Py_ISSPACE) */
    while (a < b) {
        p = a;
        if (!strip_space(pyfmt_utf8_next(s, b, &p)))
            break;
        a = p;
    }
    while (b > a) {
        size_t q = b - 1;
        while (q > a && ((unsigned char)s[q] & 0xc0) == 0x80)
            q--;
        p = q;
        if (!strip_space(pyfmt_utf8_next(s, b, &p)))
            break;
        b = q;
    }
    const char *t = s + a;
    size_t tn = b - a;
    int neg = 0;
    size_t off = 0;
    if (tn > 0 && (t[0] == '+' || t[0] == '-')) {
        neg = t[0] == '-';
        off = 1;
    }
    if (word_is(t + off, tn - off, "inf") || word_is(t + off, tn - off, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return PYFMT_OK;
    }
    if (word_is(t + off, tn - off, "nan")) {
        *out = neg ? -NAN : NAN;
        return PYFMT_OK;
    }
    pyfmt_buf clean;
    pyfmt_buf_init(&clean);
    if (tn > 0 && clean_float(t, tn, &clean) == 0) {
        *out = strtod(clean.data, NULL);
        pyfmt_buf_free(&clean);
        return PYFMT_OK;
    }
    pyfmt_buf_free(&clean);
    pyfmt_buf r;
    pyfmt_buf_init(&r);
    pyfmt_str_repr(s, n, 0, &r);
    pyfmt_seterr(err, PYFMT_EVALUE, "could not convert string to float: %s",
                 pyfmt_buf_cstr(&r));
    pyfmt_buf_free(&r);
    return PYFMT_EVALUE;
}
