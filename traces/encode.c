/* encode.c — on the writer thread: chunks of captured events as the JSON text of an
 * event block (the format is in schema.sql: groups of events that share a loop
 * iteration and a virtual time), with each event's readable detail composed from the
 * texts captured with it (tasks.c keeps the task rows). Numbers are written in their shortest exact form: the reader gets back the
 * very doubles the loop reported.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "writer_int.h"

/* ---- JSON pieces ------------------------------------------------------------------- */

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* 0 <= v < 10000 as exactly four digits. */
static inline char *put_four(char *p, uint32_t v)
{
    memcpy(p, digit_pairs + 2 * (v / 100), 2);
    memcpy(p + 2, digit_pairs + 2 * (v % 100), 2);
    return p + 4;
}

/* 0 <= v < 10000 in decimal at p, without leading zeros; returns the end. */
static inline char *put_small(char *p, uint32_t v)
{
    if (v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    if (v < 100) {
        memcpy(p, digit_pairs + 2 * v, 2);
        return p + 2;
    }
    if (v < 1000) {
        *p = (char)('0' + v / 100);
        memcpy(p + 1, digit_pairs + 2 * (v % 100), 2);
        return p + 3;
    }
    return put_four(p, v);
}

/* v in decimal at p; returns the end. Ids, iterations and lines are most of what the
 * writer thread writes, and most have fewer than nine digits: two halves of four. */
static char *put_u64(char *p, uint64_t v)
{
    if (v < 10000)
        return put_small(p, (uint32_t)v);
    if (v < 100000000)
        return put_four(put_small(p, (uint32_t)(v / 10000)), (uint32_t)(v % 10000));
    /* longer: the part above the last eight digits first */
    p = put_u64(p, v / 100000000);
    uint32_t low = (uint32_t)(v % 100000000);
    return put_four(put_four(p, low / 10000), low % 10000);
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

/* How many of s's first n bytes need no escape. Eight at a time: descriptions of
 * Python callbacks (48 bytes in callbacks.py, each written twice) were a tenth of
 * the writer thread's work scanned byte by byte. A byte is flagged when it is below
 * 0x20, a quote or a backslash; the lowest flag is always a true one (a false flag
 * needs a borrow from a true one below it). */
static size_t plain_prefix(const char *s, size_t n)
{
    size_t i = 0;
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

/* The characters of s (n bytes), escaped for the inside of a JSON string. */
static void put_escaped(trace__buf *b, const char *s, size_t n)
{
    size_t plain = plain_prefix(s, n);
    char *p = trace__buf_room(b, plain + 6 * (n - plain));
    if (!p)
        return;
    memcpy(p, s, plain);
    p += plain;
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
    b->len = (size_t)(p - b->p);
    b->p[b->len] = '\0';
}

/* ---- details ----------------------------------------------------------------------- */
/* A detail goes straight into the block as `,"text"`, escaped as it is copied. The
 * writer's maps keep task names and handle descriptions already escaped, with their
 * lengths, so that the common details (task steps, wake-ups) are a few memcpys. */

static void put_esc(trace__buf *b, const char *s)
{
    if (s)
        put_escaped(b, s, strlen(s));
}

/* s escaped for a JSON string, as an owned copy (len set); NULL when out of memory.
 * Most texts need no escape: one scan, one malloc. */
static char *escaped_copy(const char *s, uint32_t *len)
{
    s = s ? s : "";
    size_t n = strlen(s);
    if (plain_prefix(s, n) == n) {
        char *c = malloc(n + 1);
        if (c) {
            memcpy(c, s, n + 1);
            *len = (uint32_t)n;
        }
        return c;
    }
    trace__buf t = { 0 };
    put_esc(&t, s);
    if (t.oom) {
        trace__buf_free(&t);
        return NULL;
    }
    *len = (uint32_t)t.len;
    return t.p;
}

/* ,"prefix A; T" (prefix: literal text); nothing when all three are empty. */
static bool put_composed(trace__buf *b, const char *prefix, const char *A, const char *T)
{
    bool sep = T && (prefix || A);
    if (!(prefix && *prefix) && !(A && *A) && !(T && *T) && !sep)
        return false;
    TRACE__BUF_LIT(b, ",\"");
    if (prefix)
        trace__buf_add(b, prefix, strlen(prefix));
    put_esc(b, A);
    if (sep)
        TRACE__BUF_LIT(b, "; ");
    put_esc(b, T);
    TRACE__BUF_LIT(b, "\"");
    return true;
}

/* ,"T" when T is there (even empty): a text reported with the event, as is. */
static bool put_text(trace__buf *b, const char *T)
{
    if (!T)
        return false;
    TRACE__BUF_LIT(b, ",\"");
    put_esc(b, T);
    TRACE__BUF_LIT(b, "\"");
    return true;
}

static const char *done_prefix(int kind, bool has_val)
{
    switch (kind) {
    case LOOP_EV_FUTURE_RESULT: return "result ";
    case LOOP_EV_FUTURE_EXCEPTION: return "exception ";
    case LOOP_EV_FUTURE_CANCEL: return has_val ? "cancelled, message " : "cancelled";
    case LOOP_EV_STEP_RETURN: return "return ";
    case LOOP_EV_STEP_RAISE: return "raise ";
    default: return has_val ? "cancelled " : "cancelled";   /* STEP_CANCELLED */
    }
}

static const char *done_state(int kind)
{
    switch (kind) {
    case LOOP_EV_FUTURE_RESULT: case LOOP_EV_STEP_RETURN: return "finished";
    case LOOP_EV_FUTURE_EXCEPTION: case LOOP_EV_STEP_RAISE: return "raised";
    default: return "cancelled";
    }
}

/* "future #5": an object by its kind and id. */
static void put_ref(trace__buf *b, int kind, uint64_t id)
{
    const char *kw = trace__kind_word(kind);
    size_t kn = strlen(kw);
    char *p = trace__buf_room(b, kn + 24);
    if (!p)
        return;
    memcpy(p, kw, kn);
    p += kn;
    *p++ = ' ';
    *p++ = '#';
    b->len = (size_t)(put_u64(p, id) - b->p);
}

/* A task's name as the program last set it (escaped), or "task #id". */
static void put_name(trace__buf *b, wstate *ws, uint64_t id)
{
    trace__idval *h = trace__idmap_find(&ws->tasks, id);
    if (h && h->desc)
        trace__buf_add(b, h->desc, h->len);
    else
        put_ref(b, LOOP_K_TASK, id);
}

/* ,"what handle h calls": its description, or the task step it is. */
static void put_call(trace__buf *b, wstate *ws, const trace__idval *h)
{
    if (h->on_obj) {
        /* a loop callback acting on an object: "callback of future #5" */
        TRACE__BUF_LIT(b, ",\"callback of ");
        put_ref(b, h->arg_kind, h->task);
    } else if (h->desc) {
        TRACE__BUF_LIT(b, ",\"");
        trace__buf_add(b, h->desc, h->len);
    } else if (!h->arg) {
        TRACE__BUF_LIT(b, ",\"step ");
        put_name(b, ws, h->task);
    } else {
        TRACE__BUF_LIT(b, ",\"wakeup ");
        put_name(b, ws, h->task);
        TRACE__BUF_LIT(b, " (");
        put_ref(b, h->arg_kind, h->arg);
        TRACE__BUF_LIT(b, " done)");
    }
    TRACE__BUF_LIT(b, "\"");
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
    else if (!(h.desc = escaped_copy(A, &h.len))) {
        trace__woom(w);
        return false;
    }
    put_call(&ws->block, ws, &h);
    if (trace__idmap_put(&ws->handles, id, h) < 0)
        trace__woom(w);
    return true;
}

static void set_name(trace_writer *w, uint64_t id, const char *name)
{
    uint32_t len;
    char *d = escaped_copy(name, &len);
    trace__idval *h = trace__idmap_find(&w->ws.tasks, id);
    if (d && h) {
        free(h->desc);   /* a rename: the row index stays */
        h->desc = d;
        h->len = len;
    } else if (!d || trace__idmap_put(&w->ws.tasks, id, (trace__idval){ .desc = d, .len = len }) < 0) {
        trace__woom(w);
    }
}

/* Writes the detail of event e (seq) as `,"..."` into the block (false: none), and
 * updates the writer's memory. */
static bool put_detail(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq)
{
    wstate *ws = &w->ws;
    trace__buf *b = &ws->block;
    const char *A = e->a ? c->arena.p + e->a - 1 : NULL;
    const char *T = e->text ? c->arena.p + e->text - 1 : NULL;
    bool val = e->flags & CAP_HAS_VAL;
    switch (e->kind) {
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
        return e->flags & CAP_SUBJ_HANDLE ? scheduled(w, c, e, e->subject, A) : put_text(b, T);
    case LOOP_EV_CALLBACK_SCHEDULE:
        return e->flags & CAP_OTHER_HANDLE ? scheduled(w, c, e, e->other, A) : put_text(b, T);
    case LOOP_EV_TIMER_DUE: case LOOP_EV_HANDLE_BEGIN: {
        if (!(e->flags & CAP_SUBJ_HANDLE))
            return put_text(b, T);
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
        return put_text(b, T);
    case LOOP_EV_TASK_CREATE: {
        if (!(e->flags & CAP_SUBJ_TASK))
            return put_text(b, T);
        uint32_t co = cap_x_of(c, e)->coro;
        const char *coro = co ? c->arena.p + co - 1 : NULL;
        trace__task_created(w, e->subject, e->flags & CAP_CAUSE_TASK ? e->cause : 0, seq, A, coro);
        set_name(w, e->subject, A);
        TRACE__BUF_LIT(b, ",\"");
        put_esc(b, A);
        TRACE__BUF_LIT(b, " ");
        put_esc(b, coro);
        TRACE__BUF_LIT(b, "\"");
        return true;
    }
    case LOOP_EV_TASK_RENAME:
        if (e->flags & CAP_SUBJ_TASK)
            set_name(w, e->subject, A);
        return put_text(b, A ? A : T);
    case LOOP_EV_FUTURE_RESULT: case LOOP_EV_FUTURE_EXCEPTION: case LOOP_EV_FUTURE_CANCEL:
    case LOOP_EV_STEP_RETURN: case LOOP_EV_STEP_RAISE: case LOOP_EV_STEP_CANCELLED:
        if (e->flags & CAP_SUBJ_TASK)
            trace__task_done(w, e->subject, seq, done_state(e->kind), A);
        return put_composed(b, done_prefix(e->kind, val), A, T);
    case LOOP_EV_STEP_BEGIN:
        return val ? put_composed(b, "throw ", A, T) : put_text(b, T);
    case LOOP_EV_STEP_AWAIT: {
        if (e->flags & CAP_OTHER_TASK) {
            TRACE__BUF_LIT(b, ",\"await task ");
            put_name(b, ws, e->other);
            TRACE__BUF_LIT(b, "\"");
            return true;
        }
        if (!e->other)
            return put_text(b, T);
        TRACE__BUF_LIT(b, ",\"await ");
        put_ref(b, e->other_kind, e->other);
        if (T) {
            TRACE__BUF_LIT(b, "; ");
            put_esc(b, T);
        }
        TRACE__BUF_LIT(b, "\"");
        return true;
    }
    case LOOP_EV_CANCEL_REQUEST:
        return put_composed(b, val ? "message " : "no message", A, T);
    default:
        return val ? put_composed(b, NULL, A, T) : put_text(b, T);
    }
}

/* ---- the block ------------------------------------------------------------------------- */

/* fmt_num through a small cache: a deadline is written when scheduled, again when
 * due and as the clock's new time, and a 17-digit one costs a strtod to check. */
static size_t fmt_num_cached(wstate *ws, char *out, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    struct num_text *t = &ws->nums[(bits * 0x9E3779B97F4A7C15ull) >> (64 - NUM_CACHE_BITS)];
    if (t->len && t->bits == bits) {
        memcpy(out, t->txt, t->len);
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

static void put_num(wstate *ws, double v)
{
    char *p = trace__buf_room(&ws->block, 40);
    if (!p)
        return;
    ws->block.len += fmt_num_cached(ws, p, v);
}

/* v (an id, an iteration, a line) and a comma. */
static char *put_field(char *p, uint64_t v)
{
    if (v < 10) {
        p[0] = (char)('0' + v);
        p[1] = ',';
        return p + 2;
    }
    p = put_u64(p, v);
    *p = ',';
    return p + 1;
}

/* Opens a group for event e (seq): its offset in the block, iteration and time. */
static void open_group(wstate *ws, const cap_ev *e, uint64_t seq)
{
    trace__buf *b = &ws->block;
    char *p = trace__buf_room(b, 2 * 21 + 40 + 4);
    if (!p)
        return;
    if (ws->group_open) {
        *p++ = ']';
        *p++ = ',';
    }
    *p++ = '[';
    p = put_field(p, seq - ws->block_first);
    p = put_field(p, e->iteration);
    p += fmt_num_cached(ws, p, e->time);
    b->len = (size_t)(p - b->p);
    ws->group_open = true;
    ws->group_iter = e->iteration;
    ws->group_time = e->time;
}

static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;   /* -0.0 and 0 are written differently */
}

static void encode_event(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq)
{
    wstate *ws = &w->ws;
    trace__buf *b = &ws->block;
    if (!ws->group_open || e->iteration != ws->group_iter || !same_double(e->time, ws->group_time))
        open_group(ws, e, seq);
    char *p = trace__buf_room(b, 8 + 4 * 21);
    if (!p)
        return;
    *p++ = ',';
    *p++ = '[';
    p = put_field(p, e->kind);
    char *subj = p;
    p = put_field(p, e->subject);
    if (e->cause == e->subject) {
        /* the usual case for begin / step events: the same digits again */
        size_t n = (size_t)(p - subj);
        memcpy(p, subj, n);
        p += n;
    } else {
        p = put_field(p, e->cause);
    }
    p = put_field(p, e->other);
    p = put_u64(p, e->line > 0 ? (uint64_t)e->line : 0);
    b->len = (size_t)(p - b->p);
    const cap_x *x = cap_x_of(c, e);
    bool at = !isnan(x->at), num = !isnan(x->num);
    bool d = put_detail(w, c, e, seq);
    if (at || num) {
        if (!d)
            TRACE__BUF_LIT(b, ",null");
        TRACE__BUF_LIT(b, ",");
        put_num(ws, x->at);
    }
    if (num) {
        TRACE__BUF_LIT(b, ",");
        put_num(ws, x->num);
    }
    TRACE__BUF_LIT(b, "]");
}

void trace__block_begin(trace_writer *w)
{
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

int trace__encode_chunk(trace_writer *w, const chunk *c)
{
    wstate *ws = &w->ws;
    for (uint32_t i = 0; i < c->n && i < PREFETCH_AHEAD; i++)
        prefetch_for(ws, c, &c->ev[i]);
    for (uint32_t i = 0; i < c->n; i++) {
        if (i + PREFETCH_AHEAD < c->n)
            prefetch_for(ws, c, &c->ev[i + PREFETCH_AHEAD]);
        encode_event(w, c, &c->ev[i], c->first_seq + i);
    }
    if (ws->block.oom) {
        trace__woom(w);
        return -1;
    }
    return 0;
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
    trace__idmap_free(&ws->handles);
    trace__idmap_free(&ws->tasks);
    trace__tasks_free(ws);
    trace__buf_free(&ws->block);
}
