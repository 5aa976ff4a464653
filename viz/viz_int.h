/* viz_int.h — what viz/ files share: the timeline model and its layout.
 *
 * The model holds no per-event rows: a million-event trace becomes slots (handle runs
 * and loose events), steps, waits, arrows and marks, each naming the events (seq) where
 * it starts and ends. The layout gives every slot an x range; any seq's x follows from
 * the slot that holds it (or the two around it), so every item finds its place.
 */
#ifndef VIZ_INT_H
#define VIZ_INT_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

#define VIZ__MAX_TASK_LANES 120    /* further tasks share one "other tasks" lane */

typedef enum viz_lane_kind {
    VIZ_LANE_TASK,
    VIZ_LANE_CALLBACKS,      /* plain callbacks: handles that step no task */
    VIZ_LANE_THREAD,         /* a virtual worker thread */
    VIZ_LANE_OTHER,          /* tasks beyond VIZ__MAX_TASK_LANES */
} viz_lane_kind;

typedef struct viz_lane {
    viz_lane_kind kind;
    uint64_t id;             /* task or thread id (0 for the callbacks lane) */
    char *label;             /* "Task-2 · child()" */
    char *name;              /* "Task-2" (for wait labels) */
    char *state;             /* task: finished / raised / cancelled / pending; else NULL */
} viz_lane;

/* A slot: one handle run (handle_begin .. handle_end), or loose events outside any run
 * (a task created before the loop runs, a thread waking). Slots are in seq order and
 * do not overlap; times and iterations never decrease along them. */
typedef struct viz_slot {
    uint64_t seq0, seq1;
    double time;
    uint64_t iteration;
    int lane;
    uint64_t handle;         /* the handle run (0: loose events) */
} viz_slot;

typedef enum viz_step_end {
    VIZ_END_AWAIT, VIZ_END_YIELD, VIZ_END_RETURN, VIZ_END_RAISE, VIZ_END_CANCELLED,
    VIZ_END_OPEN,            /* never ended (a run killed midway) */
    VIZ_END_CALLBACK,        /* a plain callback's run */
    VIZ_END_THREAD,          /* a thread's running stretch */
} viz_step_end;

typedef struct viz_step {
    uint64_t seq0, seq1;
    int lane;
    uint8_t end;             /* viz_step_end */
    bool thrown;             /* resumed by throwing an exception in (a cancellation) */
    uint64_t handle;         /* the handle that ran it (callbacks: its label) */
} viz_step;

#define VIZ_WAIT_KINDS(X)                                                     \
    X(SLEEP,  "sleep / timer",       0.96, 0.76, 0.30)                         \
    X(TASK,   "another task",        0.62, 0.48, 0.84)                         \
    X(FUTURE, "a future",            0.33, 0.71, 0.76)                         \
    X(SYNC,   "lock / queue / event", 0.90, 0.50, 0.26)                        \
    X(THREAD, "a thread",            0.45, 0.70, 0.35)                         \
    X(YIELD,  "sleep(0): one iteration", 0.78, 0.78, 0.78)

typedef enum viz_wait_kind {
#define VIZ_WK_ENUM(n, s, r, g, b) VIZ_W_##n,
    VIZ_WAIT_KINDS(VIZ_WK_ENUM)
#undef VIZ_WK_ENUM
    VIZ_W__COUNT
} viz_wait_kind;

typedef struct viz_wait {
    uint64_t seq0, seq1;     /* seq1 = 0: never resumed */
    double t0, t1;           /* t1: NAN if never resumed */
    int lane;
    uint8_t kind;            /* viz_wait_kind */
    uint64_t awaited;        /* future / task id (0: none) */
    double dur;              /* sleep: the timer's delay; NAN: unknown */
} viz_wait;

#define VIZ_ARROW_KINDS(X)                                            \
    X(SOON,   "call_soon → run",            0.30, 0.30, 0.30)          \
    X(TIMER,  "call_later → timer runs",    0.72, 0.53, 0.04)          \
    X(WAKE,   "future done → wake-up",      0.16, 0.62, 0.56)          \
    X(CANCEL, "cancel() → cancelled step",  0.84, 0.16, 0.16)          \
    X(CREATE, "create_task → first step",   0.11, 0.21, 0.34)

typedef enum viz_arrow_kind {
#define VIZ_AK_ENUM(n, s, r, g, b) VIZ_A_##n,
    VIZ_ARROW_KINDS(VIZ_AK_ENUM)
#undef VIZ_AK_ENUM
    VIZ_A__COUNT
} viz_arrow_kind;

typedef struct viz_arrow {
    uint64_t seq0, seq1;
    int lane0, lane1;
    uint8_t kind;            /* viz_arrow_kind */
} viz_arrow;

typedef enum viz_mark_kind {
    VIZ_M_CREATE,            /* a task created (on the creator's lane) */
    VIZ_M_CANCEL,            /* cancel() called (on the caller's lane) */
    VIZ_M_DEADLOCK,
    VIZ_M_LOOP_SLEEP,        /* time.sleep on the loop thread: it blocks everything */
} viz_mark_kind;

typedef struct viz_mark {
    uint64_t seq;
    int lane;
    uint8_t kind;
    double num;
} viz_mark;

typedef struct viz_output {
    uint64_t seq;
    int lane;                /* -1: printed outside the loop */
    bool is_stderr;
    char *text;              /* without its trailing newline */
} viz_output;

typedef struct viz_jump {
    uint64_t seq;            /* the clock_advance event */
    double t0, t1;
} viz_jump;

typedef struct viz_iter {
    uint64_t seq;            /* the iteration event */
    uint64_t iteration;
    double time;
} viz_iter;

#define VIZ__VEC(T) struct { T *v; size_t n, cap; }

struct viz_model {
    char *title;
    char *path;
    bool complete;
    uint64_t nevents, last_seq;
    double t_end;
    uint64_t n_tasks;
    VIZ__VEC(viz_lane) lanes;
    VIZ__VEC(viz_slot) slots;
    VIZ__VEC(viz_step) steps;
    VIZ__VEC(viz_wait) waits;
    VIZ__VEC(viz_arrow) arrows;
    VIZ__VEC(viz_mark) marks;
    VIZ__VEC(viz_output) outputs;
    VIZ__VEC(viz_jump) jumps;
    VIZ__VEC(viz_iter) iters;
    /* handle id -> its callback text, for callback labels (sparse: only plain callbacks) */
    VIZ__VEC(char *) hlabels;   /* indexed by viz_step.handle through hlabel_ids */
    VIZ__VEC(uint64_t) hlabel_ids;
    /* future id -> what the loop made it for ("lock", "queue.get"), sorted by id */
    VIZ__VEC(char *) origins;
    VIZ__VEC(uint64_t) origin_ids;
};

/* Grows a VIZ__VEC by one zeroed element and returns it; aborts on out-of-memory
 * (the only policy viz/ has: pictures are not worth a half-drawn recovery). */
#define VIZ__PUSH(vec) \
    ((vec).n == (vec).cap ? viz__grow((void **)&(vec).v, &(vec).cap, sizeof *(vec).v) : (void)0, \
     memset(&(vec).v[(vec).n], 0, sizeof *(vec).v), &(vec).v[(vec).n++])
void viz__grow(void **v, size_t *cap, size_t size);
void *viz__xmalloc(size_t n);
char *viz__strdup(const char *s);

/* The callback text of a plain callback's handle, or NULL. */
const char *viz__handle_label(const viz_model *m, uint64_t handle);
/* A future's origin ("sleep", "lock", "queue.get", ...), or NULL. */
const char *viz__future_origin(const viz_model *m, uint64_t future);

/* ---- layout (layout.c) ------------------------------------------------------------------ */

typedef struct viz_tick {
    double x;
    double value;            /* the time or iteration it marks (labelled "%g" when drawn) */
    bool major;              /* a new instant (time axis) or iteration; minor: iteration at the same time */
} viz_tick;

typedef struct viz_break {
    double x0, x1;           /* the compressed stretch */
    double t0, t1;
} viz_break;

typedef struct viz_layout {
    double X0, X1;           /* the data region */
    double *x0, *x1;         /* per slot (all slots; outside the window: off-picture) */
    size_t first, last;      /* visible slots [first, last) */
    double unit;             /* pixels per slot */
    VIZ__VEC(viz_tick) ticks;
    VIZ__VEC(viz_break) breaks;
} viz_layout;

/* The data region (x range of the lanes' contents) of a picture w pixels wide. */
void viz__data_range(int w, double *X0, double *X1);

void viz__layout(const viz_model *m, const viz_options *o, double X0, double X1, viz_layout *L);
void viz__layout_free(viz_layout *L);
/* The layout moved right by dx pixels (a pan): O(slots), no allocation. */
void viz__layout_shift(const viz_model *m, viz_layout *L, double dx);

/* viz_draw and viz_picture_size with a layout the caller made for these options and
 * this width (the viewer keeps one across frames); NULL: make one. */
int viz__draw(const viz_model *m, cairo_t *cr, int w, int h, const viz_options *o,
              const viz_layout *L, char *err, size_t errlen);
void viz__picture_size(const viz_model *m, const viz_options *o, const viz_layout *L, int *w, int *h);
/* The x of event seq. */
double viz__x_of(const viz_model *m, const viz_layout *L, uint64_t seq);
/* The same, searching from the slot *hint names first and updating it: O(1) for seqs
 * taken in increasing order. *hint starts at 0. */
double viz__x_near(const viz_model *m, const viz_layout *L, uint64_t seq, size_t *hint);
/* The index of the slot holding seq, or of the last slot before it; SIZE_MAX if none. */
size_t viz__slot_of(const viz_model *m, uint64_t seq);

/* ---- the timer heap replayed from events (heap.c) --------------------------------------- */

struct trace_event;

typedef struct viz_heap_item {
    double when;             /* the deadline */
    uint64_t handle;         /* the timer handle's id */
    uint64_t seq;            /* the call_later / call_at event that pushed it */
} viz_heap_item;

/* The loop's heap after the events applied so far, in the loop's own array order. */
typedef struct viz_heap {
    VIZ__VEC(viz_heap_item) items;
    VIZ__VEC(uint8_t) cancelled;   /* by handle id: handle_cancel seen */
    bool desync;             /* an event did not fit the replay (a trace without timer_drop) */
} viz_heap;

void viz__heap_init(viz_heap *H);
void viz__heap_free(viz_heap *H);
void viz__heap_reset(viz_heap *H);              /* empty, as before the first event */
void viz__heap_apply(viz_heap *H, const struct trace_event *e);
bool viz__heap_is_cancelled(const viz_heap *H, uint64_t handle);
bool viz__heap_tied(const viz_heap *H, size_t i);

#endif
