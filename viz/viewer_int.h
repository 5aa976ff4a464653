/* viewer_int.h — what the viewer's files share (viewer.c: the command, the window and
 * the keys; viewer_state.c: the loop's state at the cursor; viewer_panel.c: the panel
 * under the timeline, the help and the event details box).
 */
#ifndef VIEWER_INT_H
#define VIEWER_INT_H

#include <cairo.h>

#include "trace.h"
#include "viz_int.h"

/* What the trace's object tables say of an id (sparse arrays indexed by id). */
typedef struct viewer_objs {
    size_t n;                    /* ids 0..n-1 */
    char **handle_cb;            /* a handle's callback text */
    char **future_origin;        /* a future's origin ("sleep", "lock", ...) */
    char **task_name;            /* a task's "Task-2 · child()" */
} viewer_objs;

/* The loop's state after events [0, upto): rebuilt by applying events forward, from
 * scratch when the cursor moves back. Invariant: ready holds, in order, the handles
 * made ready (call_soon, timer_due) and not yet run or dropped. */
typedef struct viewer_state {
    size_t upto;
    viz_heap heap;
    VIZ__VEC(uint64_t) ready;
    size_t ready_head;
    size_t *task_last;           /* by task id: index + 1 of its last task event, 0: none */
    uint64_t *task_awaits;       /* by task id: the future its last step awaited */
    size_t ntask;                /* ids covered by the two arrays */
    size_t nout;                 /* output lines printed so far */
} viewer_state;

typedef struct viewer {
    viz_model *m;
    trace_event *ev;
    size_t nev;
    size_t cur;                  /* index into ev */
    viz_options o;
    char **src;                  /* the program's lines (NULL: no source) */
    size_t nsrc;
    char *src_buf;
    viewer_objs objs;
    viewer_state st;
    bool help, quit, dirty, details;
    bool playing;
    double play_clock;           /* virtual time the playback has reached */
    double speed;                /* virtual seconds per wall second */
    double vscroll;
    int w, h;
    /* the timeline, drawn only when its view changes */
    cairo_surface_t *tl;
    viz_layout L;                /* for L_zoom, L_axis, L_w; moved along on a pan */
    bool tl_valid, L_valid;
    double L_zoom, L_pan;
    int L_axis, L_w;
    double tl_zoom, tl_pan, tl_vscroll;
    int tl_axis, tl_w, tl_h, tl_ph;
    bool stats;
    bool tl_redrawn;             /* the last frame redrew the timeline */
} viewer;

#define VIEWER_PANEL_H 300

/* viewer_state.c */
void viewer__state_init(viewer *v);
void viewer__state_free(viewer *v);
void viewer__state_seek(viewer *v, size_t cur);    /* the state after events [0, cur] */
int viewer__load_objs(viewer *v, trace_reader *r);
void viewer__free_objs(viewer *v);
/* "#12 sleep(0.5) ends", "Task-2 · child()", "future #7 (lock)": an id for a reader. */
void viewer__describe_id(const viewer *v, uint64_t id, char *buf, size_t n);
/* The panel's texts, as lines (the test dump and the drawing share them). */
typedef struct viewer_lines {
    char **v;
    size_t n;
} viewer_lines;
void viewer__lines_free(viewer_lines *l);
void viewer__ready_lines(const viewer *v, viewer_lines *out);
void viewer__heap_lines(const viewer *v, viewer_lines *out);
void viewer__task_lines(const viewer *v, viewer_lines *out);
void viewer__event_lines(const viewer *v, size_t i, viewer_lines *out);
/* The panel as text: the event, its source line, ready queue, heap, tasks, output. */
void viewer__dump(const viewer *v, FILE *out);

/* viewer_panel.c */
void viewer__draw_panel(viewer *v, cairo_t *cr, double y0);
void viewer__draw_help(viewer *v, cairo_t *cr);
void viewer__draw_details(viewer *v, cairo_t *cr);
extern const char viewer__help_text[];

#endif
