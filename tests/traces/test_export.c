/* test_export.c — Chrome trace-event JSON, CSV, JSON lines and text exports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>

#include "traces/synth.h"

/* ---- a small strict JSON checker ------------------------------------------------------ */

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static const char *json_value(const char *p);

static const char *json_string(const char *p)
{
    if (*p != '"')
        return NULL;
    for (p++; *p != '"'; p++) {
        if ((unsigned char)*p < 0x20)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!isxdigit((unsigned char)p[i]))
                        return NULL;
                p += 4;
            } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
                return NULL;
            }
        }
    }
    return p + 1;
}

static const char *json_number(const char *p)
{
    const char *s = p;
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return NULL;
    if (*p == '0' && isdigit((unsigned char)p[1]))
        return NULL;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return NULL;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return NULL;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return p > s ? p : NULL;
}

static const char *json_value(const char *p)
{
    p = ws(p);
    if (*p == '{') {
        p = ws(p + 1);
        if (*p == '}')
            return p + 1;
        for (;;) {
            if (!(p = json_string(ws(p))))
                return NULL;
            p = ws(p);
            if (*p != ':')
                return NULL;
            if (!(p = json_value(p + 1)))
                return NULL;
            p = ws(p);
            if (*p == '}')
                return p + 1;
            if (*p != ',')
                return NULL;
            p++;
        }
    }
    if (*p == '[') {
        p = ws(p + 1);
        if (*p == ']')
            return p + 1;
        for (;;) {
            if (!(p = json_value(p)))
                return NULL;
            p = ws(p);
            if (*p == ']')
                return p + 1;
            if (*p != ',')
                return NULL;
            p++;
        }
    }
    if (*p == '"')
        return json_string(p);
    if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
        return p + 4;
    if (!strncmp(p, "false", 5))
        return p + 5;
    return json_number(p);
}

static bool json_valid(const char *text)
{
    const char *end = json_value(text);
    return end && *ws(end) == '\0';
}

/* ---- helpers ------------------------------------------------------------------------- */

static char *tpath;

static int setup(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    tpath = synth_tmp("export.db");
    if (synth_write(tpath, 3, true, err, sizeof err) == 0) {
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

/* The export of the test trace as text. */
static char *export_str(trace_format fmt)
{
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r = trace_open(tpath, err, sizeof err);
    assert_non_null(r);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    int rc = trace_export_to(r, f, fmt, err, sizeof err);
    fclose(f);
    trace_close(r);
    if (rc != 0)
        fail_msg("%s", err);
    return out;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void chrome_json(void **state)
{
    char *j = export_str(TRACE_FMT_CHROME);
    assert_true(json_valid(j));
    assert_non_null(strstr(j, "\"traceEvents\":["));
    /* tracks: callbacks, one per task, named */
    assert_non_null(strstr(j, "\"tid\":1,\"name\":\"thread_name\",\"args\":{\"name\":\"loop / callbacks\"}"));
    assert_non_null(strstr(j, "\"tid\":2,\"name\":\"thread_name\",\"args\":{\"name\":\"Task-1 (<coroutine main>)\"}"));
    assert_non_null(strstr(j, "\"tid\":4,\"name\":\"thread_name\",\"args\":{\"name\":\"Task-2 (<coroutine child>)\"}"));
    assert_int_equal(count(j, "\"name\":\"thread_name\""), 4);
    /* slices: handle runs and steps */
    assert_int_equal(count(j, "\"cat\":\"step\""), 7);
    assert_int_equal(count(j, "\"ph\":\"X\""), 7 + 10 + 3);
    assert_non_null(strstr(j, "\"name\":\"step: return — return 42\""));
    assert_non_null(strstr(j, "\"cat\":\"handle\",\"name\":\"cb ('a',)\""));
    /* flows: one start and one finish per task step scheduled by an event */
    assert_int_equal(count(j, "\"ph\":\"s\""), 7);
    assert_int_equal(count(j, "\"ph\":\"f\""), 7);
    /* the wake-up of child (handle 15) starts in the timer's handle on the callbacks
     * track and ends in child's track */
    assert_non_null(strstr(j, "{\"ph\":\"s\",\"pid\":1,\"tid\":1,"));
    const char *fin = strstr(j, "\"ph\":\"f\",\"bp\":\"e\",\"pid\":1,\"tid\":4,");
    assert_non_null(fin);
    /* output as an instant with its text */
    assert_non_null(strstr(j, "\"name\":\"output\""));
    assert_non_null(strstr(j, "\"detail\":\"hi\\n\""));
    free(j);
}

/* Timestamps: never decreasing; strictly increasing across slices' starts. */
static void chrome_timestamps(void **state)
{
    char *j = export_str(TRACE_FMT_CHROME);
    long long last = -1;
    int n = 0;
    for (const char *p = j; (p = strstr(p, "\"ts\":")); p++) {
        long long ts = atoll(p + 5);
        const char *obj = p;
        while (obj > j && *obj != '{')
            obj--;
        if (strncmp(obj, "{\"ph\":\"X\"", 9) == 0)
            continue;   /* slices are written when they end */
        assert_true(ts >= last);
        last = ts;
        n++;
    }
    assert_true(n > 50);
    /* t = 0.5 s is at or after 500000 us */
    const char *p = strstr(j, "\"name\":\"clock_advance\"");
    assert_non_null(p);
    free(j);
}

static void csv(void **state)
{
    char *c = export_str(TRACE_FMT_CSV);
    assert_memory_equal(c, "seq,time,iteration,kind,subject,cause,other,at,num,line,detail\r\n", 64);
    assert_non_null(strstr(c, "\r\n1,0,0,task_create,1,,,,,,Task-1 <coroutine main>\r\n"));
    assert_non_null(strstr(c, ",call_later,5,1,,0.5,0.5,10,\"cb ('a',)\"\r\n"));
    assert_non_null(strstr(c, ",output,,1,,,,13,\"hi\n\"\r\n"));
    char err[TRACE_ERR_MAX];
    trace_reader *r = trace_open(tpath, err, sizeof err);
    int lines = count(c, "\r\n");
    assert_int_equal(lines, (int)trace_event_count(r) + 1);
    trace_close(r);
    free(c);
}

static void jsonl(void **state)
{
    char *c = export_str(TRACE_FMT_JSONL);
    int n = 0;
    for (char *line = c, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        if (!json_valid(line))
            fail_msg("invalid JSON line: %s", line);
        n++;
    }
    char err[TRACE_ERR_MAX];
    trace_reader *r = trace_open(tpath, err, sizeof err);
    assert_int_equal(n, (int)trace_event_count(r));
    trace_close(r);
    free(c);
    c = export_str(TRACE_FMT_JSONL);
    assert_non_null(strstr(c, "{\"seq\":1,\"time\":0,\"iteration\":0,\"kind\":\"task_create\",\"subject\":1,"
                              "\"cause\":null,\"other\":null,\"at\":null,\"num\":null,\"line\":null,"
                              "\"detail\":\"Task-1 <coroutine main>\"}\n"));
    free(c);
}

static void text(void **state)
{
    char *c = export_str(TRACE_FMT_TEXT);
    assert_non_null(strstr(c, "call_later           subject=5 cause=1 at=0.5 num=0.5 line=10  cb ('a',)\n"));
    assert_non_null(strstr(c, "line=13  hi\\n\n"));
    free(c);
}

static void formats_and_errors(void **state)
{
    assert_int_equal(trace_format_parse("chrome"), TRACE_FMT_CHROME);
    assert_int_equal(trace_format_parse("perfetto"), TRACE_FMT_CHROME);
    assert_int_equal(trace_format_parse("csv"), TRACE_FMT_CSV);
    assert_int_equal(trace_format_parse("jsonl"), TRACE_FMT_JSONL);
    assert_int_equal(trace_format_parse("text"), TRACE_FMT_TEXT);
    assert_int_equal(trace_format_parse("xml"), -1);
    assert_string_equal(trace_format_name(TRACE_FMT_CSV), "csv");
    char err[TRACE_ERR_MAX] = "";
    trace_reader *r;
    assert_int_equal(trace_export("/nonexistent/t.db", NULL, TRACE_FMT_CSV, err, sizeof err), 1);
    assert_non_null(strstr(err, "/nonexistent/t.db"));
    err[0] = '\0';
    assert_int_equal(trace_export(tpath, "/nonexistent/out.json", TRACE_FMT_CHROME, err, sizeof err), 1);
    assert_non_null(strstr(err, "cannot write export '/nonexistent/out.json'"));
    err[0] = '\0';
    assert_int_equal(trace_export(tpath, tpath, TRACE_FMT_CSV, err, sizeof err), 1);
    assert_non_null(strstr(err, "it is the trace being exported"));
    r = trace_open(tpath, err, sizeof err);   /* still a trace */
    assert_non_null(r);
    trace_close(r);
    /* to a file */
    char *out = synth_tmp("export.json");
    assert_int_equal(trace_export(tpath, out, TRACE_FMT_CHROME, err, sizeof err), 0);
    FILE *f = fopen(out, "rb");
    assert_non_null(f);
    char head[32] = "";
    assert_true(fread(head, 1, 16, f) == 16);
    fclose(f);
    assert_memory_equal(head, "{\"displayTimeUnit", 16);
    unlink(out);
    free(out);
}

/* A trace cut short (killed run): slices still open at the end are closed, and the
 * JSON is valid. */
static void chrome_incomplete(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *p = synth_tmp("cut.db");
    synth s = { 0 };
    s.w = trace_writer_open(p, &synth_meta, &synth_host, NULL, err, sizeof err);
    assert_non_null(s.w);
    loop_task *t = synth_task(&s, 0, 1, "Task-1", "<coroutine main>");
    synth_emit(&s, LOOP_EV_TASK_CREATE, T(t), NULL, NULL, 0, 0, NULL, NULL);
    loop_handle *h = synth_handle(&s, 2, T(t), NULL, NULL, -1);
    synth_emit(&s, LOOP_EV_CALL_SOON, O(h), NULL, NULL, 0, 0, NULL, NULL);
    synth_iteration(&s, 0, 1);
    synth_step_begin(&s, h, t);
    synth_emit(&s, LOOP_EV_OUTPUT, NULL, T(t), NULL, 0, 0, NULL, "\x01\xff bad utf8 \"q\"");
    assert_int_equal(trace_writer_close(s.w, false, 0, 0, err, sizeof err), 0);
    trace_reader *r = trace_open(p, err, sizeof err);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(trace_export_to(r, f, TRACE_FMT_CHROME, err, sizeof err), 0);
    fclose(f);
    trace_close(r);
    assert_true(json_valid(out));
    assert_int_equal(count(out, "\"ph\":\"X\""), 2);
    assert_non_null(strstr(out, "\\u0001\\ufffd bad utf8 \\\"q\\\""));
    free(out);
    synth_rm(p);
    free(p);
}

/* Virtual threads get a track each, with a slice per run between start/resume and
 * sleep/done. */
static void chrome_threads(void **state)
{
    char err[TRACE_ERR_MAX] = "";
    char *p = synth_tmp("threads.db");
    synth s = { 0 };
    s.w = trace_writer_open(p, &synth_meta, &synth_host, NULL, err, sizeof err);
    assert_non_null(s.w);
    loop_obj thr = { .kind = LOOP_K_THREAD, .id = 4 }, cf = { .kind = LOOP_K_CFUTURE, .id = 3 },
             ex = { .kind = LOOP_K_EXECUTOR, .id = 2 };
    synth_emit(&s, LOOP_EV_EXECUTOR_SUBMIT, &cf, NULL, &ex, 0, 0, NULL, NULL);
    synth_emit(&s, LOOP_EV_THREAD_START, &thr, NULL, &cf, 0, 0, NULL, NULL);
    synth_emit(&s, LOOP_EV_THREAD_SLEEP, &thr, NULL, NULL, 1.5, 1.5, NULL, NULL);
    s.time = 1.5;
    synth_emit(&s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, 1.5, 1.5, NULL, NULL);
    synth_emit(&s, LOOP_EV_THREAD_RESUME, &thr, NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(&s, LOOP_EV_THREAD_DONE, &thr, NULL, &cf, 0, 0, NULL, NULL);
    assert_int_equal(trace_writer_close(s.w, true, 1.5, 0, err, sizeof err), 0);
    trace_reader *r = trace_open(p, err, sizeof err);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(trace_export_to(r, f, TRACE_FMT_CHROME, err, sizeof err), 0);
    fclose(f);
    trace_close(r);
    assert_true(json_valid(out));
    assert_non_null(strstr(out, "\"tid\":5,\"name\":\"thread_name\",\"args\":{\"name\":\"thread #4\"}"));
    assert_int_equal(count(out, "\"cat\":\"thread\""), 2);
    assert_non_null(strstr(out, "\"ph\":\"X\",\"pid\":1,\"tid\":5,\"ts\":1,\"dur\":1,\"cat\":\"thread\",\"name\":\"run, then sleep\""));
    assert_non_null(strstr(out, "\"ph\":\"X\",\"pid\":1,\"tid\":5,\"ts\":1500001,\"dur\":1,\"cat\":\"thread\",\"name\":\"run, done\""));
    free(out);
    synth_rm(p);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chrome_json),
        cmocka_unit_test(chrome_timestamps),
        cmocka_unit_test(csv),
        cmocka_unit_test(jsonl),
        cmocka_unit_test(text),
        cmocka_unit_test(formats_and_errors),
        cmocka_unit_test(chrome_incomplete),
        cmocka_unit_test(chrome_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
