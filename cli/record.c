/* record.c — running a program, optionally into a trace: the glue between the
 * language layer (sim.h) and the trace writer (trace.h).
 *
 * What goes into the trace:
 *  - every event of every event loop the program makes: sim_options.on_loop hands
 *    each new loop to trace_writer_attach before it runs anything;
 *  - stdout, through sim_options.on_output, one "output" event per line (a write is
 *    cut after each newline; the texts keep their newlines, so the output table
 *    concatenated is the program's stdout). While a loop runs, the event is reported
 *    through that loop (loop_emit), so it carries its cause (the task or callback that
 *    printed); otherwise it is the writer's own event;
 *  - stderr, everything written to the program's stderr stream (tracebacks included):
 *    the VM writes it to a FILE of ours that passes it on and records it line by line;
 *  - meta: version, program, argv, source, the limits, then complete, final_time and
 *    exit_status at the end.
 * With cli_run.stop_after (replaying a killed run) the loops report through a counting
 * observer that ends the run once the trace holds that many events.
 * Values are described by sim_describe & co (deterministic, no user code run).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "loop.h"
#include "trace.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>   /* RUNNING_ON_VALGRIND: a few no-op instructions */
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 1   /* cannot tell: free the heap, as before */
#endif

#define CLI_TRACE_BATCH 8192    /* events per block and transaction */

typedef struct recorder {
    trace_writer *w;
    sim_vm *vm;
    loop **loops;               /* every loop attached, to find the running one */
    size_t nloops, caploops;
    loop *last_running;         /* where the last output went: usually still running */
    cli_run *run;
    FILE *err_to;               /* where the program's stderr goes on */
    bool oom;
} recorder;

/* ---- trace_host: the writer's questions, answered by the language layer ------------- */

static int h_line(void *ud)
{
    recorder *rec = ud;
    return rec->vm ? sim_current_line(rec->vm) : 0;
}

static const char *h_describe(void *ud, loop_val v, char *buf, size_t n)
{
    recorder *rec = ud;
    return rec->vm ? sim_describe(rec->vm, v, buf, n) : NULL;
}

static const char *h_str(void *ud, loop_val v, char *buf, size_t n)
{
    recorder *rec = ud;
    return rec->vm ? sim_str_of(rec->vm, v, buf, n) : NULL;
}

static const char *h_handle(void *ud, const loop_handle *h, char *buf, size_t n)
{
    recorder *rec = ud;
    return rec->vm ? sim_describe_handle(rec->vm, h, buf, n) : NULL;
}

/* ---- hooks of the run ------------------------------------------------------------------ */

/* cli_run.stop_after: once the trace holds that many events, it is closed
 * (incomplete) and on_stop called, which does not return. */
static void check_stop(recorder *rec)
{
    trace_writer_stats ws;
    trace_writer_get_stats(rec->w, &ws);
    if (ws.events < rec->run->stop_after)
        return;
    rec->run->events = ws.events;
    char err[TRACE_ERR_MAX] = "";
    int rc = trace_writer_close(rec->w, false, 0, 0, err, sizeof err);
    rec->w = NULL;
    if (rc < 0) {
        fflush(stdout);
        fprintf(stderr, "aiosim %s: %s\n", rec->run->cmd, err);
        exit(2);
    }
    rec->run->on_stop(rec->run);
    exit(2);    /* NEVER: on_stop exits */
}

static void observe_counting(void *ud, const loop_event *ev)
{
    recorder *rec = ud;
    if (!rec->w)
        return;
    trace_writer_observe(rec->w, ev);
    check_stop(rec);
}

static void on_loop(void *ud, struct loop *l)
{
    recorder *rec = ud;
    if (rec->nloops == rec->caploops) {
        size_t cap = rec->caploops ? rec->caploops * 2 : 8;
        loop **p = realloc(rec->loops, cap * sizeof *p);
        if (!p) {
            rec->oom = true;
            return;
        }
        rec->loops = p;
        rec->caploops = cap;
    }
    rec->loops[rec->nloops++] = l;
    if (rec->run->stop_after) {
        trace_writer_begin_loop(rec->w);
        loop_set_observer(l, observe_counting, rec);
    } else {
        trace_writer_attach(rec->w, l);
    }
}

static loop *running_loop(recorder *rec)
{
    if (rec->last_running && loop_is_running(rec->last_running))
        return rec->last_running;
    for (size_t i = rec->nloops; i-- > 0;)
        if (loop_is_running(rec->loops[i]))
            return rec->last_running = rec->loops[i];
    return NULL;
}

/* Records text as output events, one per line (each keeping its newline). */
static void record_text(recorder *rec, bool is_stderr, const char *s, size_t n)
{
    char small[512];
    while (rec->w && n > 0) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) + 1 : n;
        char *piece = k < sizeof small ? small : malloc(k + 1);
        if (!piece) {
            rec->oom = true;
            return;
        }
        memcpy(piece, s, k);
        piece[k] = '\0';
        loop *l = is_stderr ? NULL : running_loop(rec);
        if (l)
            loop_emit(l, LOOP_EV_OUTPUT, NULL, NULL, piece);
        else
            trace_writer_output(rec->w, is_stderr ? "stderr" : "stdout", piece);
        if (rec->w && rec->run->stop_after)
            check_stop(rec);
        if (piece != small)
            free(piece);
        s += k;
        n -= k;
    }
}

static void on_output(void *ud, int fd, const char *s, size_t n)
{
    if (fd == 1)
        record_text(ud, false, s, n);
    /* fd 2 reaches the stderr FILE below, which records it */
}

static ssize_t err_write(void *ud, const char *buf, size_t n)
{
    recorder *rec = ud;
    record_text(rec, true, buf, n);
    size_t done = fwrite(buf, 1, n, rec->err_to);
    fflush(rec->err_to);
    return done == n ? (ssize_t)n : -1;
}

/* ---- running ------------------------------------------------------------------------------ */

char *cli_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            char *p = realloc(buf, (cap *= 2) + 1);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf || bad) {
        free(buf);
        errno = bad ? EIO : ENOMEM;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Whether something checks for leaks at exit (valgrind, AddressSanitizer). */
static bool under_leak_checker(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return RUNNING_ON_VALGRIND != 0;
#endif
#else
    return RUNNING_ON_VALGRIND != 0;
#endif
}

static int run_plain(cli_run *r)
{
    sim_vm *vm = sim_vm_new(&r->opt);
    if (!vm) {
        fprintf(stderr, "aiosim %s: out of memory\n", r->cmd);
        return 1;
    }
    int status = sim_run_source(vm, r->source, r->len, r->program, r->argc, r->argv);
    r->final_time = sim_time(vm);
    /* Only `aiosim run` without a trace comes here, and the process exits right
     * after: freeing a large heap object by object would only cost time (a tenth of
     * a large run). Leak checkers (valgrind, AddressSanitizer) still see it freed. */
    if (under_leak_checker())
        sim_vm_free(vm);
    return status;
}

int cli_run_program(cli_run *r)
{
    if (!r->trace)
        return run_plain(r);
    recorder rec = { .run = r };
    char steps[32], mem[32];
    snprintf(steps, sizeof steps, "%llu", (unsigned long long)r->opt.max_steps);
    snprintf(mem, sizeof mem, "%llu", (unsigned long long)(r->opt.max_memory >> 20));
    const trace_kv opts[] = {
        { CLI_META_MAX_STEPS, steps },
        { CLI_META_MAX_MEMORY, mem },
        { CLI_META_GC_STRESS, r->opt.gc_stress ? "1" : "0" },
    };
    trace_meta meta = {
        .aiosim_version = AIOSIM_VERSION,
        .program = r->program,
        .argc = r->argc,
        .argv = r->argv,
        .source = r->source,
        .options = opts,
        .noptions = sizeof opts / sizeof *opts,
    };
    trace_host host = {
        .ud = &rec,
        .line_of = h_line,
        .describe = h_describe,
        .str_of = h_str,
        .describe_handle = h_handle,
    };
    char err[TRACE_ERR_MAX] = "";
    /* One block (and transaction) per 8192 events: big enough that a commit costs
     * little, small enough that the writer thread keeps pace and a killed run loses
     * little. */
    trace_writer_opts wo = { .batch = CLI_TRACE_BATCH, .iteration_batch = CLI_TRACE_BATCH };
    rec.w = trace_writer_open(r->trace, &meta, &host, &wo, err, sizeof err);
    if (!rec.w) {
        fprintf(stderr, "aiosim %s: %s\n", r->cmd, err);
        return 2;
    }
    /* the program's stderr: a FILE that records, then passes it on */
    rec.err_to = r->opt.err ? r->opt.err : stderr;
    cookie_io_functions_t io = { .write = err_write };
    FILE *errf = fopencookie(&rec, "w", io);
    if (errf)
        setvbuf(errf, NULL, _IOLBF, 4096);
    sim_options o = r->opt;
    o.err = errf ? errf : rec.err_to;
    o.on_output = on_output;
    o.output_ud = &rec;
    o.on_loop = on_loop;
    o.loop_ud = &rec;
    sim_vm *vm = sim_vm_new(&o);
    if (!vm) {
        fprintf(stderr, "aiosim %s: out of memory\n", r->cmd);
        trace_writer_close(rec.w, false, 0, 0, NULL, 0);
        if (errf)
            fclose(errf);
        return 1;
    }
    rec.vm = vm;
    int status = sim_run_source(vm, r->source, r->len, r->program, r->argc, r->argv);
    if (errf)
        fflush(errf);
    r->final_time = sim_time(vm);
    /* the loops live until the VM is freed: stop them reporting first */
    for (size_t i = 0; i < rec.nloops; i++)
        loop_set_observer(rec.loops[i], NULL, NULL);
    rec.vm = NULL;
    trace_writer_stats ws;
    trace_writer_get_stats(rec.w, &ws);
    r->events = ws.events;
    int rc = trace_writer_close(rec.w, true, r->final_time, status, err, sizeof err);
    rec.w = NULL;
    /* as in run_plain: the process exits right after */
    if (under_leak_checker())
        sim_vm_free(vm);
    if (errf)
        fclose(errf);
    free(rec.loops);
    if (rc == 0 && rec.oom) {
        rc = -1;
        snprintf(err, sizeof err, "trace '%s': out of memory while recording", r->trace);
    }
    if (rc < 0) {
        fflush(stdout);
        fprintf(stderr, "aiosim %s: %s\n", r->cmd, err);
        if (status == 0)
            status = 2;
    }
    return status;
}
