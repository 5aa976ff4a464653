/* pyfmt_integer.c — ints to text in bases 2/8/10/16 and int(str, base) parsing,
 * mirroring longobject.c (long_to_decimal_string, PyLong_FromString). */
#include "pyfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hexdig[] = "0123456789abcdef";

static const char *prefix_for(int base)
{
    return base == 2 ? "0b" : base == 8 ? "0o" : base == 16 ? "0x" : "";
}

int pyfmt_int_to_base(long long v, int base, int prefix, pyfmt_buf *out)
{
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char tmp[72];
    int i = (int)sizeof tmp;
    if (base != 2 && base != 8 && base != 10 && base != 16)
        return -1;
    do {
        tmp[--i] = hexdig[m % (unsigned)base];
        m /= (unsigned)base;
    } while (m);
    int rc = 0;
    if (v < 0)
        rc |= pyfmt_buf_putc(out, '-');
    if (prefix)
        rc |= pyfmt_buf_puts(out, prefix_for(base));
    rc |= pyfmt_buf_append(out, tmp + i, sizeof tmp - (size_t)i);
    return rc ? -1 : 0;
}

/* Converts decimal digits to base 2/8/16 by repeated long division of the
 * digit array: O(n^2), fine for the sizes a simulated program prints. */
int pyfmt_digits_to_base(int neg, const char *dec, size_t n, int base,
                         int prefix, pyfmt_buf *out)
{
    if (base != 2 && base != 8 && base != 10 && base != 16)
        return -1;
    int rc = 0;
    if (neg && !(n == 1 && dec[0] == '0'))
        rc |= pyfmt_buf_putc(out, '-');
    if (prefix)
        rc |= pyfmt_buf_puts(out, prefix_for(base));
    if (base == 10 || n == 0)
        return (rc | pyfmt_buf_append(out, n ? dec : "0", n ? n : 1)) ? -1 : 0;
    unsigned char *num = malloc(n);
    char *rev = malloc(4 * n + 8);
    if (!num || !rev) {
        free(num);
        free(rev);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        num[i] = (unsigned char)(dec[i] - '0');
    size_t start = 0, k = 0;
    while (start < n && num[start] == 0)
        start++;
    do {
        unsigned rem = 0;
        for (size_t i = start; i < n; i++) {
            unsigned cur = rem * 10 + num[i];
            num[i] = (unsigned char)(cur / (unsigned)base);
            rem = cur % (unsigned)base;
        }
        rev[k++] = hexdig[rem];
        while (start < n && num[start] == 0)
            start++;
    } while (start < n);
    for (size_t i = 0; i < k; i++)
        rc |= pyfmt_buf_putc(out, rev[k - 1 - i]);
    free(num);
    free(rev);
    return rc ? -1 : 0;
}

/* A magnitude in base 1e9 limbs, least significant first. */
typedef struct bigmag { uint32_t *v; size_t n, cap; } bigmag;

static int big_muladd(bigmag *b, unsigned mul, unsigned add)
{
    unsigned long long carry = add;
    for (size_t i = 0; i < b->n; i++) {
        unsigned long long cur = (unsigned long long)b->v[i] * mul + carry;
        b->v[i] = (uint32_t)(cur % 1000000000u);
        carry = cur / 1000000000u;
    }
    while (carry) {
        if (b->n == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 8;
            uint32_t *p = realloc(b->v, cap * sizeof *p);
            if (!p)
                return -1;
            b->v = p;
            b->cap = cap;
        }
        b->v[b->n++] = (uint32_t)(carry % 1000000000u);
        carry /= 1000000000u;
    }
    return 0;
}

/* Appends the magnitude's decimal digits ("0" for zero). */
static int big_to_dec(const bigmag *b, pyfmt_buf *out)
{
    if (b->n == 0)
        return pyfmt_buf_putc(out, '0');
    char t[16];
    snprintf(t, sizeof t, "%u", (unsigned)b->v[b->n - 1]);
    int rc = pyfmt_buf_puts(out, t);
    for (size_t i = b->n - 1; i-- > 0;) {
        snprintf(t, sizeof t, "%09u", (unsigned)b->v[i]);
        rc |= pyfmt_buf_puts(out, t);
    }
    return rc;
}

static int invalid_literal(const char *s, size_t n, int base, pyfmt_err *err)
{
    pyfmt_buf r;
    pyfmt_buf_init(&r);
    pyfmt_str_repr(s, n, 0, &r);
    /* CPython's %.200R keeps the first 200 code points of the repr */
    size_t cut = pyfmt_utf8_offset(r.data, r.len, 200);
    pyfmt_seterr(err, PYFMT_EVALUE, "invalid literal for int() with base %d: %.*s",
                 base, (int)cut, pyfmt_buf_cstr(&r));
    pyfmt_buf_free(&r);
    return PYFMT_EVALUE;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* Parses the ASCII text t (stripped, Unicode digits already ASCII) the way
 * PyLong_FromString does; fills mag/neg.  Returns 0 or -1 (invalid). */
static int parse_clean(const char *t, size_t n, int *base, bigmag *mag,
                       int *neg, size_t *ndigits)
{
    size_t i = 0;
    int b = *base;
    *neg = 0;
    if (i < n && (t[i] == '+' || t[i] == '-'))
        *neg = t[i++] == '-';
    int prefixed = 0, base0_zero = 0;
    if (i + 1 < n && t[i] == '0') {
        char p = (char)(t[i + 1] | 0x20);
        if ((p == 'x' && (b == 16 || b == 0)) || (p == 'o' && (b == 8 || b == 0))
            || (p == 'b' && (b == 2 || b == 0))) {
            b = p == 'x' ? 16 : p == 'o' ? 8 : 2;
            i += 2;
            prefixed = 1;
        }
    }
    if (b == 0) {
        base0_zero = i < n && t[i] == '0';
        b = 10;
    }
    *base = b;
    if (prefixed && i < n && t[i] == '_')
        i++;
    if (i >= n)
        return -1;
    size_t count = 0;
    int prev_us = 1;   /* no underscore first */
    for (; i < n; i++) {
        if (t[i] == '_') {
            if (prev_us)
                return -1;
            prev_us = 1;
            continue;
        }
        int d = digit_value(t[i]);
        if (d >= b)
            return -1;
        if (base0_zero && d != 0)
            return -1;
        prev_us = 0;
        if (big_muladd(mag, (unsigned)b, (unsigned)d) < 0)
            return -2;
        count++;
    }
    if (prev_us)
        return -1;
    *ndigits = count;
    return 0;
}

int pyfmt_parse_int(const char *s, size_t n, int base, long long *out,
                    pyfmt_buf *digits, pyfmt_err *err)
{
    if ((base != 0 && base < 2) || base > 36)
        return pyfmt_seterr(err, PYFMT_EVALUE,
                            "int() base must be >= 2 and <= 36, or 0");
    /* mirrors _PyUnicode_TransformDecimalAndSpaceToASCII: non-ASCII
     * whitespace becomes ' ' and non-ASCII decimal digits become ASCII */
    pyfmt_buf t;
    pyfmt_buf_init(&t);
    size_t pos = 0;
    while (pos < n) {
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        int dv = c >= 0x80 ? pyfmt_cp_decimal_value(c) : -1;
        if (dv >= 0)
            pyfmt_buf_putc(&t, (char)('0' + dv));
        else if (c >= 0x80 && pyfmt_cp_isspace(c))
            pyfmt_buf_putc(&t, ' ');
        else if (c >= 0x80)
            pyfmt_buf_putc(&t, '?');
        else
            pyfmt_buf_putc(&t, (char)c);
    }
    const char *p = pyfmt_buf_cstr(&t);
    size_t a = 0, b = t.len;
    /* as Py_ISSPACE: ASCII " \t\n\v\f\r" (other whitespace became ' ') */
    while (a < b && (p[a] == ' ' || (p[a] >= '\t' && p[a] <= '\r')))
        a++;
    while (b > a && (p[b - 1] == ' ' || (p[b - 1] >= '\t' && p[b - 1] <= '\r')))
        b--;
    bigmag mag = {NULL, 0, 0};
    int neg, used = base;
    size_t nd = 0;
    int rc = parse_clean(p + a, b - a, &used, &mag, &neg, &nd);
    pyfmt_buf_free(&t);
    if (rc == -2) {
        free(mag.v);
        return pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory");
    }
    if (rc < 0) {
        free(mag.v);
        return invalid_literal(s, n, base, err);
    }
    if (used == 10 && nd > 4300) {
        free(mag.v);
        return pyfmt_seterr(err, PYFMT_EVALUE,
            "Exceeds the limit (4300 digits) for integer string conversion: "
            "value has %zu digits; use sys.set_int_max_str_digits() to "
            "increase the limit", nd);
    }
    /* does the magnitude fit in a long long? */
    unsigned long long m = 0;
    int fits = mag.n <= 3;
    for (size_t i = mag.n; fits && i-- > 0;) {
        if (m > (~0ULL - mag.v[i]) / 1000000000ULL)
            fits = 0;
        else
            m = m * 1000000000ULL + mag.v[i];
    }
    if (fits && (neg ? m <= (1ULL << 63) : m < (1ULL << 63))) {
        *out = neg ? (long long)(0ULL - m) : (long long)m;
        free(mag.v);
        return PYFMT_OK;
    }
    if (digits) {
        if (neg)
            pyfmt_buf_putc(digits, '-');
        big_to_dec(&mag, digits);
    }
    free(mag.v);
    return pyfmt_seterr(err, PYFMT_EOVERFLOW, "int too large");
}

int pyfmt_int_round(long long v, long ndigits, long long *out, pyfmt_err *err)
{
    if (ndigits >= 0) {
        *out = v;
        return PYFMT_OK;
    }
    if (ndigits < -19) {
        *out = 0;
        return PYFMT_OK;
    }
    unsigned long long p = 1;
    for (long i = 0; i < -ndigits; i++)
        p *= 10;
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    unsigned long long q = m / p, r = m % p;
    /* half-even: compare r with p - r to avoid overflowing 2 * r */
    if (r > p - r || (r == p - r && (q & 1)))
        q++;
    unsigned __int128 res = (unsigned __int128)q * p;
    if (res > (v < 0 ? (unsigned __int128)1 << 63 : ((unsigned __int128)1 << 63) - 1))
        return pyfmt_seterr(err, PYFMT_EOVERFLOW, "int too large");
    *out = v < 0 ? (long long)(0ULL - (unsigned long long)res) : (long long)res;
    return PYFMT_OK;
}
