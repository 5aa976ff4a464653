/* test_reader.c — opening and validating traces, decoding their event blocks, and the
 * handles and futures derived from the events.
 *
 * Most traces here are written by hand (handmade.h), so that the blocks can be cut,
 * spelled and damaged at will; the tests at the end read what the real writer records
 * for the synthetic program of synth.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

#include "traces/synth.h"
#include "traces/handmade.h"

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

static trace_reader *open_ok(const char *path)
{
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = trace_open(path, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    return r;
}

static void bad_inputs(void **state)
{
    char *p = hm_tmp("bad.db");
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
    hm_write(p, NULL, 0, 0, "1");
    hm_sql(p, "PRAGMA user_version = 99");
    expect_open_error(p, "written by a newer aiosim (trace format 99; this aiosim reads format 3 at most)");
    hm_rm(p);
    free(p);
}

/* A trace of format 1 (one row per event) or 2 (blocks of flat event arrays) is
 * refused with one line that says what to do. */
static void old_format_refused(void **state)
{
    char *p = hm_tmp("old.db");
    for (int version = 1; version <= 2; version++) {
        hm_write(p, NULL, 0, 0, "1");
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
        hm_sql(p, sql);
        if (version == 2) {   /* a real format-2 block: never decoded */
            long long k = (long long)HM_KIND_ID(LOOP_EV_CALL_SOON);
            snprintf(sql, sizeof sql, "INSERT INTO event_blocks VALUES (1, 1, '[[%lld,0,0,1,0,0,0]]')", k);
            hm_sql(p, sql);
        }
        char err[TRACE_ERR_MAX] = "", expect[TRACE_ERR_MAX];
        assert_null(trace_open(p, err, sizeof err));
        snprintf(expect, sizeof expect, "cannot open trace '%s': it is an aiosim trace of format %d, older than "
                 "this aiosim reads (format 3); record it again with aiosim run --trace", p, version);
        assert_string_equal(err, expect);
        /* the diff says the same, as bad input */
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        err[0] = '\0';
        assert_int_equal(trace_diff(p, p, out, err, sizeof err), 2);
        fclose(out);
        assert_string_equal(err, expect);
        free(text);
        hm_rm(p);
    }
    free(p);
}

/* ---- events across blocks ------------------------------------------------------------ */

#define NEV 60

/* Events with every field in use, some absent: times that are not exact in binary,
 * details with escapes and non-ASCII text, missing at/num in every combination. */
static void make_events(trace_event *evs, size_t n)
{
    static const char *const details[] = { NULL, "plain", "", "tab\there \"quoted\" back\\slash",
                                           "中文 é 😀", "line\nbreak\r\n", "\x01\x1f ctl" };
    for (size_t i = 0; i < n; i++) {
        evs[i] = (trace_event){
            .seq = i + 1,
            .time = (double)(i / 4) * 0.1,
            .iteration = i / 3,
            .kind = (loop_event_kind)(i % LOOP_EV__COUNT),
            .subject = i % 5 ? i * 7 : 0,
            .cause = i % 3 ? i : 0,
            .other = i % 4 ? 1000000000000ull + i : 0,
            .line = (int)(i % 6),
            .detail = details[i % 7],
            .at = i % 2 ? 0.1 * (double)i : NAN,
            .num = i % 3 == 1 ? NAN : (double)i / 3,
        };
        evs[i].kind_name = loop_event_name(evs[i].kind);
    }
}

static bool same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void expect_event(const trace_event *got, const trace_event *want)
{
    assert_int_equal(got->seq, want->seq);
    if (!same_double(got->time, want->time))
        fail_msg("event %llu: time %.17g, not %.17g", (unsigned long long)want->seq, got->time, want->time);
    assert_int_equal(got->iteration, want->iteration);
    assert_int_equal(got->kind, want->kind);
    assert_string_equal(got->kind_name, want->kind_name);
    assert_int_equal(got->subject, want->subject);
    assert_int_equal(got->cause, want->cause);
    assert_int_equal(got->other, want->other);
    assert_int_equal(got->line, want->line);
    if (!same_double(got->at, want->at) || !same_double(got->num, want->num))
        fail_msg("event %llu: at/num %.17g/%.17g, not %.17g/%.17g", (unsigned long long)want->seq,
                 got->at, got->num, want->at, want->num);
    if (!want->detail)
        assert_null(got->detail);
    else
        assert_string_equal(got->detail, want->detail);
}

typedef struct range_check {
    const trace_event *want;
    uint64_t next;             /* the seq expected next */
    uint64_t stop_at;          /* return 42 at this seq (0: never) */
} range_check;

static int check_event(void *ud, const trace_event *e)
{
    range_check *c = ud;
    assert_int_equal(e->seq, c->next);
    expect_event(e, &c->want[e->seq - 1]);
    c->next++;
    return e->seq == c->stop_at ? 42 : 0;
}

/* Every range [from, to] over blocks of uneven sizes (1 to 13 events), beginning and
 * ending inside blocks and groups, on their edges, before the first event and past the
 * last; in groups as long as possible, then of 1 and 2 events. */
static void ranges_in(const char *p, const trace_event *evs, size_t group_max)
{
    sqlite3 *db = hm_create(p, "1", "x");
    static const size_t sizes[] = { 1, 5, 7, 2, 13, 1, 1, 4 };
    assert_int_equal(hm_events_grouped(db, 1, evs, NEV, sizes, 8, group_max), NEV);
    sqlite3_close(db);
    trace_reader *r = open_ok(p);
    assert_int_equal(trace_event_count(r), NEV);
    char err[TRACE_ERR_MAX] = "";
    for (uint64_t from = 0; from <= NEV + 2; from++) {
        for (uint64_t to = from ? from - 1 : 0; to <= NEV + 2; to++) {
            uint64_t lo = from ? from : 1, hi = to == 0 || to > NEV ? NEV : to;
            range_check c = { .want = evs, .next = lo };
            assert_int_equal(trace_foreach_event(r, from, to, check_event, &c, err, sizeof err), 0);
            if (lo <= hi)
                assert_int_equal(c.next, hi + 1);
            else
                assert_int_equal(c.next, lo);   /* nothing */
        }
    }
    /* stopping inside a block returns fn's value */
    range_check c = { .want = evs, .next = 3, .stop_at = 10 };
    assert_int_equal(trace_foreach_event(r, 3, 0, check_event, &c, err, sizeof err), 42);
    assert_int_equal(c.next, 11);
    /* everything in memory: the details are copies */
    trace_event *all;
    size_t n;
    assert_int_equal(trace_load_events(r, &all, &n, err, sizeof err), 0);
    assert_int_equal(n, NEV);
    for (size_t i = 0; i < n; i++)
        expect_event(&all[i], &evs[i]);
    trace_free_events(all, n);
    trace_close(r);
}

static void ranges_across_blocks(void **state)
{
    trace_event evs[NEV];
    make_events(evs, NEV);
    char *p = hm_tmp("ranges.db");
    for (size_t group_max = 0; group_max <= 2; group_max++)
        ranges_in(p, evs, group_max);
    hm_rm(p);
    free(p);
}

/* The cursor across block boundaries, and at its end: 0, again and again. */
static void cursor_end(void **state)
{
    trace_event evs[5] = { hm_ev(LOOP_EV_OUTPUT, 0, 0, 0, "first"), hm_ev(LOOP_EV_OUTPUT, 0, 0, 0, "second"),
                           hm_ev(LOOP_EV_OUTPUT, 0, 0, 0, "third"), hm_ev(LOOP_EV_OUTPUT, 0, 0, 0, "fourth"),
                           hm_ev(LOOP_EV_OUTPUT, 0, 0, 0, "fifth") };
    char *p = hm_tmp("cursor.db");
    hm_write(p, evs, 5, 2, "1");
    trace_reader *r = open_ok(p);
    char err[TRACE_ERR_MAX] = "";
    const char *names[] = { "first", "second", "third", "fourth", "fifth" };
    for (uint64_t to = 0; to <= 5; to++) {
        trace__cursor *c = trace__events_cursor(r, 2, to, err, sizeof err);
        assert_non_null(c);
        trace_event e;
        for (uint64_t i = 2; i <= (to ? to : 5); i++) {
            assert_int_equal(trace__cursor_next(c, &e, err, sizeof err), 1);
            assert_int_equal(e.seq, i);
            assert_string_equal(e.detail, names[i - 1]);
        }
        for (int i = 0; i < 3; i++)
            assert_int_equal(trace__cursor_next(c, &e, err, sizeof err), 0);
        trace__cursor_free(c);
    }
    trace_close(r);
    hm_rm(p);
    free(p);
}

/* ---- spelling: numbers and strings --------------------------------------------------- */

typedef struct one {
    trace_event e;
    int n;
} one;

static int take_one(void *ud, const trace_event *e)
{
    one *o = ud;
    o->e = *e;
    o->e.detail = e->detail ? strdup(e->detail) : NULL;
    o->n++;
    return 0;
}

/* Decodes a trace holding the single group `json` of one event; fails the test if it
 * does not. */
static one decode_one(const char *path, const char *json)
{
    char block[65536];
    snprintf(block, sizeof block, "[%s]", json);
    sqlite3 *db = hm_create(path, "1", "x");
    hm_block(db, 1, 1, block);
    sqlite3_close(db);
    trace_reader *r = open_ok(path);
    char err[TRACE_ERR_MAX] = "";
    one o = { 0 };
    if (trace_foreach_event(r, 0, 0, take_one, &o, err, sizeof err) != 0)
        fail_msg("%s: %s", json, err);
    assert_int_equal(o.n, 1);
    trace_close(r);
    return o;
}

static double decode_time(const char *path, const char *num)
{
    char json[256];
    snprintf(json, sizeof json, "[0,0,%s,[%lld,0,0,0,0]]", num, (long long)HM_KIND_ID(LOOP_EV_ITERATION));
    one o = decode_one(path, json);
    free((char *)o.e.detail);
    return o.e.time;
}

static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* Every double reads back bit for bit, in 17 digits or shorter, in any JSON spelling. */
static void exact_doubles(void **state)
{
    char *p = hm_tmp("num.db");
    static const struct { const char *text; double v; } cases[] = {
        { "0", 0.0 }, { "-0.0", -0.0 }, { "-0", -0.0 }, { "0.5", 0.5 }, { "1e-05", 1e-05 },
        { "0.30000000000000004", 0.30000000000000004 }, { "0.1", 0.1 }, { "1E5", 1e5 },
        { "1e+5", 1e5 }, { "100000.000", 1e5 }, { "0.000010", 1e-05 }, { "12345678901234567890", 12345678901234567890.0 },
        { "9007199254740993", 9007199254740993.0 }, { "1e22", 1e22 }, { "1e23", 1e23 },
        { "5e-324", 5e-324 }, { "2.2250738585072014e-308", 2.2250738585072014e-308 },
        { "1.7976931348623157e308", 1.7976931348623157e308 }, { "4.35", 4.35 }, { "-123.456e-7", -123.456e-7 },
        { "0.1000000000000000055511151231257827", 0.1 }, { "1e-400", 0.0 },
        { "9e999", INFINITY }, { "-9e999", -INFINITY }, { "1e400", INFINITY },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double got = decode_time(p, cases[i].text);
        if (!same_double(got, cases[i].v))
            fail_msg("%s read as %.17g, not %.17g", cases[i].text, got, cases[i].v);
    }
    /* random bit patterns in one block, as the writer spells them (%.17g) and shortest */
    enum { N = 4000 };
    trace_event *evs = calloc(N, sizeof *evs);
    double *want = calloc(N, sizeof *want);
    for (size_t i = 0; i < N; i++) {
        double v;
        do {
            uint64_t bits = rnd();
            memcpy(&v, &bits, sizeof v);
        } while (!isfinite(v));
        if (i % 3 == 0)
            v = (double)(rnd() % 100000) / 1000.0;   /* clock-like values */
        want[i] = v;
        evs[i] = hm_ev(LOOP_EV_CLOCK_ADVANCE, 0, 0, 0, NULL);
        evs[i].time = v;
        evs[i].at = -v;
        evs[i].num = v / 3;
    }
    hm_write(p, evs, N, 1000, "1");
    trace_reader *r = open_ok(p);
    trace_event *all;
    size_t n;
    char err[TRACE_ERR_MAX] = "";
    assert_int_equal(trace_load_events(r, &all, &n, err, sizeof err), 0);
    assert_int_equal(n, N);
    for (size_t i = 0; i < N; i++) {
        if (!same_double(all[i].time, want[i]) || !same_double(all[i].at, -want[i]) ||
            !same_double(all[i].num, want[i] / 3))
            fail_msg("event %zu: %.17g %.17g %.17g for %.17g", i + 1, all[i].time, all[i].at, all[i].num, want[i]);
    }
    trace_free_events(all, n);
    trace_close(r);
    free(evs);
    free(want);
    hm_rm(p);
    free(p);
}

/* Absent and null at/num are NAN; infinities are 9e999; trailing nulls may be written. */
static void at_num_forms(void **state)
{
    char *p = hm_tmp("atnum.db");
    int64_t k = HM_KIND_ID(LOOP_EV_CALL_LATER);
    static const struct { const char *tail; double at, num; const char *detail; } cases[] = {
        { "", NAN, NAN, NULL },
        { ",null", NAN, NAN, NULL },
        { ",null,null", NAN, NAN, NULL },
        { ",null,null,null", NAN, NAN, NULL },
        { ",\"d\",0.5", 0.5, NAN, "d" },
        { ",null,null,2", NAN, 2, NULL },
        { ",\"\",9e999,-9e999", INFINITY, -INFINITY, "" },
        { " , null , 1e-05 , 0.30000000000000004 ", 1e-05, 0.30000000000000004, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char json[256];
        snprintf(json, sizeof json, "[0,2,1.5,[%lld,3,4,5,6%s]]", (long long)k, cases[i].tail);
        one o = decode_one(p, json);
        assert_int_equal(o.e.kind, LOOP_EV_CALL_LATER);
        assert_true(o.e.time == 1.5 && o.e.iteration == 2 && o.e.subject == 3 && o.e.cause == 4 &&
                    o.e.other == 5 && o.e.line == 6);
        if (!same_double(o.e.at, cases[i].at) || !same_double(o.e.num, cases[i].num))
            fail_msg("%s: at %g num %g", json, o.e.at, o.e.num);
        if (cases[i].detail)
            assert_string_equal(o.e.detail, cases[i].detail);
        else
            assert_null(o.e.detail);
        free((char *)o.e.detail);
    }
    hm_rm(p);
    free(p);
}

static void escapes_and_unicode(void **state)
{
    char *p = hm_tmp("esc.db");
    int64_t k = HM_KIND_ID(LOOP_EV_OUTPUT);
    static const struct { const char *json, *text; } cases[] = {
        { "\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d" },
        { "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t" },
        { "\"\\u0041\\u00e9\\u4e2d\\u00E9\"", "Aé中é" },
        { "\"\\ud83d\\ude00!\"", "😀!" },
        { "\"\\uD83D\\uDE00\"", "😀" },
        { "\"lone \\ud800 high\"", "lone \xEF\xBF\xBD high" },
        { "\"lone \\udc00 low\"", "lone \xEF\xBF\xBD low" },
        { "\"high then bmp \\ud800\\u0041\"", "high then bmp \xEF\xBF\xBD" "A" },
        { "\"raw 中文 é 😀\"", "raw 中文 é 😀" },
        { "\"\"", "" },
        { "\"\\u001f\\u0001\"", "\x1f\x01" },
        { "\"\\\\n is not a newline\"", "\\n is not a newline" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char json[512];
        snprintf(json, sizeof json, "[0,0,0,[%lld,0,0,0,0,%s]]", (long long)k, cases[i].json);
        one o = decode_one(p, json);
        if (!o.e.detail || strcmp(o.e.detail, cases[i].text) != 0)
            fail_msg("%s read as '%s'", cases[i].json, o.e.detail ? o.e.detail : "(null)");
        free((char *)o.e.detail);
    }
    /* a long detail, escapes spread through it: the in-place unescaping moves text */
    trace__buf j = { 0 }, want = { 0 };
    trace__buf_printf(&j, "[0,0,0,[%lld,0,0,0,0,\"", (long long)k);
    for (int i = 0; i < 3000; i++) {
        trace__buf_puts(&j, "abc\\n\\u4e2d\\\"");
        trace__buf_puts(&want, "abc\n中\"");
    }
    trace__buf_puts(&j, "\"]]");
    one o = decode_one(p, j.p);
    assert_string_equal(o.e.detail, want.p);
    free((char *)o.e.detail);
    trace__buf_free(&j);
    trace__buf_free(&want);
    hm_rm(p);
    free(p);
}

/* Kinds are looked up by the file's numbering, then by name; unknown names are kept. */
static void kinds_by_name(void **state)
{
    char *p = hm_tmp("kinds.db");
    char json[512];
    snprintf(json, sizeof json, "[[0,0,0,[%lld,1,0,0,0],[%d,2,0,0,0]],[2,0,0,[%d,3,0,0,0],[%d,4,0,0,0],"
             "[%lld,5,0,0,0]]]", (long long)HM_KIND_ID(LOOP_EV_TASK_CREATE), HM_KIND_NEW, HM_KIND_NEW2,
             HM_KIND_NONE, (long long)HM_KIND_ID(LOOP_EV_STEP_AWAIT));
    sqlite3 *db = hm_create(p, "1", "x");
    hm_block(db, 1, 5, json);
    sqlite3_close(db);
    trace_reader *r = open_ok(p);
    trace_event *evs;
    size_t n;
    char err[TRACE_ERR_MAX] = "";
    assert_int_equal(trace_load_events(r, &evs, &n, err, sizeof err), 0);
    assert_int_equal(n, 5);
    assert_int_equal(evs[0].kind, LOOP_EV_TASK_CREATE);
    assert_string_equal(evs[0].kind_name, "task_create");
    assert_int_equal(evs[1].kind, LOOP_EV__COUNT);
    assert_string_equal(evs[1].kind_name, "kind_from_the_future");
    assert_int_equal(evs[2].kind, LOOP_EV__COUNT);
    assert_string_equal(evs[2].kind_name, "another_new_kind");
    assert_int_equal(evs[3].kind, LOOP_EV__COUNT);
    assert_string_equal(evs[3].kind_name, "?");
    assert_int_equal(evs[4].kind, LOOP_EV_STEP_AWAIT);
    trace_free_events(evs, n);
    trace_close(r);
    hm_rm(p);
    free(p);
}

/* ---- damaged blocks -------------------------------------------------------------------- */

static int count_events(void *ud, const trace_event *e)
{
    (*(int *)ud)++;
    return 0;
}

static int count_handles(void *ud, const trace_handle *h)
{
    (*(int *)ud)++;
    return 0;
}

static int count_futures(void *ud, const trace_future *f)
{
    (*(int *)ud)++;
    return 0;
}

/* A good block 1..3, then `json` as the block first..last: every reader of the events
 * fails with one line naming the file and the block, and nothing crashes. Events are
 * streamed: the good block, then the `ngood` events of the bad one before the damage,
 * come first. */
static void expect_damaged(const char *path, uint64_t first, uint64_t last, const char *json, bool blob,
                           int ngood, const char *what)
{
    char good[256];
    int64_t k = HM_KIND_ID(LOOP_EV_CALL_SOON);
    snprintf(good, sizeof good, "[[0,0,0,[%lld,1,0,0,0],[%lld,2,0,0,0]],[2,1,0.5,[%lld,3,0,0,0]]]", (long long)k,
             (long long)k, (long long)k);
    sqlite3 *db = hm_create(path, "1", "x");
    hm_block(db, 1, 3, good);
    if (blob) {
        char *q = sqlite3_mprintf("INSERT INTO event_blocks VALUES (%llu, %llu, CAST(%Q AS BLOB))",
                                  (unsigned long long)first, (unsigned long long)last, json);
        hm_exec(db, q);
        sqlite3_free(q);
    } else {
        hm_block(db, first, last, json);
    }
    sqlite3_close(db);
    trace_reader *r = open_ok(path);
    char err[TRACE_ERR_MAX] = "", head[1024];
    int n = 0;
    snprintf(head, sizeof head, "trace '%s': event block %llu is damaged: ", path, (unsigned long long)first);
    assert_int_equal(trace_foreach_event(r, 0, 0, count_events, &n, err, sizeof err), -1);
    if (strncmp(err, head, strlen(head)) != 0 || !strstr(err, what))
        fail_msg("block %s: error '%s', not '%s...%s'", json, err, head, what);
    assert_null(strchr(err, '\n'));
    assert_int_equal(n, 3 + ngood);
    /* the cursor keeps failing the same way */
    trace__cursor *c = trace__events_cursor(r, 0, 0, NULL, 0);
    trace_event e;
    int rc;
    while ((rc = trace__cursor_next(c, &e, NULL, 0)) == 1)
        ;
    assert_int_equal(rc, -1);
    char again[TRACE_ERR_MAX] = "";
    assert_int_equal(trace__cursor_next(c, &e, again, sizeof again), -1);
    assert_string_equal(again, err);
    trace__cursor_free(c);
    /* the loader frees what it had */
    trace_event *evs = (trace_event *)1;
    size_t ne = 99;
    assert_int_equal(trace_load_events(r, &evs, &ne, err, sizeof err), -1);
    assert_null(evs);
    assert_int_equal(ne, 0);
    int nh = 0, nf = 0;
    assert_int_equal(trace_foreach_handle(r, count_handles, &nh), -1);
    assert_int_equal(trace_foreach_future(r, count_futures, &nf), -1);
    assert_int_equal(nh + nf, 0);   /* no rows from a half-read trace */
    /* events before the damaged block can still be read alone */
    n = 0;
    assert_int_equal(trace_foreach_event(r, 1, 3, count_events, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);
    trace_close(r);
}

static void damaged_blocks(void **state)
{
    char *p = hm_tmp("damaged.db");
    long long k = (long long)HM_KIND_ID(LOOP_EV_CALL_SOON);
    char ok[64];
    snprintf(ok, sizeof ok, "[%lld,1,0,0,0]", k);
    static const struct { const char *fmt; int ngood; const char *what; } cases[] = {
        /* %1$s is a good event; the block should hold events 4..6 */
        { "hello", 0, "expected '[' at byte 0" },
        { "", 0, "expected '[' at byte 0" },
        { "[]", 0, "it holds no events, not 3" },
        { "[[0,0,0,%1$s]]", 1, "it holds 1 events, but first_seq..last_seq is 4..6" },
        { "[[0,0,0,%1$s],[1,0,0,%1$s]]", 2, "it holds 2 events, but first_seq..last_seq is 4..6" },
        { "[[0,0,0,%1$s,%1$s,%1$s,%1$s]]", 3, "it holds more events than first_seq..last_seq (4..6)" },
        { "[[0,0,0,%1$s],[1,0,0,%1$s,%1$s],[3,0,0,%1$s]]", 3, "it holds more events than first_seq..last_seq" },
        { "[[0,0,0,%1$s,%1$s,%1$s]", 3, "expected ',' or ']' after a group" },
        { "[[0,0,0,%1$s,%1$s,%1$s]x]", 3, "expected ',' or ']' after a group" },
        { "[[0,0,0,%1$s,%1$s,%1$s", 3, "expected ',' or ']'" },
        { "[[0,0,0,%1$s,%1$s,%1$s]] x", 3, "text after the end of the array" },
        { "[[0,0,0,%1$s,%1$s %1$s]]", 2, "expected ',' or ']' at byte" },
        /* group offsets: gaps, repeats, out of range */
        { "[[0,0,0,%1$s],[2,0,0,%1$s,%1$s]]", 1, "group offset 2 where 1 was due" },
        { "[[0,0,0,%1$s],[0,0,0,%1$s,%1$s]]", 1, "group offset 0 where 1 was due" },
        { "[[1,0,0,%1$s,%1$s,%1$s]]", 0, "group offset 1 where 0 was due" },
        { "[[0,0,0,%1$s],[18446744073709551615,0,0,%1$s,%1$s]]", 1,
          "group offset 18446744073709551615 where 1 was due" },
        { "[[0,0,0,%1$s],[99999999999999999999,0,0,%1$s,%1$s]]", 1, "expected a group offset" },
        { "[[0,0,0,%1$s],[-1,0,0,%1$s,%1$s]]", 1, "expected a group offset" },
        { "[[0,0,0,%1$s],[01,0,0,%1$s,%1$s]]", 1, "expected a group offset" },
        { "[[0,0,0,%1$s],[1.0,0,0,%1$s,%1$s]]", 1, "expected ',' and the group's iteration" },
        { "[[0,0,0,%1$s],[\"1\",0,0,%1$s,%1$s]]", 1, "expected a group offset" },
        /* empty groups */
        { "[[0,0,0,%1$s],[1,0,0],[1,0,0,%1$s,%1$s]]", 1, "a group with no events" },
        { "[[0,0,0 ],[0,0,0,%1$s,%1$s,%1$s]]", 0, "a group with no events" },
        { "[[0,0,0,%1$s],[]]", 1, "expected a group offset" },
        { "[[0,0,0,%1$s],[1,0,0,]]", 1, "expected '[' (an event)" },
        /* a group's iteration and time, missing or wrong */
        { "[[0,0,0,%1$s],[1]]", 1, "expected ',' and the group's iteration" },
        { "[[0,0,0,%1$s],[1,%1$s,%1$s]]", 1, "expected an iteration" },
        { "[[0,0,0,%1$s],[1,,0,%1$s,%1$s]]", 1, "expected an iteration" },
        { "[[0,0,0,%1$s],[1,-1,0,%1$s,%1$s]]", 1, "expected an iteration" },
        { "[[0,0,0,%1$s],[1,1.5,0,%1$s,%1$s]]", 1, "expected ',' and the group's time" },
        { "[[0,0,0,%1$s],[1,0]]", 1, "expected ',' and the group's time" },
        { "[[0,0,0,%1$s],[1,0,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,1.,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,.5,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,NaN,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,null,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,1e,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,-,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,+1,%1$s,%1$s]]", 1, "expected a time" },
        { "[[0,0,0,%1$s],[1,0,0x10,%1$s,%1$s]]", 1, "expected ',' and the group's first event" },
        { "[[0,0,0,%1$s],[1,0,01,%1$s,%1$s]]", 1, "expected ',' and the group's first event" },
        { "[[0,0,0,%1$s],[1,0,0.5", 1, "expected ',' and the group's first event" },
        { "[[0,0,0,%1$s],[1", 1, "expected ',' and the group's iteration" },
        /* groups that are not arrays; a format-2 block (its first event read as a group) */
        { "[[0,0,0,%1$s],{}]", 1, "expected '[' (a group)" },
        { "[[0,0,0,%1$s],5]", 1, "expected '[' (a group)" },
        { "[[0,0,0,%1$s],\"[1,0,0,%1$s,%1$s]\"]", 1, "expected '[' (a group)" },
        { "[{},%1$s]", 0, "expected '[' (a group)" },
        { "[[1,0,0,1,0,0,0],[1,0,0,2,0,0,0],[1,0,0,3,0,0,0]]", 0, "group offset 1 where 0 was due" },
        { "[[0,0,0,1,0,0,0],[0,0,0,2,0,0,0],[0,0,0,3,0,0,0]]", 0, "expected '[' (an event)" },
        /* events: not arrays, too few or too many fields, bad fields */
        { "[[0,0,0,%1$s,%1$s,{}]]", 2, "expected '[' (an event)" },
        { "[[0,0,0,%1$s,%1$s,5]]", 2, "expected '[' (an event)" },
        { "[[0,0,0,%1$s,%1$s,[]]]", 2, "expected a kind id" },
        { "[[0,0,0,%1$s,%1$s,[1]]]", 2, "expected ',' at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0]]]", 2, "expected ',' at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,0.5,0,0,0,0,0]]]", 2, "expected ',' at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,null,1,2,3]]]", 2, "expected ']' (an event has 5 to 8 fields) at byte" },
        { "[[0,0,0,%1$s,%1$s,[\"x\",1,0,0,0]]]", 2, "expected a kind id" },
        { "[[0,0,0,%1$s,%1$s,[01,1,0,0,0]]]", 2, "expected a kind id" },
        { "[[0,0,0,%1$s,%1$s,[1,-1,0,0,0]]]", 2, "expected a subject id" },
        { "[[0,0,0,%1$s,%1$s,[1,1.5,0,0,0]]]", 2, "expected ','" },
        { "[[0,0,0,%1$s,%1$s,[1,1,99999999999999999999,0,0]]]", 2, "expected a cause id" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,true,0]]]", 2, "expected an other id" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,null]]]", 2, "expected a line" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,3000000000]]]", 2, "line number too large" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,5]]]", 2, "expected a detail (a string or null)" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"abc]]]", 2, "bad string at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"a\\x\"]]]", 2, "bad string at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"\\u12G4\"]]]", 2, "bad string at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"\\u12", 2, "bad string at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"raw\nnewline\"]]]", 2, "bad string at byte" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,null,\"x\"]]]", 2, "expected at (a number or null)" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,null,1.5e+]]]", 2, "expected at" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,null,1,nul]]]", 2, "expected num (a number or null)" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,null,1,2", 2, "expected ']'" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,nul", 2, "expected a detail" },
        { "[[0,0,0,%1$s,%1$s,[1,0", 2, "expected ','" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"", 2, "bad string" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"\\", 2, "bad string" },
        { "[[0,0,0,%1$s,%1$s,[1,1,0,0,0,\"\\ud800\\", 2, "bad string" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char json[1024];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(json, sizeof json, cases[i].fmt, ok);
#pragma GCC diagnostic pop
        expect_damaged(p, 4, 6, json, false, cases[i].ngood, cases[i].what);
    }
    /* byte and event positions are reported: in an event, and in a group's head */
    expect_damaged(p, 4, 6, "[[0,0,0,[1,1,0,0,0],[1,1,0,0,0],[1,1,x]]]", false, 2,
                   "expected a cause id at byte 37 (event 6)");
    expect_damaged(p, 4, 6, "[[0,0,0,[1,1,0,0,0]],[2,0,0,[1,1,0,0,0],[1,1,0,0,0]]]", false, 1,
                   "group offset 2 where 1 was due at byte 22 (event 5)");
    expect_damaged(p, 4, 6, "[[0,0,0,[1,1,0,0,0]],[1,0,0],[1,0,0,[1,1,0,0,0],[1,1,0,0,0]]]", false, 1,
                   "a group with no events at byte 27 (event 5)");
    expect_damaged(p, 4, 6, "[[0,0,0,[1,1,0,0,0]],[1,0]]", false, 1,
                   "expected ',' and the group's time at byte 25 (event 5)");
    /* the block's row itself */
    snprintf(ok, sizeof ok, "[[0,0,0,[%lld,1,0,0,0]]]", k);
    expect_damaged(p, 4, 4, ok, true, 0, "its events are not JSON text");
    expect_damaged(p, 4, 3, ok, false, 0, "its events run from 4 to 3");
    hm_sql(p, "UPDATE event_blocks SET first_seq = -4, last_seq = 4 WHERE first_seq = 4");
    trace_reader *r = open_ok(p);
    char err[TRACE_ERR_MAX] = "";
    int n = 0;
    assert_int_equal(trace_foreach_event(r, 0, 0, count_events, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "event block -4 is damaged: its events run from -4 to 4"));
    assert_int_equal(n, 0);   /* the block sorts first */
    trace_close(r);
    /* after a gap (tolerated, as the events view tolerates it) */
    expect_damaged(p, 1003, 1003, "[[0,0,0,[1,1,0,0,0]]", false, 1, "expected ',' or ']' after a group");
    hm_rm(p);
    free(p);
}

static void overlapping_blocks(void **state)
{
    char *p = hm_tmp("overlap.db");
    sqlite3 *db = hm_create(p, "1", "x");
    long long k = (long long)HM_KIND_ID(LOOP_EV_ITERATION);
    char b[256];
    snprintf(b, sizeof b, "[[0,0,0,[%lld,0,0,0,0],[%lld,0,0,0,0],[%lld,0,0,0,0]]]", k, k, k);
    hm_block(db, 1, 3, b);
    hm_block(db, 3, 5, b);
    sqlite3_close(db);
    trace_reader *r = open_ok(p);
    char err[TRACE_ERR_MAX] = "", want[1024];
    int n = 0;
    assert_int_equal(trace_foreach_event(r, 0, 0, count_events, &n, err, sizeof err), -1);
    snprintf(want, sizeof want, "trace '%s': event block 3 is damaged: it starts inside the previous block "
             "(which ends at event 3)", p);
    assert_string_equal(err, want);
    assert_int_equal(n, 3);
    trace_close(r);
    /* no event_kinds table: an error, not a crash */
    hm_sql(p, "DROP TABLE event_kinds");
    r = open_ok(p);
    assert_int_equal(trace_foreach_event(r, 0, 0, count_events, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, p));
    assert_non_null(strstr(err, "event_kinds"));
    trace_close(r);
    hm_rm(p);
    free(p);
}

/* ---- handles and futures: the C derivation equals the views -------------------------------- */

typedef struct rows {
    char **v;
    size_t n, cap;
} rows;

static void rows_add(rows *r, char *s)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = s;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    free(r->v);
    *r = (rows){ 0 };
}

/* Values as the rows of SQL show them: NULL, integers, %.17g reals, 'text'. */
static void put_id(trace__buf *b, uint64_t v)
{
    if (v)
        trace__buf_printf(b, "%llu|", (unsigned long long)v);
    else
        trace__buf_puts(b, "NULL|");
}

static void put_real(trace__buf *b, double v)
{
    if (isnan(v))
        trace__buf_puts(b, "NULL|");
    else
        trace__buf_printf(b, "%.17g|", v);
}

static void put_text(trace__buf *b, const char *s)
{
    if (s)
        trace__buf_printf(b, "'%s'|", s);
    else
        trace__buf_puts(b, "NULL|");
}

static int handle_text(void *ud, const trace_handle *h)
{
    trace__buf b = { 0 };
    put_id(&b, h->id);
    put_text(&b, h->scheduled_by);
    put_text(&b, h->callback);
    put_real(&b, h->due);
    put_id(&b, h->creator);
    put_id(&b, h->future);
    put_id(&b, h->task);
    put_id(&b, h->created_seq);
    put_id(&b, h->run_seq);
    put_id(&b, h->cancelled_seq);
    rows_add(ud, b.p);
    return 0;
}

static int future_text(void *ud, const trace_future *f)
{
    trace__buf b = { 0 };
    put_id(&b, f->id);
    put_text(&b, f->origin);
    put_id(&b, f->creator);
    put_id(&b, f->created_seq);
    put_id(&b, f->done_seq);
    put_text(&b, f->state);
    put_text(&b, f->result);
    rows_add(ud, b.p);
    return 0;
}

static void sql_rows(const char *path, const char *q, rows *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        trace__buf b = { 0 };
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL: trace__buf_puts(&b, "NULL|"); break;
            case SQLITE_INTEGER: trace__buf_printf(&b, "%lld|", (long long)sqlite3_column_int64(st, i)); break;
            case SQLITE_FLOAT: put_real(&b, sqlite3_column_double(st, i)); break;
            default: put_text(&b, (const char *)sqlite3_column_text(st, i)); break;
            }
        }
        rows_add(out, b.p);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void expect_same_rows(const char *what, rows *c, rows *sql)
{
    for (size_t i = 0; i < c->n || i < sql->n; i++) {
        const char *x = i < c->n ? c->v[i] : "(none)", *y = i < sql->n ? sql->v[i] : "(none)";
        if (strcmp(x, y) != 0)
            fail_msg("%s row %zu of %zu/%zu:\n  C:   %s\n  SQL: %s", what, i + 1, c->n, sql->n, x, y);
    }
}

/* The C rows of both views against SQLite's, row for row. futures_order: the view's
 * ORDER BY (a future created twice gives two rows of the same id, in no set order). */
static void expect_views(const char *path, const char *futures_order)
{
    trace_reader *r = open_ok(path);
    rows c = { 0 }, sql = { 0 };
    assert_int_equal(trace_foreach_handle(r, handle_text, &c), 0);
    sql_rows(path, "SELECT id, scheduled_by, callback, due, creator, future, task, created_seq, run_seq,"
                   " cancelled_seq FROM handles ORDER BY id", &sql);
    expect_same_rows("handles", &c, &sql);
    rows_free(&c);
    rows_free(&sql);
    char q[256];
    snprintf(q, sizeof q, "SELECT id, origin, creator, created_seq, done_seq, state, result FROM futures"
             " ORDER BY %s", futures_order);
    assert_int_equal(trace_foreach_future(r, future_text, &c), 0);
    sql_rows(path, q, &sql);
    expect_same_rows("futures", &c, &sql);
    rows_free(&c);
    rows_free(&sql);
    trace_close(r);
}

/* The corners of the views' SQL, with the rows written out. */
static void views_by_hand(void **state)
{
    trace_event evs[] = {
        /* handle 5: call_soon then call_later: scheduled_by is the greater name
         * (call_soon), callback the greater text, due the greatest deadline */
        hm_ev(LOOP_EV_CALL_LATER, 5, 1, 0, "cb ('a',)"),
        hm_ev(LOOP_EV_CALL_SOON, 5, 2, 0, "cb ('b',)"),
        hm_ev(LOOP_EV_CALL_AT, 5, 0, 0, NULL),
        /* handle 6: a call_soon, then a future's callback_schedule names it: that wins */
        hm_ev(LOOP_EV_CALL_SOON, 6, 3, 0, "zzz"),
        hm_ev(LOOP_EV_CALLBACK_SCHEDULE, 9, 4, 6, "task_wakeup"),
        hm_ev(LOOP_EV_HANDLE_BEGIN, 6, 0, 7, NULL),
        hm_ev(LOOP_EV_HANDLE_BEGIN, 6, 0, 3, NULL),
        hm_ev(LOOP_EV_HANDLE_CANCEL, 6, 0, 0, NULL),
        /* handle 8 only ran: no row */
        hm_ev(LOOP_EV_HANDLE_BEGIN, 8, 0, 0, NULL),
        /* futures: the prefixes cut in characters, as SQL's substr counts them (é is
         * one), not bytes; the first completion counts, even before the creation */
        hm_ev(LOOP_EV_FUTURE_CREATE, 20, 1, 0, "sleep"),
        hm_ev(LOOP_EV_FUTURE_RESULT, 20, 2, 0, "résult é中文"),
        hm_ev(LOOP_EV_FUTURE_CANCEL, 20, 2, 0, "cancelled, message 'late'"),
        hm_ev(LOOP_EV_FUTURE_CREATE, 21, 0, 0, NULL),
        hm_ev(LOOP_EV_FUTURE_CANCEL, 21, 2, 0, "cancelled"),
        hm_ev(LOOP_EV_FUTURE_EXCEPTION, 22, 2, 0, "exceptioné ValueError()"),
        hm_ev(LOOP_EV_FUTURE_CREATE, 22, 3, 0, "gather"),
        hm_ev(LOOP_EV_FUTURE_CREATE, 23, 3, 0, NULL),
        hm_ev(LOOP_EV_FUTURE_CANCEL, 24, 3, 0, "cancelled, message 'bye'"),
        hm_ev(LOOP_EV_FUTURE_CREATE, 24, 3, 0, "wrap"),
    };
    evs[0].at = 0.5;
    evs[2].at = 2.5;
    evs[1].at = 99;   /* a call_soon's at does not count */
    size_t n = sizeof evs / sizeof *evs;
    char *p = hm_tmp("views.db");
    hm_write(p, evs, n, 4, "1");
    trace_reader *r = open_ok(p);
    rows c = { 0 };
    assert_int_equal(trace_foreach_handle(r, handle_text, &c), 0);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.v[0], "5|'call_soon'|'cb ('b',)'|2.5|2|NULL|NULL|1|NULL|NULL|");
    assert_string_equal(c.v[1], "6|'callback_schedule'|'task_wakeup'|NULL|3|9|7|4|6|8|");
    rows_free(&c);
    assert_int_equal(trace_foreach_future(r, future_text, &c), 0);
    assert_int_equal(c.n, 5);
    assert_string_equal(c.v[0], "20|'sleep'|1|10|11|'finished'|'é中文'|");
    assert_string_equal(c.v[1], "21|NULL|NULL|13|14|'cancelled'|NULL|");
    assert_string_equal(c.v[2], "22|'gather'|3|16|15|'raised'|' ValueError()'|");
    assert_string_equal(c.v[3], "23|NULL|3|17|NULL|'pending'|NULL|");
    assert_string_equal(c.v[4], "24|'wrap'|3|19|18|'cancelled'|''bye''|");
    rows_free(&c);
    trace_close(r);
    expect_views(p, "id");
    hm_rm(p);
    free(p);
}

/* Random traces: handle and future events with colliding ids (0 among them), repeated
 * creations, completions before creations, details of every sort. */
static void views_random(void **state)
{
    static const loop_event_kind kinds[] = {
        LOOP_EV_CALL_SOON, LOOP_EV_CALL_SOON_TS, LOOP_EV_CALL_LATER, LOOP_EV_CALL_AT, LOOP_EV_CALLBACK_SCHEDULE,
        LOOP_EV_HANDLE_BEGIN, LOOP_EV_HANDLE_CANCEL, LOOP_EV_HANDLE_END, LOOP_EV_FUTURE_CREATE,
        LOOP_EV_FUTURE_RESULT, LOOP_EV_FUTURE_EXCEPTION, LOOP_EV_FUTURE_CANCEL, LOOP_EV_ITERATION,
        LOOP_EV_TIMER_DUE, LOOP_EV_STEP_BEGIN,
    };
    static const char *const details[] = {
        NULL, NULL, "", "cb ('a',)", "cb ('b',)", "zzz", "Z", "result 42", "result é中文", "résult 4",
        "exception ValueError('x')", "cancelled", "cancelled, message 'bye'", "中文中文中文中文中文中文中文中文中文中文",
        "a\nb", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
    };
    static const double ats[] = { NAN, NAN, 0.5, 10, 1e-05, 0.30000000000000004, INFINITY, -INFINITY, -1, 0 };
    char *p = hm_tmp("vrand.db");
    enum { N = 400 };
    trace_event *evs = calloc(N, sizeof *evs);
    for (int round = 0; round < 40; round++) {
        double t = 0;
        for (size_t i = 0; i < N; i++) {
            t += (double)(rnd() % 3) * 0.1;
            evs[i] = hm_ev(kinds[rnd() % (sizeof kinds / sizeof *kinds)], rnd() % 12, rnd() % 6, rnd() % 12,
                           details[rnd() % (sizeof details / sizeof *details)]);
            evs[i].time = t;
            evs[i].at = ats[rnd() % (sizeof ats / sizeof *ats)];
        }
        size_t block = 1 + rnd() % 50;
        sqlite3 *db = hm_create(p, "1", "x");
        hm_events_grouped(db, 1, evs, N, &block, 1, rnd() % 3);
        sqlite3_close(db);
        expect_views(p, "id, created_seq");
    }
    free(evs);
    hm_rm(p);
    free(p);
}

/* ---- the events view: SQLite's unpacking equals the decoder's ------------------------ */

/* One event as sql_rows shows a row of the events view, the types of its values last
 * (what typeof() says of each column). */
static void event_text(trace__buf *b, const trace_event *e)
{
    trace__buf_printf(b, "%llu|", (unsigned long long)e->seq);
    put_real(b, e->time);
    trace__buf_printf(b, "%llu|", (unsigned long long)e->iteration);
    put_text(b, e->kind_name);
    put_id(b, e->subject);
    put_id(b, e->cause);
    put_id(b, e->other);
    put_real(b, e->at);
    put_real(b, e->num);
    put_id(b, (uint64_t)e->line);
    put_text(b, e->detail);
    trace__buf_printf(b, "'integer real integer text %s %s %s %s %s %s %s'|", e->subject ? "integer" : "null",
                      e->cause ? "integer" : "null", e->other ? "integer" : "null", isnan(e->at) ? "null" : "real",
                      isnan(e->num) ? "null" : "real", e->line ? "integer" : "null", e->detail ? "text" : "null");
}

static int event_row(void *ud, const trace_event *e)
{
    trace__buf b = { 0 };
    event_text(&b, e);
    rows_add(ud, b.p);
    return 0;
}

/* The rows of the events view equal the decoder's events, value for value and type
 * for type, and both equal evs[0..n) (as written). */
static void expect_events_view(const char *path, const trace_event *evs, size_t n)
{
    trace_reader *r = open_ok(path);
    rows c = { 0 }, sql = { 0 }, want = { 0 };
    char err[TRACE_ERR_MAX] = "";
    if (trace_foreach_event(r, 0, 0, event_row, &c, err, sizeof err) != 0)
        fail_msg("%s", err);
    trace_close(r);
    for (size_t i = 0; i < n; i++)
        event_row(&want, &evs[i]);
    expect_same_rows("decoded events", &c, &want);
    sql_rows(path, "SELECT seq, time, iteration, kind, subject, cause, other, at, num, line, detail,"
                   " typeof(seq) || ' ' || typeof(time) || ' ' || typeof(iteration) || ' ' || typeof(kind) || ' ' ||"
                   " typeof(subject) || ' ' || typeof(cause) || ' ' || typeof(other) || ' ' || typeof(at) || ' ' ||"
                   " typeof(num) || ' ' || typeof(line) || ' ' || typeof(detail)"
                   " FROM events ORDER BY seq", &sql);
    expect_same_rows("events view", &c, &sql);
    rows_free(&c);
    rows_free(&sql);
    rows_free(&want);
}

/* The same events however they are cut into blocks and groups: maximal groups, a group
 * per event, runs split into groups of 2 and 3, over blocks of uneven sizes. */
static void groups_any_cut(void **state)
{
    enum { N = 300 };
    trace_event *evs = calloc(N, sizeof *evs);
    make_events(evs, N);
    for (size_t i = 0; i < N; i++) {   /* long runs of one iteration and time too */
        evs[i].iteration = i < 100 ? i / 3 : i < 200 ? 40 + i / 50 : 50 + i / 7;
        evs[i].time = i < 100 ? (double)(i / 4) * 0.1 : i < 250 ? 1e-05 * (double)(i / 30) : INFINITY;
    }
    static const size_t sizes[][4] = { { 0 }, { 1 }, { 7, 2, 13, 1 }, { 64 } };
    static const size_t nsizes[] = { 0, 1, 4, 1 };
    char *p = hm_tmp("groups.db");
    for (size_t group_max = 0; group_max <= 3; group_max++) {
        for (size_t s = 0; s < sizeof nsizes / sizeof *nsizes; s++) {
            sqlite3 *db = hm_create(p, "1", "x");
            hm_events_grouped(db, 1, evs, N, sizes[s], nsizes[s], group_max);
            sqlite3_close(db);
            expect_events_view(p, evs, N);
        }
    }
    /* the shapes promised: a block of one group when a run fills it, else one per run */
    sqlite3 *db = hm_create(p, "1", "x");
    trace_event two[3] = { hm_ev(LOOP_EV_ITERATION, 0, 0, 0, NULL), hm_ev(LOOP_EV_HANDLE_BEGIN, 7, 0, 0, "x"),
                           hm_ev(LOOP_EV_CLOCK_ADVANCE, 0, 0, 0, NULL) };
    two[1].iteration = 1;
    two[2].iteration = 1;
    two[2].time = 1.25;
    two[2].at = 1.25;
    hm_events(db, 41, two, 3, NULL, 0);
    sqlite3_close(db);
    rows sql = { 0 };
    sql_rows(p, "SELECT events FROM event_blocks", &sql);
    char want[256];
    snprintf(want, sizeof want, "'[[0,0,0,[%lld,0,0,0,0]],[1,1,0,[%lld,7,0,0,0,\"x\"]],[2,1,1.25,[%lld,0,0,0,0,null,1.25]]]'|",
             (long long)HM_KIND_ID(LOOP_EV_ITERATION), (long long)HM_KIND_ID(LOOP_EV_HANDLE_BEGIN),
             (long long)HM_KIND_ID(LOOP_EV_CLOCK_ADVANCE));
    assert_int_equal(sql.n, 1);
    assert_string_equal(sql.v[0], want);
    rows_free(&sql);
    free(evs);
    hm_rm(p);
    free(p);
}

/* Random events in random cuts: the view and the decoder agree on every row. */
static void events_view_random(void **state)
{
    static const char *const details[] = { NULL, "", "cb ('a',)", "中文 é 😀", "a\nb\t\"q\"", "\\u0041" };
    static const double ats[] = { NAN, NAN, 0.5, 1e-05, 0.30000000000000004, INFINITY, -INFINITY, -1, 0, 1e300 };
    enum { N = 500 };
    trace_event *evs = calloc(N, sizeof *evs);
    char *p = hm_tmp("evrand.db");
    for (int round = 0; round < 20; round++) {
        double t = 0;
        uint64_t it = 0;
        for (size_t i = 0; i < N; i++) {
            if (rnd() % 3 == 0)
                it += 1 + rnd() % 2;
            if (rnd() % 5 == 0)
                t += (double)(rnd() % 1000) / 7.0;
            evs[i] = hm_ev((loop_event_kind)(rnd() % LOOP_EV__COUNT), rnd() % 4 ? rnd() % 100000 : 0,
                           rnd() % 6, rnd() % 2 ? rnd() >> 12 : 0, details[rnd() % (sizeof details / sizeof *details)]);
            evs[i].seq = 1 + i;
            evs[i].kind_name = loop_event_name(evs[i].kind);
            evs[i].iteration = it;
            evs[i].time = t;
            evs[i].line = (int)(rnd() % 3 ? rnd() % 500 : 0);
            evs[i].at = ats[rnd() % (sizeof ats / sizeof *ats)];
            evs[i].num = ats[rnd() % (sizeof ats / sizeof *ats)];
        }
        size_t sizes[3] = { 1 + rnd() % 40, 1 + rnd() % 200, 1 + rnd() % 3 };
        sqlite3 *db = hm_create(p, "1", "x");
        hm_events_grouped(db, 1, evs, N, sizes, 1 + rnd() % 3, rnd() % 4);
        sqlite3_close(db);
        expect_events_view(p, evs, N);
    }
    free(evs);
    hm_rm(p);
    free(p);
}

/* One group of 10000 events: the view reads the group's head once, not once per event
 * (which took 17 s here, against 0.01 s: the bound below catches only that). */
static void events_view_long_group(void **state)
{
    enum { N = 10000 };
    trace_event *evs = calloc(N, sizeof *evs);
    for (size_t i = 0; i < N; i++) {
        evs[i] = hm_ev(LOOP_EV_CALL_SOON, i + 1, 0, 0, "<Handle cb() at prog.py:5>");
        evs[i].iteration = 3;
        evs[i].time = 0.30000000000000004;
    }
    char *p = hm_tmp("longgroup.db");
    sqlite3 *db = hm_create(p, "1", "x");
    hm_events(db, 1, evs, N, NULL, 0);
    sqlite3_close(db);
    rows sql = { 0 };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sql_rows(p, "SELECT count(*), sum(seq), sum(time = 0.30000000000000004), max(iteration), sum(subject)"
                " FROM events", &sql);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(sql.n, 1);
    assert_string_equal(sql.v[0], "10000|50005000|10000|3|50005000|");
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (secs > 5)
        fail_msg("the events view took %.1f s over one group of %d events", secs, N);
    rows_free(&sql);
    free(evs);
    hm_rm(p);
    free(p);
}

/* A stop from fn is returned, and no more rows come. */
static int stop_second(void *ud, const trace_handle *h)
{
    return ++*(int *)ud == 2 ? 7 : 0;
}

static int stop_first_future(void *ud, const trace_future *f)
{
    ++*(int *)ud;
    return 9;
}

static void views_stop(void **state)
{
    trace_event evs[] = { hm_ev(LOOP_EV_CALL_SOON, 1, 0, 0, NULL), hm_ev(LOOP_EV_CALL_SOON, 2, 0, 0, NULL),
                          hm_ev(LOOP_EV_CALL_SOON, 3, 0, 0, NULL), hm_ev(LOOP_EV_FUTURE_CREATE, 4, 0, 0, NULL),
                          hm_ev(LOOP_EV_FUTURE_CREATE, 5, 0, 0, NULL) };
    char *p = hm_tmp("vstop.db");
    hm_write(p, evs, 5, 0, "1");
    trace_reader *r = open_ok(p);
    int n = 0;
    assert_int_equal(trace_foreach_handle(r, stop_second, &n), 7);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(trace_foreach_future(r, stop_first_future, &n), 9);
    assert_int_equal(n, 1);
    trace_close(r);
    /* no events at all: no rows, no error */
    hm_write(p, NULL, 0, 0, "1");
    r = open_ok(p);
    n = 0;
    assert_int_equal(trace_event_count(r), 0);
    assert_int_equal(trace_foreach_handle(r, count_handles, &n), 0);
    assert_int_equal(trace_foreach_future(r, count_futures, &n), 0);
    assert_int_equal(trace_foreach_event(r, 0, 0, count_events, &n, NULL, 0), 0);
    assert_int_equal(n, 0);
    trace_close(r);
    hm_rm(p);
    free(p);
}

/* Many events in writer-sized blocks: the count, and every seq once in order. */
static int check_seq(void *ud, const trace_event *e)
{
    uint64_t *next = ud;
    if (e->seq != *next || e->subject != e->seq || e->kind != LOOP_EV_CALL_SOON)
        fail_msg("event %llu (subject %llu) where %llu was due", (unsigned long long)e->seq,
                 (unsigned long long)e->subject, (unsigned long long)*next);
    ++*next;
    return 0;
}

static void many_events(void **state)
{
    enum { N = 50000 };
    trace_event *evs = calloc(N, sizeof *evs);
    for (size_t i = 0; i < N; i++) {
        evs[i] = hm_ev(LOOP_EV_CALL_SOON, i + 1, i % 7, 0, i % 2 ? "<Handle cb()>" : NULL);
        evs[i].time = (double)(i / 10) * 0.001;
        evs[i].iteration = i / 10;
    }
    char *p = hm_tmp("many.db");
    hm_write(p, evs, N, 4096, "1");
    free(evs);
    trace_reader *r = open_ok(p);
    char err[TRACE_ERR_MAX] = "";
    assert_int_equal(trace_event_count(r), N);
    uint64_t next = 1;
    assert_int_equal(trace_foreach_event(r, 0, 0, check_seq, &next, err, sizeof err), 0);
    assert_int_equal(next, N + 1);
    next = 4096;
    assert_int_equal(trace_foreach_event(r, 4096, 4097, check_seq, &next, err, sizeof err), 0);
    assert_int_equal(next, 4098);
    int nh = 0;
    assert_int_equal(trace_foreach_handle(r, count_handles, &nh), 0);
    assert_int_equal(nh, N);
    trace_close(r);
    hm_rm(p);
    free(p);
}

/* ---- traces from the real writer (synth.h) ------------------------------------------------ */

/* The synthetic program through the writer; fails the test if the writer does. */
static uint64_t write_synth(const char *path, uint64_t extra, bool complete)
{
    char err[TRACE_ERR_MAX] = "";
    uint64_t n = synth_write(path, extra, complete, err, sizeof err);
    if (!n)
        fail_msg("the writer failed: %s", err);
    return n;
}

static void synth_meta_rows(void **state)
{
    char *p = synth_tmp("meta.db");
    uint64_t count = write_synth(p, 3, true);
    trace_reader *r = open_ok(p);
    assert_string_equal(trace_path(r), p);
    assert_int_equal(trace_format_version(r), TRACE_FORMAT_VERSION);
    assert_true(trace_is_complete(r));
    assert_int_equal(trace_event_count(r), count);
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
    synth_rm(p);
    free(p);
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

static void synth_events(void **state)
{
    char *p = synth_tmp("events.db");
    uint64_t count = write_synth(p, 3, true);
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = open_ok(p);
    collect c = { 0 };
    assert_int_equal(trace_foreach_event(r, 0, 0, on_event, &c, err, sizeof err), 0);
    assert_int_equal(c.n, (int)count);
    assert_int_equal(c.awaits, 3);
    assert_string_equal(c.kinds, "task_create,call_soon,iteration,handle_begin,step_begin,");
    collect d = { .last_seq = 9 };
    assert_int_equal(trace_foreach_event(r, 10, 20, on_event, &d, err, sizeof err), 0);
    assert_int_equal(d.n, 11);
    assert_int_equal(trace_foreach_event(r, 0, 0, stop_at_10, NULL, err, sizeof err), 42);
    trace_event *evs;
    size_t n;
    assert_int_equal(trace_load_events(r, &evs, &n, err, sizeof err), 0);
    assert_int_equal(n, count);
    assert_int_equal(evs[0].kind, LOOP_EV_TASK_CREATE);
    assert_string_equal(evs[0].detail, "Task-1 <coroutine main>");
    assert_int_equal(evs[n - 1].kind, LOOP_EV_HANDLE_END);
    trace_free_events(evs, n);
    trace_close(r);
    synth_rm(p);
    free(p);
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
        assert_int_equal(h->creator, 1);
    }
    if (h->id == 14) {   /* the victim's wake-up, scheduled by its sleep's cancellation */
        assert_string_equal(h->scheduled_by, "callback_schedule");
        assert_int_equal(h->future, 12);
        assert_int_equal(h->task, 7);
    }
    if (h->id == 13)   /* the victim's sleep timer, cancelled, never run */
        assert_true(h->cancelled_seq > 0 && h->run_seq == 0);
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
        assert_string_equal(f->result, "None");
        assert_int_equal(f->creator, 3);
    }
    if (f->id == 12) {
        assert_string_equal(f->state, "cancelled");
        assert_string_equal(f->result, "'bye'");
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

static void synth_objects(void **state)
{
    char *p = synth_tmp("objects.db");
    write_synth(p, 3, true);
    trace_reader *r = open_ok(p);
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
    /* and the C rows are the views' rows */
    expect_views(p, "id");
    synth_rm(p);
    free(p);
}

/* A trace whose writer never closed opens and says it is incomplete. */
static void synth_incomplete(void **state)
{
    char *p = synth_tmp("inc.db");
    write_synth(p, 0, false);
    trace_reader *r = open_ok(p);
    assert_false(trace_is_complete(r));
    trace_close(r);
    synth_rm(p);
    free(p);
}

/* A trace still being written is locked: a clear error, then fine once closed. */
static void synth_locked_while_writing(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *p = synth_tmp("locked.db");
    synth s = { 0 };
    s.w = trace_writer_open(p, &synth_meta, &synth_host, NULL, err, sizeof err);
    if (!s.w)
        fail_msg("the writer failed: %s", err);
    synth_program(&s, 0);
    assert_int_equal(trace_writer_flush(s.w), 0);
    expect_open_error(p, "a running aiosim is still writing it");
    assert_int_equal(trace_writer_close(s.w, true, 1, 0, err, sizeof err), 0);
    trace_close(open_ok(p));
    synth_rm(p);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(old_format_refused),
        cmocka_unit_test(ranges_across_blocks),
        cmocka_unit_test(cursor_end),
        cmocka_unit_test(exact_doubles),
        cmocka_unit_test(at_num_forms),
        cmocka_unit_test(escapes_and_unicode),
        cmocka_unit_test(kinds_by_name),
        cmocka_unit_test(damaged_blocks),
        cmocka_unit_test(overlapping_blocks),
        cmocka_unit_test(views_by_hand),
        cmocka_unit_test(views_random),
        cmocka_unit_test(groups_any_cut),
        cmocka_unit_test(events_view_random),
        cmocka_unit_test(events_view_long_group),
        cmocka_unit_test(views_stop),
        cmocka_unit_test(many_events),
        cmocka_unit_test(synth_meta_rows),
        cmocka_unit_test(synth_events),
        cmocka_unit_test(synth_objects),
        cmocka_unit_test(synth_incomplete),
        cmocka_unit_test(synth_locked_while_writing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
