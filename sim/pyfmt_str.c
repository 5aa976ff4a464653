/* pyfmt_str.c — str methods on UTF-8 text, with code-point indices, mirroring
 * Objects/unicodeobject.c and Objects/stringlib.  Searching, splitting and
 * stripping work on bytes (UTF-8 is self-synchronising, so a byte match of a
 * valid needle is a code-point match); indices convert at the boundary, with
 * a fast path for ASCII text where the two coincide. */
#include "pyfmt.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* Code points in s[0..n), ASCII-fast. */
static long cplen(const char *s, size_t n)
{
    return (long)pyfmt_utf8_len(s, n);
}

/* Byte offset of code point i (0 <= i <= len). */
static size_t cpoff(const char *s, size_t n, long i)
{
    return pyfmt_utf8_offset(s, n, (size_t)i);
}

static int push(pyfmt_spans *l, size_t off, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        pyfmt_span *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].off = off;
    l->v[l->n].len = len;
    l->n++;
    return 0;
}

void pyfmt_spans_free(pyfmt_spans *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* ---- indexing and slicing ----------------------------------------------- */

int pyfmt_str_getitem(const char *s, size_t n, long i, pyfmt_span *out, pyfmt_err *err)
{
    long len = cplen(s, n);
    if (i < 0)
        i += len;
    if (i < 0 || i >= len)
        return pyfmt_seterr(err, PYFMT_EINDEX, "string index out of range");
    size_t a = cpoff(s, n, i), b = a;
    pyfmt_utf8_next(s, n, &b);
    out->off = a;
    out->len = b - a;
    return PYFMT_OK;
}

/* Mirrors PySlice_Unpack's defaults plus PySlice_AdjustIndices. */
long pyfmt_slice_adjust(long len, long *start, long *stop, long step,
                        int has_start, int has_stop)
{
    if (!has_start)
        *start = step < 0 ? LONG_MAX : 0;
    if (!has_stop)
        *stop = step < 0 ? LONG_MIN : LONG_MAX;
    if (*start < 0) {
        *start = *start < -len ? (step < 0 ? -1 : 0) : *start + len;
    } else if (*start >= len) {
        *start = step < 0 ? len - 1 : len;
    }
    if (*stop < 0) {
        *stop = *stop < -len ? (step < 0 ? -1 : 0) : *stop + len;
    } else if (*stop >= len) {
        *stop = step < 0 ? len - 1 : len;
    }
    if (step < 0) {
        if (*stop < *start)
            return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

int pyfmt_str_slice(const char *s, size_t n, long start, long stop, long step,
                    int has_start, int has_stop, pyfmt_buf *out)
{
    int ascii = is_ascii(s, n);
    long len = ascii ? (long)n : cplen(s, n);
    long count = pyfmt_slice_adjust(len, &start, &stop, step, has_start, has_stop);
    if (count <= 0)
        return pyfmt_buf_append(out, "", 0);
    if (step == 1) {
        size_t a = ascii ? (size_t)start : cpoff(s, n, start);
        size_t b = ascii ? (size_t)stop : a + cpoff(s + a, n - a, stop - start);
        return pyfmt_buf_append(out, s + a, b - a);
    }
    if (ascii) {
        if (pyfmt_buf_reserve(out, (size_t)count) < 0)
            return -1;
        for (long k = 0, i = start; k < count; k++, i += step)
            pyfmt_buf_putc(out, s[i]);
        return 0;
    }
    size_t *offs = malloc(((size_t)len + 1) * sizeof *offs);
    if (!offs)
        return -1;
    size_t pos = 0;
    for (long i = 0; i < len; i++) {
        offs[i] = pos;
        pyfmt_utf8_next(s, n, &pos);
    }
    offs[len] = n;
    int rc = 0;
    for (long k = 0, i = start; k < count; k++, i += step)
        rc |= pyfmt_buf_append(out, s + offs[i], offs[i + 1] - offs[i]);
    free(offs);
    return rc;
}

/* ---- searching ---------------------------------------------------------- */

/* Resolves r against a string of len code points (ADJUST_INDICES). */
static void adjust(pyfmt_range r, long len, long *start, long *end)
{
    *start = r.has_start ? r.start : 0;
    *end = r.has_end ? r.end : LONG_MAX;
    if (*end > len)
        *end = len;
    else if (*end < 0 && (*end += len) < 0)
        *end = 0;
    if (*start < 0 && (*start += len) < 0)
        *start = 0;
}

/* The byte window [*a, *b) of code points [start, end), start <= end. */
static void window(const char *s, size_t n, long start, long end, size_t *a, size_t *b)
{
    *a = cpoff(s, n, start);
    *b = *a + cpoff(s + *a, n - *a, end - start);
}

long pyfmt_str_find(const char *s, size_t n, const char *sub, size_t subn, pyfmt_range r)
{
    long len = cplen(s, n), start, end;
    adjust(r, len, &start, &end);
    if (end - start < cplen(sub, subn))
        return -1;
    size_t a, b;
    window(s, n, start, end, &a, &b);
    const char *hit = subn ? memmem(s + a, b - a, sub, subn) : s + a;
    if (!hit)
        return -1;
    return start + cplen(s + a, (size_t)(hit - (s + a)));
}

long pyfmt_str_rfind(const char *s, size_t n, const char *sub, size_t subn, pyfmt_range r)
{
    long len = cplen(s, n), start, end;
    adjust(r, len, &start, &end);
    if (end - start < cplen(sub, subn))
        return -1;
    size_t a, b;
    window(s, n, start, end, &a, &b);
    if (b - a < subn)
        return -1;
    for (size_t i = b - subn + 1; i-- > a;)
        if (memcmp(s + i, sub, subn) == 0)
            return start + cplen(s + a, i - a);
    return -1;
}

long pyfmt_str_count(const char *s, size_t n, const char *sub, size_t subn, pyfmt_range r)
{
    long len = cplen(s, n), start, end;
    adjust(r, len, &start, &end);
    if (end - start < cplen(sub, subn))
        return 0;
    if (subn == 0)
        return end - start + 1;
    size_t a, b;
    window(s, n, start, end, &a, &b);
    long count = 0;
    const char *p = s + a, *stop = s + b;
    while ((p = memmem(p, (size_t)(stop - p), sub, subn)) != NULL) {
        count++;
        p += subn;
    }
    return count;
}

/* Mirrors tailmatch. */
static int tailmatch(const char *s, size_t n, const char *sub, size_t subn,
                     pyfmt_range r, int at_end)
{
    long len = cplen(s, n), start, end, sublen = cplen(sub, subn);
    adjust(r, len, &start, &end);
    end -= sublen;
    if (end < start)
        return 0;
    if (subn == 0)
        return 1;
    size_t off = cpoff(s, n, at_end ? end : start);
    return n - off >= subn && memcmp(s + off, sub, subn) == 0;
}

int pyfmt_str_startswith(const char *s, size_t n, const char *pre, size_t pren, pyfmt_range r)
{
    return tailmatch(s, n, pre, pren, r, 0);
}

int pyfmt_str_endswith(const char *s, size_t n, const char *suf, size_t sufn, pyfmt_range r)
{
    return tailmatch(s, n, suf, sufn, r, 1);
}

/* ---- splitting ---------------------------------------------------------- */

/* Is there a whitespace code point at s[pos]?  Sets *next past it. */
static int space_at(const char *s, size_t n, size_t pos, size_t *next)
{
    unsigned char c = (unsigned char)s[pos];
    if (c < 0x80) {
        *next = pos + 1;
        return pyfmt_cp_isspace(c);
    }
    *next = pos;
    return pyfmt_cp_isspace(pyfmt_utf8_next(s, n, next));
}

/* Start of the code point that ends just before byte b. */
static size_t prev_cp(const char *s, size_t b)
{
    size_t q = b - 1;
    while (q > 0 && ((unsigned char)s[q] & 0xc0) == 0x80)
        q--;
    return q;
}

static int space_before(const char *s, size_t n, size_t b, size_t *prev)
{
    *prev = prev_cp(s, b);
    size_t nx;
    return space_at(s, n, *prev, &nx);
}

int pyfmt_str_split(const char *s, size_t n, const char *sep, size_t sepn,
                    long maxsplit, pyfmt_spans *out, pyfmt_err *err)
{
    if (maxsplit < 0)
        maxsplit = LONG_MAX;
    int rc = 0;
    if (!sep) {   /* split_whitespace */
        size_t i = 0, nx;
        while (maxsplit-- > 0) {
            while (i < n && space_at(s, n, i, &nx))
                i = nx;
            if (i == n)
                break;
            size_t j = i;
            while (i < n && !space_at(s, n, i, &nx))
                i = nx;
            rc |= push(out, j, i - j);
        }
        if (i < n) {
            while (i < n && space_at(s, n, i, &nx))
                i = nx;
            if (i != n)
                rc |= push(out, i, n - i);
        }
        return rc ? pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory") : PYFMT_OK;
    }
    if (sepn == 0)
        return pyfmt_seterr(err, PYFMT_EVALUE, "empty separator");
    size_t i = 0;
    while (maxsplit-- > 0) {
        const char *hit = memmem(s + i, n - i, sep, sepn);
        if (!hit)
            break;
        size_t j = (size_t)(hit - s);
        rc |= push(out, i, j - i);
        i = j + sepn;
    }
    rc |= push(out, i, n - i);
    return rc ? pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory") : PYFMT_OK;
}

/* Reverses the spans so a right-to-left split reads left to right. */
static void reverse_spans(pyfmt_spans *l, size_t from)
{
    for (size_t a = from, b = l->n; a + 1 < b; a++, b--) {
        pyfmt_span t = l->v[a];
        l->v[a] = l->v[b - 1];
        l->v[b - 1] = t;
    }
}

int pyfmt_str_rsplit(const char *s, size_t n, const char *sep, size_t sepn,
                     long maxsplit, pyfmt_spans *out, pyfmt_err *err)
{
    if (maxsplit < 0)
        maxsplit = LONG_MAX;
    size_t from = out->n;
    int rc = 0;
    if (!sep) {   /* rsplit_whitespace */
        size_t i = n, pv;
        while (maxsplit-- > 0) {
            while (i > 0 && space_before(s, n, i, &pv))
                i = pv;
            if (i == 0)
                break;
            size_t j = i;
            while (i > 0 && !space_before(s, n, i, &pv))
                i = pv;
            rc |= push(out, i, j - i);
        }
        if (i > 0) {
            while (i > 0 && space_before(s, n, i, &pv))
                i = pv;
            if (i != 0)
                rc |= push(out, 0, i);
        }
    } else {
        if (sepn == 0)
            return pyfmt_seterr(err, PYFMT_EVALUE, "empty separator");
        size_t j = n;
        while (maxsplit-- > 0) {
            size_t found = (size_t)-1;
            for (size_t k = j >= sepn ? j - sepn + 1 : 0; k-- > 0;)
                if (memcmp(s + k, sep, sepn) == 0) {
                    found = k;
                    break;
                }
            if (found == (size_t)-1)
                break;
            rc |= push(out, found + sepn, j - found - sepn);
            j = found;
        }
        rc |= push(out, 0, j);
    }
    reverse_spans(out, from);
    return rc ? pyfmt_seterr(err, PYFMT_ENOMEM, "out of memory") : PYFMT_OK;
}

int pyfmt_str_splitlines(const char *s, size_t n, int keepends, pyfmt_spans *out)
{
    size_t i = 0;
    int rc = 0;
    while (i < n) {
        size_t j = i, eol, next = i;
        uint32_t c = 0;
        for (;;) {
            eol = next;
            if (eol >= n)
                break;
            c = pyfmt_utf8_next(s, n, &next);
            if (pyfmt_cp_islinebreak(c))
                break;
        }
        if (eol >= n) {
            rc |= push(out, j, n - j);
            break;
        }
        if (c == '\r' && next < n && s[next] == '\n')
            next++;
        rc |= push(out, j, (keepends ? next : eol) - j);
        i = next;
    }
    return rc;
}

int pyfmt_str_partition(const char *s, size_t n, const char *sep, size_t sepn,
                        pyfmt_span out[3], pyfmt_err *err)
{
    if (sepn == 0)
        return pyfmt_seterr(err, PYFMT_EVALUE, "empty separator");
    const char *hit = memmem(s, n, sep, sepn);
    if (!hit) {
        out[0] = (pyfmt_span){0, n};
        out[1] = out[2] = (pyfmt_span){n, 0};
        return PYFMT_OK;
    }
    size_t j = (size_t)(hit - s);
    out[0] = (pyfmt_span){0, j};
    out[1] = (pyfmt_span){j, sepn};
    out[2] = (pyfmt_span){j + sepn, n - j - sepn};
    return PYFMT_OK;
}

int pyfmt_str_rpartition(const char *s, size_t n, const char *sep, size_t sepn,
                         pyfmt_span out[3], pyfmt_err *err)
{
    if (sepn == 0)
        return pyfmt_seterr(err, PYFMT_EVALUE, "empty separator");
    for (size_t k = n >= sepn ? n - sepn + 1 : 0; k-- > 0;)
        if (memcmp(s + k, sep, sepn) == 0) {
            out[0] = (pyfmt_span){0, k};
            out[1] = (pyfmt_span){k, sepn};
            out[2] = (pyfmt_span){k + sepn, n - k - sepn};
            return PYFMT_OK;
        }
    out[0] = out[1] = (pyfmt_span){0, 0};
    out[2] = (pyfmt_span){0, n};
    return PYFMT_OK;
}

int pyfmt_str_join(const char *sep, size_t sepn, const char *const *parts,
                   const size_t *lens, size_t count, pyfmt_buf *out)
{
    size_t total = count ? sepn * (count - 1) : 0;
    for (size_t i = 0; i < count; i++)
        total += lens[i];
    if (pyfmt_buf_reserve(out, total) < 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (i)
            pyfmt_buf_append(out, sep, sepn);
        pyfmt_buf_append(out, parts[i], lens[i]);
    }
    return 0;
}

/* ---- strip and replace -------------------------------------------------- */

/* Is the code point at s[pos] one to strip?  Sets *next past it. */
static int strip_at(const char *s, size_t n, size_t pos, const char *chars,
                    size_t charsn, size_t *next)
{
    if (!chars)
        return space_at(s, n, pos, next);
    *next = pos;
    pyfmt_utf8_next(s, n, next);
    size_t k = *next - pos;
    for (size_t i = 0; i < charsn;) {
        size_t j = i;
        pyfmt_utf8_next(chars, charsn, &j);
        if (j - i == k && memcmp(chars + i, s + pos, k) == 0)
            return 1;
        i = j;
    }
    return 0;
}

pyfmt_span pyfmt_str_strip(const char *s, size_t n, const char *chars,
                           size_t charsn, int which)
{
    size_t a = 0, b = n, nx;
    if (which & 1)
        while (a < b && strip_at(s, n, a, chars, charsn, &nx))
            a = nx;
    if (which & 2)
        while (b > a) {
            size_t q = prev_cp(s, b);
            if (q < a || !strip_at(s, n, q, chars, charsn, &nx))
                break;
            b = q;
        }
    return (pyfmt_span){a, b - a};
}

int pyfmt_str_replace(const char *s, size_t n, const char *old, size_t oldn,
                      const char *new_, size_t newn, long count, pyfmt_buf *out)
{
    if (count < 0)
        count = LONG_MAX;
    int rc = 0;
    if (oldn == 0) {   /* insert new_ before each code point and at the end */
        size_t pos = 0;
        while (pos <= n) {
            if (count-- > 0)
                rc |= pyfmt_buf_append(out, new_, newn);
            else {
                rc |= pyfmt_buf_append(out, s + pos, n - pos);
                break;
            }
            if (pos == n)
                break;
            size_t nx = pos;
            pyfmt_utf8_next(s, n, &nx);
            rc |= pyfmt_buf_append(out, s + pos, nx - pos);
            pos = nx;
        }
        return rc;
    }
    size_t i = 0;
    while (count-- > 0) {
        const char *hit = memmem(s + i, n - i, old, oldn);
        if (!hit)
            break;
        size_t j = (size_t)(hit - s);
        rc |= pyfmt_buf_append(out, s + i, j - i);
        rc |= pyfmt_buf_append(out, new_, newn);
        i = j + oldn;
    }
    rc |= pyfmt_buf_append(out, s + i, n - i);
    return rc;
}

/* ---- case --------------------------------------------------------------- */

/* Mirrors handle_capital_sigma: U+03A3 lowers to final sigma when a cased
 * letter precedes it and none follows (skipping case-ignorables). */
static uint32_t lower_sigma(const char *s, size_t n, size_t pos, size_t next)
{
    int final = 0;
    size_t j = pos;
    uint32_t c = 0;
    while (j > 0) {
        size_t q = prev_cp(s, j);
        j = q;
        c = pyfmt_utf8_next(s, n, &q);
        if (!pyfmt_cp_iscaseignorable(c))
            break;
    }
    final = pos > 0 && !pyfmt_cp_iscaseignorable(c) && pyfmt_cp_iscased(c);
    if (final) {
        j = next;
        while (j < n) {
            c = pyfmt_utf8_next(s, n, &j);
            if (!pyfmt_cp_iscaseignorable(c))
                return pyfmt_cp_iscased(c) ? 0x3c3 : 0x3c2;
        }
    }
    return final ? 0x3c2 : 0x3c3;
}

/* Appends the full mapping of c (at s[pos..next)) for which. */
static int put_case(pyfmt_buf *b, uint32_t c, int which, const char *s, size_t n,
                    size_t pos, size_t next)
{
    char m[16];
    if (which == PYFMT_LOWER && c == 0x3a3)
        return pyfmt_buf_put_cp(b, lower_sigma(s, n, pos, next));
    if (c < 0x80 && which != PYFMT_CASEFOLD) {
        if (which == PYFMT_LOWER)
            c = c >= 'A' && c <= 'Z' ? c + 32 : c;
        else
            c = c >= 'a' && c <= 'z' ? c - 32 : c;
        return pyfmt_buf_putc(b, (char)c);
    }
    int len = pyfmt_cp_case(c, which, m);
    return pyfmt_buf_append(b, m, (size_t)len);
}

/* Mirrors do_upper, do_lower, do_capitalize, do_title, do_swapcase and
 * do_casefold. */
int pyfmt_str_case(const char *s, size_t n, int which, pyfmt_buf *out)
{
    size_t pos = 0;
    int rc = pyfmt_buf_reserve(out, n), prev_cased = 0, first = 1;
    while (pos < n) {
        size_t start = pos;
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        int to;
        switch (which) {
        case PYFMT_CAPITALIZE:
            to = first ? PYFMT_TITLE : PYFMT_LOWER;
            break;
        case PYFMT_TITLE:
            to = prev_cased ? PYFMT_LOWER : PYFMT_TITLE;
            prev_cased = pyfmt_cp_iscased(c);
            break;
        case PYFMT_SWAPCASE:
            to = pyfmt_cp_isupper(c) ? PYFMT_LOWER : pyfmt_cp_islower(c) ? PYFMT_UPPER : -1;
            break;
        default:
            to = which;
        }
        if (to < 0)
            rc |= pyfmt_buf_append(out, s + start, pos - start);
        else
            rc |= put_case(out, c, to, s, n, start, pos);
        first = 0;
    }
    return rc;
}

/* ---- padding ------------------------------------------------------------ */

static int pad(const char *s, size_t n, long left, long right, uint32_t fill,
               pyfmt_buf *out)
{
    int rc = pyfmt_buf_fill_cp(out, fill, (size_t)left);
    rc |= pyfmt_buf_append(out, s, n);
    rc |= pyfmt_buf_fill_cp(out, fill, (size_t)right);
    return rc;
}

int pyfmt_str_center(const char *s, size_t n, long width, uint32_t fill, pyfmt_buf *out)
{
    long marg = width - cplen(s, n);
    if (marg <= 0)
        return pyfmt_buf_append(out, s, n);
    long left = marg / 2 + (marg & width & 1);
    return pad(s, n, left, marg - left, fill, out);
}

int pyfmt_str_ljust(const char *s, size_t n, long width, uint32_t fill, pyfmt_buf *out)
{
    long marg = width - cplen(s, n);
    return pad(s, n, 0, marg > 0 ? marg : 0, fill, out);
}

int pyfmt_str_rjust(const char *s, size_t n, long width, uint32_t fill, pyfmt_buf *out)
{
    long marg = width - cplen(s, n);
    return pad(s, n, marg > 0 ? marg : 0, 0, fill, out);
}

int pyfmt_str_zfill(const char *s, size_t n, long width, pyfmt_buf *out)
{
    long fill = width - cplen(s, n);
    if (fill <= 0)
        return pyfmt_buf_append(out, s, n);
    int rc = 0;
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        rc |= pyfmt_buf_putc(out, s[0]);
        s++;
        n--;
    }
    rc |= pyfmt_buf_fill(out, '0', (size_t)fill);
    rc |= pyfmt_buf_append(out, s, n);
    return rc;
}

int pyfmt_str_expandtabs(const char *s, size_t n, long tabsize, pyfmt_buf *out)
{
    long col = 0;
    size_t pos = 0;
    int rc = 0;
    while (pos < n) {
        size_t start = pos;
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        if (c == '\t') {
            if (tabsize > 0) {
                long k = tabsize - (col % tabsize);
                rc |= pyfmt_buf_fill(out, ' ', (size_t)k);
                col += k;
            }
        } else {
            rc |= pyfmt_buf_append(out, s + start, pos - start);
            col = (c == '\n' || c == '\r') ? 0 : col + 1;
        }
    }
    return rc;
}

/* ---- predicates --------------------------------------------------------- */

/* True when s is non-empty and every code point satisfies pred. */
static int all_of(const char *s, size_t n, int (*pred)(uint32_t))
{
    if (n == 0)
        return 0;
    size_t pos = 0;
    while (pos < n)
        if (!pred(pyfmt_utf8_next(s, n, &pos)))
            return 0;
    return 1;
}

static int cp_isalnum(uint32_t c)
{
    return pyfmt_cp_isalpha(c) || pyfmt_cp_isdecimal(c) || pyfmt_cp_isdigit(c)
        || pyfmt_cp_isnumeric(c);
}

int pyfmt_str_isdigit(const char *s, size_t n) { return all_of(s, n, pyfmt_cp_isdigit); }
int pyfmt_str_isdecimal(const char *s, size_t n) { return all_of(s, n, pyfmt_cp_isdecimal); }
int pyfmt_str_isnumeric(const char *s, size_t n) { return all_of(s, n, pyfmt_cp_isnumeric); }
int pyfmt_str_isalpha(const char *s, size_t n) { return all_of(s, n, pyfmt_cp_isalpha); }
int pyfmt_str_isalnum(const char *s, size_t n) { return all_of(s, n, cp_isalnum); }
int pyfmt_str_isspace(const char *s, size_t n) { return all_of(s, n, pyfmt_cp_isspace); }
int pyfmt_str_isprintable(const char *s, size_t n)
{
    return n == 0 || all_of(s, n, pyfmt_cp_isprintable);
}
int pyfmt_str_isascii(const char *s, size_t n) { return is_ascii(s, n); }

/* Mirrors unicode_isupper_impl / islower / istitle. */
int pyfmt_str_isupper(const char *s, size_t n)
{
    int cased = 0;
    size_t pos = 0;
    while (pos < n) {
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        if (pyfmt_cp_islower(c) || pyfmt_cp_istitle(c))
            return 0;
        if (pyfmt_cp_isupper(c))
            cased = 1;
    }
    return cased;
}

int pyfmt_str_islower(const char *s, size_t n)
{
    int cased = 0;
    size_t pos = 0;
    while (pos < n) {
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        if (pyfmt_cp_isupper(c) || pyfmt_cp_istitle(c))
            return 0;
        if (pyfmt_cp_islower(c))
            cased = 1;
    }
    return cased;
}

int pyfmt_str_istitle(const char *s, size_t n)
{
    int cased = 0, prev_cased = 0;
    size_t pos = 0;
    while (pos < n) {
        uint32_t c = pyfmt_utf8_next(s, n, &pos);
        if (pyfmt_cp_isupper(c) || pyfmt_cp_istitle(c)) {
            if (prev_cased)
                return 0;
            prev_cased = cased = 1;
        } else if (pyfmt_cp_islower(c)) {
            if (!prev_cased)
                return 0;
            prev_cased = cased = 1;
        } else {
            prev_cased = 0;
        }
    }
    return cased;
}

/* First code point XID_Start or '_', the rest XID_Continue. */
int pyfmt_str_isidentifier(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t pos = 0;
    if (!pyfmt_cp_isidstart(pyfmt_utf8_next(s, n, &pos)))
        return 0;
    while (pos < n)
        if (!pyfmt_cp_isidcontinue(pyfmt_utf8_next(s, n, &pos)))
            return 0;
    return 1;
}
