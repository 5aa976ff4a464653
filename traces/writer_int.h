/* writer_int.h — the trace writer's state, shared by its files. Not part of the API.
 *
 * Two threads. The program's thread (the one the loop reports on) captures each event
 * into a chunk: numbers, ids and the few texts that must be taken while the values
 * live (capture.c, describing through describe.c). A full chunk goes to the writer
 * thread (wthread.c), which composes the readable details and appends the chunk to
 * the open JSON event block (encode.c), adding the output rows (rows.c) and, when the
 * chunk ends the block (the program's thread decides where), inserts the block and
 * the finished tasks' rows (tasks.c) and commits.
 * Only the writer thread touches SQLite while the run goes on; writer.c opens the file
 * before the thread starts and finishes it after the thread is joined.
 */
#ifndef WRITER_INT_H
#define WRITER_INT_H

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#include "trace_int.h"

#define DESC_MAX 1024     /* one value's description */
/* Events go to the writer thread in chunks small enough to stay in the caches (64
 * bytes an event): a block (one transaction) is built from several chunks. */
#define CHUNK_EVENTS 2048
#define NCHUNKS 16 /* chunks in flight: one filling, the rest queued or writing */

/* Flags of a captured event. */
enum {
    CAP_SUBJ_TASK = 1,     /* subject is a task (its row in tasks) */
    CAP_SUBJ_HANDLE = 2,   /* subject is a handle */
    CAP_OTHER_TASK = 4,    /* other is a task (a = its name) */
    CAP_OTHER_HANDLE = 8,  /* other is a handle */
    CAP_HAS_VAL = 16,      /* the event carried a value (a = its description) */
    CAP_CAUSE_TASK = 32,   /* cause is a task (a task's parent) */
    CAP_TASK_HANDLE = 64,  /* the handle scheduled steps task x.obj (x.harg: its future) */
    CAP_OBJ_HANDLE = 128,  /* the handle scheduled is a loop callback on object x.obj */
};

/* One event as captured on the program's thread: 64 bytes. Texts are offsets + 1
 * into the chunk's arena (0: none). What few events carry is in extras (x). */
typedef struct cap_ev {
    double time;
    uint64_t iteration, subject, cause, other;
    int32_t line;
    uint8_t kind, flags, other_kind, pad_;
    uint32_t a, text;          /* a: a description (value, handle, task name) */
    uint32_t x;                /* index + 1 of the event's extras in the chunk (0: none) */
} cap_ev;
_Static_assert(sizeof(cap_ev) == 64, "a captured event is one cache line");

/* An event's rarer fields. */
typedef struct cap_x {
    double at, num;            /* NAN when absent */
    uint64_t obj, harg;        /* a scheduled handle's task or object, the future it got */
    uint32_t coro;             /* task_create: the coroutine's description (arena) */
    uint8_t harg_kind, obj_kind;
} cap_x;

extern const cap_x trace__no_x;

/* Events first_seq .. first_seq + n - 1, part of a block: ends_block closes it. */
typedef struct chunk {
    uint64_t first_seq;
    uint32_t n, nx;
    bool ends_block;
    cap_ev *ev;                /* room for CHUNK_EVENTS events */
    cap_x *xs;                 /* and as many extras */
    trace__buf arena;
    /* the program's thread only: the constant text kept last, and where (capture.c) */
    const char *const_text;
    uint32_t const_off;
} chunk;

static inline const cap_x *cap_x_of(const chunk *c, const cap_ev *e)
{
    return e->x ? &c->xs[e->x - 1] : &trace__no_x;
}

/* A task's row, built in memory from its task_create and finishing events. */
typedef struct task_row {
    uint64_t id, parent, created_seq, done_seq;
    const char *state;         /* a static string; NULL: pending */
    char *name, *coro, *result;
    uint32_t name_len, coro_len, result_len;   /* bound with their lengths: SQLite
                                                * would measure them byte by byte */
    /* name is the one kept in wstate.names (the same text: nothing to escape), coro
     * a text the writer keeps (wstate.kept): neither is the row's to free */
    bool name_borrowed, coro_borrowed;
} task_row;

/* The text a memo saw last (raw, as captured; valid: it fit) and, once it came
 * twice, a copy kept until the writer ends (in wstate.kept) that users borrow. */
typedef struct text_memo {
    char raw[DESC_MAX];
    uint32_t rawlen, keptlen;
    bool valid;
    char *kept;
} text_memo;

/* The loop kinds' words ("future"), each NUL-padded to 16 bytes so that a copy of a
 * fixed size moves one; the last, for a kind out of range, is "object". */
typedef struct trace__kind_words {
    char w[LOOP_K__COUNT + 1][16];
    uint8_t len[LOOP_K__COUNT + 1];
} trace__kind_words;

#define NUM_CACHE_BITS 8
#define ID_CACHE_BITS 9

#define TASK_ROWS_PER_INSERT 16   /* rows S_TASKS inserts at once */

/* What a parameter of S_TASKS was last bound to, when that value cannot have changed
 * since (tasks.c): an id, or a text that lives as long as the writer. */
typedef struct task_bound {
    const char *text;          /* kind 2 */
    uint64_t v;                /* kind 1: an id (0: null); 2: the text's length; 3: an integer */
    uint8_t kind;              /* 0: rebind */
} task_bound;

/* The writer thread's state: what it keeps between chunks. */
typedef struct wstate {
    struct num_text { uint64_t bits; uint8_t len; char txt[31]; } nums[1 << NUM_CACHE_BITS];
    /* the decimal text of ids lately written, at ids[id's low bits] (numtext_int.h) */
    struct id_text { uint64_t id; char txt[15]; uint8_t len; } ids[1 << ID_CACHE_BITS];
    trace__buf block;          /* the JSON text of the block being built */
    /* handle id -> what it calls (desc, or the task it steps: task, arg, arg_kind),
     * from its scheduling event until it runs or is cancelled: handle_begin and
     * timer_due show it without describing it again (desc: escaped for JSON) */
    trace__idmap handles;
    /* task id -> its name (desc, escaped for JSON: from task_create and task_rename)
     * and, until its row is written, index + 1 of the row in rows[] (0: none) */
    trace__idmap tasks;
    /* tasks not yet written: rows[] (free slots in freeslots[]); done_now /
     * done_before: the ids of the tasks that finished in this block / the one
     * before (tasks.c) */
    task_row *rows;
    size_t nrows, caprows;
    struct idlist { uint64_t *p; size_t n, cap; } freeslots, done_now, done_before;
    bool group_open;           /* the block's last group of events is open */
    uint64_t group_iter;       /* its iteration and time */
    double group_time;
    bool in_block;             /* a block is open: its transaction begun */
    uint64_t block_first;      /* its first seq */
    uint64_t block_n;          /* events in it so far */
    /* programs schedule the same callback, and create tasks of the same coroutine,
     * again and again: handles borrow their escaped description and rows their
     * coroutine from these memos instead of a malloc each (details_int.h, kept.c) */
    text_memo desc_memo, coro_memo;
    char **kept;               /* texts kept until the writer ends (at most KEPT_MAX) */
    size_t nkept;
    /* the names tasks were created with, escaped (the tasks map borrows them): in
     * blocks kept until the writer ends, one bump of cur each (kept.c) */
    struct name_store { char *cur, *end; char **blocks; size_t nblocks; } names;
    trace__kind_words kw;      /* the loop kinds' words: describe.c's, copied in
                                * (the writer's copies of a kind read no pointer) */
    task_bound task_bound[8 * TASK_ROWS_PER_INSERT];
} wstate;

enum {
    S_BEGIN, S_COMMIT, S_BLOCK, S_TASK, S_TASKS, S_TASK_LATE, S_OUTPUT, S_META, S_KIND, S__COUNT
};   /* the writer's prepared statements (writer.c: their SQL) */

struct trace_writer {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[S__COUNT];
    trace_host host;
    uint32_t batch, iteration_batch;
    /* ---- the program's thread ---- */
    uint64_t seq;              /* last seq captured */
    uint64_t block_n;          /* events captured since the last block ended */
    uint64_t base, max_id;     /* ids of this loop's objects are base + obj->id */
    double last_time;
    uint64_t last_iteration;
    bool busy;                 /* inside trace_writer_observe */
    chunk *cur;                /* the chunk being filled (NULL: take a free one) */
    char desc[2][DESC_MAX];
    /* Trace ids of objects that know their loop (owner != NULL): see oid(). */
    struct trace__loop_ids *lids;
    size_t nlids, caplids;
    const loop *act_owner;     /* the active loop: its last segment is open-ended */
    uint64_t act_first, act_base;
    uint64_t act_delta;        /* act_base + 1 - act_first: an active id's trace id is id + this */
    /* ---- shared, under mu ---- */
    pthread_mutex_t mu;
    pthread_cond_t cv;         /* any change below */
    chunk *queue[NCHUNKS];     /* full chunks, oldest first */
    unsigned qhead, qlen;
    chunk *spare[NCHUNKS];     /* written chunks, to be filled again */
    unsigned nspare;
    bool writing;              /* the writer thread holds a chunk */
    bool quit;                 /* no more chunks will come */
    bool thread_started;
    pthread_t thread;
    chunk chunks[NCHUNKS];
    atomic_bool failed;        /* set once, by either thread; error says why */
    char error[TRACE_ERR_MAX];
    atomic_uint_fast64_t committed, batches;
    /* ---- the writer thread ---- */
    wstate ws;
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
    trace__seg *segs;
    size_t nsegs, capsegs;
    uint64_t max_seen;         /* the highest loop id given a trace id so far */
} trace__loop_ids;

uint64_t trace__oid_slow(trace_writer *w, const loop_obj *o);

/* Records the first failure (msg; wfail: SQLite's message after `what`); nothing is
 * written after it. Either thread may call these. */
void trace__fail(trace_writer *w, const char *msg);
void trace__wfail(trace_writer *w, const char *what);
void trace__woom(trace_writer *w);
/* Runs a bound statement to completion and resets it; -1 (and the writer failed). */
int trace__wrun(trace_writer *w, int which);

/* describe.c: texts on the program's thread, into w->desc[slot] or a constant. */
const char *trace__desc_val(trace_writer *w, loop_val v, int slot);
const char *trace__str_val(trace_writer *w, loop_val v, int slot);
const char *trace__task_name(trace_writer *w, const loop_task *t);
/* What a plain handle calls ("cb (1, 2)"), into buf (n bytes). */
const char *trace__handle_desc(trace_writer *w, const loop_handle *h, char *buf, size_t n);
/* "task", "future", "handle" ... for "await future #5". */
const char *trace__kind_word(int kind);
/* The same words as a table, for the writer thread's fixed-size copies. */
const trace__kind_words *trace__kind_word_table(void);

/* capture.c: set-up once per process; the chunk being filled goes to the writer
 * thread (ends_block: the block ends with it, even if the chunk is empty). */
void trace__capture_init(void);
void trace__submit(trace_writer *w, bool ends_block);

/* wthread.c: the writer thread, and waiting for it. */
void *trace__writer_main(void *arg);
/* Waits until every submitted chunk is written. */
void trace__drain(trace_writer *w);

/* encode.c: a chunk's events appended to the JSON text of the open event block
 * (ws->block), with the details composed; the task rows kept (tasks.c). block_end
 * closes the text. -1 when out of memory. */
void trace__block_begin(trace_writer *w);
int trace__encode_chunk(trace_writer *w, const chunk *c);
int trace__block_end(trace_writer *w);
void trace__wstate_free(wstate *ws);

/* tasks.c: task rows in memory until written (a task is written one chunk after it
 * finished, so that all its finishing events are in; the rest at the end). */
enum { TASK_NAME_BORROWED = 1, TASK_CORO_BORROWED = 2 };   /* trace__task_created's flags */
void trace__task_created(trace_writer *w, uint64_t id, uint64_t parent, uint64_t seq,
                         const char *name, size_t name_len, const char *coro, size_t coro_len,
                         unsigned borrowed);

void trace__task_done(trace_writer *w, uint64_t id, uint64_t seq, const char *state, const char *result);
/* After a chunk: rows of the tasks that finished in the chunk before. */
int trace__write_done_tasks(trace_writer *w);
/* At the end: every row still in memory, in id order. */
int trace__write_all_tasks(trace_writer *w);
void trace__tasks_free(wstate *ws);

/* rows.c: the output row of event e (seq), an output event of chunk c; encode.c
 * writes it as it passes. -1 (and the writer failed) on an SQLite error. */
int trace__write_output(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq);

static inline void bind_id(sqlite3_stmt *st, int i, uint64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, (sqlite3_int64)id);
    else
        sqlite3_bind_null(st, i);
}

/* s (n bytes; NULL: null), bound as text. */
static inline void bind_strn(sqlite3_stmt *st, int i, const char *s, size_t n)
{
    if (s)
        sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static inline void bind_str(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* The trace id of a loop object (0 for none). */
static inline uint64_t oid(trace_writer *w, const loop_obj *o)
{
    if (!o)
        return 0;
    uint64_t id;
    if (o->owner == w->act_owner && o->id >= w->act_first && o->owner)
        id = o->id + w->act_delta;
    else if (o->owner)
        id = trace__oid_slow(w, o);
    else
        id = w->base + o->id;     /* objects that name no loop: trace_writer_begin_loop */
    if (id > w->max_id)
        w->max_id = id;
    return id;
}

#endif
