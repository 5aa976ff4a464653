/* test_reader.c — opening and validating traces, reading their rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "traces/synth.h"

static char *tpath;
static uint64_t tcount;

static int setup(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    tpath = synth_tmp("reader.db");
    tcount = synth_write(tpath, 3, true, err, sizeof err);
    if (!tcount) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    synth_rm(tpath);
    free(tpath);
    return 0;
}

/* trace_open fails with exactly one line that names the file and says `what`. */
static void expect_open_error(const char *path, const char *what)
{
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = trace_open(path, err, sizeof err);
    if (r)
        fail_msg("%s opened", path);
    if (!strstr(err, path))
        fail_msg("error does not name the file: %s", err);
    if (!strstr(err, what))
        fail_msg("error does not say '%s': %s", what, err);
    assert_null(strchr(err, '\n'));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void bad_inputs(void **state)
{
    char *p = synth_tmp("bad.db");
    expect_open_error(p, "no such file");
    expect_open_error("/nonexistent_aiosim_dir/x.db", "folder '/nonexistent_aiosim_dir' does not exist");
    expect_open_error("/tmp", "is a directory");
    write_file(p, "print('not a trace')\n");
    expect_open_error(p, "is not an SQLite database, so not an aiosim trace");
    write_file(p, "");
    expect_open_error(p, "empty file");
    /* an SQLite header over garbage */
    FILE *f = fopen(p, "wb");
    fwrite("SQLite format 3\0", 1, 16, f);
    for (int i = 0; i < 5000; i++)
        fputc(i * 7, f);
    fclose(f);
    expect_open_error(p, "damaged");
    /* an SQLite database that is not a trace */
    unlink(p);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    expect_open_error(p, "an SQLite database but not an aiosim trace");
    /* a meta table of someone else's */
    sqlite3_open(p, &db);
    sqlite3_exec(db, "CREATE TABLE meta(key, value); INSERT INTO meta VALUES ('format', 'other')", NULL, NULL, NULL);
    sqlite3_close(db);
    expect_open_error(p, "not an aiosim trace");
    unlink(p);
    /* a newer format */
    char err[TRACE_ERR_MAX] = "";
    assert_true(synth_write(p, 0, true, err, sizeof err) > 0);
    sqlite3_open(p, &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    expect_open_error(p, "written by a newer aiosim (trace format 99; this aiosim reads format 1 at most)");
    synth_rm(p);
    free(p);
}

static void meta(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = trace_open(tpath, err, sizeof err);
    assert_non_null(r);
    assert_string_equal(trace_path(r), tpath);
    assert_int_equal(trace_format_version(r), TRACE_FORMAT_VERSION);
    assert_true(trace_is_complete(r));
    assert_int_equal(trace_event_count(r), tcount);
    char buf[64];
    assert_int_equal(trace_meta_get(r, "seed", buf, sizeof buf), 0);
    assert_string_equal(buf, "7");
    assert_int_equal(trace_meta_get(r, "complete", buf, sizeof buf), 0);
    assert_string_equal(buf, "1");
    assert_int_equal(trace_meta_get(r, "nope", buf, sizeof buf), -1);
    assert_string_equal(buf, "");
    char *src = trace_meta_dup(r, "source");
    assert_string_equal(src, synth_meta.source);
    free(src);
    assert_null(trace_meta_dup(r, "nope"));
    trace_close(r);
}

typedef struct collect {
    int n;
    uint64_t last_seq;
    int outputs, awaits;
    char kinds[4096];
} collect;

static int on_event(void *ud, const trace_event *e)
{
    collect *c = ud;
    assert_int_equal(e->seq, c->last_seq + 1);
    c->last_seq = e->seq;
    assert_string_equal(e->kind_name, loop_event_name(e->kind));
    if (e->kind == LOOP_EV_STEP_AWAIT)
        c->awaits++;
    if (e->kind == LOOP_EV_CALL_LATER && e->subject == 5) {
        assert_true(e->at == 0.5 && e->num == 0.5);
        assert_int_equal(e->cause, 1);
        assert_int_equal(e->line, 10);
        assert_string_equal(e->detail, "cb ('a',)");
    }
    if (e->kind == LOOP_EV_HANDLE_END) {
        assert_true(isnan(e->at) && isnan(e->num));
        assert_null(e->detail);
        assert_int_equal(e->other, 0);
    }
    if (c->n < 5) {
        strcat(c->kinds, e->kind_name);
        strcat(c->kinds, ",");
    }
    c->n++;
    return 0;
}

static int stop_at_10(void *ud, const trace_event *e)
{
    return e->seq == 10 ? 42 : 0;
}

static void events(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = trace_open(tpath, err, sizeof err);
    collect c = { 0 };
    assert_int_equal(trace_foreach_event(r, 0, 0, on_event, &c, err, sizeof err), 0);
    assert_int_equal(c.n, (int)tcount);
    assert_int_equal(c.awaits, 3);
    assert_string_equal(c.kinds, "task_create,call_soon,iteration,handle_begin,step_begin,");
    /* a range */
    collect d = { .last_seq = 9 };
    assert_int_equal(trace_foreach_event(r, 10, 20, on_event, &d, err, sizeof err), 0);
    assert_int_equal(d.n, 11);
    /* stopping */
    assert_int_equal(trace_foreach_event(r, 0, 0, stop_at_10, NULL, err, sizeof err), 42);
    /* all in memory */
    trace_event *evs;
    size_t n;
    assert_int_equal(trace_load_events(r, &evs, &n, err, sizeof err), 0);
    assert_int_equal(n, tcount);
    assert_int_equal(evs[0].kind, LOOP_EV_TASK_CREATE);
    assert_string_equal(evs[0].detail, "Task-1 <coroutine main>");
    assert_int_equal(evs[n - 1].kind, LOOP_EV_HANDLE_END);
    trace_free_events(evs, n);
    trace_close(r);
}

static int on_task(void *ud, const trace_task *t)
{
    char *s = ud;
    char line[256];
    snprintf(line, sizeof line, "%llu %s %s %llu %s %s;", (unsigned long long)t->id, t->name, t->coro,
             (unsigned long long)t->parent, t->state, t->result ? t->result : "-");
    strcat(s, line);
    return 0;
}

static int on_handle(void *ud, const trace_handle *h)
{
    int *n = ud;
    if (h->id == 5) {
        assert_string_equal(h->scheduled_by, "call_later");
        assert_string_equal(h->callback, "cb ('a',)");
        assert_true(h->due == 0.5);
        assert_true(h->run_seq > h->created_seq);
    }
    if (h->id == 2)
        assert_true(isnan(h->due));
    (*n)++;
    return 0;
}

static int on_future(void *ud, const trace_future *f)
{
    int *n = ud;
    if (f->id == 10) {
        assert_string_equal(f->origin, "sleep");
        assert_string_equal(f->state, "finished");
        assert_int_equal(f->creator, 3);
    }
    (*n)++;
    return 0;
}

static int on_output(void *ud, const trace_output *o)
{
    strcat(ud, o->stream);
    strcat(ud, ":");
    strcat(ud, o->text);
    return 0;
}

static void objects(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = trace_open(tpath, err, sizeof err);
    char tasks[1024] = "";
    assert_int_equal(trace_foreach_task(r, on_task, tasks), 0);
    assert_string_equal(tasks, "1 Task-1 <coroutine main> 0 finished None;"
                               "3 Task-2 <coroutine child> 1 finished 42;"
                               "7 Task-3 <coroutine victim> 1 cancelled CancelledError('bye');");
    int nh = 0, nf = 0;
    assert_int_equal(trace_foreach_handle(r, on_handle, &nh), 0);
    assert_int_equal(nh, 11 + 3);
    assert_int_equal(trace_foreach_future(r, on_future, &nf), 0);
    assert_int_equal(nf, 2);
    char out[256] = "";
    assert_int_equal(trace_foreach_output(r, on_output, out), 0);
    assert_string_equal(out, "stdout:hi\nstdout:42\n");
    trace_close(r);
}

/* A trace whose writer never closed (killed before the first commit of events, or
 * mid-run) opens and says it is incomplete. */
static void incomplete(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *p = synth_tmp("inc.db");
    assert_true(synth_write(p, 0, false, err, sizeof err) > 0);
    trace_reader *r = trace_open(p, err, sizeof err);
    assert_non_null(r);
    assert_false(trace_is_complete(r));
    trace_close(r);
    synth_rm(p);
    free(p);
}

/* A trace still being written is locked: a clear error, then fine once closed. */
static void locked_while_writing(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *p = synth_tmp("locked.db");
    synth s = { 0 };
    s.w = trace_writer_open(p, &synth_meta, &synth_host, NULL, err, sizeof err);
    assert_non_null(s.w);
    synth_program(&s, 0);
    assert_int_equal(trace_writer_flush(s.w), 0);
    expect_open_error(p, "a running aiosim is still writing it");
    assert_int_equal(trace_writer_close(s.w, true, 1, 0, err, sizeof err), 0);
    trace_reader *r = trace_open(p, err, sizeof err);
    assert_non_null(r);
    trace_close(r);
    synth_rm(p);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(meta),
        cmocka_unit_test(events),
        cmocka_unit_test(objects),
        cmocka_unit_test(incomplete),
        cmocka_unit_test(locked_while_writing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
