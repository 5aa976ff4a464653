/* test_diff.c — first divergence between two traces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "traces/synth.h"

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

/* The synthetic program with one event changed at position `at` (0: none), or
 * `extra` filler iterations. */
static void write_variant(const char *path, uint64_t extra, uint64_t change_at, const char *seed)
{
    char err[TRACE_ERR_MAX] = "";
    trace_kv opts[] = { { "seed", seed } };
    trace_meta meta = synth_meta;
    meta.options = opts;
    meta.noptions = 1;
    synth s = { 0 };
    synth_line = 0;
    s.w = trace_writer_open(path, &meta, &synth_host, NULL, err, sizeof err);
    if (!s.w)
        fail_msg("%s", err);
    if (change_at) {
        /* change_at - 1 events of the program, then a different one, then the rest
         * shifted: simplest as an extra event inserted at change_at */
        for (uint64_t i = 1; i < change_at; i++)
            synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, (double)i, 1, NULL, NULL);
        synth_emit(&s, LOOP_EV_OUTPUT, NULL, NULL, NULL, 0, 0, NULL, "surprise\n");
        for (uint64_t i = change_at + 1; i <= change_at + 10; i++)
            synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, (double)i, 1, NULL, NULL);
    } else {
        for (uint64_t i = 1; i <= 20 + extra; i++)
            synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, (double)i, 1, NULL, NULL);
    }
    assert_int_equal(trace_writer_close(s.w, true, 1, 0, err, sizeof err), 0);
}

static void identical(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = synth_tmp("da.db"), *b = synth_tmp("db.db");
    assert_true(synth_write(a, 200, true, err, sizeof err) > 0);
    assert_true(synth_write(b, 200, true, err, sizeof err) > 0);
    char *text;
    assert_int_equal(diff(a, b, &text, err, sizeof err), 0);
    assert_string_equal(text, "");
    free(text);
    assert_int_equal(diff(a, a, &text, err, sizeof err), 0);
    free(text);
    synth_rm(a);
    synth_rm(b);
    free(a);
    free(b);
}

/* Event 8 differs: events 5..7 shown as common, 8..11 from each side. */
static void first_divergence_with_context(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = synth_tmp("dva.db"), *b = synth_tmp("dvb.db");
    write_variant(a, 0, 0, "1");
    write_variant(b, 0, 8, "1");
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
    synth_rm(a);
    synth_rm(b);
    free(a);
    free(b);
}

/* Divergence at the first event: no context before; one trace a prefix of the other. */
static void edges(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = synth_tmp("ea.db"), *b = synth_tmp("eb.db");
    write_variant(a, 0, 1, "1");
    write_variant(b, 0, 0, "1");
    char *text;
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    assert_non_null(strstr(text, "traces differ at event 1 "));
    assert_null(strstr(text, "both:"));
    free(text);
    /* b is a longer run of the same events */
    write_variant(a, 0, 0, "1");
    write_variant(b, 5, 0, "1");
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    assert_non_null(strstr(text, "traces differ at event 21 "));
    assert_non_null(strstr(text, "- "));
    assert_non_null(strstr(text, "(no more events: it has 20)"));
    assert_non_null(strstr(text, "#21 "));
    assert_non_null(strstr(text, "#24 "));
    assert_null(strstr(text, "#25 "));
    free(text);
    synth_rm(a);
    synth_rm(b);
    free(a);
    free(b);
}

/* Same events, different options: meta differs (wall_start never counts). */
static void meta_difference(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = synth_tmp("ma.db"), *b = synth_tmp("mb.db");
    write_variant(a, 0, 0, "1");
    write_variant(b, 0, 0, "2");
    char *text;
    assert_int_equal(diff(a, b, &text, err, sizeof err), 1);
    assert_non_null(strstr(text, "meta differ at row"));
    assert_non_null(strstr(text, "'seed'|'1'"));
    assert_non_null(strstr(text, "'seed'|'2'"));
    free(text);
    synth_rm(a);
    synth_rm(b);
    free(a);
    free(b);
}

static void bad_input(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *a = synth_tmp("ba.db");
    write_variant(a, 0, 0, "1");
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
    synth_rm(a);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical),
        cmocka_unit_test(first_divergence_with_context),
        cmocka_unit_test(edges),
        cmocka_unit_test(meta_difference),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
