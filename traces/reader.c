/* reader.c — opening and validating a trace, and reading its rows back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_int.h"

struct trace_reader {
    sqlite3 *db;
    char *path;
    int version;
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
    return r;
}

void trace_close(trace_reader *r)
{
    if (!r)
        return;
    sqlite3_close(r->db);
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
    sqlite3_stmt *st = prep(r, "SELECT coalesce(max(seq), 0) FROM events", NULL, 0);   /* seq is dense */
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

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

struct trace__cursor {
    trace_reader *r;
    sqlite3_stmt *st;
};

trace__cursor *trace__events_cursor(trace_reader *r, uint64_t from, uint64_t to, char *err, size_t errlen)
{
    trace__cursor *c = calloc(1, sizeof *c);
    if (!c) {
        trace__err(err, errlen, "trace '%s': out of memory", r->path);
        return NULL;
    }
    c->r = r;
    c->st = prep(r, "SELECT seq, time, iteration, kind, subject, cause, other, at, num,"
                    " line, detail FROM events WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq",
                 err, errlen);
    if (!c->st) {
        free(c);
        return NULL;
    }
    sqlite3_bind_int64(c->st, 1, (sqlite3_int64)from);
    sqlite3_bind_int64(c->st, 2, to ? (sqlite3_int64)to : INT64_MAX);
    return c;
}

int trace__cursor_next(trace__cursor *c, trace_event *ev, char *err, size_t errlen)
{
    sqlite3_stmt *st = c->st;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        trace__err(err, errlen, "trace '%s': cannot read events: %s", c->r->path, sqlite3_errmsg(c->r->db));
        return -1;
    }
    *ev = (trace_event){
        .seq = col_id(st, 0),
        .time = sqlite3_column_double(st, 1),
        .iteration = col_id(st, 2),
        .kind_name = col_text(st, 3),
        .subject = col_id(st, 4),
        .cause = col_id(st, 5),
        .other = col_id(st, 6),
        .at = col_real(st, 7),
        .num = col_real(st, 8),
        .line = (int)sqlite3_column_int(st, 9),
        .detail = col_text(st, 10),
    };
    if (!ev->kind_name)
        ev->kind_name = "?";
    ev->kind = kind_of(ev->kind_name);
    return 1;
}

void trace__cursor_free(trace__cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
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

static int handle_row(sqlite3_stmt *st, anyfn fn, void *ud)
{
    trace_handle h = {
        .id = col_id(st, 0), .scheduled_by = col_text(st, 1), .callback = col_text(st, 2),
        .due = col_real(st, 3), .creator = col_id(st, 4), .future = col_id(st, 5),
        .task = col_id(st, 6), .created_seq = col_id(st, 7), .run_seq = col_id(st, 8),
        .cancelled_seq = col_id(st, 9),
    };
    return ((int (*)(void *, const trace_handle *))fn)(ud, &h);
}

int trace_foreach_handle(trace_reader *r, int (*fn)(void *ud, const trace_handle *h), void *ud)
{
    return each_row(r, "SELECT id, scheduled_by, callback, due, creator, future, task, created_seq,"
                       " run_seq, cancelled_seq FROM handles ORDER BY id", handle_row, (anyfn)fn, ud);
}

static int future_row(sqlite3_stmt *st, anyfn fn, void *ud)
{
    trace_future f = {
        .id = col_id(st, 0), .origin = col_text(st, 1), .creator = col_id(st, 2),
        .created_seq = col_id(st, 3), .done_seq = col_id(st, 4), .state = col_text(st, 5),
        .result = col_text(st, 6),
    };
    return ((int (*)(void *, const trace_future *))fn)(ud, &f);
}

int trace_foreach_future(trace_reader *r, int (*fn)(void *ud, const trace_future *f), void *ud)
{
    return each_row(r, "SELECT id, origin, creator, created_seq, done_seq, state, result"
                       " FROM futures ORDER BY id", future_row, (anyfn)fn, ud);
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
