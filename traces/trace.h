/* trace.h — aiosim's SQLite traces: the writer (a loop observer), the reader, the
 * exporters and the diff. traces/ is the only place that speaks SQL; everything above
 * it (viz/, the command) reads traces through this header.
 *
 * The format is documented in traces/schema.sql (the same text is trace_schema_sql).
 *
 * Errors. Functions that can fail take `char *err, size_t errlen` and, on failure, leave
 * there one line naming the file and the problem ("cannot open trace 'x.db': it is not
 * an SQLite file"), without a trailing newline and without a program-name prefix.
 * err may be NULL. Nothing here prints, except the exporters and the diff into the
 * FILE they are given, and nothing aborts on bad input.
 *
 * Naming: `trace_` public, statics bare.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "loop.h"

#define TRACE_FORMAT_VERSION 3        /* PRAGMA user_version of the files we write */
#define TRACE_APPLICATION_ID 0x41494F53 /* PRAGMA application_id: 'AIOS' */
#define TRACE_ERR_MAX 512             /* a comfortable size for err buffers */

extern const char trace_schema_sql[];  /* schema.sql, verbatim */

/* ---- writer ------------------------------------------------------------------------- */

typedef struct trace_writer trace_writer;

/* What the language layer supplies. Every callback may be NULL. They must be
 * deterministic: the same run must describe the same value the same way (no
 * addresses), or two runs' traces differ. They must not report loop events (print,
 * schedule): a user __repr__ that prints must be run with output suppressed, or the
 * writer stops with an error. */
typedef struct trace_host {
    void *ud;
    /* The source line running now (0: none). Called once per event. */
    int (*line_of)(void *ud);
    /* repr(v) into buf (n bytes, NUL-terminated), or return a constant string (its
     * text never changes: the writer may know it again by its address, and keeps it
     * once). Used for results, exceptions, cancel messages, callables, coroutines. */
    const char *(*describe)(void *ud, loop_val v, char *buf, size_t n);
    /* str(v): task names. NULL: describe() with one level of quotes removed. */
    const char *(*str_of)(void *ud, loop_val v, char *buf, size_t n);
    /* The handle's callback, as the handles table and details show it. NULL (or a
     * NULL return): the writer's own description (the callable's repr and arguments,
     * or what the loop's internal callback acts on). */
    const char *(*describe_handle)(void *ud, const loop_handle *h, char *buf, size_t n);
} trace_host;

/* An option of the run, stored as a meta row: seed, jitter, step_limit, ... */
typedef struct trace_kv {
    const char *key;
    const char *value;
} trace_kv;

/* The run's metadata, written when the trace is created. Every field may be NULL/0. */
typedef struct trace_meta {
    const char *aiosim_version;
    const char *program;          /* the program's path as given */
    int argc;
    char *const *argv;            /* stored as a JSON array */
    const char *source;           /* the program's full text */
    const trace_kv *options;
    size_t noptions;
} trace_meta;

typedef struct trace_writer_opts {
    /* Commit after this many events (0: 4096). */
    uint32_t batch;
    /* Also commit at a loop-iteration boundary once this many events wait (0: 1024). */
    uint32_t iteration_batch;
} trace_writer_opts;

/* Creates the trace at `path`. An existing file there is replaced only if it is an
 * aiosim trace (of any version); anything else (another file, a directory, a folder
 * that does not exist) is an error and is left alone. The meta rows are committed at
 * once with complete = 0. opts may be NULL. NULL on error (err says why). */
trace_writer *trace_writer_open(const char *path, const trace_meta *meta,
                                const trace_host *host, const trace_writer_opts *opts,
                                char *err, size_t errlen);

/* The loop observer: pass it with the writer to loop_set_observer, or call it from
 * an observer of your own. Records one event (ud is the trace_writer). Never fails
 * loudly: after an SQLite error the writer stops recording and remembers the error,
 * which trace_writer_close reports. */
void trace_writer_observe(void *ud, const loop_event *ev);

/* A new event loop starts reporting to this writer: the objects of the new loop get
 * ids after those of the previous loops. Not needed for the first loop. */
void trace_writer_begin_loop(trace_writer *w);

/* Convenience (traces/attach.c): trace_writer_begin_loop (harmless for the first
 * loop), then loop_set_observer(l, trace_writer_observe, w). */
void trace_writer_attach(trace_writer *w, loop *l);

/* Output as an "output" event of the writer's own, at the last event's virtual time and
 * iteration, with no cause: for print() when no event loop runs (before asyncio.run),
 * and for stderr text (stream "stderr"), which loop_emit cannot mark.
 * stdout printed while a loop runs is best reported with
 * loop_emit(l, LOOP_EV_OUTPUT, NULL, NULL, text), so that the event has its cause (the
 * running task or callback); an OUTPUT event with num == 2 is recorded as stderr. */
void trace_writer_output(trace_writer *w, const char *stream, const char *text);

/* Commits the events recorded so far. -1 if the writer has failed. */
int trace_writer_flush(trace_writer *w);

typedef struct trace_writer_stats {
    uint64_t events;        /* recorded */
    uint64_t committed;     /* of which committed to the file */
    uint64_t batches;       /* transactions committed */
} trace_writer_stats;
void trace_writer_get_stats(const trace_writer *w, trace_writer_stats *out);

/* Ends the trace and frees the writer. complete: the run ended normally (complete = 1,
 * final_time and exit_status are stored); false: whatever was recorded is committed
 * and the trace stays marked incomplete. 0, or -1 with err set if anything failed
 * (including an earlier error inside trace_writer_observe). w may be NULL. */
int trace_writer_close(trace_writer *w, bool complete, double final_time, int exit_status,
                       char *err, size_t errlen);

/* ---- reader ------------------------------------------------------------------------- */

typedef struct trace_reader trace_reader;

/* Opens and validates a trace: a missing file, a file that is not SQLite, an SQLite
 * database that is not an aiosim trace, a trace of a newer format, a corrupt file are
 * each one clear error. A trace left by a killed run opens (its last, uncommitted
 * batch is rolled back if the file is writable). NULL on error. */
trace_reader *trace_open(const char *path, char *err, size_t errlen);
void trace_close(trace_reader *r);
const char *trace_path(const trace_reader *r);
int trace_format_version(const trace_reader *r);

/* A meta value as text (into buf); -1 if the key is absent (buf = ""). */
int trace_meta_get(trace_reader *r, const char *key, char *buf, size_t n);
/* A meta value as a new malloc'd string (the source can be long); NULL if absent. */
char *trace_meta_dup(trace_reader *r, const char *key);
bool trace_is_complete(trace_reader *r);
uint64_t trace_event_count(trace_reader *r);

/* One row of the events table. Strings are valid during the callback only
 * (trace_load_events copies them). Absent ids are 0; absent at/num are NAN. */
typedef struct trace_event {
    uint64_t seq;
    double time;
    uint64_t iteration;
    loop_event_kind kind;        /* LOOP_EV__COUNT for a name this build does not know */
    const char *kind_name;
    uint64_t subject, cause, other;
    double at, num;
    int line;                    /* 0: none */
    const char *detail;          /* NULL: none */
} trace_event;

/* Calls fn for each event with from <= seq <= to (to = 0: to the end), in order;
 * fn returns non-zero to stop (that value is returned). 0 when done, -1 on an SQLite
 * error or a damaged event block (err set). */
int trace_foreach_event(trace_reader *r, uint64_t from, uint64_t to,
                        int (*fn)(void *ud, const trace_event *ev), void *ud,
                        char *err, size_t errlen);
/* All events in memory (for the viewer): *out is a malloc'd array whose details are
 * copies; free both with trace_free_events. 0 or -1 (err set). */
int trace_load_events(trace_reader *r, trace_event **out, size_t *n, char *err, size_t errlen);
void trace_free_events(trace_event *evs, size_t n);

/* Rows of the object tables. Absent ids/seqs are 0. */
typedef struct trace_task {
    uint64_t id, parent, created_seq, done_seq;
    const char *name, *coro, *state, *result;
} trace_task;
typedef struct trace_handle {
    uint64_t id, creator, future, task, created_seq, run_seq, cancelled_seq;
    double due;                   /* NAN: not a timer */
    const char *scheduled_by, *callback;
} trace_handle;
typedef struct trace_future {
    uint64_t id, creator, created_seq, done_seq;
    const char *origin, *state, *result;
} trace_future;
typedef struct trace_output {
    uint64_t seq;
    const char *stream, *text;
} trace_output;
/* Each row in id (output: seq) order; strings valid during the call only. fn returns
 * non-zero to stop (that value is returned); 0 when done, -1 on an SQLite error (or,
 * for handles and futures, which are derived from the events in one pass with the
 * semantics of the views in schema.sql, a damaged event block or no memory). */
int trace_foreach_task(trace_reader *r, int (*fn)(void *ud, const trace_task *t), void *ud);
int trace_foreach_handle(trace_reader *r, int (*fn)(void *ud, const trace_handle *h), void *ud);
int trace_foreach_future(trace_reader *r, int (*fn)(void *ud, const trace_future *f), void *ud);
int trace_foreach_output(trace_reader *r, int (*fn)(void *ud, const trace_output *o), void *ud);

/* ---- exports (export.c) --------------------------------------------------------------- */

#define TRACE_EXPORT_FORMATS(X)                                                   \
    X(CHROME, "chrome", "Chrome trace-event JSON (opens in Perfetto, chrome://tracing)") \
    X(CSV,    "csv",    "the events table as CSV, with a header row")             \
    X(JSONL,  "jsonl",  "one JSON object per event")                              \
    X(TEXT,   "text",   "one readable line per event")

typedef enum trace_format {
#define TRACE_FMT_ENUM(name, str, doc) TRACE_FMT_##name,
    TRACE_EXPORT_FORMATS(TRACE_FMT_ENUM)
#undef TRACE_FMT_ENUM
    TRACE_FMT__COUNT
} trace_format;

/* "chrome" -> TRACE_FMT_CHROME ("json" and "perfetto" too); -1 if unknown. */
int trace_format_parse(const char *name);
const char *trace_format_name(trace_format f);

/* Writes trace `in` as `fmt` to `out` (a path; "-" or NULL: stdout). Returns an exit
 * code: 0 done, 1 bad input or output (err set). */
int trace_export(const char *in, const char *out, trace_format fmt, char *err, size_t errlen);
/* The same, from an open reader into a FILE. */
int trace_export_to(trace_reader *r, FILE *out, trace_format fmt, char *err, size_t errlen);

/* ---- diff (diff.c) ----------------------------------------------------------------------- */

/* Compares two traces: the events one by one, then the tasks and output tables, then
 * meta (wall_start excepted). Prints the first divergence to `out` (NULL: stdout) with
 * up to 3 events of context on each side from both traces. Returns an exit code:
 * 0 identical, 1 different, 2 bad input (err set). */
int trace_diff(const char *a, const char *b, FILE *out, char *err, size_t errlen);

#endif
