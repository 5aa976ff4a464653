/* trace_int.h — helpers shared between the files of traces/ (not part of the API). */
#ifndef TRACE_INT_H
#define TRACE_INT_H

#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>

#include "trace.h"

/* A growable byte buffer; `p` is always NUL-terminated once anything was added.
 * Out of memory sets `oom` and drops further appends (callers check it once). */
typedef struct trace__buf {
    char *p;
    size_t len, cap;
    bool oom;
} trace__buf;

/* Grows b for n more bytes (and the NUL): trace__buf_room's slow path. */
char *trace__buf_grow(trace__buf *b, size_t n);
/* Room for n more bytes (and the NUL) at the end of b, or NULL when out of memory: the
 * caller writes there, then moves b->len and ends the text with a NUL. Inline: the
 * trace writer calls it for every piece of every event. */
static inline char *trace__buf_room(trace__buf *b, size_t n)
{
    if (!b->oom && b->len + n + 1 <= b->cap)
        return b->p + b->len;
    return trace__buf_grow(b, n);
}
static inline void trace__buf_add(trace__buf *b, const char *s, size_t n)
{
    char *p = trace__buf_room(b, n);
    if (!p)
        return;
    memcpy(p, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}
/* a string literal, its length known at compile time */
#define TRACE__BUF_LIT(b, lit) trace__buf_add((b), (lit), sizeof(lit) - 1)
void trace__buf_puts(trace__buf *b, const char *s);
void trace__buf_printf(trace__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void trace__buf_free(trace__buf *b);
/* s as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD. */
void trace__buf_json(trace__buf *b, const char *s);

/* A map from trace ids (never 0) to what traces/ remembers of them (idmap.c). Ids are
 * dense and mostly rising, so the map is a table of pages indexed by id (neighbouring
 * ids share cache lines; an emptied page is freed), with a hash for ids too large to
 * page. A value: desc (owned by the map, unless borrowed: freed when replaced or
 * removed; NULL: none)
 * and numbers: the task a handle steps and the future it got (the writer's callbacks),
 * or an index (maps from ids to rows). */
typedef struct trace__idval {
    char *desc;
    union {
        uint64_t task;
        uint64_t index;
    };
    uint64_t arg;
    uint32_t len;             /* desc's length, where the user keeps it */
    uint8_t arg_kind;
    bool on_obj;              /* a handle: a loop callback on object `task` (its kind: arg_kind) */
    bool borrowed;            /* desc is not the map's: kept elsewhere, never freed by the map */
} trace__idval;
typedef struct trace__idmap_entry { uint64_t id; trace__idval v; } trace__idmap_entry;
typedef struct trace__idmap_page trace__idmap_page;
typedef struct trace__idmap {
    trace__idmap_page **pages; /* pages[id >> PAGE_BITS], NULL: none */
    size_t npages;
    size_t npages_live;        /* pages in use: how far the map spreads in memory */
    trace__idmap_page *spare;  /* emptied pages kept for the next (a list) */
    size_t nspare;
    trace__idmap_entry *e;     /* the hash of large ids: open addressing */
    size_t n, cap;            /* cap: a power of two (0: empty) */
} trace__idmap;

/* A page: the entries of ids k << TRACE__PAGE_BITS ... (idmap.c). Here so that the
 * lookup is inline: the trace writer makes one for most events. */
#define TRACE__PAGE_BITS 10
struct trace__idmap_page {
    size_t live;
    trace__idmap_page *next;   /* in the spare list */
    trace__idmap_entry e[1u << TRACE__PAGE_BITS];
};
/* The lookup of ids too large for pages (the hash). */
trace__idmap_entry *trace__idmap_find_large(const trace__idmap *m, uint64_t id);
/* id's entry, or NULL. */
static inline trace__idmap_entry *trace__idmap_entry_of(const trace__idmap *m, uint64_t id)
{
    size_t pg = (size_t)(id >> TRACE__PAGE_BITS);
    if (pg >= m->npages)
        return trace__idmap_find_large(m, id);   /* no page covers it */
    const trace__idmap_page *p = m->pages[pg];
    if (!p || !id)
        return NULL;   /* 0 marks a free entry: never an id */
    trace__idmap_entry *e = (trace__idmap_entry *)&p->e[id & ((1u << TRACE__PAGE_BITS) - 1)];
    return e->id == id ? e : NULL;
}
static inline trace__idval *trace__idmap_find(const trace__idmap *m, uint64_t id)
{
    trace__idmap_entry *e = trace__idmap_entry_of(m, id);
    return e ? &e->v : NULL;
}
/* Sets id's value (freeing the old desc); v.desc is taken over. -1 out of memory. */
int trace__idmap_put(trace__idmap *m, uint64_t id, trace__idval v);
void trace__idmap_del(trace__idmap *m, uint64_t id);
/* Starts bringing id's entry into the cache (a hint: no effect on the map). */
static inline void trace__idmap_prefetch(const trace__idmap *m, uint64_t id)
{
    size_t pg = (size_t)(id >> TRACE__PAGE_BITS);
    if (pg < m->npages && m->pages[pg])
        __builtin_prefetch(&m->pages[pg]->e[id & ((1u << TRACE__PAGE_BITS) - 1)]);
}
void trace__idmap_free(trace__idmap *m);

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

/* Events in seq order, one at a time, decoded from the event blocks (reader.c), with
 * from <= seq <= to (to = 0: to the end). next: 1 with *ev (its strings valid until
 * the next call), 0 at the end, -1 on an SQLite error or a damaged block (err set; every
 * later call fails the same way). Blocks are decoded as they are read, so the events of
 * a damaged block before the damage come first. */
typedef struct trace__cursor trace__cursor;
trace__cursor *trace__events_cursor(trace_reader *r, uint64_t from, uint64_t to, char *err, size_t errlen);
int trace__cursor_next(trace__cursor *c, trace_event *ev, char *err, size_t errlen);
void trace__cursor_free(trace__cursor *c);

/* One event block being decoded (block_decode.c). The JSON text is the decoder's own
 * copy: strings are unescaped in place, so an event's detail points into it and stays
 * valid until the next block is loaded. Zero-initialise; trace__block_free at the end.
 * The block is an array of groups [offset, iteration, time, event, ...]; while p is
 * inside a group, its events take the group's iteration and time. */
typedef struct trace__block {
    char *text;                 /* the copy, NUL-terminated */
    size_t len, cap;
    char *p;                    /* just after the last thing read; NULL after the last event */
    bool in_group;              /* p is inside a group, after its head or one of its events */
    uint64_t first, last, seq;  /* the block's events, and the seq of the next one */
    uint64_t iteration;         /* the current group's iteration and time */
    double group_time;
    char time_text[32];         /* the last time converted, as written */
    size_t time_len;
    double time;
} trace__block;

/* Starts on the block holding events first..last, whose text is json (len bytes).
 * 0, or -1 with why (what is wrong with the block, without the file's name). */
int trace__block_load(trace__block *b, const char *json, size_t len, uint64_t first, uint64_t last,
                      char *why, size_t n);
/* The next event: 1 with *ev filled (seq included) but for kind and kind_name, and
 * *kind_id the file's number for its kind; 0 after the last one (the block's length
 * checked); -1 if the block is damaged (why set). */
int trace__block_next(trace__block *b, trace_event *ev, int64_t *kind_id, char *why, size_t n);
void trace__block_free(trace__block *b);

/* One readable line for an event, as the text export writes it (export.c), without
 * the newline. */
void trace__event_line(trace__buf *b, const trace_event *e);

/* The folder part of path ("." if none) into buf. */
void trace__dirname(const char *path, char *buf, size_t n);

#endif
