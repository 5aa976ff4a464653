/* main.c — the `aiosim` command: subcommand dispatch and option parsing.
 *
 * `aiosim run PROG.py [ARGS]` behaves like `python3 PROG.py [ARGS]` on virtual time.
 * aiosim's options go before the program or right after it; the first other word
 * after the program (or what follows "--") starts the program's sys.argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "trace.h"
#include "viz.h"

typedef struct subcommand {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
    const char *help;
} subcommand;

int cli_usage_error(const char *cmd, const char *msg, const char *arg)
{
    fprintf(stderr, "aiosim %s: %s%s%s\nTry 'aiosim %s --help'.\n", cmd, msg,
            arg ? ": " : "", arg ? arg : "", cmd);
    return 2;
}

/* Parses a non-negative integer option value; -1 on junk. */
long long cli_parse_count(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return -1;
    return v;
}

static const char run_help[] =
    "usage: aiosim run [OPTIONS] PROG.py [OPTIONS] [--] [ARGS...]\n"
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
    "  --timeline OUT    draw the run's timeline to OUT.png, OUT.svg or OUT.pdf (see\n"
    "                    'aiosim render' for more drawing options)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Options may come before PROG.py or right after it; the first other word after\n"
    "PROG.py, or everything after '--', is the program's sys.argv[1:].\n";

/* One option of `aiosim run` at argv[*i]: OPT_TAKEN (*i is on its last word),
 * OPT_NOT_OURS, or an exit status to return (0 after --help, 2 for a bad value). */
enum { OPT_TAKEN = -1, OPT_NOT_OURS = -2 };
typedef struct run_outputs {
    const char *trace;          /* --trace */
    const char *timeline;       /* --timeline */
} run_outputs;

static int run_option(int argc, char **argv, int *i, sim_options *o, run_outputs *outs)
{
    const char *a = argv[*i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
        fputs(run_help, stdout);
        return 0;
    } else if (!strcmp(a, "--gc-stress")) {
        o->gc_stress = true;
    } else if (!strcmp(a, "--trace")) {
        if (*i + 1 >= argc)
            return cli_usage_error("run", "missing value for", a);
        outs->trace = argv[++*i];
    } else if (!strcmp(a, "--timeline")) {
        if (*i + 1 >= argc)
            return cli_usage_error("run", "missing value for", a);
        outs->timeline = argv[++*i];
        if (!viz_format_known(outs->timeline))
            return cli_usage_error("run", "--timeline takes a file named .png, .svg or .pdf",
                                   outs->timeline);
    } else if (!strcmp(a, "--max-steps") || !strcmp(a, "--max-memory")) {
        if (*i + 1 >= argc)
            return cli_usage_error("run", "missing value for", a);
        long long v = cli_parse_count(argv[++*i]);
        if (v < 0)
            return cli_usage_error("run", "expected a whole number after", a);
        if (!strcmp(a, "--max-steps"))
            o->max_steps = (uint64_t)v;
        else
            o->max_memory = (size_t)v << 20;
    } else {
        return OPT_NOT_OURS;
    }
    return OPT_TAKEN;
}

static int cmd_run(int argc, char **argv)
{
    sim_options o;
    sim_options_init(&o);
    o.max_memory = (size_t)2048 << 20;
    run_outputs outs = { 0 };
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        int rc = run_option(argc, argv, &i, &o, &outs);
        if (rc == OPT_NOT_OURS)
            return cli_usage_error("run", "unknown option", argv[i]);
        if (rc != OPT_TAKEN)
            return rc;
    }
    if (i >= argc)
        return cli_usage_error("run", "missing the program to run (PROG.py)", NULL);
    /* aiosim's own options may also follow the program (aiosim run PROG.py --trace
     * T.db); the first other argument, or "--", starts the program's arguments */
    int prog = i++;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        int rc = run_option(argc, argv, &i, &o, &outs);
        if (rc == OPT_NOT_OURS)
            break;
        if (rc != OPT_TAKEN)
            return rc;
    }
    char **pargv = malloc((size_t)(argc - i + 2) * sizeof *pargv);
    if (!pargv) {
        fprintf(stderr, "aiosim run: out of memory\n");
        return 1;
    }
    int pargc = 0;
    pargv[pargc++] = argv[prog];
    while (i < argc)
        pargv[pargc++] = argv[i++];
    pargv[pargc] = NULL;
    /* A timeline is drawn from a trace: a temporary one unless --trace names one. */
    char *tmp_trace = NULL;
    if (outs.timeline && !outs.trace) {
        tmp_trace = cli_temp_trace_path();
        if (!tmp_trace) {
            fprintf(stderr, "aiosim run: cannot create a temporary trace for --timeline: %s\n",
                    strerror(errno));
            free(pargv);
            return 2;
        }
        outs.trace = tmp_trace;
    }
    cli_run r = { .cmd = "run", .program = argv[prog], .argc = pargc, .argv = pargv, .opt = o,
                  .trace = outs.trace };
    char *src = cli_read_file(argv[prog], &r.len);
    if (!src) {
        fprintf(stderr, "aiosim: can't open file '%s': %s\n", argv[prog],
                errno == ENOENT ? "No such file or directory" : strerror(errno));
        free(pargv);
        return 2;
    }
    r.source = src;
    int status = cli_run_program(&r);
    if (outs.timeline && status != 2) {
        viz_options vo;
        viz_options_init(&vo);
        char err[512] = "";
        fflush(stdout);
        if (viz_render_file(outs.trace, outs.timeline, &vo, err, sizeof err)) {
            fprintf(stderr, "aiosim run: --timeline: %s\n", err);
            if (status == 0)
                status = 2;
        }
        viz_release_caches();
    }
    cli_remove_temp_trace(tmp_trace);
    free(src);
    free(pargv);
    return status;
}

/* `aiosim view PROG.py` records the program into a temporary trace first; a trace
 * (anything not ending in .py) goes to the viewer as it is. */
static int cmd_view(int argc, char **argv)
{
    int prog = 0;
    for (int i = 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (argv[i][0] != '-' && n > 3 && !strcmp(argv[i] + n - 3, ".py")) {
            prog = i;
            break;
        }
    }
    if (!prog)
        return viz_view_cmd(argc, argv);
    char *tmp = cli_temp_trace_path();
    if (!tmp) {
        fprintf(stderr, "aiosim view: cannot create a temporary trace: %s\n", strerror(errno));
        return 2;
    }
    sim_options o;
    sim_options_init(&o);
    o.max_memory = (size_t)2048 << 20;
    char *pargv[2] = { argv[prog], NULL };
    cli_run r = { .cmd = "view", .program = argv[prog], .argc = 1, .argv = pargv, .opt = o,
                  .trace = tmp };
    char *src = cli_read_file(argv[prog], &r.len);
    if (!src) {
        fprintf(stderr, "aiosim view: can't open file '%s': %s\n", argv[prog], strerror(errno));
        cli_remove_temp_trace(tmp);
        return 2;
    }
    r.source = src;
    int status = cli_run_program(&r);
    free(src);
    if (status != 2) {
        argv[prog] = tmp;
        status = viz_view_cmd(argc, argv);
    }
    cli_remove_temp_trace(tmp);
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
                return cli_usage_error("export", "missing value for", a);
            if (!strcmp(a, "-o"))
                out = argv[++i];
            else
                fmt = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("export", "unknown option", a);
        } else if (!in) {
            in = a;
        } else {
            return cli_usage_error("export", "one trace at a time; unexpected", a);
        }
    }
    if (!in)
        return cli_usage_error("export", "missing the trace to export (TRACE.db)", NULL);
    int f = trace_format_parse(fmt);
    if (f < 0)
        return cli_usage_error("export", "unknown format (use chrome, csv, jsonl or text)", fmt);
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
        return cli_usage_error("diff", "expected two traces", NULL);
    char err[512] = "";
    int rc = trace_diff(argv[1], argv[2], stdout, err, sizeof err);
    if (rc == 2)
        fprintf(stderr, "aiosim diff: %s\n", err);
    return rc;
}

static const subcommand commands[] = {
    { "run", cmd_run, "run a program on virtual time, like python3 PROG.py", run_help },
    { "export", cmd_export, "write a trace as Chrome/Perfetto JSON, CSV, JSONL or text", export_help },
    { "replay", cli_cmd_replay, "re-run a trace's program and check it gives the same trace", NULL },
    { "diff", cmd_diff, "show the first divergence between two traces", diff_help },
    { "render", viz_render_cmd, "draw a trace's timeline as PNG, SVG or PDF", NULL },
    { "view", cmd_view, "step through a program or a trace in a window (SDL2), or headless", NULL },
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
