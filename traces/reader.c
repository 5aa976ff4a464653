/* reader.c — opening and validating a trace, and reading its rows back: the events
 * decoded from their blocks (block_decode.c), and the handles and futures derived from
 * the events in C with the semantics of the views of the same names (schema.sql),
 * which SQLite would compute far more slowly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_int.h"

/* An event kind as this file numbers it. */
typedef struct file_kind {
    int64_t id;
    loop_event_kind kind;      /* LOOP_EV__COUNT: a name this build does not know */
    char *name;
} file_kind;

struct trace_reader {
    sqlite3 *db;
    char *path;
    int version;
    file_kind *kinds;          /* by id; loaded with the first cursor */
    size_t nkinds;
    bool kinds_loaded;
    short small[256];          /* index in kinds of the ids 0..255 (-1: none) */
};

trace_reader *trace_open(const char *path, char *err, size_t errlen)
{
    char why[256];
    if (!path || !*path) {
        trace__err(err, errlen, "cannot open trace: no path given");
        return NULL;
    }
    switch (trace__probe(path, why, sizeof why)) {
    case TRACE__ABSENT: {
        char dir[1024];
        struct stat st;
        trace__dirname(path, dir, sizeof dir);
        if (stat(dir, &st) != 0)
            trace__err(err, errlen, "cannot open trace '%s': folder '%s' does not exist", path, dir);
        else
            trace__err(err, errlen, "cannot open trace '%s': no such file", path);
        return NULL;
    }
    case TRACE__NOT_SQLITE:
        trace__err(err, errlen, "cannot open trace '%s': %s, so not an aiosim trace", path, why);
        return NULL;
    case TRACE__NOT_FILE:
    case TRACE__UNREADABLE:
        trace__err(err, errlen, "cannot open trace '%s': %s", path, why);
        return NULL;
    case TRACE__SQLITE:
        break;
    }
    trace_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        trace__err(err, errlen, "cannot open trace '%s': out of memory", path);
        return NULL;
    }
    /* Read-write (without create) so that a killed run's hot journal can be rolled
     * back; SQLite falls back to read-only by itself for a write-protected file. */
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        trace__err(err, errlen, "cannot open trace '%s': %s", path,
                   r->db ? sqlite3_errmsg(r->db) : "out of memory");
        trace_close(r);
        return NULL;
    }
    sqlite3_busy_timeout(r->db, 500);
    if (trace__validate(r->db, &r->version, why, sizeof why) < 0) {
        if ((sqlite3_errcode(r->db) & 0xFF) == SQLITE_BUSY)
            trace__err(err, errlen, "cannot open trace '%s': a running aiosim is still writing it "
                       "(the file is locked); open it when the run ends", path);
        else if ((sqlite3_errcode(r->db) & 0xFF) == SQLITE_READONLY)
            trace__err(err, errlen, "cannot open trace '%s': a killed run left it to be recovered, "
                       "but it is read-only (copy it somewhere writable)", path);
        else
            trace__err(err, errlen, "cannot open trace '%s': %s", path, why);
        trace_close(r);
        return NULL;
    }
    if (r->version > TRACE_FORMAT_VERSION) {
        trace__err(err, errlen, "cannot open trace '%s': it was written by a newer aiosim "
                   "(trace format %d; this aiosim reads format %d at most) — upgrade aiosim",
                   path, r->version, TRACE_FORMAT_VERSION);
        trace_close(r);
        return NULL;
    }
    /* older formats (1: a row per event; 2: a flat array of events per block) are not
     * converted: say how to get a trace this aiosim reads */
    if (r->version < TRACE_FORMAT_VERSION) {
        trace__err(err, errlen, "cannot open trace '%s': it is an aiosim trace of format %d, older "
                   "than this aiosim reads (format %d); record it again with aiosim run --trace",
                   path, r->version, TRACE_FORMAT_VERSION);
        trace_close(r);
        return NULL;
    }
    return r;
}

void trace_close(trace_reader *r)
{
    if (!r)
        return;
    sqlite3_close(r->db);
    for (size_t i = 0; i < r->nkinds; i++)
        free(r->kinds[i].name);
    free(r->kinds);
    free(r->path);
    free(r);
}

const char *trace_path(const trace_reader *r)
{
    return r->path;
}

int trace_format_version(const trace_reader *r)
{
    return r->version;
}

/* A prepared statement for q, or NULL with err set. */
static sqlite3_stmt *prep(trace_reader *r, const char *q, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, q, -1, &st, NULL) != SQLITE_OK) {
        trace__err(err, errlen, "trace '%s': cannot read: %s", r->path, sqlite3_errmsg(r->db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

char *trace_meta_dup(trace_reader *r, const char *key)
{
    sqlite3_stmt *st = prep(r, "SELECT value FROM meta WHERE key = ?1", NULL, 0);
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        out = strdup(v ? v : "");
    }
    sqlite3_finalize(st);
    return out;
}

int trace_meta_get(trace_reader *r, const char *key, char *buf, size_t n)
{
    char *v = trace_meta_dup(r, key);
    if (n)
        snprintf(buf, n, "%s", v ? v : "");
    int rc = v ? 0 : -1;
    free(v);
    return rc;
}

bool trace_is_complete(trace_reader *r)
{
    char buf[8];
    return trace_meta_get(r, "complete", buf, sizeof buf) == 0 && strcmp(buf, "1") == 0;
}

uint64_t trace_event_count(trace_reader *r)
{
    sqlite3_stmt *st = prep(r, "SELECT coalesce(max(last_seq), 0) FROM event_blocks", NULL, 0);   /* seq is dense */
    uint64_t n = 0;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* ---- events ---------------------------------------------------------------------- */

static loop_event_kind kind_of(const char *name)
{
    if (!name)
        return LOOP_EV__COUNT;
    for (int k = 0; k < LOOP_EV__COUNT; k++)
        if (strcmp(loop_event_name(k), name) == 0)
            return k;
    return LOOP_EV__COUNT;
}

static uint64_t col_id(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : (uint64_t)sqlite3_column_int64(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* The file's event_kinds, once per reader: the blocks number kinds by this table. */
static int load_kinds(trace_reader *r, char *err, size_t errlen)
{
    if (r->kinds_loaded)
        return 0;
    sqlite3_stmt *st = prep(r, "SELECT id, name FROM event_kinds ORDER BY id", err, errlen);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->nkinds == cap) {
            cap = cap ? cap * 2 : 64;
            file_kind *k = realloc(r->kinds, cap * sizeof *k);
            if (!k)
                break;
            r->kinds = k;
        }
        const char *name = col_text(st, 1);
        file_kind *k = &r->kinds[r->nkinds];
        if (!(k->name = strdup(name ? name : "?")))
            break;
        k->id = sqlite3_column_int64(st, 0);
        k->kind = kind_of(k->name);
        r->nkinds++;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) {
        trace__err(err, errlen, "trace '%s': out of memory", r->path);
        return -1;
    }
    if (rc != SQLITE_DONE) {
        trace__err(err, errlen, "trace '%s': cannot read event kinds: %s", r->path, sqlite3_errmsg(r->db));
        return -1;
    }
    memset(r->small, 0xFF, sizeof r->small);   /* -1 everywhere */
    for (size_t i = 0; i < r->nkinds && i < 0x7FFF; i++)
        if (r->kinds[i].id >= 0 && r->kinds[i].id < 256)
            r->small[r->kinds[i].id] = (short)i;
    r->kinds_loaded = true;
    return 0;
}

static const file_kind *find_kind(const trace_reader *r, int64_t id)
{
    if (id >= 0 && id < 256)
        return r->small[id] < 0 ? NULL : &r->kinds[r->small[id]];
    size_t lo = 0, hi = r->nkinds;   /* kinds are sorted by id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->kinds[mid].id == id)
            return &r->kinds[mid];
        if (r->kinds[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

struct trace__cursor {
    trace_reader *r;
    sqlite3_stmt *st;
    uint64_t from, to;
    uint64_t prev_last;        /* the previous block's last seq: blocks must not overlap */
    bool in_block, done;
    trace__block b;
    char *failed;              /* the error, repeated by every later call */
};

trace__cursor *trace__events_cursor(trace_reader *r, uint64_t from, uint64_t to, char *err, size_t errlen)
{
    if (load_kinds(r, err, errlen) < 0)
        return NULL;
    trace__cursor *c = calloc(1, sizeof *c);
    if (!c) {
        trace__err(err, errlen, "trace '%s': out of memory", r->path);
        return NULL;
    }
    c->r = r;
    c->from = from;
    c->to = to ? to : UINT64_MAX;
    /* first_seq is the rowid: the range finds the blocks without reading the others' text */
    c->st = prep(r, "SELECT first_seq, last_seq, events FROM event_blocks"
                    " WHERE last_seq >= ?1 AND first_seq <= ?2 ORDER BY first_seq",
                 err, errlen);
    if (!c->st) {
        free(c);
        return NULL;
    }
    sqlite3_bind_int64(c->st, 1, (sqlite3_int64)(from > INT64_MAX ? INT64_MAX : from));
    sqlite3_bind_int64(c->st, 2, (sqlite3_int64)(c->to > INT64_MAX ? INT64_MAX : c->to));
    return c;
}

/* Remembers the error for later calls, copies it to err, returns -1. */
static int cursor_fail(trace__cursor *c, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int cursor_fail(trace__cursor *c, char *err, size_t errlen, const char *fmt, ...)
{
    if (!c->failed) {
        char msg[TRACE_ERR_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        trace__utf8_trim(msg);
        c->failed = strdup(msg);
    }
    trace__err(err, errlen, "%s", c->failed ? c->failed : "out of memory");
    return -1;
}

/* Loads the next block: 1, 0 when there are no more, -1 on error. */
static int next_block(trace__cursor *c, char *err, size_t errlen)
{
    sqlite3_stmt *st = c->st;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return cursor_fail(c, err, errlen, "trace '%s': cannot read events: %s", c->r->path,
                           sqlite3_errmsg(c->r->db));
    sqlite3_int64 first = sqlite3_column_int64(st, 0), last = sqlite3_column_int64(st, 1);
    char why[TRACE_ERR_MAX];
    if (sqlite3_column_type(st, 1) != SQLITE_INTEGER)
        snprintf(why, sizeof why, "its last_seq is not a number");
    else if (sqlite3_column_type(st, 2) != SQLITE_TEXT)
        snprintf(why, sizeof why, "its events are not JSON text");
    else if (first < 1 || last < first)
        snprintf(why, sizeof why, "its events run from %lld to %lld", (long long)first, (long long)last);
    else if ((uint64_t)first <= c->prev_last)
        snprintf(why, sizeof why, "it starts inside the previous block (which ends at event %llu)",
                 (unsigned long long)c->prev_last);
    else if (trace__block_load(&c->b, (const char *)sqlite3_column_text(st, 2), (size_t)sqlite3_column_bytes(st, 2),
                               (uint64_t)first, (uint64_t)last, why, sizeof why) == 0) {
        c->prev_last = (uint64_t)last;
        return 1;
    }
    return cursor_fail(c, err, errlen, "trace '%s': event block %lld is damaged: %s", c->r->path,
                       (long long)first, why);
}

int trace__cursor_next(trace__cursor *c, trace_event *ev, char *err, size_t errlen)
{
    if (c->failed)
        return cursor_fail(c, err, errlen, "?");
    for (;;) {
        if (c->done)
            return 0;
        if (!c->in_block) {
            int rc = next_block(c, err, errlen);
            if (rc <= 0) {
                c->done = rc == 0;
                return rc;
            }
            c->in_block = true;
        }
        int64_t id;
        char why[TRACE_ERR_MAX];
        int rc = trace__block_next(&c->b, ev, &id, why, sizeof why);
        if (rc < 0)
            return cursor_fail(c, err, errlen, "trace '%s': event block %llu is damaged: %s", c->r->path,
                               (unsigned long long)c->b.first, why);
        if (rc == 0) {
            c->in_block = false;
            continue;
        }
        if (ev->seq < c->from)
            continue;
        if (ev->seq > c->to) {
            c->done = true;
            return 0;
        }
        const file_kind *k = find_kind(c->r, id);
        ev->kind = k ? k->kind : LOOP_EV__COUNT;
        ev->kind_name = !k ? "?" : k->kind < LOOP_EV__COUNT ? loop_event_name(k->kind) : k->name;
        return 1;
    }
}

void trace__cursor_free(trace__cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
    trace__block_free(&c->b);
    free(c->failed);
    free(c);
}

int trace_foreach_event(trace_reader *r, uint64_t from, uint64_t to,
                        int (*fn)(void *ud, const trace_event *ev), void *ud,
                        char *err, size_t errlen)
{
    trace__cursor *c = trace__events_cursor(r, from, to, err, errlen);
    if (!c)
        return -1;
    trace_event ev;
    int rc;
    while ((rc = trace__cursor_next(c, &ev, err, errlen)) == 1) {
        int stop = fn(ud, &ev);
        if (stop) {
            trace__cursor_free(c);
            return stop;
        }
    }
    trace__cursor_free(c);
    return rc;
}

typedef struct loader {
    trace_event *evs;
    size_t n, cap;
} loader;

static int load_one(void *ud, const trace_event *ev)
{
    loader *L = ud;
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 1024;
        trace_event *p = realloc(L->evs, cap * sizeof *p);
        if (!p)
            return -2;
        L->evs = p;
        L->cap = cap;
    }
    trace_event *e = &L->evs[L->n];
    *e = *ev;
    e->detail = NULL;
    e->kind_name = loop_event_name(ev->kind);
    if (ev->kind == LOOP_EV__COUNT && !(e->kind_name = strdup(ev->kind_name)))
        return -2;
    L->n++;   /* counted before the detail so that a failure frees what it holds */
    if (ev->detail && !(e->detail = strdup(ev->detail)))
        return -2;
    return 0;
}

int trace_load_events(trace_reader *r, trace_event **out, size_t *n, char *err, size_t errlen)
{
    loader L = { 0 };
    int rc = trace_foreach_event(r, 0, 0, load_one, &L, err, errlen);
    if (rc != 0) {
        if (rc == -2)
            trace__err(err, errlen, "trace '%s': out of memory loading events", r->path);
        trace_free_events(L.evs, L.n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    *out = L.evs;
    *n = L.n;
    return 0;
}

void trace_free_events(trace_event *evs, size_t n)
{
    for (size_t i = 0; evs && i < n; i++) {
        free((char *)evs[i].detail);
        if (evs[i].kind == LOOP_EV__COUNT)
            free((char *)evs[i].kind_name);
    }
    free(evs);
}

/* ---- object tables ------------------------------------------------------------------ */

typedef void (*anyfn)(void);   /* a callback, cast back to its type before the call */

/* Runs q and calls row(st) for each row; row's non-zero return stops and is returned. */
static int each_row(trace_reader *r, const char *q, int (*row)(sqlite3_stmt *st, anyfn fn, void *ud),
                    anyfn fn, void *ud)
{
    sqlite3_stmt *st = prep(r, q, NULL, 0);
    if (!st)
        return -1;
    int rc, stop = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((stop = row(st, fn, ud)) != 0)
            break;
    sqlite3_finalize(st);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : -1;
}

static int task_row(sqlite3_stmt *st, anyfn fn, void *ud)
{
    trace_task t = {
        .id = col_id(st, 0), .name = col_text(st, 1), .coro = col_text(st, 2),
        .parent = col_id(st, 3), .created_seq = col_id(st, 4), .done_seq = col_id(st, 5),
        .state = col_text(st, 6), .result = col_text(st, 7),
    };
    return ((int (*)(void *, const trace_task *))fn)(ud, &t);
}

int trace_foreach_task(trace_reader *r, int (*fn)(void *ud, const trace_task *t), void *ud)
{
    return each_row(r, "SELECT id, name, coro, parent, created_seq, done_seq, state, result"
                       " FROM tasks ORDER BY id", task_row, (anyfn)fn, ud);
}

/* ---- handles and futures, derived from the events ------------------------------------- */

/* The row of id in m: *row, 0 if it was there, 1 if id is new (then *row = next, the
 * index the caller must fill), -1 out of memory. */
static int row_of(trace__idmap *m, uint64_t id, size_t next, size_t *row)
{
    const trace__idval *v = trace__idmap_find(m, id);
    if (v) {
        *row = (size_t)v->index;
        return 0;
    }
    if (trace__idmap_put(m, id, (trace__idval){ .index = next }) < 0)
        return -1;
    *row = next;
    return 1;
}

/* arr (n elements used of *cap), moved if need be to have room for one more; NULL
 * when out of memory (arr is then unchanged). */
static void *room_for(void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return arr;
    size_t c = *cap ? *cap * 2 : 1024;
    void *p = realloc(arr, c * size);
    if (p)
        *cap = c;
    return p;
}

/* Strings kept past the event that carried them: offsets + 1 into one buffer (0: NULL),
 * since the buffer moves as it grows. Out of memory gives 0 (the caller checks oom once,
 * at the end). */
static size_t pool_add(trace__buf *pool, const char *s)
{
    if (!s)
        return 0;
    size_t off = pool->len + 1;
    trace__buf_add(pool, s, strlen(s) + 1);
    return pool->oom ? 0 : off;
}

static const char *pool_str(const trace__buf *pool, size_t off)
{
    return off ? pool->p + off - 1 : NULL;
}

/* SQL's max() of text (NULLs ignored): *off becomes s if s sorts after it. */
static void pool_max(trace__buf *pool, size_t *off, const char *s)
{
    if (s && (!*off || strcmp(s, pool_str(pool, *off)) > 0))
        *off = pool_add(pool, s);
}

/* A handle's row as the handles view builds it, from the events that name it. The
 * view's max() of ids ignores NULL, which here is 0: a plain max does the same. */
typedef struct hrow {
    uint64_t id, created_seq, run_seq, cancelled_seq;
    uint64_t creator_call, creator_cs, future, task;
    double due;                /* NAN: no timer deadline seen */
    int call_kind;             /* the call_* kind with the greatest name; -1: none */
    bool by_cs;                /* named by a callback_schedule */
    size_t cb_call, cb_cs;     /* the greatest descriptions (pool offsets) */
} hrow;

typedef struct hstate {
    hrow *rows;
    size_t n, cap;
    trace__idmap map;
    trace__buf pool;
} hstate;

static int handle_event(hstate *hs, const trace_event *e)
{
    uint64_t id;
    switch (e->kind) {
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
    case LOOP_EV_HANDLE_BEGIN: case LOOP_EV_HANDLE_CANCEL:
        id = e->subject;
        break;
    case LOOP_EV_CALLBACK_SCHEDULE:
        id = e->other;
        break;
    default:
        return 0;
    }
    size_t i;
    int fresh;
    if (!id)
        return 0;
    if ((fresh = row_of(&hs->map, id, hs->n, &i)) < 0)
        return -1;
    if (fresh) {
        hrow *rows = room_for(hs->rows, hs->n, &hs->cap, sizeof *rows);
        if (!rows)
            return -1;
        hs->rows = rows;
        hs->rows[hs->n++] = (hrow){ .id = id, .due = NAN, .call_kind = -1 };
    }
    hrow *h = &hs->rows[i];
    /* events come in seq order: the first one seen has the smallest seq */
    switch (e->kind) {
    case LOOP_EV_HANDLE_BEGIN:
        if (!h->run_seq)
            h->run_seq = e->seq;
        if (e->other > h->task)
            h->task = e->other;
        return 0;
    case LOOP_EV_HANDLE_CANCEL:
        if (!h->cancelled_seq)
            h->cancelled_seq = e->seq;
        return 0;
    case LOOP_EV_CALLBACK_SCHEDULE:
        h->by_cs = true;
        pool_max(&hs->pool, &h->cb_cs, e->detail);
        if (e->cause > h->creator_cs)
            h->creator_cs = e->cause;
        if (e->subject > h->future)
            h->future = e->subject;
        break;
    default:   /* call_soon, call_soon_threadsafe, call_later, call_at */
        if (h->call_kind < 0 || strcmp(loop_event_name(e->kind), loop_event_name(h->call_kind)) > 0)
            h->call_kind = e->kind;
        pool_max(&hs->pool, &h->cb_call, e->detail);
        if ((e->kind == LOOP_EV_CALL_LATER || e->kind == LOOP_EV_CALL_AT) && !isnan(e->at) &&
            (isnan(h->due) || e->at > h->due))
            h->due = e->at;
        if (e->cause > h->creator_call)
            h->creator_call = e->cause;
        break;
    }
    if (!h->created_seq)
        h->created_seq = e->seq;
    return 0;
}

static int cmp_hrow(const void *a, const void *b)
{
    uint64_t x = ((const hrow *)a)->id, y = ((const hrow *)b)->id;
    return (x > y) - (x < y);
}

int trace_foreach_handle(trace_reader *r, int (*fn)(void *ud, const trace_handle *h), void *ud)
{
    hstate hs = { 0 };
    trace__cursor *c = trace__events_cursor(r, 0, 0, NULL, 0);
    int rc = c ? 0 : -1;
    trace_event e;
    while (rc == 0 && (rc = trace__cursor_next(c, &e, NULL, 0)) == 1)
        rc = handle_event(&hs, &e);
    trace__cursor_free(c);
    if (hs.pool.oom)
        rc = -1;
    if (rc == 0 && hs.n)
        qsort(hs.rows, hs.n, sizeof *hs.rows, cmp_hrow);
    for (size_t i = 0; rc == 0 && i < hs.n; i++) {
        const hrow *x = &hs.rows[i];
        if (!x->created_seq)   /* only run or cancelled: HAVING created_seq IS NOT NULL */
            continue;
        trace_handle h = {
            .id = x->id, .creator = x->creator_call ? x->creator_call : x->creator_cs,
            .future = x->future, .task = x->task, .created_seq = x->created_seq,
            .run_seq = x->run_seq, .cancelled_seq = x->cancelled_seq, .due = x->due,
            .scheduled_by = x->by_cs ? "callback_schedule" : loop_event_name(x->call_kind),
            .callback = pool_str(&hs.pool, x->cb_cs ? x->cb_cs : x->cb_call),
        };
        rc = fn(ud, &h);
    }
    free(hs.rows);
    trace__idmap_free(&hs.map);
    trace__buf_free(&hs.pool);
    return rc;
}

/* The futures view: a row per future_create, joined with the first (by seq) of the
 * future's result / exception / cancel events, whenever that came. */
typedef struct fcreate {
    uint64_t id, creator, seq;
    size_t origin;
} fcreate;
typedef struct fdone {
    uint64_t seq;
    loop_event_kind kind;
    size_t detail;
} fdone;

typedef struct fstate {
    fcreate *made;
    size_t nmade, capmade;
    fdone *done;
    size_t ndone, capdone;
    trace__idmap map;          /* future id -> its fdone */
    trace__buf pool;
} fstate;

static int future_event(fstate *fs, const trace_event *e)
{
    switch (e->kind) {
    case LOOP_EV_FUTURE_CREATE: {
        fcreate *made = room_for(fs->made, fs->nmade, &fs->capmade, sizeof *made);
        if (!made)
            return -1;
        fs->made = made;
        fs->made[fs->nmade++] = (fcreate){ e->subject, e->cause, e->seq, pool_add(&fs->pool, e->detail) };
        return 0;
    }
    case LOOP_EV_FUTURE_RESULT: case LOOP_EV_FUTURE_EXCEPTION: case LOOP_EV_FUTURE_CANCEL: {
        size_t i;
        int fresh;
        if (!e->subject)   /* a NULL subject joins nothing (and 0 marks a free slot) */
            return 0;
        if ((fresh = row_of(&fs->map, e->subject, fs->ndone, &i)) < 0)
            return -1;
        if (fresh) {   /* only the first counts: it has the smallest seq */
            fdone *done = room_for(fs->done, fs->ndone, &fs->capdone, sizeof *done);
            if (!done)
                return -1;
            fs->done = done;
            fs->done[fs->ndone++] = (fdone){ e->seq, e->kind, pool_add(&fs->pool, e->detail) };
        }
        return 0;
    }
    default:
        return 0;
    }
}

static int cmp_fcreate(const void *a, const void *b)
{
    const fcreate *x = a, *y = b;
    if (x->id != y->id)
        return (x->id > y->id) - (x->id < y->id);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* SQL's substr(s, n + 1) on text: n characters skipped, counted as SQLite counts them
 * (a byte below 0xC0 alone, or a lead byte with its continuation bytes). */
static const char *skip_chars(const char *s, int n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; n > 0 && *p; n--)
        if (*p++ >= 0xC0)
            while ((*p & 0xC0) == 0x80)
                p++;
    return (const char *)p;
}

int trace_foreach_future(trace_reader *r, int (*fn)(void *ud, const trace_future *f), void *ud)
{
    fstate fs = { 0 };
    trace__cursor *c = trace__events_cursor(r, 0, 0, NULL, 0);
    int rc = c ? 0 : -1;
    trace_event e;
    while (rc == 0 && (rc = trace__cursor_next(c, &e, NULL, 0)) == 1)
        rc = future_event(&fs, &e);
    trace__cursor_free(c);
    if (fs.pool.oom)
        rc = -1;
    if (rc == 0 && fs.nmade)
        qsort(fs.made, fs.nmade, sizeof *fs.made, cmp_fcreate);
    for (size_t i = 0; rc == 0 && i < fs.nmade; i++) {
        const fcreate *m = &fs.made[i];
        const trace__idval *v = m->id ? trace__idmap_find(&fs.map, m->id) : NULL;
        const fdone *d = v ? &fs.done[v->index] : NULL;
        trace_future f = {
            .id = m->id, .creator = m->creator, .created_seq = m->seq, .origin = pool_str(&fs.pool, m->origin),
            .done_seq = d ? d->seq : 0, .state = "pending",
        };
        if (d) {
            const char *detail = pool_str(&fs.pool, d->detail);
            /* the view's state, and its substr() of the detail's prefix (the writer's
             * "result ", "exception ", "cancelled, message ") */
            int skip = d->kind == LOOP_EV_FUTURE_RESULT ? 7 : d->kind == LOOP_EV_FUTURE_EXCEPTION ? 10 : 19;
            f.state = d->kind == LOOP_EV_FUTURE_RESULT ? "finished"
                    : d->kind == LOOP_EV_FUTURE_EXCEPTION ? "raised" : "cancelled";
            f.result = detail ? skip_chars(detail, skip) : NULL;
            if (d->kind == LOOP_EV_FUTURE_CANCEL && detail && strncmp(detail, "cancelled, message ", 19) != 0)
                f.result = NULL;   /* cancelled without a message */
        }
        rc = fn(ud, &f);
    }
    free(fs.made);
    free(fs.done);
    trace__idmap_free(&fs.map);
    trace__buf_free(&fs.pool);
    return rc;
}

static int output_row(sqlite3_stmt *st, anyfn fn, void *ud)
{
    trace_output o = { .seq = col_id(st, 0), .stream = col_text(st, 1), .text = col_text(st, 2) };
    return ((int (*)(void *, const trace_output *))fn)(ud, &o);
}

int trace_foreach_output(trace_reader *r, int (*fn)(void *ud, const trace_output *o), void *ud)
{
    return each_row(r, "SELECT seq, stream, text FROM output ORDER BY seq", output_row, (anyfn)fn, ud);
}

/* For export.c and diff.c: the open database. */
sqlite3 *trace__db(trace_reader *r)
{
    return r->db;
}
