/* writer.c — the loop observer that records a run into an SQLite trace: batches, the
 * observer, opening and closing (record.c keeps the object tables, describe.c writes the
 * texts; writer_int.h holds the state they share).
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

#include "writer_int.h"

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
void trace__wfail(trace_writer *w, const char *what)
{
    if (w->failed)
        return;
    w->failed = true;
    trace__err(w->error, sizeof w->error, "trace '%s': %s: %s", w->path, what, sqlite3_errmsg(w->db));
}

void trace__woom(trace_writer *w)
{
    if (!w->failed) {
        w->failed = true;
        trace__err(w->error, sizeof w->error, "trace '%s': out of memory", w->path);
    }
}

/* Runs a bound statement to completion and resets it. */
int trace__wrun(trace_writer *w, int which)
{
    sqlite3_stmt *st = w->st[which];
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        trace__wfail(w, which == S_COMMIT ? "cannot commit" : "cannot write");
        return -1;
    }
    return 0;
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
        if (trace__wrun(w, S_EVENTS) < 0)
            return -1;
    }
    for (; i < w->nevb; i++) {
        bind_event(w->st[S_EVENT], 0, w, &w->evb[i]);
        if (trace__wrun(w, S_EVENT) < 0)
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

static int commit(trace_writer *w)
{
    if (!w->pending)
        return 0;
    if (flush_events(w) < 0 || trace__flush_handles(w) < 0 || trace__wrun(w, S_COMMIT) < 0)
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
    return trace__wrun(w, S_BEGIN);
}
/* ---- the observer -------------------------------------------------------------------- */

static void observe(trace_writer *w, const loop_event *ev);

void trace_writer_observe(void *ud, const loop_event *ev)
{
    trace_writer *w = ud;
    if (!w || w->failed || (unsigned)ev->kind >= LOOP_EV__COUNT)
        return;
    if (w->busy) {
        /* a host callback (describe, line_of) reported an event of its own: recording
         * it now would interleave two events; refuse loudly rather than corrupt */
        w->failed = true;
        trace__err(w->error, sizeof w->error, "trace '%s': a %s event was reported while the "
                   "writer was describing another (a host callback must not print or schedule)",
                   w->path, loop_event_name(ev->kind));
        return;
    }
    w->busy = true;
    observe(w, ev);
    w->busy = false;
}

/* trace_writer_observe's work, never re-entered. */
static void observe(trace_writer *w, const loop_event *ev)
{
    if (ev->kind == LOOP_EV_ITERATION && w->pending >= w->iteration_batch && commit(w) < 0)
        return;
    if (begin(w) < 0)
        return;
    uint64_t seq = w->seq + 1;
    const char *detail = NULL;
    if (trace__record_objects(w, ev, seq, &detail) < 0)
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

/* The segments of loop l (created empty on first sight), or NULL out of memory. */
static trace__loop_ids *loop_ids(trace_writer *w, const loop *l)
{
    for (size_t i = 0; i < w->nlids; i++)
        if (w->lids[i].l == l)
            return &w->lids[i];
    if (w->nlids == w->caplids) {
        size_t cap = w->caplids ? w->caplids * 2 : 4;
        trace__loop_ids *p = realloc(w->lids, cap * sizeof *p);
        if (!p)
            return NULL;
        w->lids = p;
        w->caplids = cap;
    }
    trace__loop_ids *L = &w->lids[w->nlids++];
    memset(L, 0, sizeof *L);
    L->l = l;
    return L;
}

uint64_t trace__oid_slow(trace_writer *w, const loop_obj *o)
{
    trace__loop_ids *L = loop_ids(w, o->owner);
    if (!L) {
        trace__woom(w);
        return w->base + o->id;
    }
    bool active = o->owner == w->act_owner;
    if (!active && o->id > L->max_seen) {
        /* new ids for a loop that is not the active one: a new segment above all */
        if (L->nsegs == L->capsegs) {
            size_t cap = L->capsegs ? L->capsegs * 2 : 4;
            trace__seg *p = realloc(L->segs, cap * sizeof *p);
            if (!p) {
                trace__woom(w);
                return w->base + o->id;
            }
            L->segs = p;
            L->capsegs = cap;
        }
        if (w->act_owner) {
            /* the active loop's last segment ends at the highest id used so far */
            trace__loop_ids *A = loop_ids(w, w->act_owner);
            if (A)
                A->max_seen = w->act_first - 1 + (w->max_id - w->act_base);
        }
        L->segs[L->nsegs++] = (trace__seg){ L->max_seen + 1, w->max_id };
        w->act_owner = o->owner;
        w->act_first = L->max_seen + 1;
        w->act_base = w->max_id;
        return w->act_base + (o->id - w->act_first) + 1;
    }
    /* an id this loop has shown before: its segment (the last with first <= id) */
    size_t lo = 0, hi = L->nsegs;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (L->segs[mid].first <= o->id)
            lo = mid;
        else
            hi = mid;
    }
    if (!L->nsegs)
        return w->base + o->id;   /* NEVER: an id <= max_seen (0) */
    return L->segs[lo].base + (o->id - L->segs[lo].first) + 1;
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
        trace__wfail(w, "cannot set up");
        return -1;
    }
    return 0;
}

static int meta_text(trace_writer *w, const char *key, const char *value)
{
    sqlite3_stmt *st = w->st[S_META];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    bind_str(st, 2, value);
    return trace__wrun(w, S_META);
}

static int meta_num(trace_writer *w, const char *key, double v, bool integer)
{
    sqlite3_stmt *st = w->st[S_META];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (integer)
        sqlite3_bind_int64(st, 2, (sqlite3_int64)v);
    else
        sqlite3_bind_double(st, 2, v);
    return trace__wrun(w, S_META);
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
    /* read-write: a killed run's hot journal must be rolled back before reading */
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
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
    for (size_t i = 0; i < w->nlids; i++)
        free(w->lids[i].segs);
    free(w->lids);
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
                "PRAGMA cache_size = -65536; PRAGMA locking_mode = EXCLUSIVE") < 0 ||
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
        trace__wfail(w, "cannot prepare");
        goto fail;
    }
    trace__buf_puts(&multi, "INSERT INTO handles VALUES ");
    for (int i = 0; i < HB; i++)
        trace__buf_puts(&multi, i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)");
    prc = multi.oom ? SQLITE_NOMEM
                    : sqlite3_prepare_v3(w->db, multi.p, -1, SQLITE_PREPARE_PERSISTENT, &w->st[S_HANDLES], NULL);
    trace__buf_free(&multi);
    if (prc != SQLITE_OK) {
        trace__wfail(w, "cannot prepare");
        goto fail;
    }
    for (int i = 0; i < S__COUNT; i++) {
        if (i == S_EVENTS || i == S_HANDLES)
            continue;
        if (sqlite3_prepare_v3(w->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) != SQLITE_OK) {
            trace__wfail(w, "cannot prepare");
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
