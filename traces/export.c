/* export.c — a trace as Chrome trace-event JSON (Perfetto), CSV, JSON lines or text.
 *
 * Chrome JSON. One process; a track (tid) per task, one for plain callbacks and loop
 * events ("loop / callbacks"), one per virtual thread. "X" slices for handle runs (on
 * the track of the task they step, or the callbacks track), task steps (nested in their
 * handle) and virtual-thread runs; "i" instants for every other event, on the track of
 * what caused it; "s"/"f" flows from the event that scheduled a task's step (create_task's
 * call_soon, a future's done-callback) to that step.
 * Time axis: virtual time in microseconds, stretched so that every event gets its own
 * microsecond (ts = max(time * 1e6, previous ts + 1)); many events happen at one virtual
 * instant, and they must stay visible and correctly nested. args.time holds the exact
 * virtual time.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_int.h"

static const char *const fmt_names[TRACE_FMT__COUNT] = {
#define FNAME(name, str, doc) str,
    TRACE_EXPORT_FORMATS(FNAME)
#undef FNAME
};

int trace_format_parse(const char *name)
{
    if (!name)
        return -1;
    for (int f = 0; f < TRACE_FMT__COUNT; f++)
        if (strcmp(name, fmt_names[f]) == 0)
            return f;
    if (strcmp(name, "json") == 0 || strcmp(name, "perfetto") == 0)
        return TRACE_FMT_CHROME;
    if (strcmp(name, "txt") == 0)
        return TRACE_FMT_TEXT;
    return -1;
}

const char *trace_format_name(trace_format f)
{
    return (unsigned)f < TRACE_FMT__COUNT ? fmt_names[f] : "?";
}

/* The shortest decimal text that reads back as v, in the style of Python's float repr
 * less the ".0": "0.5", "10", "0.1", "1e-05", "1e+16". */
static void fmt_num(char *buf, size_t n, double v)
{
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    snprintf(buf, n, "%.*g", prec, v);
    if (v != 0 && isfinite(v) && strchr(buf, 'e')) {
        int exp = (int)floor(log10(fabs(v)));
        if (exp >= -4 && exp < 16) {
            int dec = prec - 1 - exp;
            snprintf(buf, n, "%.*f", dec < 0 ? 0 : dec, v);
        }
    }
}

/* ---- shared row output ------------------------------------------------------------- */

typedef struct xp {
    FILE *out;
    trace__buf b;          /* scratch */
    bool first;
} xp;

static void put_json_str(xp *x, const char *s)
{
    x->b.len = 0;
    trace__buf_json(&x->b, s);
    if (!x->b.oom)
        fwrite(x->b.p, 1, x->b.len, x->out);
}

/* A number, or null for an absent value. */
static void put_json_num(xp *x, double v)
{
    char num[40];
    if (isnan(v) || isinf(v)) {
        fputs("null", x->out);
        return;
    }
    fmt_num(num, sizeof num, v);
    fputs(num, x->out);
}

static void put_json_id(xp *x, uint64_t id)
{
    if (id)
        fprintf(x->out, "%llu", (unsigned long long)id);
    else
        fputs("null", x->out);
}

static int jsonl_row(void *ud, const trace_event *e)
{
    xp *x = ud;
    fprintf(x->out, "{\"seq\":%llu,\"time\":", (unsigned long long)e->seq);
    put_json_num(x, e->time);
    fprintf(x->out, ",\"iteration\":%llu,\"kind\":", (unsigned long long)e->iteration);
    put_json_str(x, e->kind_name);
    fputs(",\"subject\":", x->out);
    put_json_id(x, e->subject);
    fputs(",\"cause\":", x->out);
    put_json_id(x, e->cause);
    fputs(",\"other\":", x->out);
    put_json_id(x, e->other);
    fputs(",\"at\":", x->out);
    put_json_num(x, e->at);
    fputs(",\"num\":", x->out);
    put_json_num(x, e->num);
    fputs(",\"line\":", x->out);
    put_json_id(x, (uint64_t)(e->line > 0 ? e->line : 0));
    fputs(",\"detail\":", x->out);
    if (e->detail)
        put_json_str(x, e->detail);
    else
        fputs("null", x->out);
    fputs("}\n", x->out);
    return 0;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void put_csv_str(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void put_csv_num(FILE *out, double v)
{
    char num[40];
    if (!isnan(v)) {
        fmt_num(num, sizeof num, v);
        fputs(num, out);
    }
}

static void put_csv_id(FILE *out, uint64_t id)
{
    if (id)
        fprintf(out, "%llu", (unsigned long long)id);
}

static int csv_row(void *ud, const trace_event *e)
{
    xp *x = ud;
    FILE *out = x->out;
    fprintf(out, "%llu,", (unsigned long long)e->seq);
    put_csv_num(out, e->time);
    fprintf(out, ",%llu,%s,", (unsigned long long)e->iteration, e->kind_name);
    put_csv_id(out, e->subject);
    fputc(',', out);
    put_csv_id(out, e->cause);
    fputc(',', out);
    put_csv_id(out, e->other);
    fputc(',', out);
    put_csv_num(out, e->at);
    fputc(',', out);
    put_csv_num(out, e->num);
    fputc(',', out);
    put_csv_id(out, (uint64_t)(e->line > 0 ? e->line : 0));
    fputc(',', out);
    put_csv_str(out, e->detail);
    fputs("\r\n", out);
    return 0;
}

/* "#12     t=0.5      it=4    call_later   subject=5 cause=1 at=0.5 num=0.5 line=10  cb ('a',)" */
void trace__event_line(trace__buf *b, const trace_event *e)
{
    char t[40], a[40], n[40];
    fmt_num(t, sizeof t, e->time);
    trace__buf_printf(b, "#%-6llu t=%-8s it=%-4llu %-20s", (unsigned long long)e->seq, t,
                      (unsigned long long)e->iteration, e->kind_name);
    if (e->subject)
        trace__buf_printf(b, " subject=%llu", (unsigned long long)e->subject);
    if (e->cause)
        trace__buf_printf(b, " cause=%llu", (unsigned long long)e->cause);
    if (e->other)
        trace__buf_printf(b, " other=%llu", (unsigned long long)e->other);
    if (!isnan(e->at)) {
        fmt_num(a, sizeof a, e->at);
        trace__buf_printf(b, " at=%s", a);
    }
    if (!isnan(e->num)) {
        fmt_num(n, sizeof n, e->num);
        trace__buf_printf(b, " num=%s", n);
    }
    if (e->line > 0)
        trace__buf_printf(b, " line=%d", e->line);
    if (e->detail) {
        /* one line per event: show line breaks as \n */
        trace__buf_puts(b, "  ");
        for (const char *p = e->detail; *p; p++) {
            const char *nl = strchr(p, '\n');
            if (!nl) {
                trace__buf_puts(b, p);
                break;
            }
            trace__buf_add(b, p, (size_t)(nl - p));
            trace__buf_puts(b, "\\n");
            p = nl;
        }
    }
}

static int text_row(void *ud, const trace_event *e)
{
    xp *x = ud;
    x->b.len = 0;
    trace__event_line(&x->b, e);
    if (x->b.oom)
        return -1;
    fwrite(x->b.p, 1, x->b.len, x->out);
    fputc('\n', x->out);
    return 0;
}

/* ---- Chrome trace-event JSON ---------------------------------------------------------- */

typedef struct task_info {
    uint64_t id;
    char *name;
} task_info;

typedef struct handle_info {
    uint64_t id, task, created_seq;
} handle_info;

typedef struct open_slice {
    uint64_t key;          /* the handle, task or thread whose slice it is */
    uint64_t ts, tid, seq;
    double time;
    int kind;              /* 0 handle, 1 step, 2 thread run */
    char *name;
} open_slice;

#define CALLBACKS_TID 1

typedef struct chrome {
    xp x;
    task_info *tasks;
    size_t ntasks, captasks;
    handle_info *handles;
    size_t nhandles, caphandles;
    handle_info *by_created;       /* handles stepping a task, by created_seq */
    size_t nby, next_by;
    uint64_t *threads;             /* thread ids seen */
    size_t nthreads, capthreads;
    open_slice *open;
    size_t nopen, capopen;
    uint64_t last_ts;
    bool started;
    uint64_t pending_flow;         /* handle whose step flow ends at the next step_begin */
    bool oom;
} chrome;

static int task_load(void *ud, const trace_task *t)
{
    chrome *c = ud;
    if (c->ntasks == c->captasks) {
        size_t cap = c->captasks ? c->captasks * 2 : 64;
        task_info *p = realloc(c->tasks, cap * sizeof *p);
        if (!p)
            return c->oom = true, 1;
        c->tasks = p;
        c->captasks = cap;
    }
    char *name = NULL;
    if (asprintf(&name, "%s%s%s%s", t->name ? t->name : "task", t->coro ? " (" : "",
                 t->coro ? t->coro : "", t->coro ? ")" : "") < 0)
        return c->oom = true, 1;
    c->tasks[c->ntasks++] = (task_info){ t->id, name };
    return 0;
}

static int handle_load(void *ud, const trace_handle *h)
{
    chrome *c = ud;
    if (c->nhandles == c->caphandles) {
        size_t cap = c->caphandles ? c->caphandles * 2 : 256;
        handle_info *p = realloc(c->handles, cap * sizeof *p);
        if (!p)
            return c->oom = true, 1;
        c->handles = p;
        c->caphandles = cap;
    }
    c->handles[c->nhandles++] = (handle_info){ h->id, h->task, h->created_seq };
    return 0;
}

/* Binary search in an array sorted by id (tasks and handles are read ORDER BY id). */
static const task_info *find_task(const chrome *c, uint64_t id)
{
    size_t lo = 0, hi = c->ntasks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->tasks[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->ntasks && c->tasks[lo].id == id ? &c->tasks[lo] : NULL;
}

static const handle_info *find_handle(const chrome *c, uint64_t id)
{
    size_t lo = 0, hi = c->nhandles;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->handles[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nhandles && c->handles[lo].id == id ? &c->handles[lo] : NULL;
}

static bool is_thread(const chrome *c, uint64_t id)
{
    for (size_t i = 0; i < c->nthreads; i++)
        if (c->threads[i] == id)
            return true;
    return false;
}

static int by_created_cmp(const void *a, const void *b)
{
    const handle_info *x = a, *y = b;
    return x->created_seq < y->created_seq ? -1 : x->created_seq > y->created_seq;
}

/* Track of an object: a task's own, a thread's own, a handle's (its task's, or the
 * callbacks track), anything else the callbacks track. */
static uint64_t track_of(const chrome *c, uint64_t id)
{
    if (!id)
        return CALLBACKS_TID;
    if (find_task(c, id) || is_thread(c, id))
        return id + 1;
    const handle_info *h = find_handle(c, id);
    if (h && h->task)
        return h->task + 1;
    return CALLBACKS_TID;
}

static void sep(chrome *c)
{
    fputs(c->x.first ? "\n" : ",\n", c->x.out);
    c->x.first = false;
}

static void put_meta(chrome *c, const char *what, uint64_t tid, const char *name, long sort)
{
    sep(c);
    fprintf(c->x.out, "{\"ph\":\"M\",\"pid\":1,\"tid\":%llu,\"name\":\"%s\",\"args\":{\"name\":",
            (unsigned long long)tid, what);
    put_json_str(&c->x, name);
    fputs("}}", c->x.out);
    sep(c);
    fprintf(c->x.out, "{\"ph\":\"M\",\"pid\":1,\"tid\":%llu,\"name\":\"thread_sort_index\","
            "\"args\":{\"sort_index\":%ld}}", (unsigned long long)tid, sort);
}

static void put_args(chrome *c, const trace_event *e)
{
    fprintf(c->x.out, ",\"args\":{\"seq\":%llu,\"time\":", (unsigned long long)e->seq);
    put_json_num(&c->x, e->time);
    fprintf(c->x.out, ",\"iteration\":%llu", (unsigned long long)e->iteration);
    if (e->subject)
        fprintf(c->x.out, ",\"subject\":%llu", (unsigned long long)e->subject);
    if (e->cause)
        fprintf(c->x.out, ",\"cause\":%llu", (unsigned long long)e->cause);
    if (e->other)
        fprintf(c->x.out, ",\"other\":%llu", (unsigned long long)e->other);
    if (!isnan(e->at)) {
        fputs(",\"at\":", c->x.out);
        put_json_num(&c->x, e->at);
    }
    if (!isnan(e->num)) {
        fputs(",\"num\":", c->x.out);
        put_json_num(&c->x, e->num);
    }
    if (e->line > 0)
        fprintf(c->x.out, ",\"line\":%d", e->line);
    if (e->detail) {
        fputs(",\"detail\":", c->x.out);
        put_json_str(&c->x, e->detail);
    }
    fputs("}", c->x.out);
}

static void slice_open(chrome *c, const trace_event *e, uint64_t key, int kind, uint64_t tid,
                       uint64_t ts, const char *name)
{
    if (c->nopen == c->capopen) {
        size_t cap = c->capopen ? c->capopen * 2 : 16;
        open_slice *p = realloc(c->open, cap * sizeof *p);
        if (!p) {
            c->oom = true;
            return;
        }
        c->open = p;
        c->capopen = cap;
    }
    char *n = strdup(name ? name : "?");
    if (!n) {
        c->oom = true;
        return;
    }
    c->open[c->nopen++] = (open_slice){ key, ts, tid, e->seq, e->time, kind, n };
}

/* Closes the open slice of (key, kind) at ts, naming it `end` if given. */
static void slice_close(chrome *c, uint64_t key, int kind, uint64_t ts, const char *end)
{
    for (size_t i = c->nopen; i-- > 0;) {
        open_slice *s = &c->open[i];
        if (s->key != key || s->kind != kind)
            continue;
        sep(c);
        fprintf(c->x.out, "{\"ph\":\"X\",\"pid\":1,\"tid\":%llu,\"ts\":%llu,\"dur\":%llu,\"cat\":\"%s\",\"name\":",
                (unsigned long long)s->tid, (unsigned long long)s->ts,
                (unsigned long long)(ts - s->ts), kind == 0 ? "handle" : kind == 1 ? "step" : "thread");
        put_json_str(&c->x, end ? end : s->name);
        fprintf(c->x.out, ",\"args\":{\"seq\":%llu,\"time\":", (unsigned long long)s->seq);
        put_json_num(&c->x, s->time);
        if (end && strcmp(end, s->name) != 0) {
            fputs(",\"began\":", c->x.out);
            put_json_str(&c->x, s->name);
        }
        fputs("}}", c->x.out);
        free(s->name);
        memmove(s, s + 1, (c->nopen - i - 1) * sizeof *s);
        c->nopen--;
        return;
    }
}

static void instant(chrome *c, const trace_event *e, uint64_t tid, uint64_t ts)
{
    sep(c);
    fprintf(c->x.out, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%llu,\"ts\":%llu,\"cat\":\"event\",\"name\":",
            (unsigned long long)tid, (unsigned long long)ts);
    put_json_str(&c->x, e->kind_name);
    put_args(c, e);
    fputs("}", c->x.out);
}

static void flow(chrome *c, bool start, uint64_t id, uint64_t tid, uint64_t ts)
{
    sep(c);
    fprintf(c->x.out, "{\"ph\":\"%s\",%s\"pid\":1,\"tid\":%llu,\"ts\":%llu,\"cat\":\"wakeup\",\"name\":\"wakeup\","
            "\"id\":%llu}", start ? "s" : "f", start ? "" : "\"bp\":\"e\",",
            (unsigned long long)tid, (unsigned long long)ts, (unsigned long long)id);
}

static int chrome_event(void *ud, const trace_event *e)
{
    chrome *c = ud;
    double us = e->time * 1e6;
    uint64_t ts = us > 0 && us < 9e18 ? (uint64_t)llround(us) : 0;
    if (c->started && ts <= c->last_ts)
        ts = c->last_ts + 1;
    c->started = true;
    c->last_ts = ts;

    /* flows: this event scheduled a handle that steps a task */
    while (c->next_by < c->nby && c->by_created[c->next_by].created_seq < e->seq)
        c->next_by++;
    for (; c->next_by < c->nby && c->by_created[c->next_by].created_seq == e->seq; c->next_by++)
        flow(c, true, c->by_created[c->next_by].id, track_of(c, e->cause), ts);

    switch (e->kind) {
    case LOOP_EV_HANDLE_BEGIN: {
        uint64_t tid = track_of(c, e->subject);
        const handle_info *h = find_handle(c, e->subject);
        if (h && h->task && h->created_seq)
            c->pending_flow = h->id;
        slice_open(c, e, e->subject, 0, tid, ts, e->detail ? e->detail : "handle");
        break;
    }
    case LOOP_EV_HANDLE_END:
        slice_close(c, e->subject, 0, ts, NULL);
        break;
    case LOOP_EV_STEP_BEGIN:
        slice_open(c, e, e->subject, 1, track_of(c, e->subject), ts, "step");
        if (c->pending_flow) {
            flow(c, false, c->pending_flow, track_of(c, e->subject), ts);
            c->pending_flow = 0;
        }
        break;
    case LOOP_EV_STEP_AWAIT: case LOOP_EV_STEP_YIELD: case LOOP_EV_STEP_RETURN:
    case LOOP_EV_STEP_RAISE: case LOOP_EV_STEP_CANCELLED: {
        char name[160];
        snprintf(name, sizeof name, "step: %s%s%s", e->kind_name + 5, e->detail ? " — " : "",
                 e->detail ? e->detail : "");
        trace__utf8_trim(name);
        instant(c, e, track_of(c, e->subject), ts);
        slice_close(c, e->subject, 1, ts, name);
        break;
    }
    case LOOP_EV_THREAD_START: case LOOP_EV_THREAD_RESUME:
        if (!is_thread(c, e->subject)) {
            if (c->nthreads == c->capthreads) {
                size_t cap = c->capthreads ? c->capthreads * 2 : 8;
                uint64_t *p = realloc(c->threads, cap * sizeof *p);
                if (!p)
                    return c->oom = true, 1;
                c->threads = p;
                c->capthreads = cap;
            }
            c->threads[c->nthreads++] = e->subject;
            char name[64];
            snprintf(name, sizeof name, "thread #%llu", (unsigned long long)e->subject);
            put_meta(c, "thread_name", e->subject + 1, name, 2000000 + (long)c->nthreads);
        }
        slice_open(c, e, e->subject, 2, e->subject + 1, ts, "run");
        instant(c, e, e->subject + 1, ts);
        break;
    case LOOP_EV_THREAD_SLEEP: case LOOP_EV_THREAD_DONE:
        instant(c, e, e->subject + 1, ts);
        slice_close(c, e->subject, 2, ts, e->kind == LOOP_EV_THREAD_SLEEP ? "run, then sleep" : "run, done");
        break;
    default:
        instant(c, e, track_of(c, e->cause), ts);
        break;
    }
    return c->oom ? 1 : 0;
}

static int export_chrome(trace_reader *r, FILE *out, char *err, size_t errlen)
{
    chrome c = { .x = { .out = out, .first = true } };
    int rc = 0;
    if (trace_foreach_task(r, task_load, &c) != 0 || trace_foreach_handle(r, handle_load, &c) != 0) {
        trace__err(err, errlen, "trace '%s': cannot read its tasks and handles%s", trace_path(r),
                   c.oom ? ": out of memory" : "");
        rc = 1;
        goto done;
    }
    c.by_created = malloc((c.nhandles + 1) * sizeof *c.by_created);
    if (!c.by_created) {
        trace__err(err, errlen, "trace '%s': out of memory", trace_path(r));
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < c.nhandles; i++)
        if (c.handles[i].task && c.handles[i].created_seq)
            c.by_created[c.nby++] = c.handles[i];
    qsort(c.by_created, c.nby, sizeof *c.by_created, by_created_cmp);

    char *program = trace_meta_dup(r, "program");
    fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"program\":", out);
    put_json_str(&c.x, program ? program : "");
    fputs(",\"time_axis\":\"virtual microseconds, stretched so that every event has its own\"},"
          "\"traceEvents\":[", out);
    sep(&c);
    fputs("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":", out);
    char pname[512];
    snprintf(pname, sizeof pname, "aiosim %s", program ? program : "");
    put_json_str(&c.x, pname);
    fputs("}}", out);
    free(program);
    put_meta(&c, "thread_name", CALLBACKS_TID, "loop / callbacks", 0);
    for (size_t i = 0; i < c.ntasks; i++)
        put_meta(&c, "thread_name", c.tasks[i].id + 1, c.tasks[i].name, 1 + (long)i);

    rc = trace_foreach_event(r, 0, 0, chrome_event, &c, err, errlen);
    /* a killed run's last slices: close them at the end */
    while (c.nopen > 0) {
        open_slice *s = &c.open[c.nopen - 1];
        slice_close(&c, s->key, s->kind, c.last_ts + 1, NULL);
    }
    fputs("\n]}\n", out);
    if (rc != 0 || c.oom) {
        if (c.oom)
            trace__err(err, errlen, "trace '%s': out of memory while exporting", trace_path(r));
        rc = 1;
    }
done:
    for (size_t i = 0; i < c.ntasks; i++)
        free(c.tasks[i].name);
    for (size_t i = 0; i < c.nopen; i++)
        free(c.open[i].name);
    free(c.tasks);
    free(c.handles);
    free(c.by_created);
    free(c.threads);
    free(c.open);
    trace__buf_free(&c.x.b);
    return rc;
}

/* ---- entry points ------------------------------------------------------------------- */

int trace_export_to(trace_reader *r, FILE *out, trace_format fmt, char *err, size_t errlen)
{
    xp x = { .out = out, .first = true };
    int rc = 0;
    switch (fmt) {
    case TRACE_FMT_CHROME:
        return export_chrome(r, out, err, errlen);
    case TRACE_FMT_CSV:
        fputs("seq,time,iteration,kind,subject,cause,other,at,num,line,detail\r\n", out);
        rc = trace_foreach_event(r, 0, 0, csv_row, &x, err, errlen);
        break;
    case TRACE_FMT_JSONL:
        rc = trace_foreach_event(r, 0, 0, jsonl_row, &x, err, errlen);
        break;
    case TRACE_FMT_TEXT:
        rc = trace_foreach_event(r, 0, 0, text_row, &x, err, errlen);
        break;
    default:
        trace__err(err, errlen, "unknown export format %d", (int)fmt);
        return 1;
    }
    trace__buf_free(&x.b);
    return rc == 0 ? 0 : 1;
}

int trace_export(const char *in, const char *out, trace_format fmt, char *err, size_t errlen)
{
    if ((unsigned)fmt >= TRACE_FMT__COUNT) {
        trace__err(err, errlen, "unknown export format %d (use chrome, csv, jsonl or text)", (int)fmt);
        return 1;
    }
    trace_reader *r = trace_open(in, err, errlen);
    if (!r)
        return 1;
    bool to_stdout = !out || strcmp(out, "-") == 0;
    struct stat si, so;
    if (!to_stdout && stat(in, &si) == 0 && stat(out, &so) == 0 && si.st_dev == so.st_dev &&
        si.st_ino == so.st_ino) {
        trace__err(err, errlen, "cannot write export '%s': it is the trace being exported", out);
        trace_close(r);
        return 1;
    }
    FILE *f = to_stdout ? stdout : fopen(out, "wb");
    if (!f) {
        trace__err(err, errlen, "cannot write export '%s': %s", out, strerror(errno));
        trace_close(r);
        return 1;
    }
    int rc = trace_export_to(r, f, fmt, err, errlen);
    if (fflush(f) != 0 || ferror(f)) {
        if (rc == 0)
            trace__err(err, errlen, "cannot write export '%s': %s", to_stdout ? "<stdout>" : out,
                       strerror(errno));
        rc = 1;
    }
    if (!to_stdout && fclose(f) != 0 && rc == 0) {
        trace__err(err, errlen, "cannot write export '%s': %s", out, strerror(errno));
        rc = 1;
    }
    trace_close(r);
    return rc;
}
