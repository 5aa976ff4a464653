/* viz.h — pictures of aiosim traces: one cairo drawing for PNG, SVG, PDF and the viewer.
 *
 * A trace (traces/trace.h) is loaded into a timeline model (model.c): a lane per task
 * ("Task-2 · worker()"), one for plain callbacks, one per virtual thread, one for what
 * the program printed; steps, waits coloured by what was awaited, arrows (scheduling,
 * timers, wake-ups, cancels, task creation), output lines and clock jumps. layout.c
 * places it on an axis of virtual time or of loop iterations; draw.c draws it with
 * cairo and pango (pangocairo, so that Chinese text renders).
 *
 * Errors: functions that can fail take `char *err, size_t errlen` and leave there one
 * line saying what went wrong ("cannot open trace 'x.db': ..."), without a trailing
 * newline. err may be NULL. Nothing here prints except the *_cmd entry points.
 *
 * Naming: `viz_` public, `viz__` shared between viz/ files (viz_int.h), statics bare.
 */
#ifndef VIZ_H
#define VIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cairo.h>

#define VIZ_ERR_MAX 512

typedef enum viz_axis {
    VIZ_AXIS_TIME,          /* x by virtual time; same-instant events get a minimum spacing */
    VIZ_AXIS_ITERATION,     /* x by loop iteration: every handle run gets the same room */
} viz_axis;

typedef struct viz_options {
    viz_axis axis;
    double from, to;        /* virtual-time window; NAN: the trace's start / end */
    int width;              /* picture width in pixels (0: chosen from the trace) */
    uint64_t cursor;        /* highlight this event (seq) and its details; 0: none */
    double zoom;            /* the viewer's horizontal zoom (1: fit; 0 counts as 1) */
    double pan;             /* the viewer's horizontal offset in pixels */
} viz_options;

/* Defaults: time axis, the whole trace, width 0, no cursor. */
void viz_options_init(viz_options *o);

/* ---- the model (model.c) -------------------------------------------------------------- */

typedef struct viz_model viz_model;

/* Loads the trace at `path` (validated by trace_open). NULL on error. */
viz_model *viz_model_load(const char *path, char *err, size_t errlen);
void viz_model_free(viz_model *m);

/* A readable dump of the model, one item per line: lanes, steps, waits, arrows,
 * output, clock jumps. Tests compare against it; `aiosim render --dump` prints it. */
void viz_model_dump(const viz_model *m, FILE *out);

size_t viz_model_lane_count(const viz_model *m);
const char *viz_model_lane_label(const viz_model *m, size_t i);
uint64_t viz_model_event_count(const viz_model *m);
/* The program's name (meta program, else the trace file's name). */
const char *viz_model_title(const viz_model *m);

/* ---- drawing (draw.c) ------------------------------------------------------------------ */

/* The picture's size for these options (width: o->width or a default; height from
 * the number of lanes and output rows). */
void viz_picture_size(const viz_model *m, const viz_options *o, int *w, int *h);

/* Draws the timeline into cr over (0,0)-(w,h). 0, or -1 with err set (a text that no
 * installed font can show). */
int viz_draw(const viz_model *m, cairo_t *cr, int w, int h, const viz_options *o,
             char *err, size_t errlen);

/* ---- files and commands (render.c, render_cmd.c, viewer.c) ------------------------------ */

/* Whether the path names a picture format render can write (.png, .svg, .pdf). */
bool viz_format_known(const char *path);

/* Renders the trace to out_path: PNG, SVG or PDF by its extension. 0, or -1 with err
 * set (unknown extension, unreadable trace, missing font, unwritable file). */
int viz_render_file(const char *trace_path, const char *out_path, const viz_options *o,
                    char *err, size_t errlen);

/* The same from a loaded model. */
int viz_render_model(const viz_model *m, const char *out_path, const viz_options *o,
                     char *err, size_t errlen);

/* Benchmark: loads trace_path and renders it `reps` times to an in-memory PNG-sized
 * image surface of `width` pixels. Stores seconds spent loading and per render.
 * 0, or -1 with err set. */
int viz_bench_render(const char *trace_path, int width, int reps, double *load_s,
                     double *render_s, char *err, size_t errlen);

/* Frees the font and glyph caches of cairo, pango and fontconfig; call it last, at
 * exit, for a clean leak check (valgrind). Nothing may be drawn afterwards. */
void viz_release_caches(void);

/* `aiosim render run.db -o out.png [--axis time|iteration] [--from T] [--to T]
 * [--width PX]`: exit status 0, 1 on bad input, 2 on bad usage. argv[0] is "render". */
int viz_render_cmd(int argc, char **argv);

/* `aiosim view run.db [--keys KEYS --screenshot SHOT.png] [--axis ..] [--size WxH]`:
 * the SDL2 viewer; headless with --screenshot. Exit status 0, 1, or 2 on bad usage. */
int viz_view_cmd(int argc, char **argv);

#endif
