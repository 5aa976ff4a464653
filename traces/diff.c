/* diff.c — the first divergence between two traces.
 *
 * Events are compared position by position on every column (seq follows from the
 * position); the first pair that differs is shown with up to CONTEXT events before it
 * (the same in both) and up to CONTEXT after it from each trace. Then the tasks and
 * output tables, then meta (wall_start excepted), so that `aiosim replay` can verify a
 * whole trace. handles and futures are views of the events, so equal events make them
 * equal: comparing them again would only cost time. Events are compared decoded, not
 * block by block: the same events cut into other blocks are the same trace.
 * Streaming: memory does not grow with the traces.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trace_int.h"

#define CONTEXT 3

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static bool same_event(const trace_event *a, const trace_event *b)
{
    return a->time == b->time && a->iteration == b->iteration && same_str(a->kind_name, b->kind_name) &&
           a->subject == b->subject && a->cause == b->cause && a->other == b->other &&
           same_num(a->at, b->at) && same_num(a->num, b->num) && a->line == b->line &&
           same_str(a->detail, b->detail);
}

typedef struct side {
    trace_reader *r;
    trace__cursor *c;
    const char *name;
    uint64_t count;
} side;

static char *event_text(const trace_event *e)
{
    trace__buf b = { 0 };
    trace__event_line(&b, e);
    if (b.oom) {
        trace__buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* Prints the divergence: context before, then this side's events from the divergent
 * one on (the first already read into *first, or NULL if this trace ended). */
static int show_side(FILE *out, side *s, const trace_event *first, char mark, char *err, size_t errlen)
{
    if (!first) {
        fprintf(out, "%c %s: (no more events: it has %llu)\n", mark, s->name, (unsigned long long)s->count);
        return 0;
    }
    char *line = event_text(first);
    fprintf(out, "%c %s: %s\n", mark, s->name, line ? line : "?");
    free(line);
    trace_event e;
    int rc = 0;
    for (int i = 0; i < CONTEXT && (rc = trace__cursor_next(s->c, &e, err, errlen)) == 1; i++) {
        line = event_text(&e);
        fprintf(out, "%c %s: %s\n", mark, s->name, line ? line : "?");
        free(line);
    }
    return rc < 0 ? -1 : 0;
}

/* 0 same events, 1 different (printed), -1 error. */
static int diff_events(FILE *out, side *a, side *b, char *err, size_t errlen)
{
    char *before[CONTEXT] = { 0 };
    unsigned nbefore = 0;
    int result = 0;
    a->c = trace__events_cursor(a->r, 0, 0, err, errlen);
    b->c = a->c ? trace__events_cursor(b->r, 0, 0, err, errlen) : NULL;
    if (!b->c) {
        result = -1;
        goto done;
    }
    for (uint64_t pos = 1;; pos++) {
        trace_event ea, eb;
        int ra = trace__cursor_next(a->c, &ea, err, errlen);
        int rb = ra < 0 ? -1 : trace__cursor_next(b->c, &eb, err, errlen);
        if (ra < 0 || rb < 0) {
            result = -1;
            break;
        }
        if (ra == 0 && rb == 0)
            break;
        if (ra == 1 && rb == 1 && same_event(&ea, &eb)) {
            free(before[nbefore % CONTEXT]);
            before[nbefore % CONTEXT] = event_text(&ea);
            nbefore++;
            continue;
        }
        fprintf(out, "traces differ at event %llu (%s has %llu events, %s has %llu):\n",
                (unsigned long long)pos, a->name, (unsigned long long)a->count, b->name,
                (unsigned long long)b->count);
        unsigned first = nbefore > CONTEXT ? nbefore - CONTEXT : 0;
        for (unsigned i = first; i < nbefore; i++)
            fprintf(out, "  both: %s\n", before[i % CONTEXT] ? before[i % CONTEXT] : "?");
        /* b's event must be copied out before a's cursor moves on: print b's first
         * divergent line now, then a's side, then the rest of b's */
        char *bline = rb == 1 ? event_text(&eb) : NULL;
        if (show_side(out, a, ra == 1 ? &ea : NULL, '-', err, errlen) < 0) {
            free(bline);
            result = -1;
            break;
        }
        if (rb == 1) {
            fprintf(out, "+ %s: %s\n", b->name, bline ? bline : "?");
            free(bline);
            trace_event e;
            int rc = 0;
            for (int i = 0; i < CONTEXT && (rc = trace__cursor_next(b->c, &e, err, errlen)) == 1; i++) {
                char *line = event_text(&e);
                fprintf(out, "+ %s: %s\n", b->name, line ? line : "?");
                free(line);
            }
            if (rc < 0) {
                result = -1;
                break;
            }
        } else {
            show_side(out, b, NULL, '+', err, errlen);
        }
        result = 1;
        break;
    }
done:
    for (unsigned i = 0; i < CONTEXT; i++)
        free(before[i]);
    trace__cursor_free(a->c);
    trace__cursor_free(b->c);
    a->c = b->c = NULL;
    return result;
}

/* A row as "v1|v2|..." (NULL as NULL, text quoted as SQL would). */
static char *row_text(sqlite3_stmt *st)
{
    trace__buf b = { 0 };
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        if (i)
            trace__buf_add(&b, "|", 1);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL: trace__buf_puts(&b, "NULL"); break;
        case SQLITE_TEXT: trace__buf_printf(&b, "'%s'", (const char *)sqlite3_column_text(st, i)); break;
        default: trace__buf_puts(&b, (const char *)sqlite3_column_text(st, i)); break;
        }
    }
    if (b.oom) {
        trace__buf_free(&b);
        return NULL;
    }
    return b.p ? b.p : strdup("");
}

static bool same_row(sqlite3_stmt *x, sqlite3_stmt *y)
{
    int n = sqlite3_column_count(x);
    if (n != sqlite3_column_count(y))
        return false;
    for (int i = 0; i < n; i++) {
        int t = sqlite3_column_type(x, i);
        if (t != sqlite3_column_type(y, i))
            return false;
        if (t == SQLITE_NULL)
            continue;
        if (t == SQLITE_FLOAT) {
            if (sqlite3_column_double(x, i) != sqlite3_column_double(y, i))
                return false;
            continue;
        }
        int lx = sqlite3_column_bytes(x, i), ly = sqlite3_column_bytes(y, i);
        const void *px = t == SQLITE_BLOB ? sqlite3_column_blob(x, i) : (const void *)sqlite3_column_text(x, i);
        const void *py = t == SQLITE_BLOB ? sqlite3_column_blob(y, i) : (const void *)sqlite3_column_text(y, i);
        if (lx != ly || (lx && memcmp(px, py, (size_t)lx) != 0))
            return false;
    }
    return true;
}

/* Compares the rows of one query on both traces; prints the first difference. */
static int diff_rows(FILE *out, side *a, side *b, const char *what, const char *q, char *err, size_t errlen)
{
    sqlite3_stmt *sa = NULL, *sb = NULL;
    int result = 0;
    if (sqlite3_prepare_v2(trace__db(a->r), q, -1, &sa, NULL) != SQLITE_OK) {
        trace__err(err, errlen, "trace '%s': cannot read %s: %s", a->name, what, sqlite3_errmsg(trace__db(a->r)));
        result = -1;
        goto done;
    }
    if (sqlite3_prepare_v2(trace__db(b->r), q, -1, &sb, NULL) != SQLITE_OK) {
        trace__err(err, errlen, "trace '%s': cannot read %s: %s", b->name, what, sqlite3_errmsg(trace__db(b->r)));
        result = -1;
        goto done;
    }
    for (uint64_t row = 1;; row++) {
        int ra = sqlite3_step(sa), rb = sqlite3_step(sb);
        if ((ra != SQLITE_ROW && ra != SQLITE_DONE) || (rb != SQLITE_ROW && rb != SQLITE_DONE)) {
            trace__err(err, errlen, "cannot read %s of '%s' and '%s'", what, a->name, b->name);
            result = -1;
            break;
        }
        if (ra == SQLITE_DONE && rb == SQLITE_DONE)
            break;
        if (ra == SQLITE_ROW && rb == SQLITE_ROW && same_row(sa, sb))
            continue;
        char *ta = ra == SQLITE_ROW ? row_text(sa) : NULL;
        char *tb = rb == SQLITE_ROW ? row_text(sb) : NULL;
        fprintf(out, "%s differ at row %llu:\n- %s: %s\n+ %s: %s\n", what, (unsigned long long)row,
                a->name, ta ? ta : "(no more rows)", b->name, tb ? tb : "(no more rows)");
        free(ta);
        free(tb);
        result = 1;
        break;
    }
done:
    sqlite3_finalize(sa);
    sqlite3_finalize(sb);
    return result;
}

int trace_diff(const char *pa, const char *pb, FILE *out, char *err, size_t errlen)
{
    if (!out)
        out = stdout;
    side a = { .name = pa }, b = { .name = pb };
    a.r = trace_open(pa, err, errlen);
    if (!a.r)
        return 2;
    b.r = trace_open(pb, err, errlen);
    if (!b.r) {
        trace_close(a.r);
        return 2;
    }
    a.count = trace_event_count(a.r);
    b.count = trace_event_count(b.r);
    static const char *const tables[][2] = {
        { "tasks", "SELECT * FROM tasks ORDER BY id" },
        { "output", "SELECT * FROM output ORDER BY seq" },
        { "meta", "SELECT key, value FROM meta WHERE key <> 'wall_start' ORDER BY key" },
    };
    int rc = diff_events(out, &a, &b, err, errlen);
    for (size_t i = 0; rc == 0 && i < sizeof tables / sizeof *tables; i++)
        rc = diff_rows(out, &a, &b, tables[i][0], tables[i][1], err, errlen);
    trace_close(a.r);
    trace_close(b.r);
    return rc < 0 ? 2 : rc;
}
