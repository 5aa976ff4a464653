/* writer.c — the loop observer that records a run into an SQLite trace.
 *
 * Speed (bench/bench_trace.c: about 1.5 million events/s with the object tables, over
 * 2 million without): events wait in a buffer and go in EVB at a time through one
 * multi-row INSERT; handles created in a batch are kept in memory until its commit, so
 * their run and cancel marks rarely cost an UPDATE; every statement is prepared once;
 * one transaction per batch; seq is the rowid SQLite assigns (checked).
 *
 * Durability: the rollback journal (TRUNCATE mode) with synchronous = OFF. A process
 * killed by a signal loses nothing the OS already has, and SQLite writes the journal
 * before it changes the database: a run killed mid-batch leaves a hot journal that the
 * next opener rolls back, giving every event up to the last commit. (A power loss
 * could lose more; a trace is not worth an fsync per batch.) The file is locked
 * (locking_mode = EXCLUSIVE) until the writer closes: nobody reads a trace half written.
 *
 * Batches end after `batch` events, or at an iteration boundary once
 * `iteration_batch` events wait (so a killed run tends to end on a whole iteration).
 *
 * Invariant: between calls, either no transaction is open (pending == 0) or one is
 * open holding exactly the `pending` events recorded since the last commit, of which
 * nevb are still in the buffer, and the nph handles they created.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "trace_int.h"

enum {
    S_BEGIN, S_COMMIT, S_EVENT, S_TASK, S_TASK_DONE, S_FUTURE, S_FUTURE_DONE,
    S_HANDLE, S_HANDLE_RUN, S_HANDLE_CANCEL, S_OUTPUT, S_META, S_HANDLE_ROW,
    S_EVENTS, S_HANDLES, S__COUNT
};

static const char *const sql[S__COUNT] = {
    [S_BEGIN] = "BEGIN",
    [S_COMMIT] = "COMMIT",
    [S_EVENT] = "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [S_TASK] = "INSERT INTO tasks (id, name, coro, parent, created_seq) VALUES (?1, ?2, ?3, ?4, ?5)"
               " ON CONFLICT (id) DO UPDATE SET name = excluded.name, coro = excluded.coro,"
               " parent = excluded.parent, created_seq = excluded.created_seq",
    [S_TASK_DONE] = "INSERT INTO tasks (id, done_seq, state, result) VALUES (?1, ?2, ?3, ?4)"
                    " ON CONFLICT (id) DO UPDATE SET done_seq = coalesce(done_seq, excluded.done_seq),"
                    " state = excluded.state, result = coalesce(excluded.result, result)",
    [S_FUTURE] = "INSERT INTO futures (id, origin, creator, created_seq) VALUES (?1, ?2, ?3, ?4)"
                 " ON CONFLICT (id) DO UPDATE SET origin = excluded.origin,"
                 " creator = excluded.creator, created_seq = excluded.created_seq",
    [S_FUTURE_DONE] = "INSERT INTO futures (id, done_seq, state, result) VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT (id) DO UPDATE SET done_seq = coalesce(done_seq, excluded.done_seq),"
                      " state = excluded.state, result = coalesce(excluded.result, result)",
    [S_HANDLE] = "INSERT INTO handles (id, scheduled_by, callback, due, creator, future, created_seq)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                 " ON CONFLICT (id) DO UPDATE SET future = coalesce(future, excluded.future),"
                 " scheduled_by = excluded.scheduled_by, callback = excluded.callback",
    [S_HANDLE_RUN] = "UPDATE handles SET run_seq = ?2, task = ?3 WHERE id = ?1 AND run_seq IS NULL",
    [S_HANDLE_CANCEL] = "UPDATE handles SET cancelled_seq = ?2 WHERE id = ?1 AND cancelled_seq IS NULL",
    [S_OUTPUT] = "INSERT INTO output VALUES (?1, ?2, ?3)",
    [S_META] = "INSERT OR REPLACE INTO meta VALUES (?1, ?2)",
    [S_HANDLE_ROW] = "INSERT INTO handles VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};

#define EVB 64            /* events per multi-row INSERT */

/* An event recorded but not yet inserted. */
typedef struct pending_event {
    uint64_t seq, iteration, subject, cause, other;
    double time, at, num;     /* at/num: NAN for NULL */
    int kind, line;
    int64_t detail;           /* offset in the arena, -1: NULL */
} pending_event;

#define HB 32             /* handles per multi-row INSERT */

/* A handle created in the open batch, inserted at commit: most handles run (and some
 * are cancelled) within the batch that created them, which then costs one multi-row
 * INSERT instead of an INSERT and an UPDATE each. */
typedef struct pending_handle {
    uint64_t id, creator, future, task, created_seq, run_seq, cancelled_seq;
    double due;               /* NAN: not a timer */
    const char *by;           /* a static string */
    int64_t callback;         /* offset in harena, -1: NULL */
} pending_handle;

#define DESC_MAX 1024     /* one value's description */
#define DETAIL_MAX 2048   /* one event's detail */

struct trace_writer {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[S__COUNT];
    trace_host host;
    uint32_t batch, iteration_batch;
    uint32_t pending;          /* events in the open transaction */
    uint64_t seq;              /* last seq written */
    uint64_t committed;        /* last seq committed */
    uint64_t batches;
    uint64_t base, max_id;     /* ids of this loop's objects are base + obj->id */
    double last_time;
    uint64_t last_iteration;
    bool failed;
    char error[TRACE_ERR_MAX];
    char desc[2][DESC_MAX];
    char detail[DETAIL_MAX];
    /* Events waiting for the multi-row INSERT (EVB rows per statement). */
    pending_event evb[EVB];
    unsigned nevb;
    trace__buf arena;          /* their detail texts */
    /* Handles created in the open batch; hmap: open addressing by id, slots hold
     * index + 1 (0: empty), hcap slots, a power of two at least twice nph. */
    pending_handle *ph;
    size_t nph, capph;
    uint32_t *hmap;
    size_t hcap;
    trace__buf harena;         /* their callback texts */
    uint64_t max_handle;       /* the highest handle id recorded so far */
};

/* Which event kinds use `when` and `num`, from the docs of LOOP_EVENT_LIST. */
static bool uses_at[LOOP_EV__COUNT], uses_num[LOOP_EV__COUNT];
static bool uses_ready;

static void init_uses(void)
{
    static const char *const docs[LOOP_EV__COUNT] = {
#define DOC(name, str, doc) doc,
        LOOP_EVENT_LIST(DOC)
#undef DOC
    };
    for (int k = 0; k < LOOP_EV__COUNT; k++) {
        uses_at[k] = strstr(docs[k], "when=") != NULL;
        uses_num[k] = strstr(docs[k], "num=") != NULL;
    }
    uses_ready = true;
}

/* Records the first SQLite error; the writer records nothing more after it. */
static void fail(trace_writer *w, const char *what)
{
    if (w->failed)
        return;
    w->failed = true;
    trace__err(w->error, sizeof w->error, "trace '%s': %s: %s", w->path, what, sqlite3_errmsg(w->db));
}

/* Runs a bound statement to completion and resets it. */
static int run(trace_writer *w, int which)
{
    sqlite3_stmt *st = w->st[which];
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fail(w, which == S_COMMIT ? "cannot commit" : "cannot write");
        return -1;
    }
    return 0;
}

static void bind_id(sqlite3_stmt *st, int i, uint64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, (sqlite3_int64)id);
    else
        sqlite3_bind_null(st, i);
}

static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v, bool use)
{
    if (use && !isnan(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* The trace id of a loop object (0 for none). */
static uint64_t oid(trace_writer *w, const loop_obj *o)
{
    if (!o)
        return 0;
    uint64_t id = w->base + o->id;
    if (id > w->max_id)
        w->max_id = id;
    return id;
}

static void bind_event(sqlite3_stmt *st, int base, const trace_writer *w, const pending_event *e)
{
    /* seq is left to SQLite: the rowid it picks (the largest so far + 1) is the same
     * dense 1, 2, 3 ..., and it spares the uniqueness seek of an explicit rowid */
    sqlite3_bind_null(st, base + 1);
    sqlite3_bind_double(st, base + 2, e->time);
    sqlite3_bind_int64(st, base + 3, (sqlite3_int64)e->iteration);
    sqlite3_bind_text(st, base + 4, loop_event_name(e->kind), -1, SQLITE_STATIC);
    bind_id(st, base + 5, e->subject);
    bind_id(st, base + 6, e->cause);
    bind_id(st, base + 7, e->other);
    bind_real(st, base + 8, e->at, true);
    bind_real(st, base + 9, e->num, true);
    if (e->line > 0)
        sqlite3_bind_int(st, base + 10, e->line);
    else
        sqlite3_bind_null(st, base + 10);
    if (e->detail >= 0)
        sqlite3_bind_text(st, base + 11, w->arena.p + e->detail, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, base + 11);
}

/* Inserts the buffered events: EVB at a time with the multi-row statement, the rest
 * one by one. */
static int flush_events(trace_writer *w)
{
    unsigned i = 0;
    if (w->nevb == EVB) {
        for (; i < EVB; i++)
            bind_event(w->st[S_EVENTS], (int)i * 11, w, &w->evb[i]);
        if (run(w, S_EVENTS) < 0)
            return -1;
    }
    for (; i < w->nevb; i++) {
        bind_event(w->st[S_EVENT], 0, w, &w->evb[i]);
        if (run(w, S_EVENT) < 0)
            return -1;
    }
    if (w->nevb && (uint64_t)sqlite3_last_insert_rowid(w->db) != w->evb[w->nevb - 1].seq) {
        w->failed = true;
        trace__err(w->error, sizeof w->error, "trace '%s': event numbering went wrong (seq %llu "
                   "stored as %lld); the file was changed by someone else?", w->path,
                   (unsigned long long)w->evb[w->nevb - 1].seq, (long long)sqlite3_last_insert_rowid(w->db));
        return -1;
    }
    w->nevb = 0;
    w->arena.len = 0;
    return 0;
}

static void bind_handle(sqlite3_stmt *st, int base, const trace_writer *w, const pending_handle *p)
{
    sqlite3_bind_int64(st, base + 1, (sqlite3_int64)p->id);
    sqlite3_bind_text(st, base + 2, p->by, -1, SQLITE_STATIC);
    if (p->callback >= 0)
        sqlite3_bind_text(st, base + 3, w->harena.p + p->callback, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, base + 3);
    bind_real(st, base + 4, p->due, true);
    bind_id(st, base + 5, p->creator);
    bind_id(st, base + 6, p->future);
    bind_id(st, base + 7, p->task);
    bind_id(st, base + 8, p->created_seq);
    bind_id(st, base + 9, p->run_seq);
    bind_id(st, base + 10, p->cancelled_seq);
}

/* Inserts the batch's handles. */
static int flush_handles(trace_writer *w)
{
    size_t i = 0;
    for (; i + HB <= w->nph; i += HB) {
        for (size_t k = 0; k < HB; k++)
            bind_handle(w->st[S_HANDLES], (int)k * 10, w, &w->ph[i + k]);
        if (run(w, S_HANDLES) < 0)
            return -1;
    }
    for (; i < w->nph; i++) {
        bind_handle(w->st[S_HANDLE_ROW], 0, w, &w->ph[i]);
        if (run(w, S_HANDLE_ROW) < 0)
            return -1;
    }
    if (w->nph)
        memset(w->hmap, 0, w->hcap * sizeof *w->hmap);
    w->nph = 0;
    w->harena.len = 0;
    return 0;
}

static size_t hslot(uint64_t id, size_t cap)
{
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

/* The pending row of handle id, or NULL. */
static pending_handle *ph_find(trace_writer *w, uint64_t id)
{
    if (!w->hcap)
        return NULL;
    for (size_t i = hslot(id, w->hcap);; i = (i + 1) & (w->hcap - 1)) {
        uint32_t k = w->hmap[i];
        if (!k)
            return NULL;
        if (w->ph[k - 1].id == id)
            return &w->ph[k - 1];
    }
}

/* A new pending row for handle id (not yet pending), or NULL when out of memory. */
static pending_handle *ph_add(trace_writer *w, uint64_t id)
{
    if (w->nph == w->capph || 2 * (w->nph + 1) > w->hcap) {
        size_t cap = w->capph ? w->capph * 2 : 1024;
        pending_handle *p = realloc(w->ph, cap * sizeof *p);
        uint32_t *m = calloc(2 * cap, sizeof *m);
        if (!p || !m) {
            if (p)
                w->ph = p;
            free(m);
            return NULL;
        }
        w->ph = p;
        w->capph = cap;
        free(w->hmap);
        w->hmap = m;
        w->hcap = 2 * cap;
        for (size_t i = 0; i < w->nph; i++) {
            size_t j = hslot(w->ph[i].id, w->hcap);
            while (w->hmap[j])
                j = (j + 1) & (w->hcap - 1);
            w->hmap[j] = (uint32_t)(i + 1);
        }
    }
    size_t j = hslot(id, w->hcap);
    while (w->hmap[j])
        j = (j + 1) & (w->hcap - 1);
    w->hmap[j] = (uint32_t)(w->nph + 1);
    pending_handle *p = &w->ph[w->nph++];
    memset(p, 0, sizeof *p);
    p->id = id;
    return p;
}

static int commit(trace_writer *w)
{
    if (!w->pending)
        return 0;
    if (flush_events(w) < 0 || flush_handles(w) < 0 || run(w, S_COMMIT) < 0)
        return -1;
    w->pending = 0;
    w->committed = w->seq;
    w->batches++;
    return 0;
}

/* Opens the batch's transaction before its first event. */
static int begin(trace_writer *w)
{
    if (w->pending)
        return 0;
    return run(w, S_BEGIN);
}

/* ---- descriptions ------------------------------------------------------------------ */

static const char *desc_val(trace_writer *w, loop_val v, int slot)
{
    if (!v)
        return NULL;
    const char *s = NULL;
    if (w->host.describe) {
        w->desc[slot][0] = '\0';
        s = w->host.describe(w->host.ud, v, w->desc[slot], DESC_MAX);
    }
    return s ? s : "<value>";
}

static const char *str_val(trace_writer *w, loop_val v, int slot)
{
    if (!v)
        return NULL;
    if (w->host.str_of) {
        w->desc[slot][0] = '\0';
        const char *s = w->host.str_of(w->host.ud, v, w->desc[slot], DESC_MAX);
        if (s)
            return s;
    }
    const char *s = desc_val(w, v, slot);
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
        char *d = w->desc[slot];
        memmove(d, s + 1, n - 2);
        d[n - 2] = '\0';
        return d;
    }
    return s;
}

static const char *const kind_names[LOOP_K__COUNT] = {
#define KNAME(k) #k,
    LOOP_KIND_LIST(KNAME)
#undef KNAME
};

/* "task #3", "future #5" (lower case kind, trace id). */
static void obj_name(trace_writer *w, const loop_obj *o, char *buf, size_t n)
{
    const char *k = o->kind < LOOP_K__COUNT ? kind_names[o->kind] : "object";
    size_t i = 0;
    for (; k[i] && i + 1 < n && i < 15; i++)
        buf[i] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] - 'A' + 'a' : k[i]);
    snprintf(buf + i, n - i, " #%llu", (unsigned long long)(w->base + o->id));
}

/* A task's name: str(task.name), or "task #id". Uses desc slot 1. */
static const char *task_name(trace_writer *w, const loop_task *t)
{
    if (t->name && (w->host.describe || w->host.str_of))
        return str_val(w, t->name, 1);
    obj_name(w, &t->fut.hdr, w->desc[1], DESC_MAX);
    return w->desc[1];
}

/* What a handle calls, into w->detail. */
static const char *handle_desc(trace_writer *w, const loop_handle *h)
{
    char *out = w->detail;
    out[0] = '\0';
    if (w->host.describe_handle) {
        const char *s = w->host.describe_handle(w->host.ud, h, out, DETAIL_MAX);
        if (s)
            return s;
    }
    const loop_callback *cb = &h->cb;
    if (cb->obj && cb->obj->kind == LOOP_K_TASK) {
        const char *tn = task_name(w, (const loop_task *)cb->obj);
        if (h->arg) {
            char fut[48];
            obj_name(w, h->arg, fut, sizeof fut);
            snprintf(out, DETAIL_MAX, "wakeup %s (%s done)", tn, fut);
        } else {
            snprintf(out, DETAIL_MAX, "step %s", tn);
        }
    } else if (cb->obj) {
        /* a loop-internal callback acting on an object (sleep's timer, gather's
         * child-done): its val is data, not a callable */
        char o[48];
        obj_name(w, cb->obj, o, sizeof o);
        snprintf(out, DETAIL_MAX, "callback of %s", o);
    } else if (cb->val) {
        const char *fn = desc_val(w, cb->val, 0);
        const char *args = desc_val(w, cb->val2, 1);
        snprintf(out, DETAIL_MAX, "%s%s%s", fn, args ? " " : "", args ? args : "");
    } else {
        snprintf(out, DETAIL_MAX, "callback");
    }
    trace__utf8_trim(out);
    return out;
}

/* A prefix and a value's description into w->detail, then the event's text after "; ". */
static const char *compose(trace_writer *w, const char *prefix, const char *d, const char *text)
{
    snprintf(w->detail, DETAIL_MAX, "%s%s%s%s", prefix ? prefix : "", d ? d : "",
             text && (prefix || d) ? "; " : "", text ? text : "");
    trace__utf8_trim(w->detail);
    return w->detail[0] ? w->detail : NULL;
}

static const char *detail_val(trace_writer *w, const char *prefix, loop_val v, const char *text)
{
    return compose(w, prefix, desc_val(w, v, 0), text);
}

/* ---- object tables ------------------------------------------------------------------- */

static void oom(trace_writer *w)
{
    if (!w->failed) {
        w->failed = true;
        trace__err(w->error, sizeof w->error, "trace '%s': out of memory", w->path);
    }
}

static int record_handle(trace_writer *w, const loop_handle *h, const char *by, uint64_t seq,
                         const loop_event *ev, const char **detail)
{
    uint64_t id = oid(w, &h->hdr);
    const char *cb = handle_desc(w, h);
    *detail = cb;
    pending_handle *p = ph_find(w, id);
    if (p) {
        /* callback_schedule after the call_soon that made the handle: a done-callback */
        if (!p->future)
            p->future = oid(w, h->arg);
        p->by = by;
        if (cb) {                  /* described again: h->arg may be set by now */
            p->callback = (int64_t)w->harena.len;
            trace__buf_add(&w->harena, cb, strlen(cb) + 1);
            if (w->harena.oom) {
                oom(w);
                return -1;
            }
        }
        return 0;
    }
    if (id <= w->max_handle) {
        /* recorded in an earlier batch: merge into its row */
        sqlite3_stmt *st = w->st[S_HANDLE];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
        sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
        bind_str(st, 3, cb);
        bind_real(st, 4, h->when, h->is_timer);
        bind_id(st, 5, oid(w, ev->cause));
        bind_id(st, 6, oid(w, h->arg));
        sqlite3_bind_int64(st, 7, (sqlite3_int64)seq);
        return run(w, S_HANDLE);
    }
    w->max_handle = id;
    if (!(p = ph_add(w, id))) {
        oom(w);
        return -1;
    }
    p->by = by;
    p->due = h->is_timer ? h->when : NAN;
    p->creator = oid(w, ev->cause);
    p->future = oid(w, h->arg);
    p->created_seq = seq;
    p->callback = -1;
    if (cb) {
        p->callback = (int64_t)w->harena.len;
        trace__buf_add(&w->harena, cb, strlen(cb) + 1);
        if (w->harena.oom) {
            oom(w);
            return -1;
        }
    }
    return 0;
}

/* handle_begin / handle_cancel: into the pending row, or an UPDATE of an older one. */
static int handle_mark(trace_writer *w, uint64_t id, uint64_t seq, uint64_t task, bool cancel)
{
    pending_handle *p = ph_find(w, id);
    if (p) {
        if (cancel && !p->cancelled_seq)
            p->cancelled_seq = seq;
        if (!cancel && !p->run_seq) {
            p->run_seq = seq;
            p->task = task;
        }
        return 0;
    }
    int which = cancel ? S_HANDLE_CANCEL : S_HANDLE_RUN;
    sqlite3_stmt *st = w->st[which];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    if (!cancel)
        bind_id(st, 3, task);
    return run(w, which);
}

static int record_done(trace_writer *w, const loop_obj *o, uint64_t seq, const char *state,
                       const char *result)
{
    int which = o->kind == LOOP_K_TASK ? S_TASK_DONE : S_FUTURE_DONE;
    sqlite3_stmt *st = w->st[which];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)oid(w, o));
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
    bind_str(st, 4, result);
    return run(w, which);
}

/* A future or task finished: its row in tasks/futures, and the event's detail. */
static int done_event(trace_writer *w, const loop_event *ev, uint64_t seq, const char *prefix,
                      const char *state, const char **detail)
{
    const char *d = desc_val(w, ev->val, 0);
    *detail = compose(w, prefix, d, ev->text);
    return ev->subject ? record_done(w, ev->subject, seq, state, d) : 0;
}

/* Updates the object tables for one event and works out its detail text.
 * The subject's kind is checked before any cast: the loop reports what it says in
 * loop_events.h, but a trace writer must not crash on a surprise. */
static int record_objects(trace_writer *w, const loop_event *ev, uint64_t seq, const char **detail)
{
    const loop_obj *s = ev->subject;
    const char *text = ev->text;
    *detail = text;
    switch (ev->kind) {
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
        if (s && s->kind == LOOP_K_HANDLE)
            return record_handle(w, (const loop_handle *)s, loop_event_name(ev->kind), seq, ev, detail);
        return 0;
    case LOOP_EV_CALLBACK_SCHEDULE:
        if (ev->other && ev->other->kind == LOOP_K_HANDLE)
            return record_handle(w, (const loop_handle *)ev->other, "callback_schedule", seq, ev, detail);
        return 0;
    case LOOP_EV_TIMER_DUE:
    case LOOP_EV_HANDLE_BEGIN:
        if (!s || s->kind != LOOP_K_HANDLE)
            return 0;
        *detail = handle_desc(w, (const loop_handle *)s);
        if (ev->kind == LOOP_EV_TIMER_DUE)
            return 0;
        return handle_mark(w, oid(w, s), seq, oid(w, ev->other), false);
    case LOOP_EV_HANDLE_CANCEL:
        if (!s)
            return 0;
        return handle_mark(w, oid(w, s), seq, 0, true);
    case LOOP_EV_TASK_CREATE: {
        if (!s || s->kind != LOOP_K_TASK)
            return 0;
        const loop_task *t = (const loop_task *)s;
        sqlite3_stmt *st = w->st[S_TASK];
        const char *coro = desc_val(w, ev->val ? ev->val : t->coro, 0);
        const char *name = task_name(w, t);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)oid(w, s));
        bind_str(st, 2, name);
        bind_str(st, 3, coro);
        bind_id(st, 4, ev->cause && ev->cause->kind == LOOP_K_TASK ? oid(w, ev->cause) : 0);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)seq);
        snprintf(w->detail, DETAIL_MAX, "%s %s", name ? name : "", coro ? coro : "");
        trace__utf8_trim(w->detail);
        *detail = w->detail;
        return run(w, S_TASK);
    }
    case LOOP_EV_FUTURE_CREATE: {
        if (!s || s->kind == LOOP_K_TASK)
            return 0;
        sqlite3_stmt *st = w->st[S_FUTURE];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)oid(w, s));
        bind_str(st, 2, text);
        bind_id(st, 3, oid(w, ev->cause));
        sqlite3_bind_int64(st, 4, (sqlite3_int64)seq);
        return run(w, S_FUTURE);
    }
    case LOOP_EV_FUTURE_RESULT:
        return done_event(w, ev, seq, "result ", "finished", detail);
    case LOOP_EV_FUTURE_EXCEPTION:
        return done_event(w, ev, seq, "exception ", "raised", detail);
    case LOOP_EV_FUTURE_CANCEL:
        return done_event(w, ev, seq, ev->val ? "cancelled, message " : "cancelled", "cancelled", detail);
    case LOOP_EV_STEP_RETURN:
        return done_event(w, ev, seq, "return ", "finished", detail);
    case LOOP_EV_STEP_RAISE:
        return done_event(w, ev, seq, "raise ", "raised", detail);
    case LOOP_EV_STEP_CANCELLED:
        return done_event(w, ev, seq, ev->val ? "cancelled " : "cancelled", "cancelled", detail);
    case LOOP_EV_STEP_BEGIN:
        if (ev->val)
            *detail = detail_val(w, "throw ", ev->val, text);
        return 0;
    case LOOP_EV_STEP_AWAIT:
        if (ev->other && ev->other->kind == LOOP_K_TASK) {
            snprintf(w->detail, DETAIL_MAX, "await task %s", task_name(w, (const loop_task *)ev->other));
            trace__utf8_trim(w->detail);
            *detail = w->detail;
        } else if (ev->other) {
            char o[48];
            obj_name(w, ev->other, o, sizeof o);
            snprintf(w->detail, DETAIL_MAX, "await %s%s%s", o, text ? "; " : "", text ? text : "");
            trace__utf8_trim(w->detail);
            *detail = w->detail;
        }
        return 0;
    case LOOP_EV_CANCEL_REQUEST:
        *detail = detail_val(w, ev->val ? "message " : "no message", ev->val, text);
        return 0;
    case LOOP_EV_OUTPUT: {
        sqlite3_stmt *st = w->st[S_OUTPUT];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
        sqlite3_bind_text(st, 2, ev->num == 2 ? "stderr" : "stdout", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, text ? text : "", -1, SQLITE_STATIC);
        return run(w, S_OUTPUT);
    }
    default:
        if (ev->val)
            *detail = detail_val(w, NULL, ev->val, text);
        return 0;
    }
}

/* ---- the observer -------------------------------------------------------------------- */

void trace_writer_observe(void *ud, const loop_event *ev)
{
    trace_writer *w = ud;
    if (!w || w->failed || (unsigned)ev->kind >= LOOP_EV__COUNT)
        return;
    if (ev->kind == LOOP_EV_ITERATION && w->pending >= w->iteration_batch && commit(w) < 0)
        return;
    if (begin(w) < 0)
        return;
    uint64_t seq = w->seq + 1;
    const char *detail = NULL;
    if (record_objects(w, ev, seq, &detail) < 0)
        return;
    pending_event *e = &w->evb[w->nevb];
    e->seq = seq;
    e->time = ev->time;
    e->iteration = ev->iteration;
    e->kind = ev->kind;
    e->subject = oid(w, ev->subject);
    e->cause = oid(w, ev->cause);
    e->other = oid(w, ev->other);
    e->at = uses_at[ev->kind] || ev->when != 0 ? ev->when : NAN;
    e->num = uses_num[ev->kind] || ev->num != 0 ? ev->num : NAN;
    e->line = w->host.line_of ? w->host.line_of(w->host.ud) : 0;
    e->detail = -1;
    if (detail) {
        e->detail = (int64_t)w->arena.len;
        trace__buf_add(&w->arena, detail, strlen(detail) + 1);
        if (w->arena.oom) {
            w->failed = true;
            trace__err(w->error, sizeof w->error, "trace '%s': out of memory", w->path);
            return;
        }
    }
    if (++w->nevb == EVB && flush_events(w) < 0)
        return;
    w->seq = seq;
    w->pending++;
    w->last_time = ev->time;
    w->last_iteration = ev->iteration;
    if (w->pending >= w->batch)
        commit(w);
}

void trace_writer_begin_loop(trace_writer *w)
{
    w->base = w->max_id;
}

void trace_writer_output(trace_writer *w, const char *stream, const char *text)
{
    loop_event ev = {
        .kind = LOOP_EV_OUTPUT,
        .time = w->last_time,
        .iteration = w->last_iteration,
        .num = stream && strcmp(stream, "stderr") == 0 ? 2 : 0,
        .text = text,
    };
    trace_writer_observe(w, &ev);
}

int trace_writer_flush(trace_writer *w)
{
    if (w->failed)
        return -1;
    return commit(w);
}

void trace_writer_get_stats(const trace_writer *w, trace_writer_stats *out)
{
    out->events = w->seq;
    out->committed = w->committed;
    out->batches = w->batches;
}

/* ---- opening and closing ------------------------------------------------------------- */

static int exec(trace_writer *w, const char *q)
{
    if (sqlite3_exec(w->db, q, NULL, NULL, NULL) != SQLITE_OK) {
        fail(w, "cannot set up");
        return -1;
    }
    return 0;
}

static int meta_text(trace_writer *w, const char *key, const char *value)
{
    sqlite3_stmt *st = w->st[S_META];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    bind_str(st, 2, value);
    return run(w, S_META);
}

static int meta_num(trace_writer *w, const char *key, double v, bool integer)
{
    sqlite3_stmt *st = w->st[S_META];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (integer)
        sqlite3_bind_int64(st, 2, (sqlite3_int64)v);
    else
        sqlite3_bind_double(st, 2, v);
    return run(w, S_META);
}

static int write_meta(trace_writer *w, const trace_meta *m)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    trace__buf argv = { 0 };
    trace__buf_add(&argv, "[", 1);
    for (int i = 0; m && i < m->argc; i++) {
        if (i)
            trace__buf_add(&argv, ",", 1);
        trace__buf_json(&argv, m->argv[i]);
    }
    trace__buf_add(&argv, "]", 1);
    int rc = meta_text(w, "format", "aiosim-trace") | meta_num(w, "format_version", TRACE_FORMAT_VERSION, true) |
             meta_text(w, "aiosim_version", m ? m->aiosim_version : NULL) |
             meta_text(w, "program", m ? m->program : NULL) |
             meta_text(w, "argv", argv.oom ? NULL : argv.p) |
             meta_text(w, "source", m ? m->source : NULL) |
             meta_num(w, "complete", 0, true) |
             meta_text(w, "wall_start", when);
    trace__buf_free(&argv);
    for (size_t i = 0; m && i < m->noptions; i++)
        if (m->options[i].key)
            rc |= meta_text(w, m->options[i].key, m->options[i].value);
    return rc ? -1 : 0;
}

/* Makes room for a new trace at path: nothing there, or an aiosim trace we may
 * replace. 0, or -1 with err set. */
static int clear_path(const char *path, char *err, size_t errlen)
{
    char why[256];
    trace__probe_kind k = trace__probe(path, why, sizeof why);
    if (k == TRACE__ABSENT) {
        char dir[1024];
        struct stat st;
        trace__dirname(path, dir, sizeof dir);
        if (stat(dir, &st) != 0) {
            trace__err(err, errlen, "cannot create trace '%s': folder '%s' does not exist", path, dir);
            return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
            trace__err(err, errlen, "cannot create trace '%s': '%s' is not a folder", path, dir);
            return -1;
        }
        return 0;
    }
    if (k != TRACE__SQLITE) {
        trace__err(err, errlen, "cannot write trace '%s': the file exists and %s; not replacing it "
                   "(remove it or choose another path)", path, why);
        return -1;
    }
    sqlite3 *db = NULL;
    int version = 0;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = trace__validate(db, &version, why, sizeof why);
    else
        trace__err(why, sizeof why, "cannot be read (%s)", sqlite3_errmsg(db));
    sqlite3_close(db);
    if (rc != SQLITE_OK) {
        trace__err(err, errlen, "cannot write trace '%s': the file exists and %s; not replacing it "
                   "(remove it or choose another path)", path, why);
        return -1;
    }
    static const char *const sidecars[] = { "", "-journal", "-wal", "-shm" };
    for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", path, sidecars[i]);
        if (unlink(p) != 0 && errno != ENOENT) {
            trace__err(err, errlen, "cannot replace trace '%s': %s", p, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static void writer_free(trace_writer *w)
{
    for (int i = 0; i < S__COUNT; i++)
        sqlite3_finalize(w->st[i]);
    trace__buf_free(&w->arena);
    trace__buf_free(&w->harena);
    free(w->ph);
    free(w->hmap);
    sqlite3_close(w->db);
    free(w->path);
    free(w);
}

trace_writer *trace_writer_open(const char *path, const trace_meta *meta, const trace_host *host,
                                const trace_writer_opts *opts, char *err, size_t errlen)
{
    if (!uses_ready)
        init_uses();
    if (!path || !*path) {
        trace__err(err, errlen, "cannot create trace: no path given");
        return NULL;
    }
    if (clear_path(path, err, errlen) < 0)
        return NULL;
    trace_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        trace__err(err, errlen, "cannot create trace '%s': out of memory", path);
        return NULL;
    }
    if (host)
        w->host = *host;
    w->batch = opts && opts->batch ? opts->batch : 4096;
    w->iteration_batch = opts && opts->iteration_batch ? opts->iteration_batch : 1024;
    if (sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        trace__err(err, errlen, "cannot create trace '%s': %s", path,
                   w->db ? sqlite3_errmsg(w->db) : "out of memory");
        writer_free(w);
        return NULL;
    }
    if (exec(w, "PRAGMA page_size = 8192; PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = OFF;"
                "PRAGMA cache_size = -16384; PRAGMA locking_mode = EXCLUSIVE") < 0 ||
        exec(w, "BEGIN") < 0 || exec(w, trace_schema_sql) < 0)
        goto fail;
    trace__buf multi = { 0 };
    trace__buf_puts(&multi, "INSERT INTO events VALUES ");
    for (int i = 0; i < EVB; i++)
        trace__buf_puts(&multi, i ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)");
    int prc = multi.oom ? SQLITE_NOMEM
                        : sqlite3_prepare_v3(w->db, multi.p, -1, SQLITE_PREPARE_PERSISTENT, &w->st[S_EVENTS], NULL);
    trace__buf_free(&multi);
    if (prc != SQLITE_OK) {
        fail(w, "cannot prepare");
        goto fail;
    }
    trace__buf_puts(&multi, "INSERT INTO handles VALUES ");
    for (int i = 0; i < HB; i++)
        trace__buf_puts(&multi, i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)");
    prc = multi.oom ? SQLITE_NOMEM
                    : sqlite3_prepare_v3(w->db, multi.p, -1, SQLITE_PREPARE_PERSISTENT, &w->st[S_HANDLES], NULL);
    trace__buf_free(&multi);
    if (prc != SQLITE_OK) {
        fail(w, "cannot prepare");
        goto fail;
    }
    for (int i = 0; i < S__COUNT; i++) {
        if (i == S_EVENTS || i == S_HANDLES)
            continue;
        if (sqlite3_prepare_v3(w->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) != SQLITE_OK) {
            fail(w, "cannot prepare");
            goto fail;
        }
    }
    if (write_meta(w, meta) < 0 || exec(w, "COMMIT") < 0)
        goto fail;
    return w;
fail:
    trace__err(err, errlen, "%s", w->error);
    writer_free(w);
    unlink(path);
    return NULL;
}

int trace_writer_close(trace_writer *w, bool complete, double final_time, int exit_status,
                       char *err, size_t errlen)
{
    if (!w)
        return 0;
    if (!w->failed)
        commit(w);
    if (!w->failed) {
        if (exec(w, "BEGIN") == 0) {
            meta_num(w, "events", (double)w->seq, true);
            if (complete) {
                meta_num(w, "final_time", final_time, false);
                meta_num(w, "exit_status", exit_status, true);
                meta_num(w, "complete", 1, true);
            }
            exec(w, "COMMIT");
        }
        /* Leave no journal file behind. */
        if (!w->failed)
            exec(w, "PRAGMA journal_mode = DELETE");
    }
    int rc = 0;
    if (w->failed) {
        trace__err(err, errlen, "%s", w->error);
        rc = -1;
    }
    writer_free(w);
    return rc;
}
