/* writer_int.h — the trace writer's state, shared by writer.c (batches, the observer,
 * opening and closing), record.c (the object tables) and describe.c (detail texts).
 * Not part of the API. */
#ifndef WRITER_INT_H
#define WRITER_INT_H

#include <math.h>

#include "trace_int.h"

enum {
    S_BEGIN, S_COMMIT, S_EVENT, S_TASK, S_TASK_DONE, S_FUTURE, S_FUTURE_DONE,
    S_HANDLE, S_HANDLE_RUN, S_HANDLE_CANCEL, S_OUTPUT, S_META, S_HANDLE_ROW,
    S_EVENTS, S_HANDLES, S__COUNT
};   /* the writer's prepared statements (writer.c: their SQL) */

#define EVB 64            /* events per multi-row INSERT */

/* An event recorded but not yet inserted. */
typedef struct pending_event {
    uint64_t seq, iteration, subject, cause, other;
    double time, at, num;     /* at/num: NAN for NULL */
    int kind, line;
    int64_t detail;           /* offset in the arena, -1: NULL */
} pending_event;

#define HB 32             /* handles per multi-row INSERT */

/* A handle created in the open batch, inserted at commit: most handles run (and some
 * are cancelled) within the batch that created them, which then costs one multi-row
 * INSERT instead of an INSERT and an UPDATE each. */
typedef struct pending_handle {
    uint64_t id, creator, future, task, created_seq, run_seq, cancelled_seq;
    double due;               /* NAN: not a timer */
    const char *by;           /* a static string */
    int64_t callback;         /* offset in harena, -1: NULL */
} pending_handle;

#define DESC_MAX 1024     /* one value's description */
#define DETAIL_MAX 2048   /* one event's detail */

struct trace_writer {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[S__COUNT];
    trace_host host;
    uint32_t batch, iteration_batch;
    uint32_t pending;          /* events in the open transaction */
    uint64_t seq;              /* last seq written */
    uint64_t committed;        /* last seq committed */
    uint64_t batches;
    uint64_t base, max_id;     /* ids of this loop's objects are base + obj->id */
    double last_time;
    uint64_t last_iteration;
    bool failed;
    char error[TRACE_ERR_MAX];
    char desc[2][DESC_MAX];
    char detail[DETAIL_MAX];
    /* Events waiting for the multi-row INSERT (EVB rows per statement). */
    pending_event evb[EVB];
    unsigned nevb;
    trace__buf arena;          /* their detail texts */
    /* Handles created in the open batch; hmap: open addressing by id, slots hold
     * index + 1 (0: empty), hcap slots, a power of two at least twice nph. */
    pending_handle *ph;
    size_t nph, capph;
    uint32_t *hmap;
    size_t hcap;
    trace__buf harena;         /* their callback texts */
    uint64_t max_handle;       /* the highest handle id recorded so far */
    bool busy;                 /* inside trace_writer_observe */
    /* Trace ids of objects that know their loop (owner != NULL): see oid(). */
    struct trace__loop_ids *lids;
    size_t nlids, caplids;
    const loop *act_owner;     /* the active loop: its last segment is open-ended */
    uint64_t act_first, act_base;
};

/* Ids of one loop's objects. The loop numbers its objects 1, 2, 3 ...; the trace gives
 * them ids in segments: segment k maps loop ids [segs[k].first, segs[k+1].first) to
 * segs[k].base + (id - first) + 1. Only the active loop (the one that last needed new
 * ids) extends its last segment; any other loop meeting an object newer than all it
 * has shown starts a new segment above every id used so far and becomes active. One
 * loop at a time, or loops used one after another, thus number as
 * trace_writer_begin_loop describes; interleaved loops still get unique ids. */
typedef struct trace__seg { uint64_t first, base; } trace__seg;
typedef struct trace__loop_ids {
    const loop *l;
    uint64_t max_seen;         /* highest loop id mapped (valid while not active) */
    trace__seg *segs;
    size_t nsegs, capsegs;
} trace__loop_ids;

/* oid()'s slow path (writer.c). */
uint64_t trace__oid_slow(trace_writer *w, const loop_obj *o);

/* writer.c */
/* Records the first SQLite error (with what was being done); nothing more is recorded. */
void trace__wfail(trace_writer *w, const char *what);
/* Runs statement `which` (bound) to completion and resets it; -1 on error (recorded). */
int trace__wrun(trace_writer *w, int which);
/* Out of memory: recorded as the writer's error. */
void trace__woom(trace_writer *w);

/* record.c */
/* Updates the object tables for one event and works out its detail (*detail). */
int trace__record_objects(trace_writer *w, const loop_event *ev, uint64_t seq, const char **detail);
/* Inserts the handles created in the open batch (before its COMMIT). */
int trace__flush_handles(trace_writer *w);

/* describe.c — texts for details and the object tables, in the writer's buffers:
 * desc slots 0 and 1 (DESC_MAX each) and w->detail (DETAIL_MAX). */
const char *trace__desc_val(trace_writer *w, loop_val v, int slot);   /* repr, NULL for NULL */
const char *trace__str_val(trace_writer *w, loop_val v, int slot);    /* str */
void trace__obj_name(trace_writer *w, const loop_obj *o, char *buf, size_t n);  /* "future #5" */
const char *trace__task_name(trace_writer *w, const loop_task *t);    /* uses slot 1 */
const char *trace__handle_desc(trace_writer *w, const loop_handle *h); /* into w->detail */
/* prefix, then d, then "; " and text: into w->detail (NULL if empty). */
const char *trace__compose(trace_writer *w, const char *prefix, const char *d, const char *text);
const char *trace__detail_val(trace_writer *w, const char *prefix, loop_val v, const char *text);

static inline void bind_id(sqlite3_stmt *st, int i, uint64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, (sqlite3_int64)id);
    else
        sqlite3_bind_null(st, i);
}

static inline void bind_str(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static inline void bind_real(sqlite3_stmt *st, int i, double v, bool use)
{
    if (use && !isnan(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* The trace id of a loop object (0 for none). */
static inline uint64_t oid(trace_writer *w, const loop_obj *o)
{
    if (!o)
        return 0;
    uint64_t id;
    if (o->owner && o->owner == w->act_owner && o->id >= w->act_first)
        id = w->act_base + (o->id - w->act_first) + 1;
    else if (o->owner)
        id = trace__oid_slow(w, o);
    else
        id = w->base + o->id;     /* objects that name no loop: trace_writer_begin_loop */
    if (id > w->max_id)
        w->max_id = id;
    return id;
}

#endif
