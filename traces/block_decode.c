/* block_decode.c — the JSON text of one event block, decoded one event at a time.
 *
 * The parser knows exactly one shape (schema.sql, format 3): an array of groups
 *     [offset, iteration, time, event, event, ...]
 * each event an array [kind, subject, cause, other, line, detail, at, num] with the
 * last three optional. The events of a group share its iteration and time; offsets
 * must count the events before the group, and the block must hold exactly
 * first_seq..last_seq. Anything else is reported as damage with the byte it was found
 * at; nothing here trusts the text. Strings are unescaped in place in the decoder's
 * own copy of the block (an escape is never shorter than what it stands for), so a
 * detail costs no allocation and stays valid until the next block.
 */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "trace_int.h"

/* Records what is wrong (with the byte and the event) and returns -1. */
static int bad(trace__block *b, const char *at, const char *what, char *why, size_t n)
{
    if (b->seq <= b->last)
        trace__err(why, n, "%s at byte %zu (event %llu)", what, (size_t)(at - b->text),
                   (unsigned long long)b->seq);
    else
        trace__err(why, n, "%s at byte %zu", what, (size_t)(at - b->text));
    return -1;
}

static char *skip_ws(char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

/* ---- numbers ------------------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A non-negative integer field (ids, iteration, line). */
static char *parse_uint(char *p, uint64_t *out)
{
    if (!is_digit(*p) || (*p == '0' && is_digit(p[1])))
        return NULL;
    char *start = p;
    uint64_t v = 0;
    for (; is_digit(*p); p++)
        v = v * 10 + (uint64_t)(*p - '0');
    /* 19 digits always fit; 20 fit if no wrap-around happened (UINT64_MAX has 20) */
    if (p - start > 19 && (p - start > 20 || v < 10000000000000000000ull))
        return NULL;
    *out = v;
    return p;
}

/* The kind: an INTEGER PRIMARY KEY, so possibly negative. */
static char *parse_int(char *p, int64_t *out)
{
    bool neg = *p == '-';
    uint64_t v;
    if (!(p = parse_uint(p + neg, &v)) || v > (uint64_t)INT64_MAX + neg)
        return NULL;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return p;
}

static locale_t c_locale;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* strtod in the C locale whatever the program set: "0.5" must not depend on it. */
static double strtod_c(const char *s, char **end)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_c_locale);
    return c_locale ? strtod_l(s, end, c_locale) : strtod(s, end);
}

/* A JSON number. Checks the grammar itself (strtod takes more: hex, inf, "1."), then
 * converts: exactly by one multiplication or division when the digits fit in a double
 * and the power of ten is exact (the result is then correctly rounded, as strtod's
 * is), else with strtod. 9e999 is infinity, as SQLite writes it. */
static char *parse_double(char *p, double *out)
{
    static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                    1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                    1e20, 1e21, 1e22 };
    char *start = p;
    bool neg = *p == '-';
    p += neg;
    uint64_t mant = 0;
    int ndig = 0, exp10 = 0;
    if (*p == '0')   /* no leading zeros: "01" ends after the 0 */
        p++;
    else if (!is_digit(*p))
        return NULL;
    else
        for (; is_digit(*p); p++, ndig++)
            mant = mant * 10 + (uint64_t)(*p - '0');
    if (*p == '.') {
        if (!is_digit(*++p))
            return NULL;
        for (; is_digit(*p); p++, ndig++, exp10--)
            mant = mant * 10 + (uint64_t)(*p - '0');
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = *p == '-';
        p += *p == '-' || *p == '+';
        if (!is_digit(*p))
            return NULL;
        int e = 0;
        for (; is_digit(*p); p++)
            if (e < 100000)
                e = e * 10 + (*p - '0');
        exp10 += eneg ? -e : e;
    }
    /* ndig <= 19 digits cannot overflow mant; leading zeros count, which only makes
     * the fast path rarer */
    if (ndig <= 19 && mant <= (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
        double v = (double)mant;
        v = exp10 < 0 ? v / pow10[-exp10] : v * pow10[exp10];
        *out = neg ? -v : v;
        return p;
    }
    /* the grammar ended at p: cut there so that strtod cannot read on */
    char save = *p, *end;
    *p = '\0';
    *out = strtod_c(start, &end);
    *p = save;
    return end == p ? p : NULL;
}

/* The event's time, through a one-entry cache of its text: most events share their
 * time with the one before, and converting 17 digits is the slow part of decoding. */
static char *parse_time(trace__block *b, char *p, double *out)
{
    size_t n = 0;
    while (n < sizeof b->time_text && (is_digit(p[n]) || p[n] == '.' || p[n] == '-' || p[n] == '+' ||
                                      p[n] == 'e' || p[n] == 'E'))
        n++;
    if (n && n == b->time_len && memcmp(p, b->time_text, n) == 0) {
        *out = b->time;
        return p + n;
    }
    char *q = parse_double(p, out);
    if (q && (size_t)(q - p) == n && n < sizeof b->time_text) {
        memcpy(b->time_text, p, n);
        b->time_len = n;
        b->time = *out;
    }
    return q;
}

/* A number, or null (NAN). */
static char *parse_opt_double(char *p, double *out)
{
    if (p[0] == 'n' && p[1] == 'u' && p[2] == 'l' && p[3] == 'l') {
        *out = NAN;
        return p + 4;
    }
    return parse_double(p, out);
}

/* ---- strings ------------------------------------------------------------------------- */

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;   /* stops at the NUL too: no reading past the text */
        v = v * 16 + d;
    }
    return v;
}

static char *put_utf8(char *w, unsigned cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | cp >> 6);
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | cp >> 12);
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | cp >> 18);
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/* The \u escape at p (just after the backslash and 'u'), a surrogate pair as one
 * character; a lone surrogate, which UTF-8 cannot hold, becomes U+FFFD. Returns the
 * position after it, or NULL. */
static char *unescape_u(char *p, char **w)
{
    int cp = hex4(p);
    if (cp < 0)
        return NULL;
    p += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF && p[0] == '\\' && p[1] == 'u') {
        int lo = hex4(p + 2);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD;
    *w = put_utf8(*w, (unsigned)cp);
    return p;
}

/* The string whose opening quote is at p, unescaped in place and NUL-terminated at
 * *out. Returns the position after the closing quote, or NULL (with *fail at the bad
 * byte). */
static char *parse_string(char *p, char **out, char **fail)
{
    char *w = ++p;
    *out = w;
    for (;;) {
        char *q = p;
        while ((unsigned char)*q >= 0x20 && *q != '"' && *q != '\\')
            q++;
        if (w != p)
            memmove(w, p, (size_t)(q - p));
        w += q - p;
        p = q;
        if (*p == '"') {
            *w = '\0';
            return p + 1;
        }
        if (*p != '\\') {
            *fail = p;   /* a raw control character, or the end of the text */
            return NULL;
        }
        char c = p[1];
        p += 2;
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u':
            if (!(p = unescape_u(p, &w))) {
                *fail = q;
                return NULL;
            }
            break;
        default:
            *fail = q;
            return NULL;
        }
    }
}

/* ---- blocks -------------------------------------------------------------------------- */

int trace__block_load(trace__block *b, const char *json, size_t len, uint64_t first, uint64_t last,
                      char *why, size_t n)
{
    b->first = b->seq = first;
    b->last = last;
    b->p = NULL;
    b->in_group = false;
    if (first < 1 || last < first) {
        trace__err(why, n, "its events run from %llu to %llu", (unsigned long long)first,
                   (unsigned long long)last);
        return -1;
    }
    if (len + 1 > b->cap) {
        char *t = realloc(b->text, len + 1);
        if (!t) {
            trace__err(why, n, "out of memory (%zu bytes)", len + 1);
            return -1;
        }
        b->text = t;
        b->cap = len + 1;
    }
    memcpy(b->text, json, len);
    b->text[len] = '\0';   /* the sentinel every scan stops at */
    b->len = len;
    char *p = skip_ws(b->text);
    if (*p != '[')
        return bad(b, p, "expected '['", why, n);
    b->p = skip_ws(p + 1);
    if (*b->p == ']') {
        trace__err(why, n, "it holds no events, not %llu", (unsigned long long)(last - first + 1));
        return -1;
    }
    return 0;
}

/* ',' between fields, with any whitespace around it. */
static char *comma(char *p)
{
    p = skip_ws(p);
    return *p == ',' ? skip_ws(p + 1) : NULL;
}

/* For the two parsers below (q, p, b, why and n are theirs): FIELD is a field read by
 * `parse` (which returns the position after it, or NULL), NEXT the ',' before the next
 * one (`what` says which, for the message). */
#define FIELD(parse, what)                                        \
    do {                                                          \
        if (!(q = (parse)))                                       \
            return bad(b, p, "expected " what, why, n), NULL;     \
        p = q;                                                    \
    } while (0)
#define NEXT(what)                                                \
    do {                                                          \
        if (!(q = comma(p)))                                      \
            return bad(b, skip_ws(p), "expected ','" what, why, n), NULL; \
        p = q;                                                    \
    } while (0)

/* The head of the group at p: its offset (which must count the events before it),
 * iteration and time, kept for its events. Returns where its first event starts. */
static char *group_head(trace__block *b, char *p, char *why, size_t n)
{
    char *q, *at;
    uint64_t offset;
    if (*p != '[')
        return bad(b, p, "expected '[' (a group)", why, n), NULL;
    p = at = skip_ws(p + 1);
    FIELD(parse_uint(p, &offset), "a group offset");
    if (offset != b->seq - b->first) {
        char what[96];
        snprintf(what, sizeof what, "group offset %llu where %llu was due", (unsigned long long)offset,
                 (unsigned long long)(b->seq - b->first));
        return bad(b, at, what, why, n), NULL;
    }
    NEXT(" and the group's iteration");
    FIELD(parse_uint(p, &b->iteration), "an iteration");
    NEXT(" and the group's time");
    FIELD(parse_time(b, p, &b->group_time), "a time");
    p = skip_ws(p);
    if (*p == ']')
        return bad(b, p, "a group with no events", why, n), NULL;
    NEXT(" and the group's first event");
    b->in_group = true;
    return p;
}

/* One event array at p into ev (all but seq, time, iteration, kind and kind_name). */
static char *parse_event(trace__block *b, char *p, trace_event *ev, int64_t *kind_id,
                         char *why, size_t n)
{
    char *q, *fail = NULL;
    uint64_t line;
    if (*p != '[')
        return bad(b, p, "expected '[' (an event)", why, n), NULL;
    p = skip_ws(p + 1);
    FIELD(parse_int(p, kind_id), "a kind id");
    NEXT("");
    FIELD(parse_uint(p, &ev->subject), "a subject id");
    NEXT("");
    FIELD(parse_uint(p, &ev->cause), "a cause id");
    NEXT("");
    FIELD(parse_uint(p, &ev->other), "an other id");
    NEXT("");
    FIELD(parse_uint(p, &line), "a line");
    if (line > INT_MAX)
        return bad(b, p, "line number too large", why, n), NULL;
    ev->line = (int)line;
    ev->detail = NULL;
    ev->at = ev->num = NAN;
    p = skip_ws(p);
    if (*p == ',') {
        p = skip_ws(p + 1);
        if (*p == '"') {
            if (!(q = parse_string(p, (char **)&ev->detail, &fail)))
                return bad(b, fail, "bad string", why, n), NULL;
            p = q;
        } else if (p[0] == 'n' && p[1] == 'u' && p[2] == 'l' && p[3] == 'l') {
            p += 4;
        } else {
            return bad(b, p, "expected a detail (a string or null)", why, n), NULL;
        }
        p = skip_ws(p);
        if (*p == ',') {
            p = skip_ws(p + 1);
            FIELD(parse_opt_double(p, &ev->at), "at (a number or null)");
            p = skip_ws(p);
            if (*p == ',') {
                p = skip_ws(p + 1);
                FIELD(parse_opt_double(p, &ev->num), "num (a number or null)");
                p = skip_ws(p);
            }
        }
    }
    if (*p != ']')
        return bad(b, p, "expected ']' (an event has 5 to 8 fields)", why, n), NULL;
    return p + 1;
}

#undef FIELD
#undef NEXT

/* The end of the block's array, at p: nothing may follow, and it must have held
 * first_seq..last_seq. 0, or -1. */
static int block_end(trace__block *b, char *p, char *why, size_t n)
{
    p = skip_ws(p);
    if (p != b->text + b->len)
        return bad(b, p, "text after the end of the array", why, n);
    if (b->seq - 1 != b->last) {
        trace__err(why, n, "it holds %llu events, but first_seq..last_seq is %llu..%llu",
                   (unsigned long long)(b->seq - b->first), (unsigned long long)b->first,
                   (unsigned long long)b->last);
        return -1;
    }
    b->p = NULL;
    return 0;
}

/* Moves past an event: to the next event of its group, or past the group's end to the
 * next group's head. NULL with *rc set at the end of the block (0, b->p cleared) or on
 * damage (-1). */
static char *after_event(trace__block *b, char *p, int *rc, char *why, size_t n)
{
    p = skip_ws(p);
    if (*p == ',')
        return skip_ws(p + 1);
    if (*p != ']')
        return *rc = bad(b, p, "expected ',' or ']'", why, n), NULL;
    b->in_group = false;
    p = skip_ws(p + 1);
    if (*p == ']')
        return *rc = block_end(b, p + 1, why, n), NULL;
    if (*p != ',')
        return *rc = bad(b, p, "expected ',' or ']' after a group", why, n), NULL;
    return skip_ws(p + 1);
}

int trace__block_next(trace__block *b, trace_event *ev, int64_t *kind_id, char *why, size_t n)
{
    char *p = b->p;
    int rc = -1;
    if (!p)
        return 0;
    if (b->in_group && !(p = after_event(b, p, &rc, why, n)))
        return rc;
    if (!b->in_group && !(p = group_head(b, p, why, n)))
        return -1;
    if (b->seq > b->last) {
        trace__err(why, n, "it holds more events than first_seq..last_seq (%llu..%llu)",
                   (unsigned long long)b->first, (unsigned long long)b->last);
        return -1;
    }
    if (!(p = parse_event(b, p, ev, kind_id, why, n)))
        return -1;
    ev->seq = b->seq++;
    ev->iteration = b->iteration;
    ev->time = b->group_time;
    b->p = p;
    return 1;
}

void trace__block_free(trace__block *b)
{
    free(b->text);
    *b = (trace__block){ 0 };
}
