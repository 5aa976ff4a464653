/* replay.c — `aiosim replay TRACE.db`: run the program a trace holds again, with the
 * options it was recorded with, into a new trace, and compare the two. A trace left by
 * a killed run is checked as far as it goes (its events must be the replay's first). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "trace.h"

static const char replay_help[] =
    "usage: aiosim replay TRACE.db [--keep OUT.db] [--show-output]\n"
    "\n"
    "Runs the program embedded in TRACE.db again, with the options it was recorded\n"
    "with, into a new trace, and compares the two (as 'aiosim diff' does, every table\n"
    "and the metadata but the wall-clock start time). Prints 'identical: N events', or\n"
    "the first event where the runs part. The program's output is not shown.\n"
    "A trace left by a killed run is checked as far as it goes: the replay stops\n"
    "one event past it and its recorded events must be the replay's first ones.\n"
    "\n"
    "options:\n"
    "  --keep OUT.db     keep the new trace there (default: a temporary file, removed)\n"
    "  --show-output     let the program print to stdout/stderr as it runs\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 identical, 1 different, 2 bad input (not a trace, no source).\n";

/* Parses a JSON array of strings (meta argv) into a NULL-terminated malloc'd vector of
 * malloc'd strings; NULL if it is not one. */
static char **parse_argv_json(const char *s, int *argc)
{
    size_t cap = 8, n = 0;
    char **v = calloc(cap + 1, sizeof *v);
    if (!v)
        return NULL;
    while (*s == ' ')
        s++;
    if (*s++ != '[')
        goto bad;
    while (*s == ' ')
        s++;
    if (*s == ']')
        goto done;
    for (;;) {
        while (*s == ' ')
            s++;
        if (*s++ != '"')
            goto bad;
        char *out = malloc(strlen(s) + 1), *o = out;
        if (!out)
            goto bad;
        while (*s && *s != '"') {
            if (*s != '\\') {
                *o++ = *s++;
                continue;
            }
            s++;
            switch (*s) {
            case 'n': *o++ = '\n'; s++; break;
            case 't': *o++ = '\t'; s++; break;
            case 'r': *o++ = '\r'; s++; break;
            case 'b': *o++ = '\b'; s++; break;
            case 'f': *o++ = '\f'; s++; break;
            case 'u': {
                unsigned cp = 0;
                if (sscanf(s + 1, "%4x", &cp) != 1) {
                    free(out);
                    goto bad;
                }
                s += 5;
                /* control characters only (the writer escapes nothing else) */
                if (cp < 0x80)
                    *o++ = (char)cp;
                else if (cp < 0x800) {
                    *o++ = (char)(0xC0 | cp >> 6);
                    *o++ = (char)(0x80 | (cp & 0x3F));
                } else {
                    *o++ = (char)(0xE0 | cp >> 12);
                    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                }
                break;
            }
            case '\0': free(out); goto bad;
            default: *o++ = *s++; break;
            }
        }
        if (*s++ != '"') {
            free(out);
            goto bad;
        }
        *o = '\0';
        if (n == cap) {
            char **p = realloc(v, (2 * cap + 1) * sizeof *v);
            if (!p) {
                free(out);
                goto bad;
            }
            v = p;
            cap *= 2;
        }
        v[n++] = out;
        v[n] = NULL;
        while (*s == ' ')
            s++;
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == ']')
            break;
        goto bad;
    }
done:
    *argc = (int)n;
    return v;
bad:
    for (size_t k = 0; k < n; k++)
        free(v[k]);
    free(v);
    return NULL;
}

static long long meta_count(trace_reader *tr, const char *key, long long dflt)
{
    char buf[64];
    if (trace_meta_get(tr, key, buf, sizeof buf) < 0)
        return dflt;
    long long v = cli_parse_count(buf);
    return v < 0 ? dflt : v;
}

/* ---- comparing the first n events of two traces (replay of a killed run) ---------------- */

#define CMP_CHUNK 8192

typedef struct evchunk {
    trace_event v[CMP_CHUNK];
    char *kind[CMP_CHUNK], *detail[CMP_CHUNK];
    size_t n;
    size_t at;              /* while comparing: the next one */
    bool differ;
} evchunk;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int chunk_add(void *ud, const trace_event *ev)
{
    evchunk *c = ud;
    c->v[c->n] = *ev;
    c->kind[c->n] = dup_or_null(ev->kind_name);
    c->detail[c->n] = dup_or_null(ev->detail);
    c->n++;
    return 0;
}

static bool same_s(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_d(double a, double b)
{
    return a == b || (a != a && b != b);
}

static int chunk_cmp(void *ud, const trace_event *a)
{
    evchunk *c = ud;
    if (c->at >= c->n) {
        c->differ = true;
        return 1;
    }
    const trace_event *b = &c->v[c->at];
    bool same = a->time == b->time && a->iteration == b->iteration && a->subject == b->subject &&
                a->cause == b->cause && a->other == b->other && same_d(a->at, b->at) &&
                same_d(a->num, b->num) && a->line == b->line && same_s(a->kind_name, c->kind[c->at]) &&
                same_s(a->detail, c->detail[c->at]);
    c->at++;
    if (!same) {
        c->differ = true;
        return 1;
    }
    return 0;
}

/* 1 if events 1..n of a and b are the same, 0 if not, -1 on error (err set). */
static int same_prefix(const char *a, const char *b, uint64_t n, char *err, size_t errlen)
{
    trace_reader *ra = trace_open(a, err, errlen), *rb = ra ? trace_open(b, err, errlen) : NULL;
    evchunk *c = calloc(1, sizeof *c);
    int result = -1;
    if (!ra || !rb || !c)
        goto out;
    result = 1;
    for (uint64_t from = 1; from <= n && result == 1; from += CMP_CHUNK) {
        uint64_t to = from + CMP_CHUNK - 1 < n ? from + CMP_CHUNK - 1 : n;
        c->n = c->at = 0;
        c->differ = false;
        if (trace_foreach_event(rb, from, to, chunk_add, c, err, errlen) < 0 ||
            trace_foreach_event(ra, from, to, chunk_cmp, c, err, errlen) < 0)
            result = -1;
        else if (c->differ || c->at != c->n || c->n != to - from + 1)
            result = 0;
        for (size_t i = 0; i < c->n; i++) {
            free(c->kind[i]);
            free(c->detail[i]);
        }
    }
out:
    free(c);
    trace_close(ra);
    trace_close(rb);
    return result;
}

/* ---- replay ------------------------------------------------------------------------------------ */

typedef struct replay_ctx {
    const char *in, *out;       /* the recorded trace, the new one */
    char *tmpdir;               /* to remove, or NULL */
    bool complete;              /* the recorded run finished */
    uint64_t recorded;          /* its events */
} replay_ctx;

/* Compares the traces and prints the verdict; the exit status. */
static int replay_verdict(replay_ctx *x, unsigned long long replayed)
{
    char err[TRACE_ERR_MAX] = "";
    int status;
    fflush(stdout);
    if (!x->complete) {
        /* a killed run: its events must be the first events of the replay */
        int same = same_prefix(x->in, x->out, x->recorded, err, sizeof err);
        if (same == 1) {
            printf("identical: the %llu events recorded (the recorded run did not finish; "
                   "the replay went on to event %llu)\n", (unsigned long long)x->recorded, replayed);
            status = 0;
        } else if (same == 0) {
            status = trace_diff(x->in, x->out, stdout, err, sizeof err);
            if (status == 0)
                status = 1;
            printf("note: the recorded run did not finish (killed, or still running)\n");
        } else {
            status = 2;
        }
    } else {
        status = trace_diff(x->in, x->out, stdout, err, sizeof err);
        if (status == 0)
            printf("identical: %llu events\n", replayed);
    }
    if (status == 2)
        fprintf(stderr, "aiosim replay: %s\n", err);
    fflush(stdout);
    if (x->tmpdir) {
        unlink(x->out);
        rmdir(x->tmpdir);
    }
    return status;
}

/* cli_run.on_stop: the replay of a killed run has gone past the recorded events. */
static void replay_stopped(cli_run *r)
{
    int status = replay_verdict(r->stop_ud, r->events);
    /* the program was abandoned mid-run: leave without freeing (or leak-checking) it */
    fflush(stdout);
    fflush(stderr);
    _exit(status);
}

int cli_cmd_replay(int argc, char **argv)
{
    const char *in = NULL, *keep = NULL;
    bool show = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(replay_help, stdout);
            return 0;
        } else if (!strcmp(a, "--keep")) {
            if (i + 1 >= argc)
                return cli_usage_error("replay", "missing value for", a);
            keep = argv[++i];
        } else if (!strcmp(a, "--show-output")) {
            show = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("replay", "unknown option", a);
        } else if (!in) {
            in = a;
        } else {
            return cli_usage_error("replay", "one trace at a time; unexpected", a);
        }
    }
    if (!in)
        return cli_usage_error("replay", "missing the trace to replay (TRACE.db)", NULL);
    char err[TRACE_ERR_MAX] = "";
    trace_reader *tr = trace_open(in, err, sizeof err);
    if (!tr) {
        fprintf(stderr, "aiosim replay: %s\n", err);
        return 2;
    }
    int status = 2, rargc = 0;
    char **rargv = NULL, *program = trace_meta_dup(tr, "program"), *source = trace_meta_dup(tr, "source");
    char *argv_json = trace_meta_dup(tr, "argv");
    replay_ctx x = { .in = in, .complete = trace_is_complete(tr), .recorded = trace_event_count(tr) };
    cli_run r = { .cmd = "replay" };
    sim_options_init(&r.opt);
    r.opt.max_steps = (uint64_t)meta_count(tr, CLI_META_MAX_STEPS, 0);
    r.opt.max_memory = (size_t)meta_count(tr, CLI_META_MAX_MEMORY, 2048) << 20;
    r.opt.gc_stress = meta_count(tr, CLI_META_GC_STRESS, 0) != 0;
    trace_close(tr);
    char tmpdir[] = "/tmp/aiosim-replay.XXXXXX", tmp[sizeof tmpdir + 16];
    FILE *devnull = NULL;
    if (!program || !source) {
        fprintf(stderr, "aiosim replay: trace '%s' holds no %s to run (was it written by 'aiosim run'?)\n",
                in, !program ? "program name" : "source");
        goto out;
    }
    if (!argv_json || !(rargv = parse_argv_json(argv_json, &rargc))) {
        fprintf(stderr, "aiosim replay: trace '%s': its argv is not a JSON array of strings\n", in);
        goto out;
    }
    if (!keep) {
        if (!mkdtemp(tmpdir)) {
            fprintf(stderr, "aiosim replay: cannot make a temporary folder: %s\n", strerror(errno));
            goto out;
        }
        x.tmpdir = tmpdir;
        snprintf(tmp, sizeof tmp, "%s/replay.db", tmpdir);
    }
    x.out = keep ? keep : tmp;
    devnull = show ? NULL : fopen("/dev/null", "w");
    r.program = program;
    r.source = source;
    r.len = strlen(source);
    r.argc = rargc;
    r.argv = rargv;
    r.trace = x.out;
    if (devnull)
        r.opt.out = r.opt.err = devnull;
    if (!x.complete) {
        /* a killed run may never end: stop once past what was recorded */
        r.stop_after = x.recorded + 1;
        r.on_stop = replay_stopped;
        r.stop_ud = &x;
    }
    int ps = cli_run_program(&r);
    if (ps == 2 && !r.events) {
        if (x.tmpdir)
            rmdir(x.tmpdir);
        goto out;           /* the new trace could not be made (reported) */
    }
    status = replay_verdict(&x, r.events);
out:
    if (devnull)
        fclose(devnull);
    for (int k = 0; rargv && k < rargc; k++)
        free(rargv[k]);
    free(rargv);
    free(program);
    free(source);
    free(argv_json);
    return status;
}

