/* encode.c — on the writer thread: chunks of captured events as the JSON text of an
 * event block (the format is in schema.sql: groups of events that share a loop
 * iteration and a virtual time), with each event's readable detail composed from the
 * texts captured with it (tasks.c keeps the task rows). Numbers are written in their shortest exact form: the reader gets back the
 * very doubles the loop reported.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "writer_int.h"

/* ---- JSON pieces ------------------------------------------------------------------- */

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

/* ---- details ----------------------------------------------------------------------- */
/* A detail goes straight into the block as `,"text"`, escaped as it is copied. The
 * writer's maps keep task names and handle descriptions already escaped, with their
 * lengths, so that the common details (task steps, wake-ups) are a few memcpys. Pieces
 * are written at a pointer into room taken once per detail; the block's text gets its
 * NUL at the end (trace__block_end). */

/* Texts the writer keeps (task names, handle descriptions) are allocated with at
 * least SHORT_TEXT bytes, so that copy_text moves a short one in one fixed-size
 * memcpy (inline, no call) into room for SHORT_TEXT bytes. */
#define SHORT_TEXT 32

static inline char *copy_text(char *p, const char *s, size_t n)
{
    if (n <= SHORT_TEXT)
        memcpy(p, s, SHORT_TEXT);
    else
        memcpy(p, s, n);
    return p + n;
}

static inline size_t text_room(size_t n)
{
    return n < SHORT_TEXT ? SHORT_TEXT : n;
}

/* Arena text s (NULL: "") escaped for a JSON string, as an owned copy (len set; *raw:
 * s's length); NULL when out of memory. Most texts need no escape: one scan, one
 * malloc. */
static char *escaped_copy(const chunk *c, const char *s, uint32_t *len, size_t *raw)
{
    size_t plain = 0, n = s ? scan_text(c, s, &plain) : 0;
    *raw = n;
    if (plain == n) {
        char *d = malloc(text_room(n + 1));
        if (d) {
            memcpy(d, s ? s : "", n);
            d[n] = '\0';
            *len = (uint32_t)n;
        }
        return d;
    }
    trace__buf t = { 0 };
    put_wrapped(&t, "", 0, s, n, plain, "", 0);
    if (t.oom) {
        trace__buf_free(&t);
        return NULL;
    }
    t.p[t.len] = '\0';
    *len = (uint32_t)t.len;
    return t.p;
}

/* ---- texts seen again -------------------------------------------------------------- */

#define KEPT_MAX 256   /* texts kept until the writer ends, at most */

/* Whether arena text s is the one memo m saw last. memcmp reads no further than
 * the NUL after the arena's last text. */
static bool memo_same(const text_memo *m, const chunk *c, const char *s)
{
    return m->valid && m->rawlen < (size_t)(c->arena.p + c->arena.len + 1 - s) &&
           memcmp(s, m->raw, m->rawlen + 1) == 0;
}

/* Arena text s (n bytes) is what memo m saw last (nothing kept of it yet). */
static void memo_set(text_memo *m, const char *s, size_t n)
{
    m->kept = NULL;
    m->valid = n < sizeof m->raw;
    if (m->valid) {
        memcpy(m->raw, s, n + 1);
        m->rawlen = (uint32_t)n;
    }
}

/* Memo m's kept copy becomes t (keptlen: len), kept until the writer ends. False
 * (t freed) when out of memory. */
static bool memo_keep(wstate *ws, text_memo *m, char *t, uint32_t len)
{
    char **p = realloc(ws->kept, (ws->nkept + 1) * sizeof *p);
    if (!p) {
        free(t);
        return false;
    }
    ws->kept = p;
    ws->kept[ws->nkept++] = t;
    m->kept = t;
    m->keptlen = len;
    return true;
}

/* What handle desc A (an arena text) is, escaped: a copy of its own, or (*borrowed)
 * the one kept for a description that came before. NULL when out of memory. */
static char *handle_desc(wstate *ws, const chunk *c, const char *A, uint32_t *len, bool *borrowed)
{
    text_memo *m = &ws->desc_memo;
    size_t n;
    bool same = memo_same(m, c, A);
    if (same) {
        if (!m->kept && ws->nkept < KEPT_MAX) {
            char *t = escaped_copy(c, A, len, &n);
            if (!t || !memo_keep(ws, m, t, *len))
                return NULL;
        }
        if (m->kept) {
            *len = m->keptlen;
            *borrowed = true;
            return m->kept;
        }
    }
    char *d = escaped_copy(c, A, len, &n);
    if (d && !same)
        memo_set(m, A, n);
    return d;
}

/* ,"prefix A; T" (prefix: literal text, np bytes; A, T: arena texts); nothing when
 * all three are empty. */
static bool put_composed(trace__buf *b, const chunk *c, const char *prefix, size_t np, const char *A,
                         const char *T)
{
    bool sep = T && (prefix || A);
    size_t pa = 0, pt = 0;
    size_t na = A ? scan_text(c, A, &pa) : 0, nt = T ? scan_text(c, T, &pt) : 0;
    if (!np && !na && !nt && !sep)
        return false;
    char *p = trace__buf_room(b, 5 + np + pa + 6 * (na - pa) + pt + 6 * (nt - pt));
    if (!p)
        return true;
    p = PUT_LIT(p, ",\"");
    copy_bytes(p, prefix, np);
    p += np;
    if (A)
        p = escaped_at(p, A, na, pa);
    if (sep)
        p = PUT_LIT(p, "; ");
    if (T)
        p = escaped_at(p, T, nt, pt);
    *p++ = '"';
    b->len = (size_t)(p - b->p);
    return true;
}

/* ,"T" when T is there (even empty): a text reported with the event, as is. */
static bool put_text(trace__buf *b, const chunk *c, const char *T)
{
    if (!T)
        return false;
    size_t plain, n = scan_text(c, T, &plain);
    put_wrapped(b, ",\"", 2, T, n, plain, "\"", 1);
    return true;
}

/* a string literal and its length, for put_composed */
#define LIT_N(lit) (lit), sizeof(lit) - 1

/* The prefix of a finishing event's detail (*n: its length). */
static const char *done_prefix(int kind, bool has_val, size_t *n)
{
#define RET(lit) return (*n = sizeof(lit) - 1, (lit))
    switch (kind) {
    case LOOP_EV_FUTURE_RESULT: RET("result ");
    case LOOP_EV_FUTURE_EXCEPTION: RET("exception ");
    case LOOP_EV_FUTURE_CANCEL:
        if (has_val)
            RET("cancelled, message ");
        RET("cancelled");
    case LOOP_EV_STEP_RETURN: RET("return ");
    case LOOP_EV_STEP_RAISE: RET("raise ");
    default:   /* STEP_CANCELLED */
        if (has_val)
            RET("cancelled ");
        RET("cancelled");
    }
#undef RET
}

static const char *done_state(int kind)
{
    switch (kind) {
    case LOOP_EV_FUTURE_RESULT: case LOOP_EV_STEP_RETURN: return "finished";
    case LOOP_EV_FUTURE_EXCEPTION: case LOOP_EV_STEP_RAISE: return "raised";
    default: return "cancelled";
    }
}

/* The kinds' words ("future"), each in 16 bytes (NUL-padded) so that ref_at copies a
 * fixed size; the last one is "object", for a kind out of range. */
static void init_kind_words(wstate *ws)
{
    for (int k = 0; k <= LOOP_K__COUNT; k++) {
        const char *kw = trace__kind_word(k < LOOP_K__COUNT ? k : -1);
        size_t n = strlen(kw);
        n = n < sizeof ws->kw[k] ? n : sizeof ws->kw[k] - 1;
        memset(ws->kw[k], 0, sizeof ws->kw[k]);
        memcpy(ws->kw[k], kw, n);
        ws->kwlen[k] = (uint8_t)n;
    }
    ws->kw_ready = true;
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

/* "future #5" at p, which has room for REF_MAX bytes: an object by its kind and id. */
#define REF_MAX (16 + 2 + 21)
static char *ref_at(wstate *ws, char *p, int kind, uint64_t id)
{
    int k = kind >= 0 && kind < LOOP_K__COUNT ? kind : LOOP_K__COUNT;
    memcpy(p, ws->kw[k], sizeof ws->kw[k]);
    p += ws->kwlen[k];
    *p++ = ' ';
    *p++ = '#';
    return put_id(ws, p, id);
}

/* A task's name as the program last set it (t: its entry in the tasks map, desc
 * escaped), or "task #id"; name_max: the room it needs. */
static size_t name_max(const trace__idval *t)
{
    return t && t->desc ? text_room(t->len) : REF_MAX;
}

static inline char *name_at(wstate *ws, char *p, const trace__idval *t, uint64_t id)
{
    if (t && t->desc)
        return copy_text(p, t->desc, t->len);
    return ref_at(ws, p, LOOP_K_TASK, id);
}

/* ,"what handle h calls": its description, or the task step it is. */
static void put_call(trace__buf *b, wstate *ws, const trace__idval *h)
{
    const trace__idval *t = NULL;
    size_t need;
    if (h->on_obj) {
        need = 16 + REF_MAX;
    } else if (h->desc) {
        need = 3 + text_room(h->len);
    } else {
        t = trace__idmap_find(&ws->tasks, h->task);
        need = 24 + name_max(t) + REF_MAX;
    }
    char *p = trace__buf_room(b, need);
    if (!p)
        return;
    if (h->on_obj) {
        /* a loop callback acting on an object: "callback of future #5" */
        p = PUT_LIT(p, ",\"callback of ");
        p = ref_at(ws, p, h->arg_kind, h->task);
    } else if (h->desc) {
        p = PUT_LIT(p, ",\"");
        p = copy_text(p, h->desc, h->len);
    } else if (!h->arg) {
        p = PUT_LIT(p, ",\"step ");
        p = name_at(ws, p, t, h->task);
    } else {
        p = PUT_LIT(p, ",\"wakeup ");
        p = name_at(ws, p, t, h->task);
        p = PUT_LIT(p, " (");
        p = ref_at(ws, p, h->arg_kind, h->arg);
        p = PUT_LIT(p, " done)");
    }
    *p++ = '"';
    b->len = (size_t)(p - b->p);
}

/* A scheduling event: remember what handle id calls; its detail. */
static bool scheduled(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t id, const char *A)
{
    wstate *ws = &w->ws;
    trace__idval h = { 0 };
    const cap_x *x = cap_x_of(c, e);
    if (e->flags & CAP_TASK_HANDLE)
        h = (trace__idval){ .task = x->obj, .arg = x->harg, .arg_kind = x->harg_kind };
    else if (e->flags & CAP_OBJ_HANDLE)
        h = (trace__idval){ .task = x->obj, .arg_kind = x->obj_kind, .on_obj = true };
    else if (!A)
        return false;
    else if (!(h.desc = handle_desc(ws, c, A, &h.len, &h.borrowed))) {
        trace__woom(w);
        return false;
    }
    put_call(&ws->block, ws, &h);
    if (trace__idmap_put(&ws->handles, id, h) < 0)
        trace__woom(w);
    return true;
}

/* Task id is renamed name (an arena text; NULL: ""). */
static void set_name(trace_writer *w, const chunk *c, uint64_t id, const char *name)
{
    uint32_t len;
    size_t n;
    char *d = escaped_copy(c, name, &len, &n);
    trace__idval *h = trace__idmap_find(&w->ws.tasks, id);
    if (d && h) {
        /* a rename: the row index stays */
        if (!h->borrowed)
            free(h->desc);
        *h = (trace__idval){ .desc = d, .len = len, .index = h->index };
    } else if (!d || trace__idmap_put(&w->ws.tasks, id, (trace__idval){ .desc = d, .len = len }) < 0) {
        trace__woom(w);
    }
}

#define NAME_BLOCK 65536

/* A copy of s (n bytes and a NUL) in the name store, with SHORT_TEXT bytes after it
 * to read (copy_text); NULL when out of memory. */
static char *name_copy(wstate *ws, const char *s, size_t n)
{
    struct name_store *a = &ws->names;
    if ((size_t)(a->end - a->cur) < n + 1 + SHORT_TEXT) {
        size_t size = n + 1 + SHORT_TEXT > NAME_BLOCK ? n + 1 + SHORT_TEXT : NAME_BLOCK;
        char **bl = realloc(a->blocks, (a->nblocks + 1) * sizeof *bl);
        if (!bl)
            return NULL;
        a->blocks = bl;
        if (!(a->cur = malloc(size))) {
            a->end = NULL;
            return NULL;
        }
        a->blocks[a->nblocks++] = a->cur;
        a->end = a->cur + size;
    }
    char *d = a->cur;
    memcpy(d, s, n);
    d[n] = '\0';
    a->cur += n + 1;
    return d;
}

/* A task is created with name A (an arena text, n bytes, `plain` of them plain;
 * NULL: ""): the tasks map keeps it escaped, from the name store. Returns that copy
 * if it is A's very text (nothing escaped): the task's row borrows it. */
static const char *created_name(trace_writer *w, uint64_t id, const char *A, size_t n, size_t plain)
{
    wstate *ws = &w->ws;
    char *d;
    uint32_t len = (uint32_t)n;
    if (plain == n) {
        d = name_copy(ws, A ? A : "", n);
    } else {
        trace__buf t = { 0 };
        put_wrapped(&t, "", 0, A, n, plain, "", 0);
        d = t.oom ? NULL : name_copy(ws, t.p, t.len);
        len = (uint32_t)t.len;
        trace__buf_free(&t);
    }
    trace__idval v = { .desc = d, .len = len, .borrowed = true }, *h;
    if (!d || (!(h = trace__idmap_find(&ws->tasks, id)) && trace__idmap_put(&ws->tasks, id, v) < 0)) {
        trace__woom(w);
        return NULL;
    }
    if (h) {
        if (!h->borrowed)
            free(h->desc);
        v.index = h->index;
        *h = v;
    }
    return A && plain == n ? d : NULL;
}

/* ,"await task NAME" or ,"await future #5[; T]". */
static bool put_await(trace__buf *b, wstate *ws, const chunk *c, const cap_ev *e, const char *T)
{
    if (e->flags & CAP_OTHER_TASK) {
        const trace__idval *t = trace__idmap_find(&ws->tasks, e->other);
        char *p = trace__buf_room(b, 16 + name_max(t));
        if (!p)
            return true;
        p = PUT_LIT(p, ",\"await task ");
        p = name_at(ws, p, t, e->other);
        *p++ = '"';
        b->len = (size_t)(p - b->p);
        return true;
    }
    if (!e->other)
        return put_text(b, c, T);
    char *p = trace__buf_room(b, 16 + REF_MAX);
    if (!p)
        return true;
    p = PUT_LIT(p, ",\"await ");
    p = ref_at(ws, p, e->other_kind, e->other);
    b->len = (size_t)(p - b->p);
    if (T) {
        size_t plain, n = scan_text(c, T, &plain);
        put_wrapped(b, "; ", 2, T, n, plain, "\"", 1);
    } else {
        TRACE__BUF_LIT(b, "\"");
    }
    return true;
}

/* The task row's copy of coro (n bytes, an arena text): *borrowed, the one kept
 * for a coroutine that came before, or NULL (the row makes its own). */
static const char *row_coro(wstate *ws, const chunk *c, const char *coro, size_t n, bool *borrowed)
{
    text_memo *m = &ws->coro_memo;
    if (!coro)
        return NULL;
    if (!memo_same(m, c, coro)) {
        memo_set(m, coro, n);
        return NULL;
    }
    if (!m->kept && ws->nkept < KEPT_MAX) {
        char *t = malloc(text_room(n + 1));
        if (!t)
            return NULL;
        memcpy(t, coro, n + 1);
        if (!memo_keep(ws, m, t, (uint32_t)n))
            return NULL;
    }
    *borrowed = m->kept != NULL;
    return m->kept;
}

/* task_create: the task's row and name kept; ,"NAME CORO". */
static bool task_created(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq, const char *A)
{
    uint32_t co = cap_x_of(c, e)->coro;
    const char *coro = co ? c->arena.p + co - 1 : NULL;
    size_t pa = 0, pc = 0, na = A ? scan_text(c, A, &pa) : 0, nc = coro ? scan_text(c, coro, &pc) : 0;
    const char *name = created_name(w, e->subject, A, na, pa);
    bool kept_coro = false;
    const char *rc = row_coro(&w->ws, c, coro, nc, &kept_coro);
    trace__task_created(w, e->subject, e->flags & CAP_CAUSE_TASK ? e->cause : 0, seq,
                        name ? name : A, na, rc ? rc : coro, nc,
                        (name ? TASK_NAME_BORROWED : 0) | (kept_coro ? TASK_CORO_BORROWED : 0));
    trace__buf *b = &w->ws.block;
    char *p = trace__buf_room(b, 4 + pa + 6 * (na - pa) + pc + 6 * (nc - pc));
    if (!p)
        return true;
    p = PUT_LIT(p, ",\"");
    if (A)
        p = escaped_at(p, A, na, pa);
    *p++ = ' ';
    if (coro)
        p = escaped_at(p, coro, nc, pc);
    *p++ = '"';
    b->len = (size_t)(p - b->p);
    return true;
}

/* Writes the detail of event e (seq) as `,"..."` into the block (false: none), and
 * updates the writer's memory (and the output table). */
static bool put_detail(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq)
{
    wstate *ws = &w->ws;
    trace__buf *b = &ws->block;
    /* the event's texts, computed where a case needs them */
#define A (e->a ? c->arena.p + e->a - 1 : NULL)
#define T (e->text ? c->arena.p + e->text - 1 : NULL)
    bool val = e->flags & CAP_HAS_VAL;
    switch (e->kind) {
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
        return e->flags & CAP_SUBJ_HANDLE ? scheduled(w, c, e, e->subject, A) : put_text(b, c, T);
    case LOOP_EV_CALLBACK_SCHEDULE:
        return e->flags & CAP_OTHER_HANDLE ? scheduled(w, c, e, e->other, A) : put_text(b, c, T);
    case LOOP_EV_TIMER_DUE: case LOOP_EV_HANDLE_BEGIN: {
        if (!(e->flags & CAP_SUBJ_HANDLE))
            return put_text(b, c, T);
        trace__idval *h = trace__idmap_find(&ws->handles, e->subject);
        if (!h)
            return false;
        put_call(b, ws, h);
        if (e->kind == LOOP_EV_HANDLE_BEGIN)
            trace__idmap_del(&ws->handles, e->subject);   /* a handle runs once */
        return true;
    }
    case LOOP_EV_HANDLE_CANCEL:
        /* a cancelled handle never runs: forget what it calls */
        if (e->flags & CAP_SUBJ_HANDLE)
            trace__idmap_del(&ws->handles, e->subject);
        return put_text(b, c, T);
    case LOOP_EV_TASK_CREATE:
        return e->flags & CAP_SUBJ_TASK ? task_created(w, c, e, seq, A) : put_text(b, c, T);
    case LOOP_EV_TASK_RENAME:
        if (e->flags & CAP_SUBJ_TASK)
            set_name(w, c, e->subject, A);
        return put_text(b, c, e->a ? A : T);
    case LOOP_EV_FUTURE_RESULT: case LOOP_EV_FUTURE_EXCEPTION: case LOOP_EV_FUTURE_CANCEL:
    case LOOP_EV_STEP_RETURN: case LOOP_EV_STEP_RAISE: case LOOP_EV_STEP_CANCELLED: {
        if (e->flags & CAP_SUBJ_TASK)
            trace__task_done(w, e->subject, seq, done_state(e->kind), A);
        size_t np;
        const char *prefix = done_prefix(e->kind, val, &np);
        return put_composed(b, c, prefix, np, A, T);
    }
    case LOOP_EV_STEP_BEGIN:
        return val ? put_composed(b, c, LIT_N("throw "), A, T) : put_text(b, c, T);
    case LOOP_EV_STEP_AWAIT:
        return put_await(b, ws, c, e, T);
    case LOOP_EV_CANCEL_REQUEST:
        return val ? put_composed(b, c, LIT_N("message "), A, T) : put_composed(b, c, LIT_N("no message"), A, T);
    case LOOP_EV_OUTPUT:
        trace__write_output(w, c, e, seq);
        /* fall through */
    default:
        return val ? put_composed(b, c, NULL, 0, A, T) : put_text(b, c, T);
    }
#undef A
#undef T
}

/* ---- the block ------------------------------------------------------------------------- */

/* fmt_num through a small cache: a deadline is written when scheduled, again when
 * due and as the clock's new time, and a 17-digit one costs a strtod to check. */
static size_t fmt_num_memo(wstate *ws, char *out, double v)
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

static inline size_t fmt_num_cached(wstate *ws, char *out, double v)
{
    if (v >= 0 && v < 100 && v == (double)(uint32_t)v && !signbit(v)) {
        /* 0 (not -0.0) and small counts, most of the numbers events carry */
        return (size_t)(put_upto2(out, (uint32_t)v) - out);
    }
    return fmt_num_memo(ws, out, v);
}

#define NUM_MAX 40   /* fmt_num's longest text, and its NUL */

/* v (an id, an iteration, a line) and a comma. */
static inline char *put_field(char *p, uint64_t v)
{
    p = put_u64(p, v);
    *p = ',';
    return p + 1;
}

/* an id and a comma (room for 22 bytes) */
static inline char *id_field(wstate *ws, char *p, uint64_t v)
{
    p = put_id(ws, p, v);
    *p = ',';
    return p + 1;
}

/* Room for what encode_event writes before the detail: "],[" and a group's head (two
 * numbers and a time), then ",[" and the event's five numbers with their commas. */
#define HEAD_MAX (3 + 2 * 21 + NUM_MAX + 2 + 5 * 21)
/* and after it: ",null", two numbers with their commas, "]" */
#define TAIL_MAX (5 + 2 * (1 + NUM_MAX) + 1)

/* Opens a group for event e (seq) at p: its offset in the block, iteration and time. */
static char *open_group(wstate *ws, char *p, const cap_ev *e, uint64_t seq)
{
    if (ws->group_open) {
        *p++ = ']';
        *p++ = ',';
    }
    *p++ = '[';
    p = put_field(p, seq - ws->block_first);
    p = put_field(p, e->iteration);
    p += fmt_num_cached(ws, p, e->time);
    ws->group_open = true;
    ws->group_iter = e->iteration;
    ws->group_time = e->time;
    return p;
}

static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;   /* -0.0 and 0 are written differently */
}

/* Inline in trace__encode_chunk's loop: called 400k times a second, its entry and
 * exit (six registers saved) cost a tenth of it. */
static inline __attribute__((always_inline)) void encode_event(trace_writer *w, const chunk *c,
                                                               const cap_ev *e, uint64_t seq)
{
    wstate *ws = &w->ws;
    trace__buf *b = &ws->block;
    char *p = trace__buf_room(b, HEAD_MAX + TAIL_MAX);   /* the tail's too, if no detail */
    if (!p)
        return;
    if (!ws->group_open || e->iteration != ws->group_iter || !same_double(e->time, ws->group_time))
        p = open_group(ws, p, e, seq);
    *p++ = ',';
    *p++ = '[';
    _Static_assert(LOOP_EV__COUNT <= 100, "an event's kind has at most two digits");
    p = put_upto2(p, e->kind);
    *p++ = ',';
    p = id_field(ws, p, e->subject);
    p = id_field(ws, p, e->cause);
    p = id_field(ws, p, e->other);
    p = put_u64(p, e->line > 0 ? (uint64_t)e->line : 0);
    b->len = (size_t)(p - b->p);
    bool d = put_detail(w, c, e, seq);   /* false: it wrote nothing, p is the end */
    if (d && !(p = trace__buf_room(b, TAIL_MAX)))
        return;
    if (e->x) {
        const cap_x *x = &c->xs[e->x - 1];
        bool at = !isnan(x->at), num = !isnan(x->num);
        if (at || num) {
            if (!d)
                p = PUT_LIT(p, ",null");
            if (at) {
                *p++ = ',';
                p += fmt_num_cached(ws, p, x->at);
            } else {
                p = PUT_LIT(p, ",null");   /* what fmt_num writes for NaN */
            }
        }
        if (num) {
            *p++ = ',';
            p += fmt_num_cached(ws, p, x->num);
        }
    }
    *p++ = ']';
    b->len = (size_t)(p - b->p);
}

void trace__block_begin(trace_writer *w)
{
    if (!w->ws.kw_ready)
        init_kind_words(&w->ws);
    w->ws.block.len = 0;
    w->ws.group_open = false;
    TRACE__BUF_LIT(&w->ws.block, "[");
}

/* The map entries event e will look up, asked for ahead: with many live tasks and
 * handles each lookup is a cache miss, and the writer would wait for them one by one. */
static void prefetch_for(wstate *ws, const chunk *c, const cap_ev *e)
{
    switch (e->kind) {
    case LOOP_EV_HANDLE_BEGIN: case LOOP_EV_TIMER_DUE: case LOOP_EV_HANDLE_CANCEL:
        if (e->flags & CAP_SUBJ_HANDLE)
            trace__idmap_prefetch(&ws->handles, e->subject);
        break;
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
    case LOOP_EV_CALLBACK_SCHEDULE:
        if (e->flags & CAP_TASK_HANDLE)
            trace__idmap_prefetch(&ws->tasks, cap_x_of(c, e)->obj);
        break;
    default:
        if (e->flags & CAP_SUBJ_TASK)
            trace__idmap_prefetch(&ws->tasks, e->subject);   /* task rows, names */
        if (e->flags & CAP_OTHER_TASK)
            trace__idmap_prefetch(&ws->tasks, e->other);
        break;
    }
}

#define PREFETCH_AHEAD 8
/* Prefetching pays only when the maps outgrow the caches: below this many pages
 * (48 KB each) in use, every entry is at hand and asking ahead is pure cost. */
#define PREFETCH_MIN_PAGES 8

int trace__encode_chunk(trace_writer *w, const chunk *c)
{
    wstate *ws = &w->ws;
    /* events i + PREFETCH_AHEAD .. pf_end are prefetched as i passes */
    uint32_t pf_end = 0;
    if (ws->tasks.npages_live + ws->handles.npages_live >= PREFETCH_MIN_PAGES) {
        for (uint32_t k = 0; k < c->n && k < PREFETCH_AHEAD; k++)
            prefetch_for(ws, c, &c->ev[k]);
        pf_end = c->n;
    }
    for (uint32_t i = 0; i < c->n; i++) {
        if (i + PREFETCH_AHEAD < pf_end)
            prefetch_for(ws, c, &c->ev[i + PREFETCH_AHEAD]);
        encode_event(w, c, &c->ev[i], c->first_seq + i);
    }
    if (ws->block.oom) {
        trace__woom(w);
        return -1;
    }
    return atomic_load(&w->failed) ? -1 : 0;
}

int trace__block_end(trace_writer *w)
{
    trace__buf *b = &w->ws.block;
    if (w->ws.group_open)
        TRACE__BUF_LIT(b, "]");
    w->ws.group_open = false;
    TRACE__BUF_LIT(b, "]");
    if (b->oom) {
        trace__woom(w);
        return -1;
    }
    b->p[b->len] = '\0';
    return 0;
}

void trace__wstate_free(wstate *ws)
{
    for (size_t i = 0; i < ws->nkept; i++)
        free(ws->kept[i]);
    free(ws->kept);
    for (size_t i = 0; i < ws->names.nblocks; i++)
        free(ws->names.blocks[i]);
    free(ws->names.blocks);
    trace__idmap_free(&ws->handles);
    trace__idmap_free(&ws->tasks);
    trace__tasks_free(ws);
    trace__buf_free(&ws->block);
}
