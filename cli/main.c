/* main.c — the `aiosim` command: subcommand dispatch and option parsing.
 *
 * `aiosim run PROG.py [ARGS]` behaves like `python3 PROG.py [ARGS]` on virtual time.
 * Options go before the program; everything after it is the program's sys.argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "trace.h"

#define AIOSIM_VERSION "0.1.0"

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
    "  -h, --help        show this help\n";

static int cmd_run(int argc, char **argv)
{
    sim_options o;
    sim_options_init(&o);
    o.max_memory = (size_t)2048 << 20;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(run_help, stdout);
            return 0;
        } else if (!strcmp(a, "--gc-stress")) {
            o.gc_stress = true;
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
    sim_vm *vm = sim_vm_new(&o);
    if (!vm) {
        fprintf(stderr, "aiosim run: out of memory\n");
        return 1;
    }
    int status = sim_run_file(vm, argv[i], argc - i, argv + i);
    sim_vm_free(vm);
    return status;
}

static const char export_help[] =
    "usage: aiosim export TRACE.db [--format chrome|csv|jsonl|text] [-o OUT]\n"
    "\n"
    "Writes a trace in another format: chrome (Chrome trace-event JSON that Perfetto\n"
    "and chrome://tracing open: a track per task, flow arrows from a wake-up's cause\n"
    "to the step it resumes), csv, jsonl (one JSON object per event) or text.\n"
    "Without -o the export goes to stdout.\n";

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
    if (rc)
        fprintf(stderr, "aiosim export: %s\n", err);
    return rc;
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

static const subcommand commands[] = {
    { "run", cmd_run, "run a program on virtual time, like python3 PROG.py", run_help },
    { "export", cmd_export, "write a trace as Chrome/Perfetto JSON, CSV, JSONL or text", export_help },
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
