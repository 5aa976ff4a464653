/* test_capture.c — what the program's thread keeps of each event (traces/capture.c):
 * values described straight into the chunk's arena, constant descriptions kept once
 * per chunk, descriptions of the longest length, task names and renames. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "traces/synth.h"
#include "traces/writer_int.h"

/* The host's values here: "=X" is described as the constant "X" (returned, not
 * written into the buffer: as the language layer does for None), anything else
 * is written into the buffer. */
static const char *const_or_buf(void *ud, loop_val v, char *buf, size_t n)
{
    const char *s = v;
    if (s[0] == '=')
        return s + 1;
    snprintf(buf, n, "%s", s);
    return buf;
}

/* str() of a name: the same rules, without quotes. */
static const char *str_const_or_buf(void *ud, loop_val v, char *buf, size_t n)
{
    return const_or_buf(ud, v, buf, n);
}

static trace_writer *open_trace(const char *path, trace_host *host)
{
    char err[TRACE_ERR_MAX] = "";
    host->line_of = synth_host.line_of;
    host->describe = const_or_buf;
    host->str_of = str_const_or_buf;
    trace_writer *w = trace_writer_open(path, &synth_meta, host, NULL, err, sizeof err);
    if (!w)
        fail_msg("%s", err);
    return w;
}

/* Reads the details of every event of one kind, in order, into a malloc'd array. */
static char **details(const char *path, const char *kind, int *n)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT detail FROM events WHERE kind = ?1 ORDER BY seq",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    char **out = NULL;
    int len = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        out = realloc(out, (size_t)(len + 1) * sizeof *out);
        const char *d = (const char *)sqlite3_column_text(st, 0);
        out[len++] = strdup(d ? d : "<null>");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    *n = len;
    return out;
}

static void free_details(char **d, int n)
{
    for (int i = 0; i < n; i++)
        free(d[i]);
    free(d);
}

/* A trace at a fresh path (*path, malloc'd) with the host above, one loop iteration
 * begun: s is ready for events. */
static void start(synth *s, const char *name, char **path)
{
    static trace_host host;
    *path = synth_tmp(name);
    memset(s, 0, sizeof *s);
    s->w = open_trace(*path, &host);
    synth_iteration(s, 0, 1);
}

/* Closes the trace and reads back the details of the events of one kind. */
static char **finish(synth *s, const char *path, const char *kind, int *n)
{
    char err[TRACE_ERR_MAX] = "";
    if (trace_writer_close(s->w, true, s->time, 0, err, sizeof err) != 0)
        fail_msg("%s", err);
    return details(path, kind, n);
}

/* Constants repeat within a chunk (kept once) and across chunks (each chunk, and
 * each use of a chunk, keeps its own copy): every result reads back as described, whatever the pattern of constants
 * and written texts, on both sides of every chunk boundary. */
static void constants_across_chunks(void **state)
{
    static const char *const vals[] = { "=None", "=True", "=None", "written 1", "=None", "=False",
                                        "written 22", "=True", "=True" };
    /* enough chunks that each is filled again: a constant kept in a chunk's earlier
     * use must not be taken for one of its new texts */
    enum { NV = sizeof vals / sizeof *vals, N = 4 * NCHUNKS * CHUNK_EVENTS + 7 };
    char *path;
    synth s;
    start(&s, "constants.db", &path);
    loop_future *f = synth_future(&s, 0, 5);
    for (int i = 0; i < N; i++) {
        /* a pattern that is not a divisor of the chunk size, so constants sit at every
         * offset of a chunk, its first and last events among them */
        const char *v = vals[(i * 7 + i / 5) % NV];
        synth_emit(&s, LOOP_EV_FUTURE_RESULT, O(f), NULL, NULL, 0, 0, V(v), NULL);
        /* what the writer thread will read: the text is in the part of the arena this
         * use of the chunk has written (a text of an earlier use would read right by
         * luck only as long as nothing overwrote it) */
        const chunk *c = s.w->cur;
        if (!c || !c->n)
            continue;   /* the chunk just went to the writer thread */
        const cap_ev *e = &c->ev[c->n - 1];
        assert_true(e->a > 0 && e->a - 1 < c->arena.len);
        assert_string_equal(c->arena.p + e->a - 1, v[0] == '=' ? v + 1 : v);
    }
    int n = 0;
    char **d = finish(&s, path, "future_result", &n);
    assert_int_equal(n, N);
    for (int i = 0; i < N; i++) {
        const char *v = vals[(i * 7 + i / 5) % NV];
        char want[64];
        snprintf(want, sizeof want, "result %s", v[0] == '=' ? v + 1 : v);
        if (strcmp(d[i], want) != 0)
            fail_msg("event %d: got \"%s\", want \"%s\"", i, d[i], want);
    }
    free_details(d, n);
    synth_rm(path);
    free(path);
}

/* The longest description the host may write (DESC_MAX - 1 bytes) is kept whole,
 * however many follow each other in a chunk, and the texts after it are intact. */
static void longest_descriptions(void **state)
{
    enum { N = CHUNK_EVENTS + 100 };
    static char longest[DESC_MAX], shorter[DESC_MAX];
    memset(longest, 'x', DESC_MAX - 1);
    memset(shorter, 'y', DESC_MAX / 2);
    char *path;
    synth s;
    start(&s, "longest.db", &path);
    loop_future *f = synth_future(&s, 0, 5);
    const char *seq[] = { longest, "=None", shorter, longest, "short" };
    for (int i = 0; i < N; i++)
        synth_emit(&s, LOOP_EV_FUTURE_RESULT, O(f), NULL, NULL, 0, 0, V(seq[i % 5]), NULL);
    int n = 0;
    char **d = finish(&s, path, "future_result", &n);
    assert_int_equal(n, N);
    for (int i = 0; i < N; i++) {
        const char *v = seq[i % 5];
        assert_int_equal(strncmp(d[i], "result ", 7), 0);
        if (strcmp(d[i] + 7, v[0] == '=' ? v + 1 : v) != 0)
            fail_msg("event %d: %zu bytes, want %zu", i, strlen(d[i] + 7), strlen(v));
    }
    free_details(d, n);
    synth_rm(path);
    free(path);
}

/* Task names as the host gives them: a str written into the buffer, a constant, and a
 * rename to either: details after the rename use the new name, the tasks table keeps
 * the name each task was created with (traces/schema.sql). */
static void task_names_and_renames(void **state)
{
    char *path;
    synth s;
    start(&s, "names.db", &path);
    loop_task *a = synth_task(&s, 0, 3, "worker-a", "=<coroutine object a>");
    loop_task *b = synth_task(&s, 1, 4, "=Task-2", "<coroutine object b>");
    synth_emit(&s, LOOP_EV_TASK_CREATE, T(a), NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(&s, LOOP_EV_TASK_CREATE, T(b), NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(&s, LOOP_EV_TASK_RENAME, T(a), NULL, NULL, 0, 0, V("=renamed"), NULL);
    synth_emit(&s, LOOP_EV_TASK_RENAME, T(b), NULL, NULL, 0, 0, V("written name"), NULL);
    loop_handle *h = synth_handle(&s, 9, T(a), NULL, NULL, -1);
    synth_emit(&s, LOOP_EV_CALL_SOON, O(h), NULL, NULL, 0, 0, NULL, NULL);
    loop_handle *h2 = synth_handle(&s, 10, T(b), NULL, NULL, -1);
    synth_emit(&s, LOOP_EV_CALL_SOON, O(h2), NULL, NULL, 0, 0, NULL, NULL);
    int n = 0;
    char **d = finish(&s, path, "task_create", &n);
    assert_int_equal(n, 2);
    assert_string_equal(d[0], "worker-a <coroutine object a>");
    assert_string_equal(d[1], "Task-2 <coroutine object b>");
    free_details(d, n);
    d = details(path, "call_soon", &n);
    assert_int_equal(n, 2);
    assert_string_equal(d[0], "step renamed");
    assert_string_equal(d[1], "step written name");
    free_details(d, n);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(name || '/' || coro, ',') FROM"
                                        " (SELECT * FROM tasks ORDER BY id)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "worker-a/<coroutine object a>,Task-2/<coroutine object b>");
    sqlite3_finalize(st);
    sqlite3_close(db);
    synth_rm(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constants_across_chunks),
        cmocka_unit_test(longest_descriptions),
        cmocka_unit_test(task_names_and_renames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
