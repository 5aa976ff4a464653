/* cli.h — what the `aiosim` subcommands share (cli/): running a program with or
 * without a trace (record.c). Prefix `cli_`. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "sim.h"

#define AIOSIM_VERSION "0.1.0"

/* One run of a program, as `aiosim run` and `aiosim replay` make it. */
typedef struct cli_run {
    const char *cmd;            /* "run", "replay": prefixes error messages */
    const char *program;        /* the path as given: tracebacks, sys.argv[0], meta */
    const char *source;         /* the program's text */
    size_t len;
    int argc;                   /* sys.argv (argv[0] is the program) */
    char **argv;
    sim_options opt;            /* limits; out/err may be set to redirect the program */
    const char *trace;          /* record a trace there (NULL: none) */
    /* With a trace: stop once it holds this many events (0: never): the trace is
     * closed, marked incomplete, and on_stop(run) called; it must not return (the
     * program's state is abandoned mid-run). Replaying a killed run uses it. */
    unsigned long long stop_after;
    void (*on_stop)(struct cli_run *r);
    void *stop_ud;
    /* after the run (with a trace): */
    unsigned long long events;  /* events recorded */
    double final_time;          /* the virtual clock at the end */
} cli_run;

/* Runs the program; returns its exit status. With a trace: the trace is created before
 * the program runs (an unusable path is one line on stderr and status 2, and the
 * program does not run); a trace that fails while recording is reported on stderr
 * and the status is 2 if the program's own was 0. */
int cli_run_program(cli_run *r);

/* main.c: "aiosim CMD: MSG: ARG" and a pointer to --help on stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *msg, const char *arg);
/* A non-negative whole number; -1 on anything else. */
long long cli_parse_count(const char *s);

/* replay.c: the `aiosim replay` subcommand. */
int cli_cmd_replay(int argc, char **argv);

/* A path for a temporary trace in a new private folder (free with
 * cli_remove_temp_trace, which deletes the file and the folder); NULL with errno set. */
char *cli_temp_trace_path(void);
void cli_remove_temp_trace(char *path);

/* Reads a whole file (a NUL is appended). NULL with errno set on failure. */
char *cli_read_file(const char *path, size_t *len);

/* The option values stored in a trace's meta (keys), as cli_run_program writes them. */
#define CLI_META_MAX_STEPS "max_steps"
#define CLI_META_MAX_MEMORY "max_memory_mb"
#define CLI_META_GC_STRESS "gc_stress"

#endif
