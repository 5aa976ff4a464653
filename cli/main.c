/* main.c — the `aiosim` command: subcommand dispatch and option parsing.
 *
 * `aiosim run PROG.py [ARGS]` behaves like `python3 PROG.py [ARGS]` on virtual time.
 * Options go before the program; everything after it is the program's sys.argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "trace.h"

typedef struct subcommand {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
    const char *help;
} subcommand;

static int usage_error(const char *cmd, const char *msg, const char *arg)
{
    fprintf(stderr, "aiosim %s: %s%s%s\nTry 'aiosim %s --help'.\n", cmd, msg,
            arg ? ": " : "", arg ? arg : "", cmd);
    return 2;
}

/* Parses a non-negative integer option value; -1 on junk. */
static long long parse_count(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return -1;
    return v;
}

static const char run_help[] =
    "usage: aiosim run [OPTIONS] PROG.py [ARGS...]\n"
    "\n"
    "Runs PROG.py as `python3 PROG.py ARGS...` would, on a virtual clock: the same\n"
    "stdout, the same exit status (1 for an uncaught exception or a SyntaxError,\n"
    "3 for a deadlock, 4 when a limit stopped the program).\n"
    "\n"
    "options:\n"
    "  --max-steps N     stop after N bytecode instructions (default: no limit)\n"
    "  --max-memory MB   stop when the program's heap exceeds MB mebibytes (default 2048)\n"
    "  --gc-stress       collect garbage on every allocation (slow; finds GC bugs)\n"
    "  --trace OUT.db    record every scheduling event, the output and the source into\n"
    "                    an SQLite trace (replaces OUT.db only if it is an aiosim trace;\n"
    "                    see 'aiosim export', 'aiosim replay', 'aiosim diff')\n"
    "  -h, --help        show this help\n";

static int cmd_run(int argc, char **argv)
{
    sim_options o;
    sim_options_init(&o);
    o.max_memory = (size_t)2048 << 20;
    const char *trace = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(run_help, stdout);
            return 0;
        } else if (!strcmp(a, "--gc-stress")) {
            o.gc_stress = true;
        } else if (!strcmp(a, "--trace")) {
            if (i + 1 >= argc)
                return usage_error("run", "missing value for", a);
            trace = argv[++i];
        } else if (!strcmp(a, "--max-steps") || !strcmp(a, "--max-memory")) {
            if (i + 1 >= argc)
                return usage_error("run", "missing value for", a);
            long long v = parse_count(argv[++i]);
            if (v < 0)
                return usage_error("run", "expected a whole number after", a);
            if (!strcmp(a, "--max-steps"))
                o.max_steps = (uint64_t)v;
            else
                o.max_memory = (size_t)v << 20;
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else {
            return usage_error("run", "unknown option", a);
        }
    }
    if (i >= argc)
        return usage_error("run", "missing the program to run (PROG.py)", NULL);
    cli_run r = { .cmd = "run", .program = argv[i], .argc = argc - i, .argv = argv + i, .opt = o,
                  .trace = trace };
    char *src = cli_read_file(argv[i], &r.len);
    if (!src) {
        fprintf(stderr, "aiosim: can't open file '%s': %s\n", argv[i],
                errno == ENOENT ? "No such file or directory" : strerror(errno));
        return 2;
    }
    r.source = src;
    int status = cli_run_program(&r);
    free(src);
    return status;
}

static const char export_help[] =
    "usage: aiosim export TRACE.db [--format chrome|csv|jsonl|text] [-o OUT]\n"
    "\n"
    "Writes a trace in another format: chrome (Chrome trace-event JSON that Perfetto\n"
    "and chrome://tracing open: a track per task, flow arrows from a wake-up's cause\n"
    "to the step it resumes), csv, jsonl (one JSON object per event) or text.\n"
    "Without -o the export goes to stdout.\n"
    "\n"
    "Exit status: 0 done, 2 bad input (not a trace, a trace of a newer format) or output.\n";

static int cmd_export(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *fmt = "chrome";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(export_help, stdout);
            return 0;
        } else if (!strcmp(a, "--format") || !strcmp(a, "-o")) {
            if (i + 1 >= argc)
                return usage_error("export", "missing value for", a);
            if (!strcmp(a, "-o"))
                out = argv[++i];
            else
                fmt = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return usage_error("export", "unknown option", a);
        } else if (!in) {
            in = a;
        } else {
            return usage_error("export", "one trace at a time; unexpected", a);
        }
    }
    if (!in)
        return usage_error("export", "missing the trace to export (TRACE.db)", NULL);
    int f = trace_format_parse(fmt);
    if (f < 0)
        return usage_error("export", "unknown format (use chrome, csv, jsonl or text)", fmt);
    char err[512] = "";
    int rc = trace_export(in, out, (trace_format)f, err, sizeof err);
    if (rc) {
        fprintf(stderr, "aiosim export: %s\n", err);
        return 2;
    }
    return 0;
}

static const char diff_help[] =
    "usage: aiosim diff A.db B.db\n"
    "\n"
    "Prints the first divergence between two traces, with a few events of context\n"
    "on each side. Exit status: 0 identical, 1 different, 2 bad input.\n";

static int cmd_diff(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(diff_help, stdout);
        return 0;
    }
    if (argc != 3)
        return usage_error("diff", "expected two traces", NULL);
    char err[512] = "";
    int rc = trace_diff(argv[1], argv[2], stdout, err, sizeof err);
    if (rc == 2)
        fprintf(stderr, "aiosim diff: %s\n", err);
    return rc;
}

static const char replay_help[] =
    "usage: aiosim replay TRACE.db [--keep OUT.db] [--show-output]\n"
    "\n"
    "Runs the program embedded in TRACE.db again, with the options it was recorded\n"
    "with, into a new trace, and compares the two (as 'aiosim diff' does, every table\n"
    "and the metadata but the wall-clock start time). Prints 'identical: N events', or\n"
    "the first event where the runs part. The program's output is not shown.\n"
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
    long long v = parse_count(buf);
    return v < 0 ? dflt : v;
}

static int cmd_replay(int argc, char **argv)
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
                return usage_error("replay", "missing value for", a);
            keep = argv[++i];
        } else if (!strcmp(a, "--show-output")) {
            show = true;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("replay", "unknown option", a);
        } else if (!in) {
            in = a;
        } else {
            return usage_error("replay", "one trace at a time; unexpected", a);
        }
    }
    if (!in)
        return usage_error("replay", "missing the trace to replay (TRACE.db)", NULL);
    char err[TRACE_ERR_MAX] = "";
    trace_reader *tr = trace_open(in, err, sizeof err);
    if (!tr) {
        fprintf(stderr, "aiosim replay: %s\n", err);
        return 2;
    }
    int status = 2, rargc = 0;
    char **rargv = NULL, *program = trace_meta_dup(tr, "program"), *source = trace_meta_dup(tr, "source");
    char *argv_json = trace_meta_dup(tr, "argv");
    bool complete = trace_is_complete(tr);
    cli_run r = { .cmd = "replay" };
    sim_options_init(&r.opt);
    r.opt.max_steps = (uint64_t)meta_count(tr, CLI_META_MAX_STEPS, 0);
    r.opt.max_memory = (size_t)meta_count(tr, CLI_META_MAX_MEMORY, 2048) << 20;
    r.opt.gc_stress = meta_count(tr, CLI_META_GC_STRESS, 0) != 0;
    trace_close(tr);
    if (!program || !source) {
        fprintf(stderr, "aiosim replay: trace '%s' holds no %s to run (was it written by 'aiosim run'?)\n",
                in, !program ? "program name" : "source");
        goto out;
    }
    if (!argv_json || !(rargv = parse_argv_json(argv_json, &rargc))) {
        fprintf(stderr, "aiosim replay: trace '%s': its argv is not a JSON array of strings\n", in);
        goto out;
    }
    char tmpdir[] = "/tmp/aiosim-replay.XXXXXX", tmp[sizeof tmpdir + 16];
    bool made_dir = false;
    if (!keep) {
        if (!mkdtemp(tmpdir)) {
            fprintf(stderr, "aiosim replay: cannot make a temporary folder: %s\n", strerror(errno));
            goto out;
        }
        made_dir = true;
        snprintf(tmp, sizeof tmp, "%s/replay.db", tmpdir);
    }
    FILE *devnull = show ? NULL : fopen("/dev/null", "w");
    r.program = program;
    r.source = source;
    r.len = strlen(source);
    r.argc = rargc;
    r.argv = rargv;
    r.trace = keep ? keep : tmp;
    if (devnull)
        r.opt.out = r.opt.err = devnull;
    int ps = cli_run_program(&r);
    if (devnull)
        fclose(devnull);
    if (ps == 2 && !r.events) {
        status = 2;         /* the new trace could not be made (reported) */
    } else {
        fflush(stdout);
        status = trace_diff(in, r.trace, stdout, err, sizeof err);
        if (status == 0)
            printf("identical: %llu events\n", r.events);
        else if (status == 2)
            fprintf(stderr, "aiosim replay: %s\n", err);
        if (status == 1 && !complete)
            printf("note: the recorded run did not finish (killed, or still running): "
                   "its trace ends early\n");
    }
    if (made_dir) {
        unlink(tmp);
        rmdir(tmpdir);
    }
out:
    for (int k = 0; rargv && k < rargc; k++)
        free(rargv[k]);
    free(rargv);
    free(program);
    free(source);
    free(argv_json);
    return status;
}

static const subcommand commands[] = {
    { "run", cmd_run, "run a program on virtual time, like python3 PROG.py", run_help },
    { "export", cmd_export, "write a trace as Chrome/Perfetto JSON, CSV, JSONL or text", export_help },
    { "replay", cmd_replay, "re-run a trace's program and check it gives the same trace", replay_help },
    { "diff", cmd_diff, "show the first divergence between two traces", diff_help },
};

static void print_usage(FILE *f)
{
    fprintf(f, "usage: aiosim COMMAND [OPTIONS] ...\n\n"
               "aiosim %s — CPython 3.11 asyncio on a deterministic virtual clock.\n\ncommands:\n",
            AIOSIM_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'aiosim COMMAND --help' describes one command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        print_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("aiosim %s\n", AIOSIM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "aiosim: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return 2;
}
