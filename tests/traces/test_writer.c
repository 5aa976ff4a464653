/* test_writer.c — the trace writer: schema, rows, determinism, durability under
 * SIGKILL, and which existing files it may replace. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "traces/synth.h"
#include "traces/writer_int.h"
#include "loop/test_host.h"

/* ---- helpers ------------------------------------------------------------------------ */

static sqlite3 *db_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

static int64_t q_int(sqlite3 *db, const char *q)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(db));
    int64_t v = -999;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char qbuf[4096];
static const char *q_text(sqlite3 *db, const char *q)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(db));
    snprintf(qbuf, sizeof qbuf, "<none>");
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        snprintf(qbuf, sizeof qbuf, "%s", t ? t : "<null>");
    }
    sqlite3_finalize(st);
    return qbuf;
}

/* Every row of every table (and the schema) as text, meta.wall_start left out. */
/* Every table and view, rows in the order of their first column. physical: the event
 * blocks too (they depend on where batches end; the events view does not). */
static char *dump_rows(const char *path, bool physical)
{
    sqlite3 *db = db_open(path);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    sqlite3_stmt *tabs = NULL;
    sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master ORDER BY name", -1, &tabs, NULL);
    while (sqlite3_step(tabs) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tabs, 0);
        fprintf(f, "== %s\n%s\n", name, (const char *)sqlite3_column_text(tabs, 1));
        if (strncmp(name, "sqlite_", 7) == 0 || (!physical && strcmp(name, "event_blocks") == 0))
            continue;
        char q[256];
        snprintf(q, sizeof q, "SELECT * FROM \"%s\"%s ORDER BY 1", name,
                 strcmp(name, "meta") == 0 ? " WHERE key <> 'wall_start'" : "");
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                const char *t = (const char *)sqlite3_column_text(st, i);
                fprintf(f, "%s%d:%s", i ? "|" : "", sqlite3_column_type(st, i), t ? t : "NULL");
            }
            fputc('\n', f);
        }
        sqlite3_finalize(st);
    }
    sqlite3_finalize(tabs);
    fprintf(f, "user_version=%lld\n", (long long)q_int(db, "PRAGMA user_version"));
    sqlite3_close(db);
    fclose(f);
    return out;
}

static char *dump(const char *path)
{
    return dump_rows(path, true);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    *n = len;
    return buf;
}

/* ---- tests ---------------------------------------------------------------------------- */

/* traces/schema.sql and the copy compiled into the library are the same text. */
static void schema_file_matches_embedded(void **state)
{
    size_t n = 0;
    char *text = slurp("traces/schema.sql", &n);
    if (!text) {
        /* run from elsewhere: find the tree from this file's path */
        char p[4096];
        snprintf(p, sizeof p, "%s", __FILE__);
        char *cut = strstr(p, "tests/traces/");
        assert_non_null(cut);
        snprintf(cut, sizeof p - (size_t)(cut - p), "traces/schema.sql");
        text = slurp(p, &n);
    }
    assert_non_null(text);
    assert_string_equal(text, trace_schema_sql);
    free(text);
}

/* The synthetic program's rows: events in order with ids, lines and details; the
 * object tables; output; meta. */
static void writes_rows(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("rows.db");
    uint64_t n = synth_write(path, 3, true, err, sizeof err);
    assert_string_equal(err, "");
    assert_true(n > 50);
    sqlite3 *db = db_open(path);
    assert_string_equal(q_text(db, "PRAGMA integrity_check"), "ok");
    assert_int_equal(q_int(db, "PRAGMA user_version"), TRACE_FORMAT_VERSION);
    assert_int_equal(q_int(db, "PRAGMA application_id"), TRACE_APPLICATION_ID);
    assert_int_equal(q_int(db, "SELECT count(*) FROM events"), (int64_t)n);
    assert_int_equal(q_int(db, "SELECT max(seq) FROM events"), (int64_t)n);
    /* meta */
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key='format'"), "aiosim-trace");
    assert_int_equal(q_int(db, "SELECT value FROM meta WHERE key='complete'"), 1);
    assert_int_equal(q_int(db, "SELECT value FROM meta WHERE key='exit_status'"), 0);
    assert_int_equal(q_int(db, "SELECT value FROM meta WHERE key='events'"), (int64_t)n);
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key='argv'"), "[\"prog.py\",\"--flag\",\"中文\"]");
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key='seed'"), "7");
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key='source'"), synth_meta.source);
    assert_string_equal(q_text(db, "SELECT typeof(value) FROM meta WHERE key='final_time'"), "real");
    assert_int_equal(q_int(db, "SELECT count(*) FROM meta WHERE key='wall_start' AND value LIKE '20__-__-__T__:__:__Z'"), 1);
    /* events */
    assert_string_equal(q_text(db, "SELECT kind || ' ' || subject || ' ' || quote(cause) FROM events WHERE seq=1"),
                        "task_create 1 NULL");
    assert_string_equal(q_text(db, "SELECT detail FROM events WHERE seq=1"), "Task-1 <coroutine main>");
    assert_string_equal(q_text(db, "SELECT group_concat(kind, ',') FROM (SELECT kind FROM events WHERE seq <= 6 ORDER BY seq)"),
                        "task_create,call_soon,iteration,handle_begin,step_begin,task_create");
    assert_string_equal(q_text(db, "SELECT at || ' ' || num || ' ' || line || ' ' || detail FROM events WHERE kind='call_later' ORDER BY seq LIMIT 1"),
                        "0.5 0.5 10 cb ('a',)");
    assert_string_equal(q_text(db, "SELECT quote(at) || ' ' || quote(num) FROM events WHERE kind='handle_end' LIMIT 1"),
                        "NULL NULL");
    assert_string_equal(q_text(db, "SELECT detail FROM events WHERE kind='cancel_request'"), "message 'bye'");
    assert_string_equal(q_text(db, "SELECT detail FROM events WHERE kind='step_await' AND subject=1"), "await task Task-2");
    assert_string_equal(q_text(db, "SELECT detail FROM events WHERE kind='step_await' AND subject=3"), "await future #10");
    assert_int_equal(q_int(db, "SELECT count(*) FROM events WHERE time = 0.5 AND kind = 'clock_advance' AND at = 0.5"), 1);
    assert_int_equal(q_int(db, "SELECT max(iteration) FROM events"), 6 + 3);
    /* tasks */
    assert_string_equal(q_text(db, "SELECT name || ' ' || coro || ' ' || quote(parent) || ' ' || state || ' ' || result FROM tasks WHERE id=3"),
                        "Task-2 <coroutine child> 1 finished 42");
    assert_string_equal(q_text(db, "SELECT state || ' ' || result FROM tasks WHERE id=7"),
                        "cancelled CancelledError('bye')");
    assert_string_equal(q_text(db, "SELECT state || ' ' || quote(parent) FROM tasks WHERE id=1"), "finished NULL");
    /* futures */
    assert_string_equal(q_text(db, "SELECT origin || ' ' || creator || ' ' || state || ' ' || result FROM futures WHERE id=10"),
                        "sleep 3 finished None");
    assert_string_equal(q_text(db, "SELECT state FROM futures WHERE id=12"), "cancelled");
    /* handles */
    assert_string_equal(q_text(db, "SELECT scheduled_by || ' ' || callback || ' ' || due FROM handles WHERE id=5"),
                        "call_later cb ('a',) 0.5");
    assert_string_equal(q_text(db, "SELECT callback || ' ' || task FROM handles WHERE id=2"), "step Task-1 1");
    assert_string_equal(q_text(db, "SELECT scheduled_by || ' ' || future || ' ' || callback FROM handles WHERE id=14"),
                        "callback_schedule 12 wakeup Task-3 (future #12 done)");
    assert_int_equal(q_int(db, "SELECT count(*) FROM handles WHERE id=13 AND run_seq IS NULL AND cancelled_seq IS NOT NULL"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM handles WHERE run_seq IS NULL"), 1);
    /* output */
    assert_string_equal(q_text(db, "SELECT group_concat(stream || ':' || text, '') FROM (SELECT * FROM output ORDER BY seq)"),
                        "stdout:hi\nstdout:42\n");
    /* views */
    assert_string_equal(q_text(db, "SELECT group_concat(handle, ',') FROM (SELECT handle FROM timers_at WHERE due = 0.5)"),
                        "5,6,11");
    assert_string_equal(q_text(db, "SELECT waited || ' ' || awaited_what FROM task_waits WHERE task=3"), "0.5 future #10 (sleep)");
    assert_string_equal(q_text(db, "SELECT waited || ' ' || awaited_what FROM task_waits WHERE task=1 AND awaited=3"),
                        "0.5 task Task-2");
    assert_string_equal(q_text(db, "SELECT awaited_what || ' ' || waited FROM task_waits WHERE task=1 ORDER BY wait_seq LIMIT 1"),
                        "bare yield 0.0");
    assert_string_equal(q_text(db, "SELECT target_name || ' by ' || cancelled_by || ' line ' || line FROM cancels"),
                        "Task-3 by task Task-1 line 12");
    sqlite3_close(db);
    /* no journal left behind */
    char j[4200];
    snprintf(j, sizeof j, "%s-journal", path);
    assert_int_equal(access(j, F_OK), -1);
    synth_rm(path);
    free(path);
}

/* The same run twice gives the same rows, wall-clock start aside. */
static void deterministic(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = synth_tmp("det_a.db"), *b = synth_tmp("det_b.db");
    assert_true(synth_write(a, 5000, true, err, sizeof err) > 0);
    assert_true(synth_write(b, 5000, true, err, sizeof err) > 0);
    char *da = dump(a), *db = dump(b);
    assert_true(strlen(da) > 100000);
    assert_string_equal(da, db);
    free(da);
    free(db);
    synth_rm(a);
    synth_rm(b);
    free(a);
    free(b);
}

/* Reads the file a killed child left: it opens, passes integrity_check, holds events
 * 1..N without a gap (N >= min_events) and says complete = 0. Returns N. */
static int64_t check_killed(const char *path, int64_t min_events)
{
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = trace_open(path, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    assert_false(trace_is_complete(r));
    trace_close(r);
    sqlite3 *db = db_open(path);
    assert_string_equal(q_text(db, "PRAGMA integrity_check"), "ok");
    int64_t n = q_int(db, "SELECT count(*) FROM events");
    assert_true(n >= min_events);
    assert_int_equal(q_int(db, "SELECT max(seq) FROM events"), n);
    assert_int_equal(q_int(db, "SELECT value FROM meta WHERE key='complete'"), 0);
    /* every handle row belongs to a committed event */
    assert_int_equal(q_int(db, "SELECT count(*) FROM handles WHERE created_seq > (SELECT max(seq) FROM events)"), 0);
    sqlite3_close(db);
    return n;
}

/* A child that SIGKILLs itself in the middle of a batch, after the writer said
 * everything before it was committed: every event up to that batch is there, nothing
 * after it. */
static void sigkill_self_midbatch(void **state)
{
    char *path = synth_tmp("killed.db");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[TRACE_ERR_MAX];
        trace_writer_opts opts = { .batch = 1000, .iteration_batch = 100000 };
        synth s = { 0 };
        s.w = trace_writer_open(path, &synth_meta, &synth_host, &opts, err, sizeof err);
        if (!s.w)
            _exit(2);
        for (uint64_t i = 0; i < 10000; i++)
            synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, (double)i, 1, NULL, NULL);
        trace_writer_stats st;
        if (trace_writer_flush(s.w) < 0 || (trace_writer_get_stats(s.w, &st), st.committed != 10000))
            _exit(4);
        for (uint64_t i = 0; i < 500; i++)
            synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, (double)i, 1, NULL, NULL);
        raise(SIGKILL);
        _exit(3);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_int_equal(check_killed(path, 10000), 10000);
    synth_rm(path);
    free(path);
}

/* A run killed inside a transaction leaves a hot journal; a new run with the same
 * --trace path replaces that trace (it is one) without anyone reading it first.
 * (The writer commits on its own thread, so the child makes the hot journal itself:
 * a big transaction on the finished trace, spilled to the file, then SIGKILL.) */
static void killed_trace_is_replaced(void **state)
{
    char *path = synth_tmp("killed3.db");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[TRACE_ERR_MAX];
        trace_writer_opts opts = { .batch = 1000 };
        synth s = { 0 };
        s.w = trace_writer_open(path, &synth_meta, &synth_host, &opts, err, sizeof err);
        if (!s.w)
            _exit(2);
        for (uint64_t i = 0; i < 2500; i++)
            synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, (double)i, 1, NULL, NULL);
        if (trace_writer_close(s.w, false, 0, 0, err, sizeof err) < 0)
            _exit(4);
        sqlite3 *db = NULL;
        if (sqlite3_open(path, &db) != SQLITE_OK ||
            sqlite3_exec(db, "PRAGMA journal_mode = TRUNCATE; PRAGMA cache_size = 2; BEGIN;"
                             " UPDATE event_blocks SET events = events || '';"
                             " INSERT INTO output WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                             " SELECT i + 1 FROM n WHERE i < 20000) SELECT 100000 + i, 'stdout',"
                             " printf('%0100d', i) FROM n", NULL, NULL, NULL) != SQLITE_OK)
            _exit(5);
        raise(SIGKILL);
        _exit(3);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    char j[4200];
    snprintf(j, sizeof j, "%s-journal", path);
    struct stat st;
    assert_int_equal(stat(j, &st), 0);
    assert_true(st.st_size > 0);      /* a hot journal: the kill came mid-transaction */
    char err[TRACE_ERR_MAX] = "";
    uint64_t n = synth_write(path, 0, true, err, sizeof err);
    if (!n)
        fail_msg("%s", err);
    sqlite3 *db = db_open(path);
    assert_int_equal(q_int(db, "SELECT count(*) FROM events"), (int64_t)n);
    assert_string_equal(q_text(db, "PRAGMA integrity_check"), "ok");
    sqlite3_close(db);
    assert_int_equal(access(j, F_OK), -1);
    synth_rm(path);
    free(path);
}

/* A child killed from outside at an arbitrary moment (maybe inside a commit): the
 * trace holds at least everything the child had committed when last it said so. */
static void sigkill_from_parent(void **state)
{
    for (int round = 0; round < 8; round++) {
        char *path = synth_tmp("killed2.db");
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            char err[TRACE_ERR_MAX];
            trace_writer_opts opts = { .batch = 512 + 300 * round };
            synth s = { 0 };
            s.w = trace_writer_open(path, &synth_meta, &synth_host, &opts, err, sizeof err);
            if (!s.w)
                _exit(2);
            uint64_t said = 0;
            for (;;) {
                synth_program(&s, 50);
                trace_writer_stats st;
                trace_writer_get_stats(s.w, &st);
                if (st.committed != said) {
                    said = st.committed;
                    if (write(fds[1], &said, sizeof said) != sizeof said)
                        _exit(4);
                }
            }
        }
        close(fds[1]);
        uint64_t committed = 0, v;
        /* wait for a few commits, then kill at once */
        int commits = 0;
        while (commits < 3 + round * 2 && read(fds[0], &v, sizeof v) == sizeof v) {
            committed = v;
            commits++;
        }
        usleep((useconds_t)(round * 397 % 1500));   /* anywhere: mid-batch, mid-commit */
        kill(pid, SIGKILL);
        while (read(fds[0], &v, sizeof v) == sizeof v)
            committed = v;
        close(fds[0]);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        check_killed(path, (int64_t)committed);
        synth_rm(path);
        free(path);
    }
}

/* Closing without `complete` keeps every event and says complete = 0. */
static void incomplete_close_keeps_events(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("incomplete.db");
    uint64_t n = synth_write(path, 10, false, err, sizeof err);
    assert_true(n > 0);
    sqlite3 *db = db_open(path);
    assert_int_equal(q_int(db, "SELECT count(*) FROM events"), (int64_t)n);
    assert_int_equal(q_int(db, "SELECT value FROM meta WHERE key='complete'"), 0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM meta WHERE key='exit_status'"), 0);
    sqlite3_close(db);
    synth_rm(path);
    free(path);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* An existing file is replaced only if it is an aiosim trace. */
static void replaces_only_traces(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("existing.db");
    /* a text file: left alone */
    write_file(path, "precious notes\n");
    assert_int_equal(synth_write(path, 0, true, err, sizeof err), 0);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not an SQLite database"));
    assert_non_null(strstr(err, "not replacing"));
    assert_null(strchr(err, '\n'));
    size_t n;
    char *text = slurp(path, &n);
    assert_string_equal(text, "precious notes\n");
    free(text);
    /* an empty file: left alone */
    write_file(path, "");
    err[0] = '\0';
    assert_int_equal(synth_write(path, 0, true, err, sizeof err), 0);
    assert_non_null(strstr(err, "empty"));
    /* an SQLite database of something else: left alone */
    unlink(path);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE accounts(x); INSERT INTO accounts VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    err[0] = '\0';
    assert_int_equal(synth_write(path, 0, true, err, sizeof err), 0);
    assert_non_null(strstr(err, "not an aiosim trace"));
    assert_non_null(strstr(err, path));
    db = db_open(path);
    assert_int_equal(q_int(db, "SELECT count(*) FROM accounts"), 1);
    sqlite3_close(db);
    unlink(path);
    /* a trace: replaced */
    err[0] = '\0';
    assert_true(synth_write(path, 100, true, err, sizeof err) > 0);
    uint64_t n2 = synth_write(path, 0, true, err, sizeof err);
    assert_true(n2 > 0);
    assert_string_equal(err, "");
    db = db_open(path);
    assert_int_equal(q_int(db, "SELECT count(*) FROM events"), (int64_t)n2);
    sqlite3_close(db);
    synth_rm(path);
    free(path);
}

static void bad_output_paths(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    assert_null(trace_writer_open("/nonexistent_dir_aiosim/sub/t.db", &synth_meta, NULL, NULL, err, sizeof err));
    assert_string_equal(err, "cannot create trace '/nonexistent_dir_aiosim/sub/t.db': "
                             "folder '/nonexistent_dir_aiosim/sub' does not exist");
    err[0] = '\0';
    assert_null(trace_writer_open("/tmp", &synth_meta, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "'/tmp'"));
    assert_non_null(strstr(err, "directory"));
    err[0] = '\0';
    assert_null(trace_writer_open("", NULL, NULL, NULL, err, sizeof err));
    assert_true(strlen(err) > 0);
}

/* Objects of a second loop get ids after the first loop's; output outside a loop is
 * an event too; a NULL host and NULL meta work. */
static void second_loop_and_outside_output(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("loops.db");
    synth s = { 0 };
    s.w = trace_writer_open(path, NULL, NULL, NULL, err, sizeof err);
    assert_non_null(s.w);
    trace_writer_output(s.w, "stdout", "before\n");
    synth_program(&s, 0);
    trace_writer_output(s.w, "stderr", "between\n");
    trace_writer_begin_loop(s.w);
    s.seq = 0;
    s.time = 0;
    synth_program(&s, 0);
    assert_int_equal(trace_writer_flush(s.w), 0);
    assert_int_equal(trace_writer_close(s.w, true, 0.5, 3, err, sizeof err), 0);
    sqlite3 *db = db_open(path);
    assert_int_equal(q_int(db, "SELECT count(*) FROM tasks"), 6);
    assert_string_equal(q_text(db, "SELECT group_concat(id || ' ' || name, ',') FROM (SELECT * FROM tasks ORDER BY id)"),
                        "1 task #1,3 task #3,7 task #7,17 task #17,19 task #19,23 task #23");
    assert_string_equal(q_text(db, "SELECT kind || ' ' || seq || ' ' || detail FROM events WHERE seq = 1"), "output 1 before\n");
    assert_string_equal(q_text(db, "SELECT group_concat(stream, ',') FROM (SELECT stream FROM output ORDER BY seq)"),
                        "stdout,stdout,stdout,stderr,stdout,stdout");
    assert_int_equal(q_int(db, "SELECT value FROM meta WHERE key='exit_status'"), 3);
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key='argv'"), "[]");
    assert_int_equal(q_int(db, "SELECT count(*) FROM events WHERE seq NOT BETWEEN 1 AND (SELECT count(*) FROM events)"), 0);
    sqlite3_close(db);
    synth_rm(path);
    free(path);
}

/* ---- a real loop (tests/loop/test_host.h) ------------------------------------------------ */

static int cur_line;
static loop_task *g_child, *g_victim;

static int th_line_of(void *ud)
{
    return cur_line;
}

static const char *th_describe(void *ud, loop_val v, char *buf, size_t n)
{
    th_repr_buf(v, buf, n);
    return buf;
}

/* "log:a" for the test host's logging callables. */
static const char *th_describe_handle(void *ud, const loop_handle *h, char *buf, size_t n)
{
    const tv *fn = h->cb.val;
    if (!fn || fn->tag != TV_FN || fn->fn != th_fn_log)
        return NULL;
    snprintf(buf, n, "log:%s", (const char *)fn->closure);
    return buf;
}

static loop_resume child_step(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    switch (c->pc) {
    case 0:
        cur_line = 7;
        return th_await_coro(c, th_ncoro(c->h, loop_sleep(c->h->l, 0.5, NULL)), 1, out);
    default:
        TH_CHECK(c, exc, out);
        cur_line = 8;
        return th_return(c, th_int(c->h, 42), out);
    }
}

static loop_resume victim_step(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    switch (c->pc) {
    case 0:
        cur_line = 11;
        return th_await_coro(c, th_ncoro(c->h, loop_sleep(c->h->l, 10, NULL)), 1, out);
    default:
        TH_CHECK(c, exc, out);
        return th_return(c, NULL, out);
    }
}

static loop_resume main_step(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        cur_line = 15;
        g_child = loop_task_new(h->l, th_coro(h, child_step, "child", NULL), NULL, NULL);
        cur_line = 16;
        th_later_log(h, 0.5, "a");
        cur_line = 17;
        th_later_log(h, 0.5, "b");
        cur_line = 18;
        g_victim = loop_task_new(h->l, th_coro(h, victim_step, "victim", NULL), NULL, NULL);
        cur_line = 19;
        return th_yield(c, 1, out);
    case 1:
        cur_line = 20;
        loop_task_cancel(h->l, g_victim, th_str(h, "bye"));
        loop_emit(h->l, LOOP_EV_OUTPUT, NULL, NULL, "hi\n");
        cur_line = 21;
        return th_await(c, &g_child->fut, 2, out);
    default:
        TH_CHECK(c, exc, out);
        loop_emit(h->l, LOOP_EV_OUTPUT, NULL, NULL, "42\n");
        return th_return(c, value, out);
    }
}

/* Runs the program above on a real loop with the writer attached (batch: 0 default). */
static void real_run(const char *path, uint32_t batch)
{
    trace_writer_opts opts = { .batch = batch, .iteration_batch = batch };
    char err[TRACE_ERR_MAX] = "";
    trace_host host = { .line_of = th_line_of, .describe = th_describe, .describe_handle = th_describe_handle };
    trace_writer *w = trace_writer_open(path, &synth_meta, &host, &opts, err, sizeof err);
    if (!w)
        fail_msg("%s", err);
    th *h = th_new();
    trace_writer_attach(w, h->l);
    cur_line = 0;
    loop_val res = th_run_main(h, main_step, NULL);
    assert_string_equal(th_repr(res), "42");
    th_expect(h, "a|b");
    assert_int_equal(trace_writer_close(w, true, loop_time(h->l), 0, err, sizeof err), 0);
    th_free(h);
}

static void real_loop_rows(void **state)
{
    char *path = synth_tmp("real.db");
    real_run(path, 0);
    /* AIOSIM_KEEP_TRACE=x.db keeps a copy (traces/QUERIES.md's examples come from it) */
    if (getenv("AIOSIM_KEEP_TRACE") && link(path, getenv("AIOSIM_KEEP_TRACE")) != 0)
        perror(getenv("AIOSIM_KEEP_TRACE"));
    sqlite3 *db = db_open(path);
    assert_string_equal(q_text(db, "PRAGMA integrity_check"), "ok");
    int64_t n = q_int(db, "SELECT count(*) FROM events");
    assert_true(n > 30);
    assert_int_equal(q_int(db, "SELECT max(seq) FROM events"), n);
    assert_string_equal(q_text(db, "SELECT group_concat(name || '=' || state || ':' || coalesce(result, '-'), ' ')"
                                   " FROM (SELECT * FROM tasks ORDER BY id)"),
                        "Task-1=finished:42 Task-2=finished:42 Task-3=cancelled:asyncio.CancelledError('bye')");
    assert_string_equal(q_text(db, "SELECT group_concat(callback, ',') FROM (SELECT callback FROM timers_at"
                                   " WHERE abs(due - 0.5) < 1e-9 ORDER BY run_seq)"),
                        "log:a,callback of future #11,log:b");
    assert_string_equal(q_text(db, "SELECT cancelled_by || ' line ' || line FROM cancels WHERE target_name = 'Task-3'"),
                        "task Task-1 line 20");
    assert_string_equal(q_text(db, "SELECT waited FROM task_waits WHERE task_name = 'Task-2'"), "0.5");
    assert_string_equal(q_text(db, "SELECT waited || ' ' || awaited_what FROM task_waits"
                                   " WHERE task_name = 'Task-1' AND awaited_what LIKE 'task%'"), "0.5 task Task-2");
    assert_string_equal(q_text(db, "SELECT group_concat(text, '') FROM (SELECT text FROM output ORDER BY seq)"),
                        "hi\n42\n");
    assert_int_equal(q_int(db, "SELECT count(*) FROM events WHERE kind = 'step_begin'"), 7);
    /* the wake-up of child: reported as call_soon then callback_schedule */
    assert_string_equal(q_text(db, "SELECT scheduled_by || ' ' || future || ' ' || task || ' ' || callback"
                                   " FROM handles WHERE callback LIKE 'wakeup Task-2%'"),
                        "callback_schedule 11 3 wakeup Task-2 (future #11 done)");
    assert_string_equal(q_text(db, "SELECT value FROM meta WHERE key = 'final_time'"), "0.5");
    sqlite3_close(db);
    synth_rm(path);
    free(path);
}

static void real_loop_deterministic(void **state)
{
    char *a = synth_tmp("real_a.db"), *b = synth_tmp("real_b.db");
    real_run(a, 0);
    real_run(b, 1);    /* one event per batch: every cross-batch update path */
    char *da = dump_rows(a, false), *dbb = dump_rows(b, false);
    assert_string_equal(da, dbb);
    free(da);
    free(dbb);
    char err[TRACE_ERR_MAX] = "";
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(trace_diff(a, b, f, err, sizeof err), 0);
    fclose(f);
    assert_string_equal(text, "");
    free(text);
    synth_rm(a);
    synth_rm(b);
    free(a);
    free(b);
}

/* Rows do not depend on where batches end (the blocks do, not what they hold): a
 * handle created in one batch and run or cancelled in a later one, a task that ends
 * in a later batch than its creation, all read the same. */
static void batching_does_not_change_rows(void **state)
{
    static const uint32_t sizes[] = { 1, 2, 7, 0 };
    char *dumps[4];
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("batch.db");
    for (int i = 0; i < 4; i++) {
        trace_writer_opts opts = { .batch = sizes[i], .iteration_batch = sizes[i] };
        synth s = { 0 };
        s.w = trace_writer_open(path, &synth_meta, &synth_host, &opts, err, sizeof err);
        assert_non_null(s.w);
        synth_program(&s, 20);
        assert_int_equal(trace_writer_flush(s.w), 0);   /* the writer thread catches up */
        trace_writer_stats st;
        trace_writer_get_stats(s.w, &st);
        if (sizes[i] == 1)
            assert_int_equal(st.batches, st.events);
        assert_int_equal(trace_writer_close(s.w, true, s.time, 0, err, sizeof err), 0);
        dumps[i] = dump_rows(path, false);
    }
    for (int i = 1; i < 4; i++)
        assert_string_equal(dumps[0], dumps[i]);
    for (int i = 0; i < 4; i++)
        free(dumps[i]);
    synth_rm(path);
    free(path);
}

/* Many tasks ending in one block: their rows are those of one-event blocks, in the
 * order the tasks ended. 40 children end in one iteration; their parent is still
 * pending at the end (written by close). */
#define MANY 41
static void many_tasks_run(const char *path, uint32_t batch)
{
    trace_writer_opts opts = { .batch = batch, .iteration_batch = batch };
    char err[TRACE_ERR_MAX] = "";
    synth s = { 0 };
    s.w = trace_writer_open(path, &synth_meta, &synth_host, &opts, err, sizeof err);
    assert_non_null(s.w);
    static loop_task t[MANY];
    static char names[MANY][16], results[MANY][16];
    synth_iteration(&s, 0, 1);
    for (int i = 0; i < MANY; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].fut.hdr.kind = LOOP_K_TASK;
        t[i].fut.hdr.id = (uint64_t)i + 1;
        snprintf(names[i], sizeof names[i], "Task-%d", i + 1);
        snprintf(results[i], sizeof results[i], "%d", 100 + i);
        t[i].name = V(names[i]);
        synth_emit(&s, LOOP_EV_TASK_CREATE, T(&t[i]), i ? T(&t[0]) : NULL, NULL, 0, 0,
                   V(i % 2 ? "<coroutine object leaf>" : "<coroutine object odd>"), NULL);
    }
    synth_iteration(&s, 0, MANY - 1);
    for (int i = 1; i < MANY; i++) {
        if (i % 7 == 0) {
            synth_emit(&s, LOOP_EV_STEP_CANCELLED, T(&t[i]), T(&t[i]), NULL, 0, 0, NULL, NULL);
        } else {
            synth_emit(&s, LOOP_EV_STEP_RETURN, T(&t[i]), T(&t[i]), NULL, 0, 0, V(results[i]), NULL);
            synth_emit(&s, LOOP_EV_FUTURE_RESULT, T(&t[i]), T(&t[i]), NULL, 0, 0, V(results[i]), NULL);
        }
    }
    assert_int_equal(trace_writer_close(s.w, true, s.time, 0, err, sizeof err), 0);
}

static void many_tasks_end_together(void **state)
{
    char *a = synth_tmp("many_a.db"), *b = synth_tmp("many_b.db");
    many_tasks_run(a, 0);
    many_tasks_run(b, 1);
    sqlite3 *db = db_open(a);
    assert_int_equal(q_int(db, "SELECT count(*) FROM tasks"), MANY);
    /* rows in the order the tasks ended, the pending parent last */
    assert_string_equal(q_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM tasks ORDER BY rowid)"),
                        "2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,"
                        "31,32,33,34,35,36,37,38,39,40,41,1");
    assert_string_equal(q_text(db, "SELECT name || ' ' || coro || ' ' || parent || ' ' || created_seq || ' ' ||"
                                   " done_seq || ' ' || state || ' ' || result FROM tasks WHERE id = 2"),
                        "Task-2 <coroutine object leaf> 1 3 44 finished 101");
    assert_string_equal(q_text(db, "SELECT state || ' ' || quote(result) FROM tasks WHERE id = 15"), "cancelled NULL");
    assert_string_equal(q_text(db, "SELECT name || ' ' || state || ' ' || result FROM tasks WHERE id = 17"),
                        "Task-17 finished 116");
    assert_string_equal(q_text(db, "SELECT name || ' ' || state || ' ' || result FROM tasks WHERE id = 18"),
                        "Task-18 finished 117");
    assert_string_equal(q_text(db, "SELECT name || ' ' || coro || ' ' || state || ' ' || result FROM tasks WHERE id = 41"),
                        "Task-41 <coroutine object odd> finished 140");
    assert_string_equal(q_text(db, "SELECT name || ' ' || quote(parent) || ' ' || state || ' ' || quote(done_seq)"
                                   " FROM tasks WHERE id = 1"), "Task-1 NULL pending NULL");
    sqlite3_close(db);
    char *da = dump_rows(a, false), *dbb = dump_rows(b, false);
    assert_string_equal(da, dbb);
    free(da);
    free(dbb);
    synth_rm(a);
    synth_rm(b);
    free(a);
    free(b);
}

/* Texts with a byte to escape at every position, in texts of every length up to 40
 * (the writer scans eight bytes at a time): an event's own text, and a handle's
 * description written when it is scheduled and again when it runs, read back as
 * they were. */
static void escapes_every_position(void **state)
{
    static const char *const specials[] = { "\"", "\\", "\n", "\x01", "\x1f", "\xc3\xa9", "\x7f", " " };
    enum { NS = sizeof specials / sizeof *specials, MAXLEN = 40 };
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("escapes.db");
    synth s = { 0 };
    s.w = trace_writer_open(path, &synth_meta, &synth_host, NULL, err, sizeof err);
    assert_non_null(s.w);
    static char texts[MAXLEN + 1][MAXLEN][NS][MAXLEN + 4];
    uint64_t id = 1;
    synth_iteration(&s, 0, 1);
    for (int len = 1; len <= MAXLEN; len++)
        for (int at = 0; at < len; at++)
            for (int k = 0; k < NS; k++) {
                char *t = texts[len][at][k];
                memset(t, 'a' + len % 26, (size_t)len);
                size_t sl = strlen(specials[k]);
                memcpy(t + at, specials[k], sl);
                memset(t + at + sl, 'z', (size_t)(len - at - 1));
                t[len - 1 + sl] = '\0';
                synth_emit(&s, LOOP_EV_OUTPUT, NULL, NULL, NULL, 0, 0, NULL, t);
                loop_handle *h = synth_handle(&s, id++, NULL, V(t), NULL, -1);
                synth_emit(&s, LOOP_EV_CALL_SOON, O(h), NULL, NULL, 0, 0, NULL, NULL);
                synth_emit(&s, LOOP_EV_HANDLE_BEGIN, O(h), NULL, NULL, 0, 0, NULL, NULL);
            }
    assert_int_equal(trace_writer_close(s.w, true, s.time, 0, err, sizeof err), 0);
    sqlite3 *db = db_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT kind, detail FROM events WHERE kind IN"
                                            " ('output', 'call_soon', 'handle_begin') ORDER BY seq", -1, &st, NULL),
                     SQLITE_OK);
    int rows = 0;
    for (int len = 1; len <= MAXLEN; len++)
        for (int at = 0; at < len; at++)
            for (int k = 0; k < NS; k++)
                for (int e = 0; e < 3; e++) {
                    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
                    const char *d = (const char *)sqlite3_column_text(st, 1);
                    assert_non_null(d);
                    if (strcmp(d, texts[len][at][k]) != 0)
                        fail_msg("len %d at %d special %d (%s): got \"%s\"", len, at, k,
                                 (const char *)sqlite3_column_text(st, 0), d);
                    rows++;
                }
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(rows, 3 * NS * MAXLEN * (MAXLEN + 1) / 2);
    sqlite3_finalize(st);
    sqlite3_close(db);
    synth_rm(path);
    free(path);
}

/* A host callback that reports an event of its own stops the writer with an error
 * (instead of interleaving two events); close reports it. */
static trace_writer *reenter_w;
static const char *reentering_describe(void *ud, loop_val v, char *buf, size_t n)
{
    trace_writer_output(reenter_w, "stdout", "printed by __repr__\n");
    snprintf(buf, n, "%s", (const char *)v);
    return buf;
}

static void reentrant_host_is_an_error(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("reenter.db");
    trace_host host = synth_host;
    host.describe = reentering_describe;
    synth s = { 0 };
    s.w = reenter_w = trace_writer_open(path, &synth_meta, &host, NULL, err, sizeof err);
    assert_non_null(s.w);
    synth_program(&s, 0);
    assert_int_equal(trace_writer_flush(s.w), -1);
    assert_int_equal(trace_writer_close(s.w, true, 0, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "a host callback must not print or schedule"));
    synth_rm(path);
    free(path);
}

/* With iteration_batch, batches end at loop-iteration boundaries: the first event
 * after the last commit is an iteration event. */
static void commits_at_iteration_boundaries(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("iter.db");
    trace_writer_opts opts = { .batch = 100000, .iteration_batch = 12 };
    synth s = { 0 };
    s.w = trace_writer_open(path, &synth_meta, &synth_host, &opts, err, sizeof err);
    assert_non_null(s.w);
    synth_program(&s, 100);
    trace_writer_stats st;
    trace_writer_get_stats(s.w, &st);
    assert_true(st.batches > 10);
    assert_true(st.committed < st.events);
    assert_int_equal(trace_writer_close(s.w, true, s.time, 0, err, sizeof err), 0);
    sqlite3 *db = db_open(path);
    char q[128];
    snprintf(q, sizeof q, "SELECT kind FROM events WHERE seq = %llu", (unsigned long long)st.committed + 1);
    assert_string_equal(q_text(db, q), "iteration");
    sqlite3_close(db);
    synth_rm(path);
    free(path);
}

/* Blocks are built from several chunks: a block may end with a full chunk, inside
 * one, or (an iteration boundary right after a chunk filled) with a chunk that only
 * ends it. Whatever the batch sizes, the blocks are contiguous, have the sizes the
 * options ask for, and hold the same rows. Iterations of 8 events put an iteration
 * event exactly at each chunk's end. */
static void blocks_across_chunks(void **state)
{
    static const struct { uint32_t batch, iter; int64_t size; } cfg[] = {
        { 100000, CHUNK_EVENTS, CHUNK_EVENTS },             /* ends by empty chunks */
        { 2 * CHUNK_EVENTS + 3, 2 * CHUNK_EVENTS + 3, 2 * CHUNK_EVENTS + 3 },
        { 8192, 8192, 8192 },
        { 100000, 100000, 0 },                              /* one block */
    };
    enum { N = sizeof cfg / sizeof *cfg, ITERS = 3000 };
    char *dumps[N];
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("chunks.db");
    for (int i = 0; i < N; i++) {
        trace_writer_opts opts = { .batch = cfg[i].batch, .iteration_batch = cfg[i].iter };
        synth s = { 0 };
        s.w = trace_writer_open(path, &synth_meta, &synth_host, &opts, err, sizeof err);
        assert_non_null(s.w);
        for (int it = 0; it < ITERS; it++) {
            synth_iteration(&s, 0, 1);
            for (int k = 0; k < 7; k++)
                synth_emit(&s, LOOP_EV_OUTPUT, NULL, NULL, NULL, 0, 0, NULL, "x\n");
        }
        assert_int_equal(trace_writer_close(s.w, true, s.time, 0, err, sizeof err), 0);
        sqlite3 *db = db_open(path);
        int64_t blocks = q_int(db, "SELECT count(*) FROM event_blocks");
        assert_int_equal(q_int(db, "SELECT sum(last_seq - first_seq + 1) FROM event_blocks"), ITERS * 8);
        assert_int_equal(q_int(db, "SELECT count(*) FROM event_blocks b JOIN event_blocks c "
                                   "ON c.first_seq = b.last_seq + 1"), blocks - 1);
        if (cfg[i].size) {
            char q[160];
            snprintf(q, sizeof q, "SELECT count(*) FROM event_blocks WHERE last_seq - first_seq + 1 <> %lld",
                     (long long)cfg[i].size);
            assert_true(q_int(db, q) <= 1);   /* all but the last */
            assert_int_equal(blocks, (ITERS * 8 + cfg[i].size - 1) / cfg[i].size);
        } else {
            assert_int_equal(blocks, 1);
        }
        sqlite3_close(db);
        dumps[i] = dump_rows(path, false);
    }
    for (int i = 1; i < N; i++)
        assert_string_equal(dumps[0], dumps[i]);
    for (int i = 0; i < N; i++)
        free(dumps[i]);
    synth_rm(path);
    free(path);
}

/* Numbers go into the blocks as short decimal text and come back as the very same
 * doubles, through the reader (strtod) and through SQLite's own JSON reading (the
 * events view): random bit patterns of every magnitude, sums that need 17 digits,
 * and the special values. */
static double nth_number(uint64_t i, uint64_t *rng)
{
    static const double special[] = { 0.0, -0.0, 0.1, 0.30000000000000004, 1e-7, 9.999999999999999e14,
                                      1e15, 5e-324, 1.7976931348623157e308, -2.5, 1e300, 123456789.125 };
    if (i < sizeof special / sizeof *special)
        return special[i];
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    if (i % 3 == 0)
        return (double)(i % 1000) * 0.001 + (double)(*rng % 1000) * 0.1;   /* timer-like sums */
    if (i % 3 == 1)
        return (double)(*rng % 100000000) / 1024.0 * ((*rng >> 40) % 2 ? 1e-6 : 1.0);
    double d;
    uint64_t bits = *rng;
    memcpy(&d, &bits, sizeof d);
    return isfinite(d) ? d : 1.5;
}

typedef struct num_check { uint64_t rng, i, bad; } num_check;

static int check_number(void *ud, const trace_event *ev)
{
    num_check *c = ud;
    double want = nth_number(c->i++, &c->rng);
    if (memcmp(&ev->at, &want, sizeof want) != 0 && c->bad++ < 5)
        print_error("event %llu: at %.17g read back as %.17g\n", (unsigned long long)ev->seq, want, ev->at);
    return 0;
}

static void numbers_read_back_exactly(void **state)
{
    enum { N = 30000 };
    char err[TRACE_ERR_MAX] = "";
    char *path = synth_tmp("numbers.db");
    synth s = { 0 };
    s.w = trace_writer_open(path, &synth_meta, &synth_host, NULL, err, sizeof err);
    assert_non_null(s.w);
    uint64_t rng = 88172645463325252ull;
    for (uint64_t i = 0; i < N; i++) {
        double v = nth_number(i, &rng);
        synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, v, 1, NULL, NULL);
    }
    assert_int_equal(trace_writer_close(s.w, true, 0, 0, err, sizeof err), 0);
    trace_reader *r = trace_open(path, err, sizeof err);
    assert_non_null(r);
    num_check c = { .rng = 88172645463325252ull };
    assert_int_equal(trace_foreach_event(r, 0, 0, check_number, &c, err, sizeof err), 0);
    assert_int_equal(c.i, N);
    assert_int_equal(c.bad, 0);
    trace_close(r);
    sqlite3 *db = db_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT at FROM events ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    rng = 88172645463325252ull;
    uint64_t i = 0, bad = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        double want = nth_number(i++, &rng), got = sqlite3_column_double(st, 0);
        if (want != got && bad++ < 5)
            print_error("view: at %.17g read as %.17g\n", want, got);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(i, N);
    assert_int_equal(bad, 0);
    synth_rm(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schema_file_matches_embedded),
        cmocka_unit_test(writes_rows),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(batching_does_not_change_rows),
        cmocka_unit_test(commits_at_iteration_boundaries),
        cmocka_unit_test(blocks_across_chunks),
        cmocka_unit_test(sigkill_self_midbatch),
        cmocka_unit_test(sigkill_from_parent),
        cmocka_unit_test(killed_trace_is_replaced),
        cmocka_unit_test(incomplete_close_keeps_events),
        cmocka_unit_test(replaces_only_traces),
        cmocka_unit_test(bad_output_paths),
        cmocka_unit_test(second_loop_and_outside_output),
        cmocka_unit_test(reentrant_host_is_an_error),
        cmocka_unit_test(real_loop_rows),
        cmocka_unit_test(real_loop_deterministic),
        cmocka_unit_test(many_tasks_end_together),
        cmocka_unit_test(escapes_every_position),
        cmocka_unit_test(numbers_read_back_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
