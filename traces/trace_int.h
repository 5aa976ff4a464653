/* trace_int.h — helpers shared between the files of traces/ (not part of the API). */
#ifndef TRACE_INT_H
#define TRACE_INT_H

#include <sqlite3.h>
#include <stdarg.h>

#include "trace.h"

/* A growable byte buffer; `p` is always NUL-terminated once anything was added.
 * Out of memory sets `oom` and drops further appends (callers check it once). */
typedef struct trace__buf {
    char *p;
    size_t len, cap;
    bool oom;
} trace__buf;

void trace__buf_add(trace__buf *b, const char *s, size_t n);
void trace__buf_puts(trace__buf *b, const char *s);
void trace__buf_printf(trace__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void trace__buf_free(trace__buf *b);
/* s as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD. */
void trace__buf_json(trace__buf *b, const char *s);

/* snprintf into err (if err is not NULL). */
void trace__err(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Cuts s (NUL-terminated) back to its last complete UTF-8 character. */
void trace__utf8_trim(char *s);

/* What is at a path, as far as traces care. */
typedef enum trace__probe_kind {
    TRACE__ABSENT,       /* nothing there */
    TRACE__NOT_FILE,     /* a directory or a special file */
    TRACE__UNREADABLE,   /* cannot be read (why says) */
    TRACE__NOT_SQLITE,   /* a file without SQLite's header (empty files too) */
    TRACE__SQLITE        /* an SQLite database (maybe not a trace) */
} trace__probe_kind;
trace__probe_kind trace__probe(const char *path, char *why, size_t n);

/* Checks that an open database is an aiosim trace. 0 with *version set; -1 with why
 * ("an SQLite database but not an aiosim trace (no meta table)"). A newer version is
 * not an error here: the caller decides. */
int trace__validate(sqlite3 *db, int *version, char *why, size_t n);

/* The open database of a reader (reader.c). */
sqlite3 *trace__db(trace_reader *r);

/* Events in seq order, one at a time (reader.c). next: 1 with *ev (its strings valid
 * until the next call), 0 at the end, -1 on error. */
typedef struct trace__cursor trace__cursor;
trace__cursor *trace__events_cursor(trace_reader *r, uint64_t from, uint64_t to, char *err, size_t errlen);
int trace__cursor_next(trace__cursor *c, trace_event *ev, char *err, size_t errlen);
void trace__cursor_free(trace__cursor *c);

/* One readable line for an event, as the text export writes it (export.c), without
 * the newline. */
void trace__event_line(trace__buf *b, const trace_event *e);

/* The folder part of path ("." if none) into buf. */
void trace__dirname(const char *path, char *buf, size_t n);

#endif
