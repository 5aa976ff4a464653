/* writer.c — the trace writer: opening the file, the writer thread's start and end,
 * finishing the trace, and the ids it gives loop objects. (capture.c is the observer
 * on the program's thread, wthread.c the writer thread, encode.c and rows.c what it
 * writes; writer_int.h holds the state they share.)
 *
 * Speed (make bench prints it): the program's thread only copies each event into a
 * chunk; the writer thread turns chunks into JSON event blocks, one transaction
 * each, while the program goes on. Every statement is prepared once.
 *
 * Durability: the rollback journal with synchronous = OFF. A process
 * killed by a signal loses nothing the OS already has, and SQLite writes the journal
 * before it changes the database: a run killed mid-batch leaves a hot journal that the
 * next opener rolls back, giving every event up to the last commit. (A power loss
 * could lose more; a trace is not worth an fsync per batch.) The file is locked
 * (locking_mode = EXCLUSIVE) until the writer closes: nobody reads a trace half written.
 * The journal is PERSIST: a commit zeroes its header rather than truncating the file,
 * whose page-cache teardown cost a tenth of the writer thread's time on fast programs.
 * Closing switches to DELETE, so a finished trace leaves no journal behind.
 * The page cache is small (2 MB): the writer only appends, and pages it will not read
 * again are cheaper recycled while hot than spread over fresh memory.
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
    [S_BLOCK] = "INSERT INTO event_blocks VALUES (?1, ?2, ?3)",
    [S_TASK] = "INSERT INTO tasks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    /* TASK_ROWS_PER_INSERT rows at once cost half as much each (fanout.py ends 200k
     * tasks). OR IGNORE: no row can break a constraint (id and state are never NULL),
     * and a statement that cannot abort needs no statement journal, which would copy
     * the table's last page at every INSERT and cost more than it saves. */
#define ROW "(?,?,?,?,?,?,?,?)"
#define ROWS4 ROW "," ROW "," ROW "," ROW
    [S_TASKS] = "INSERT OR IGNORE INTO tasks VALUES " ROWS4 "," ROWS4 "," ROWS4 "," ROWS4,
#undef ROWS4
#undef ROW
    [S_TASK_LATE] = "UPDATE tasks SET done_seq = coalesce(done_seq, ?2), state = ?3,"
                    " result = coalesce(?4, result) WHERE id = ?1",
    [S_OUTPUT] = "INSERT INTO output VALUES (?1, ?2, ?3)",
    [S_META] = "INSERT OR REPLACE INTO meta VALUES (?1, ?2)",
    [S_KIND] = "INSERT INTO event_kinds VALUES (?1, ?2, ?3)",
};

/* Records the first failure; either thread may call it. */
void trace__fail(trace_writer *w, const char *msg)
{
    pthread_mutex_lock(&w->mu);
    if (!atomic_load(&w->failed)) {
        snprintf(w->error, sizeof w->error, "%s", msg);
        atomic_store(&w->failed, true);
    }
    pthread_mutex_unlock(&w->mu);
}

void trace__wfail(trace_writer *w, const char *what)
{
    char msg[TRACE_ERR_MAX];
    trace__err(msg, sizeof msg, "trace '%s': %s: %s", w->path, what, sqlite3_errmsg(w->db));
    trace__fail(w, msg);
}

void trace__woom(trace_writer *w)
{
    char msg[TRACE_ERR_MAX];
    trace__err(msg, sizeof msg, "trace '%s': out of memory", w->path);
    trace__fail(w, msg);
}

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
    if (atomic_load(&w->failed))
        return -1;
    trace__drain(w);
    return atomic_load(&w->failed) ? -1 : 0;
}

void trace_writer_get_stats(const trace_writer *w, trace_writer_stats *out)
{
    out->events = w->seq;
    out->committed = atomic_load(&((trace_writer *)w)->committed);
    out->batches = atomic_load(&((trace_writer *)w)->batches);
}

/* ---- ids ------------------------------------------------------------------------------ */

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
        w->act_delta = w->act_base + 1 - w->act_first;   /* modulo 2^64, as the ids */
        return o->id + w->act_delta;
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

/* The event kinds, numbered as the blocks number them (loop_event_kind). */
static int write_kinds(trace_writer *w)
{
    static const char *const docs[LOOP_EV__COUNT] = {
#define DOC(name, str, doc) doc,
        LOOP_EVENT_LIST(DOC)
#undef DOC
    };
    sqlite3_stmt *st = w->st[S_KIND];
    for (int k = 0; k < LOOP_EV__COUNT; k++) {
        sqlite3_bind_int(st, 1, k);
        sqlite3_bind_text(st, 2, loop_event_name(k), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, docs[k], -1, SQLITE_STATIC);
        if (trace__wrun(w, S_KIND) < 0)
            return -1;
    }
    return 0;
}

static void writer_free(trace_writer *w)
{
    for (int i = 0; i < S__COUNT; i++)
        sqlite3_finalize(w->st[i]);
    for (int i = 0; i < NCHUNKS; i++) {
        free(w->chunks[i].ev);
        free(w->chunks[i].xs);
        trace__buf_free(&w->chunks[i].arena);
    }
    trace__wstate_free(&w->ws);
    for (size_t i = 0; i < w->nlids; i++)
        free(w->lids[i].segs);
    free(w->lids);
    sqlite3_close(w->db);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w->path);
    free(w);
}

/* The chunks, all spare at first. */
static int make_chunks(trace_writer *w)
{
    for (int i = 0; i < NCHUNKS; i++) {
        chunk *c = &w->chunks[i];
        if (!(c->ev = malloc(CHUNK_EVENTS * sizeof *c->ev)) || !(c->xs = malloc(CHUNK_EVENTS * sizeof *c->xs)))
            return -1;
        w->spare[w->nspare++] = c;
    }
    return 0;
}

trace_writer *trace_writer_open(const char *path, const trace_meta *meta, const trace_host *host,
                                const trace_writer_opts *opts, char *err, size_t errlen)
{
    trace__capture_init();
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
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->ws.kw = *trace__kind_word_table();
    if (host)
        w->host = *host;
    w->batch = opts && opts->batch ? opts->batch : 4096;
    w->iteration_batch = opts && opts->iteration_batch ? opts->iteration_batch : 1024;
    if (make_chunks(w) < 0) {
        trace__err(err, errlen, "cannot create trace '%s': out of memory", path);
        writer_free(w);
        return NULL;
    }
    if (sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        trace__err(err, errlen, "cannot create trace '%s': %s", path,
                   w->db ? sqlite3_errmsg(w->db) : "out of memory");
        writer_free(w);
        return NULL;
    }
    if (exec(w, "PRAGMA page_size = 65536; PRAGMA journal_mode = PERSIST; PRAGMA synchronous = OFF;"
                "PRAGMA cache_size = -2048; PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY") < 0 ||
        exec(w, "BEGIN") < 0 || exec(w, trace_schema_sql) < 0)
        goto fail;
    for (int i = 0; i < S__COUNT; i++) {
        if (sqlite3_prepare_v3(w->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) != SQLITE_OK) {
            trace__wfail(w, "cannot prepare");
            goto fail;
        }
    }
    if (write_kinds(w) < 0 || write_meta(w, meta) < 0 || exec(w, "COMMIT") < 0)
        goto fail;
    if (pthread_create(&w->thread, NULL, trace__writer_main, w) != 0) {
        trace__err(err, errlen, "cannot create trace '%s': cannot start the writer thread", path);
        writer_free(w);
        unlink(path);
        return NULL;
    }
    w->thread_started = true;
    return w;
fail:
    trace__err(err, errlen, "%s", w->error);
    writer_free(w);
    unlink(path);
    return NULL;
}

/* Every chunk written, then the writer thread ended. */
static void stop_thread(trace_writer *w)
{
    if (!w->thread_started)
        return;
    trace__submit(w, true);
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    w->thread_started = false;
}

int trace_writer_close(trace_writer *w, bool complete, double final_time, int exit_status,
                       char *err, size_t errlen)
{
    if (!w)
        return 0;
    stop_thread(w);
    if (!atomic_load(&w->failed)) {
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
        if (!atomic_load(&w->failed))
            exec(w, "PRAGMA journal_mode = DELETE");
    }
    int rc = 0;
    if (atomic_load(&w->failed)) {
        trace__err(err, errlen, "%s", w->error);
        rc = -1;
    }
    writer_free(w);
    return rc;
}
