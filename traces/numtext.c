/* numtext.c — on the writer thread: doubles as JSON numbers (the encoder's common
 * numbers are inline, in numtext_int.h). Numbers are written in their shortest exact
 * form: the reader gets back the very doubles the loop reported.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "numtext_int.h"

/* sign, then the integer x with a decimal point k digits from its end. */
static size_t put_scaled(char *out, bool neg, uint64_t x, int k)
{
    while (k > 0 && x % 10 == 0) {
        x /= 10;
        k--;
    }
    char d[24], *p = out;
    size_t n = (size_t)(put_u64(d, x) - d);
    if (neg)
        *p++ = '-';
    if (k <= 0) {
        memcpy(p, d, n);
        p += n;
        for (int z = 0; z < -k; z++)
            *p++ = '0';
    } else if (n <= (size_t)k) {
        *p++ = '0';
        *p++ = '.';
        for (size_t z = n; z < (size_t)k; z++)
            *p++ = '0';
        memcpy(p, d, n);
        p += n;
    } else {
        memcpy(p, d, n - (size_t)k);
        p += n - (size_t)k;
        *p++ = '.';
        memcpy(p, d + n - (size_t)k, (size_t)k);
        p += k;
    }
    return (size_t)(p - out);
}

/* v (1e-7 <= |v| < 1e15) as a decimal that reads back exactly, without printf (whose
 * exact arithmetic costs a microsecond). First the fewest decimals k for which
 * x / 10^k == v with x and 10^k exact doubles: then strtod("x e-k"), the nearest
 * double to x / 10^k like the division, is v. Else 17 significant digits, computed in
 * long double: the product's error (2^-64 relative) is far below half a unit of the
 * 17th digit, and any 17-digit decimal that close to v reads back as v (checked with
 * strtod all the same). 0: use printf. */
static size_t fmt_decimal(char *out, double v)
{
    static const long double p10[24] = {
        1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L,
        1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L };
    double a = fabs(v);
    if (!(a >= 1e-7 && a < 1e15))
        return 0;
    for (int k = 1; k <= 17; k++) {
        double sc = a * (double)p10[k];
        if (sc >= 9007199254740992.0)
            break;
        double x = nearbyint(sc);
        if (x / (double)p10[k] == a)
            return put_scaled(out, v < 0, (uint64_t)x, k);
    }
    if (LDBL_MANT_DIG < 64)
        return 0;
    int k = 16 - (int)floor(log10(a));
    for (int tries = 0; tries < 3 && k >= 0 && k < 24; tries++) {
        long double x = nearbyintl((long double)a * p10[k]);
        if (x >= 1e17L)
            k--;
        else if (x < 1e16L)
            k++;
        else {
            /* checked: where long double is double in disguise (valgrind emulates
             * x87 at 64 bits) the digits can be off; then printf decides */
            size_t n = put_scaled(out, v < 0, (uint64_t)x, k);
            out[n] = '\0';
            return strtod(out, NULL) == v ? n : 0;
        }
    }
    return 0;
}

/* v as a JSON number in its shortest form that reads back exactly; null for NaN. */
static size_t fmt_num(char *out, double v)
{
    if (isnan(v))
        return (size_t)sprintf(out, "null");
    if (isinf(v))
        return (size_t)sprintf(out, v > 0 ? "9e999" : "-9e999");   /* what SQLite's JSON writes */
    if (v == 0)
        return (size_t)sprintf(out, signbit(v) ? "-0.0" : "0");
    if (v == (double)(int64_t)v && v > -1e15 && v < 1e15) {
        char *p = out;
        int64_t i = (int64_t)v;
        if (i < 0) {
            *p++ = '-';
            i = -i;
        }
        return (size_t)(put_u64(p, (uint64_t)i) - out);
    }
    size_t n = fmt_decimal(out, v);
    if (n)
        return n;
    for (int prec = 15; prec < 17; prec++) {
        n = (size_t)sprintf(out, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return n;
    }
    return (size_t)sprintf(out, "%.17g", v);
}

/* fmt_num through a small cache: a deadline is written when scheduled, again when
 * due and as the clock's new time, and a 17-digit one costs a strtod to check. */
size_t trace__fmt_num_memo(wstate *ws, char *out, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    struct num_text *t = &ws->nums[(bits * 0x9E3779B97F4A7C15ull) >> (64 - NUM_CACHE_BITS)];
    if (t->len && t->bits == bits) {
        memcpy(out, t->txt, sizeof t->txt);   /* a fixed size: no call to memcpy */
        return t->len;
    }
    size_t n = fmt_num(out, v);
    if (n < sizeof t->txt) {
        t->bits = bits;
        t->len = (uint8_t)n;
        memcpy(t->txt, out, n);
    }
    return n;
}
