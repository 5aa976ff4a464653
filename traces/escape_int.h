/* escape_int.h — texts escaped for the inside of JSON strings on the writer thread (a
 * quote, a backslash and the control bytes): the scan and the copies the encoder makes
 * for every event, inline in its loop; owned copies in escape.c. The functions not
 * marked inline are static as they were in encode.c, so that the compiler decides as
 * it did there (no LTO); each includer uses them all. Not part of the API.
 */
#ifndef ESCAPE_INT_H
#define ESCAPE_INT_H

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "kept_int.h"

/* Bytes that need an escape inside a JSON string: controls, quote, backslash. */
static bool needs_escape(unsigned char ch)
{
    return ch < 0x20 || ch == '"' || ch == '\\';
}

/* How many of s's first n bytes need no escape. Sixteen or eight at a time:
 * descriptions of Python callbacks (48 bytes in callbacks.py, each written twice)
 * were a tenth of the writer thread's work scanned byte by byte. In the word loop a
 * byte is flagged when it is below 0x20, a quote or a backslash; the lowest flag is
 * always a true one (a false flag needs a borrow from a true one below it). */
static size_t plain_prefix(const char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    /* sixteen at a time where the CPU can: a byte is flagged when min(byte, 0x1f)
     * is the byte itself (below 0x20), or it is a quote or a backslash */
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f);
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
                                 _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
        unsigned flags = (unsigned)_mm_movemask_epi8(m);
        if (flags)
            return i + (size_t)__builtin_ctz(flags);
    }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, q, b;
        memcpy(&x, s + i, 8);
        q = x ^ (ones * '"');
        b = x ^ (ones * '\\');
        uint64_t m = (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs;
        if (m)
            return i + (size_t)(__builtin_ctzll(m) >> 3);
    }
#endif
    while (i < n && !needs_escape((unsigned char)s[i]))
        i++;
    return i;
}

/* s[plain..n) escaped for the inside of a JSON string, at p (room for 6 bytes each). */
static char *escape_rest(char *p, const char *s, size_t plain, size_t n)
{
    for (size_t i = plain; i < n; i++) {
        unsigned ch = (unsigned char)s[i];
        if (!needs_escape((unsigned char)ch)) {
            *p++ = (char)ch;
            continue;
        }
        *p++ = '\\';
        switch (ch) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\n': *p++ = 'n'; break;
        case '\t': *p++ = 't'; break;
        case '\r': *p++ = 'r'; break;
        default:
            p += sprintf(p, "u%04x", ch);
            break;
        }
    }
    return p;
}

/* A text of the chunk's arena (NUL-terminated, as capture.c leaves them): its
 * length, and in *plain how many of its first bytes need no escape. One scan finds
 * both, eight bytes at a time: a NUL is a byte to escape, and the arena may be read
 * up to the NUL after its last text. */
static size_t scan_text(const chunk *c, const char *s, size_t *plain)
{
    size_t i = plain_prefix(s, (size_t)(c->arena.p + c->arena.len + 1 - s));
    *plain = i;
    return s[i] ? i + strlen(s + i) : i;
}

/* n bytes from s to p. Details are short: up to 32 bytes move as two overlapping
 * fixed-size pieces, inline, instead of a call to memcpy. */
static inline void copy_bytes(char *p, const char *s, size_t n)
{
    if (n >= 16 && n <= 32) {
        memcpy(p, s, 16);
        memcpy(p + n - 16, s + n - 16, 16);
    } else if (n >= 8 && n < 16) {
        memcpy(p, s, 8);
        memcpy(p + n - 8, s + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        memcpy(p, s, 4);
        memcpy(p + n - 4, s + n - 4, 4);
    } else if (n > 32) {
        memcpy(p, s, n);
    } else {
        for (size_t i = 0; i < n; i++)
            p[i] = s[i];
    }
}

/* s (n bytes, the first `plain` needing no escape) escaped at p, which has room. */
static char *escaped_at(char *p, const char *s, size_t n, size_t plain)
{
    copy_bytes(p, s, plain);
    return escape_rest(p + plain, s, plain, n);
}

#define PUT_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* pre, then arena text s (n bytes, the first `plain` plain) escaped, then post:
 * room for all of it taken once. */
static void put_wrapped(trace__buf *b, const char *pre, size_t npre, const char *s, size_t n,
                        size_t plain, const char *post, size_t npost)
{
    char *p = trace__buf_room(b, npre + plain + 6 * (n - plain) + npost);
    if (!p)
        return;
    copy_bytes(p, pre, npre);
    p = escaped_at(p + npre, s, n, plain);
    copy_bytes(p, post, npost);
    b->len = (size_t)(p + npost - b->p);
}

/* Arena text s (NULL: "") escaped for a JSON string, as an owned copy (len set; *raw:
 * s's length) with room for SHORT_TEXT bytes; NULL when out of memory. */
char *trace__escaped_copy(const chunk *c, const char *s, uint32_t *len, size_t *raw);

#endif
