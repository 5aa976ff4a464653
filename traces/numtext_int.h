/* numtext_int.h — numbers as JSON text on the writer thread, exact and short. What the
 * encoder writes for every event (ids, iterations, kinds, lines, small counts) is here,
 * inline in its loop; other doubles are in numtext.c. put_u64_long is static, not
 * inline, as it was in encode.c: each includer gets the code the compiler chose there
 * (no LTO), and must call it (through put_u64 or put_id). Not part of the API.
 */
#ifndef NUMTEXT_INT_H
#define NUMTEXT_INT_H

#include <string.h>

#include "writer_int.h"

/* "00" "01" ... "99": two digits at a time */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* 0 <= v < 100 at p: one or two digits. */
static inline char *put_upto2(char *p, uint32_t v)
{
    if (v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    memcpy(p, digit_pairs + 2 * v, 2);
    return p + 2;
}

/* 100 <= v < 10000 at p: the hundreds by a multiplication (exact below 43699). */
static inline char *put_3to4(char *p, uint32_t v)
{
    uint32_t hi = (v * 5243) >> 19;
    p = put_upto2(p, hi);
    memcpy(p, digit_pairs + 2 * (v - hi * 100), 2);
    return p + 2;
}

/* 0 <= v < 10000 at p as exactly four digits. */
static inline char *put_four(char *p, uint32_t v)
{
    uint32_t hi = (v * 5243) >> 19;
    memcpy(p, digit_pairs + 2 * hi, 2);
    memcpy(p + 2, digit_pairs + 2 * (v - hi * 100), 2);
    return p + 4;
}

/* v >= 100 in decimal at p; returns the end. Divisions by constants become
 * multiplications; most ids have fewer than nine digits: two halves of four. */
static char *put_u64_long(char *p, uint64_t v)
{
    if (v >= 100000000) {
        /* the part above the last eight digits first */
        uint64_t hi = v / 100000000;
        uint32_t low = (uint32_t)(v - hi * 100000000);
        p = hi < 100 ? put_upto2(p, (uint32_t)hi) : put_u64_long(p, hi);
        return put_four(put_four(p, low / 10000), low % 10000);
    }
    uint32_t u = (uint32_t)v;
    if (u < 10000)
        return put_3to4(p, u);
    uint32_t hi = u / 10000;
    p = hi < 100 ? put_upto2(p, hi) : put_3to4(p, hi);
    return put_four(p, u - hi * 10000);
}

/* v in decimal at p; returns the end. Ids, iterations, kinds and lines are most of
 * what the writer thread writes: one and two digits inline, the rest out of line. */
static inline char *put_u64(char *p, uint64_t v)
{
    if (v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    if (v < 100) {
        memcpy(p, digit_pairs + 2 * v, 2);
        return p + 2;
    }
    return put_u64_long(p, v);
}

#define NUM_MAX 40   /* fmt_num's longest text, and its NUL */

/* v as a JSON number, its shortest form that reads back exactly (null for NaN), at
 * out (room for NUM_MAX bytes) through the writer's cache of numbers; its length. */
size_t trace__fmt_num_memo(wstate *ws, char *out, double v);

static inline size_t fmt_num_cached(wstate *ws, char *out, double v)
{
    if (v >= 0 && v < 100 && v == (double)(uint32_t)v && !signbit(v)) {
        /* 0 (not -0.0) and small counts, most of the numbers events carry */
        return (size_t)(put_upto2(out, (uint32_t)v) - out);
    }
    return trace__fmt_num_memo(ws, out, v);
}

/* Id v in decimal at p, which has room for 21 bytes. An id is written several times
 * close together (a handle when scheduled, run and ended; a future when made, awaited,
 * done and its callbacks scheduled): the texts of the ones lately written are kept,
 * indexed by their low bits (dense ids do not collide). */
static inline char *put_id(wstate *ws, char *p, uint64_t v)
{
    if (v < 100)
        return put_upto2(p, (uint32_t)v);
    struct id_text *t = &ws->ids[v & ((1u << ID_CACHE_BITS) - 1)];
    if (t->id == v) {
        memcpy(p, t->txt, 16);   /* a fixed size: txt and len, no call to memcpy */
        return p + t->len;
    }
    char *end = put_u64_long(p, v);
    if (end - p < (ptrdiff_t)sizeof t->txt) {
        t->id = v;
        memcpy(t->txt, p, sizeof t->txt);
        t->len = (uint8_t)(end - p);
    }
    return end;
}

#endif
