/* test_diff.c — first divergence between two traces (written by hand: handmade.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "traces/handmade.h"

/* Runs trace_diff, returning its exit code and what it printed in *text. */
static int diff(const char *a, const char *b, char **text, char *err, size_t errlen)
{
    size_t len = 0;
    *text = NULL;
    FILE *f = open_memstream(text, &len);
    int rc = trace_diff(a, b, f, err, errlen);
    fclose(f);
    return rc;
}

/* 20 + extra clock advances (at = 1, 2, ...), or, with change_at, change_at - 1 of them,
 * an output event "surprise\n", and 10 more numbered from change_at + 1; in blocks of
 * `block` events (0: one block). */
static void write_variant(const char *path, uint64_t extra, uint64_t change_at, const char *seed, size_t block)
{
    trace_event evs[64];
    size_t n = 0;
    if (change_at) {
        for (uint64_t i = 1; i < change_at; i++) {
            evs[n] = hm_ev(LOOP_EV_CLOCK_ADVANCE, 0, 0, 0, NULL);
            evs[n].at = (double)i;
            evs[n++].num = 1;
        }
        evs[n++] = hm_ev(LOOP_EV_OUTPUT, 0, 0, 0, "surprise\n");
        for (uint64_t i = change_at + 1; i <= change_at + 10; i++) {
            evs[n] = hm_ev(LOOP_EV_CLOCK_ADVANCE, 0, 0, 0, NULL);
            evs[n].at = (double)i;
            evs[n++].num = 1;
        }
    } else {
        for (uint64_t i = 1; i <= 20 + extra; i++) {
            evs[n] = hm_ev(LOOP_EV_CLOCK_ADVANCE, 0, 0, 0, NULL);
            evs[n].at = (double)i;
            evs[n++].num = 1;
        }
    }
    hm_write(path, evs, n, block, seed);
}

/* The same events cut into other blocks, and another wall_start: the same trace. */
static void identical(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = hm_tmp("da.db"), *b = hm_tmp("db.db");
    write_variant(a, 30, 0, "1", 0);
    write_variant(b, 30, 0, "1", 7);
    hm_sql(b, "UPDATE meta SET value = '2030-01-01T00:00:00Z' WHERE key = 'wall_start';"
              "INSERT INTO tasks VALUES (1, 'Task-1', '<coroutine main>', NULL, 1, 9, 'finished', 'None');"
              "INSERT INTO output VALUES (3, 'stdout', 'hi\n')");
    hm_sql(a, "INSERT INTO tasks VALUES (1, 'Task-1', '<coroutine main>', NULL, 1, 9, 'finished', 'None');"
              "INSERT INTO output VALUES (3, 'stdout', 'hi\n')");
    char *text;
    assert_int_equal(diff(a, b, &text, err, sizeof err), 0);
    assert_string_equal(text, "");
    free(text);
    assert_int_equal(diff(a, a, &text, err, sizeof err), 0);
    assert_string_equal(text, "");
    free(text);
    hm_rm(a);
    hm_rm(b);
    free(a);
    free(b);
}

/* Event 8 differs: events 5..7 shown as common, 8..11 from each side; the blocks end
 * in the middle of the context. */
static void first_divergence_with_context(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = hm_tmp("dva.db"), *b = hm_tmp("dvb.db");
    write_variant(a, 0, 0, "1", 3);
    write_variant(b, 0, 8, "1", 4);
    char *text;
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    char expect[8192];
    snprintf(expect, sizeof expect,
             "traces differ at event 8 (%s has 20 events, %s has 18):\n"
             "  both: #5      t=0        it=0    clock_advance        at=5 num=1\n"
             "  both: #6      t=0        it=0    clock_advance        at=6 num=1\n"
             "  both: #7      t=0        it=0    clock_advance        at=7 num=1\n"
             "- %s: #8      t=0        it=0    clock_advance        at=8 num=1\n"
             "- %s: #9      t=0        it=0    clock_advance        at=9 num=1\n"
             "- %s: #10     t=0        it=0    clock_advance        at=10 num=1\n"
             "- %s: #11     t=0        it=0    clock_advance        at=11 num=1\n"
             "+ %s: #8      t=0        it=0    output                surprise\\n\n"
             "+ %s: #9      t=0        it=0    clock_advance        at=9 num=1\n"
             "+ %s: #10     t=0        it=0    clock_advance        at=10 num=1\n"
             "+ %s: #11     t=0        it=0    clock_advance        at=11 num=1\n",
             a, b, a, a, a, a, b, b, b, b);
    assert_string_equal(text, expect);
    free(text);
    hm_rm(a);
    hm_rm(b);
    free(a);
    free(b);
}

/* Events that differ in one field only, each field in turn: at, num, detail, a kind
 * the build does not know, the time by one ulp. */
static void one_field(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = hm_tmp("fa.db"), *b = hm_tmp("fb.db");
    trace_event base[3] = { hm_ev(LOOP_EV_CALL_LATER, 5, 1, 0, "cb ('a',)"), hm_ev(LOOP_EV_HANDLE_BEGIN, 5, 0, 0, NULL),
                            hm_ev(LOOP_EV_OUTPUT, 0, 1, 0, "x\n") };
    base[0].at = 0.5;
    base[0].time = 0.1;
    hm_write(a, base, 3, 2, "1");
    for (int field = 0; field < 5; field++) {
        trace_event evs[3];
        memcpy(evs, base, sizeof evs);
        switch (field) {
        case 0: evs[0].at = NAN; break;
        case 1: evs[0].num = 0.5; break;
        case 2: evs[2].detail = "x\r\n"; break;
        case 3: evs[1].cause = 1; break;
        case 4: evs[0].time = nextafter(0.1, 1); break;
        }
        hm_write(b, evs, 3, 1, "1");
        char *text;
        assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
        const char *at = field == 2 ? "traces differ at event 3 " : field == 3 ? "traces differ at event 2 "
                                                                                : "traces differ at event 1 ";
        if (strncmp(text, at, strlen(at)) != 0)
            fail_msg("field %d: %s", field, text);
        free(text);
    }
    hm_rm(a);
    hm_rm(b);
    free(a);
    free(b);
}

/* Divergence at the first event: no context before; one trace a prefix of the other. */
static void edges(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = hm_tmp("ea.db"), *b = hm_tmp("eb.db");
    write_variant(a, 0, 1, "1", 0);
    write_variant(b, 0, 0, "1", 0);
    char *text;
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    assert_non_null(strstr(text, "traces differ at event 1 "));
    assert_null(strstr(text, "both:"));
    free(text);
    /* b is a longer run of the same events */
    write_variant(a, 0, 0, "1", 6);
    write_variant(b, 5, 0, "1", 5);
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    assert_non_null(strstr(text, "traces differ at event 21 ("));
    assert_non_null(strstr(text, "has 20 events"));
    assert_non_null(strstr(text, "has 25)"));
    assert_non_null(strstr(text, "(no more events: it has 20)"));
    assert_non_null(strstr(text, "#21 "));
    assert_non_null(strstr(text, "#24 "));
    assert_null(strstr(text, "#25 "));
    free(text);
    hm_rm(a);
    hm_rm(b);
    free(a);
    free(b);
}

/* Same events, different options: meta differs (wall_start never counts). */
static void meta_difference(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = hm_tmp("ma.db"), *b = hm_tmp("mb.db");
    write_variant(a, 0, 0, "1", 0);
    write_variant(b, 0, 0, "2", 0);
    char *text;
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    assert_non_null(strstr(text, "meta differ at row"));
    assert_non_null(strstr(text, "'seed'|'1'"));
    assert_non_null(strstr(text, "'seed'|'2'"));
    free(text);
    hm_rm(a);
    hm_rm(b);
    free(a);
    free(b);
}

/* Same events, a different task row, then a different output row: each reported. */
static void tables_difference(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = hm_tmp("ta.db"), *b = hm_tmp("tb.db");
    write_variant(a, 0, 0, "1", 0);
    write_variant(b, 0, 0, "1", 0);
    hm_sql(a, "INSERT INTO tasks VALUES (1, 'Task-1', '<coroutine main>', NULL, 1, 9, 'finished', '42')");
    hm_sql(b, "INSERT INTO tasks VALUES (1, 'Task-1', '<coroutine main>', NULL, 1, 9, 'finished', '43')");
    char *text, expect[4096];
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    snprintf(expect, sizeof expect, "tasks differ at row 1:\n"
             "- %s: 1|'Task-1'|'<coroutine main>'|NULL|1|9|'finished'|'42'\n"
             "+ %s: 1|'Task-1'|'<coroutine main>'|NULL|1|9|'finished'|'43'\n", a, b);
    assert_string_equal(text, expect);
    free(text);
    hm_sql(b, "UPDATE tasks SET result = '42'; INSERT INTO output VALUES (4, 'stdout', 'hi')");
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    snprintf(expect, sizeof expect, "output differ at row 1:\n- %s: (no more rows)\n+ %s: 4|'stdout'|'hi'\n", a, b);
    assert_string_equal(text, expect);
    free(text);
    hm_rm(a);
    hm_rm(b);
    free(a);
    free(b);
}

static void bad_input(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = hm_tmp("ba.db"), *b = hm_tmp("bb.db");
    write_variant(a, 0, 0, "1", 0);
    char *text;
    assert_int_equal(diff(a, "/nonexistent/x.db", &text, err, sizeof err), 2);
    assert_non_null(strstr(err, "/nonexistent/x.db"));
    free(text);
    FILE *f = fopen("/tmp/aiosim_test_not_a_trace.txt", "w");
    fputs("hello\n", f);
    fclose(f);
    err[0] = '\0';
    assert_int_equal(diff("/tmp/aiosim_test_not_a_trace.txt", a, &text, err, sizeof err), 2);
    assert_non_null(strstr(err, "not an SQLite database"));
    free(text);
    unlink("/tmp/aiosim_test_not_a_trace.txt");
    /* a damaged block: bad input, even when the events before it are the same */
    write_variant(b, 0, 0, "1", 5);
    hm_sql(b, "UPDATE event_blocks SET events = substr(events, 1, 30) WHERE first_seq = 11");
    err[0] = '\0';
    assert_int_equal(diff(a, b, &text, err, sizeof err), 2);
    char want[1024];
    snprintf(want, sizeof want, "trace '%s': event block 11 is damaged: ", b);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("%s", err);
    free(text);
    hm_rm(a);
    hm_rm(b);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical),
        cmocka_unit_test(first_divergence_with_context),
        cmocka_unit_test(one_field),
        cmocka_unit_test(edges),
        cmocka_unit_test(meta_difference),
        cmocka_unit_test(tables_difference),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
