/* pyfmt_uni.c — per-character Unicode properties and str repr.
 *
 * The tables in pyfmt_unitab.h are generated from CPython 3.11's unicodedata
 * (sim/gen_pyfmt_unitab.py), so predicates, case mappings and the printable
 * test agree with CPython for every code point.  Lookups are binary searches
 * over sorted, disjoint ranges: O(log n), with ASCII answered inline. */
#include "pyfmt.h"

#include <stdio.h>
#include <string.h>

typedef struct range { uint32_t lo, hi; } range;
/* c maps to c + delta for lo <= c <= hi with (c - lo) % stride == 0. */
typedef struct casemap { uint32_t lo, hi; int stride, delta; } casemap;
/* Full mappings that are longer than one code point (upper, lower, title,
 * casefold, as UTF-8). */
typedef struct special_case { uint32_t cp; const char *map[4]; } special_case;

#include "pyfmt_unitab.h"

static int in_ranges(uint32_t c, const range *r, size_t n)
{
    size_t a = 0, b = n;   /* binary search over sorted, disjoint ranges */
    while (a < b) {
        size_t m = (a + b) / 2;
        if (c < r[m].lo)
            b = m;
        else if (c > r[m].hi)
            a = m + 1;
        else
            return 1;
    }
    return 0;
}
#define IN(c, table) in_ranges((c), (table), sizeof(table) / sizeof(table[0]))

static uint32_t map_cp(uint32_t c, const casemap *r, size_t n)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (c < r[m].lo)
            b = m;
        else if (c > r[m].hi)
            a = m + 1;
        else
            return (c - r[m].lo) % (uint32_t)r[m].stride ? c : (uint32_t)((int32_t)c + r[m].delta);
    }
    return c;
}
#define MAP(c, table) map_cp((c), (table), sizeof(table) / sizeof(table[0]))

int pyfmt_cp_decimal_value(uint32_t c)
{
    if (c < 0x80)
        return c >= '0' && c <= '9' ? (int)(c - '0') : -1;
    size_t a = 0, b = sizeof decimal_tab / sizeof decimal_tab[0];
    while (a < b) {
        size_t m = (a + b) / 2;
        if (c < decimal_tab[m].lo)
            b = m;
        else if (c > decimal_tab[m].hi)
            a = m + 1;
        else
            return (int)((c - decimal_tab[m].lo) % 10);
    }
    return -1;
}

int pyfmt_cp_isspace(uint32_t c)
{
    if (c < 0x80)
        return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20);
    return IN(c, space_tab);
}

int pyfmt_cp_islinebreak(uint32_t c)
{
    return (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e) || c == 0x85
        || c == 0x2028 || c == 0x2029;
}

int pyfmt_cp_isalpha(uint32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return IN(c, alpha_tab);
}

int pyfmt_cp_isdecimal(uint32_t c) { return pyfmt_cp_decimal_value(c) >= 0; }
int pyfmt_cp_isdigit(uint32_t c) { return IN(c, digit_tab); }
int pyfmt_cp_isnumeric(uint32_t c) { return IN(c, numeric_tab); }
int pyfmt_cp_isupper(uint32_t c) { return c < 0x80 ? c >= 'A' && c <= 'Z' : IN(c, upper_tab); }
int pyfmt_cp_islower(uint32_t c) { return c < 0x80 ? c >= 'a' && c <= 'z' : IN(c, lower_tab); }
int pyfmt_cp_istitle(uint32_t c) { return IN(c, title_tab); }
int pyfmt_cp_iscased(uint32_t c) { return IN(c, cased_tab); }
int pyfmt_cp_iscaseignorable(uint32_t c) { return IN(c, case_ignorable_tab); }
int pyfmt_cp_isidstart(uint32_t c) { return c == '_' || IN(c, xid_start_tab); }
int pyfmt_cp_isidcontinue(uint32_t c) { return IN(c, xid_continue_tab); }

int pyfmt_cp_isprintable(uint32_t c)
{
    if (c >= 0x20 && c < 0x7f)
        return 1;
    return !IN(c, nonprint_tab);
}

uint32_t pyfmt_cp_upper(uint32_t c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    return MAP(c, upper_map);
}

uint32_t pyfmt_cp_lower(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    return MAP(c, lower_map);
}

int pyfmt_cp_case(uint32_t c, int which, char out[16])
{
    int k = which == PYFMT_UPPER ? 0 : which == PYFMT_LOWER ? 1 : which == PYFMT_TITLE ? 2 : 3;
    if (c >= 0xdf) {
        size_t a = 0, b = sizeof special_tab / sizeof special_tab[0];
        while (a < b) {
            size_t m = (a + b) / 2;
            if (c < special_tab[m].cp)
                b = m;
            else if (c > special_tab[m].cp)
                a = m + 1;
            else {
                size_t len = strlen(special_tab[m].map[k]);
                memcpy(out, special_tab[m].map[k], len + 1);
                return (int)len;
            }
        }
    }
    uint32_t r = k == 0 ? pyfmt_cp_upper(c) : k == 1 ? pyfmt_cp_lower(c)
               : k == 2 ? MAP(c, title_map) : MAP(c, fold_map);
    int len = pyfmt_utf8_encode(r, out);
    out[len] = '\0';
    return len;
}

/* ---- repr --------------------------------------------------------------- */

/* Mirrors unicode_repr (and ascii() when ascii_only): prefer single quotes
 * unless the text has a ' and no ". */
int pyfmt_str_repr(const char *s, size_t n, int ascii_only, pyfmt_buf *out)
{
    int has_sq = memchr(s, '\'', n) != NULL, has_dq = memchr(s, '"', n) != NULL;
    char quote = has_sq && !has_dq ? '"' : '\'';
    int rc = pyfmt_buf_putc(out, quote);
    size_t pos = 0;
    while (pos < n) {
        size_t start = pos;
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        char esc[16];
        if (c == (uint32_t)quote || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            rc |= pyfmt_buf_append(out, esc, 2);
        } else if (c == '\t') {
            rc |= pyfmt_buf_puts(out, "\\t");
        } else if (c == '\n') {
            rc |= pyfmt_buf_puts(out, "\\n");
        } else if (c == '\r') {
            rc |= pyfmt_buf_puts(out, "\\r");
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)c);
            rc |= pyfmt_buf_puts(out, esc);
        } else if (c < 0x7f) {
            rc |= pyfmt_buf_putc(out, (char)c);
        } else if (!ascii_only && pyfmt_cp_isprintable(c)) {
            rc |= pyfmt_buf_append(out, s + start, pos - start);
        } else {
            if (c <= 0xff)
                snprintf(esc, sizeof esc, "\\x%02x", (unsigned)c);
            else if (c <= 0xffff)
                snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
            else
                snprintf(esc, sizeof esc, "\\U%08x", (unsigned)c);
            rc |= pyfmt_buf_puts(out, esc);
        }
    }
    rc |= pyfmt_buf_putc(out, quote);
    return rc ? -1 : 0;
}
