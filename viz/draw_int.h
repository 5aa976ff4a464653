/* draw_int.h — what the timeline's drawing files share: sizes, colours, the drawing
 * context, and the parts (draw.c: entry points and the context; draw_text.c: text and
 * shapes; draw_items.c: the lanes' contents; draw_frame.c: everything around them).
 *
 * Level of detail: items whose events all lie outside the picture are skipped by their
 * seq before any x is computed (dctx.vis_lo/vis_hi); bars and steps closer than a pixel
 * on one lane merge into one rectangle; labels are drawn only where they fit; arrows
 * only when slots are wide enough to tell them apart.
 */
#ifndef DRAW_INT_H
#define DRAW_INT_H

#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "viz_int.h"
#define TITLE_H 64.0
#define LABEL_W 200.0
#define LANE_H 52.0
#define OUT_ROW_H 22.0
#define OUT_ROWS_MAX 8
#define AXIS_H 44.0
#define LEGEND_ROW_H 24.0
#define MARGIN_R 28.0
#define STEP_H 24.0
#define WAIT_H 12.0

#define SANS "Noto Sans CJK SC, Noto Sans, DejaVu Sans, Sans"
#define MONO "Noto Sans Mono CJK SC, DejaVu Sans Mono, Monospace"

enum { F_TITLE, F_LABEL, F_SMALL, F_MONO, F_BOLD, F__COUNT };

typedef struct rgb { double r, g, b; } rgb;



typedef VIZ__VEC(double) dvec;

typedef struct label {
    double x, y, w;
    rgb c;
    char *s;
} label;

typedef struct dctx {
    cairo_t *cr;
    PangoLayout *pl;
    PangoFontDescription *fd[F__COUNT];
    const viz_model *m;
    const viz_options *o;
    viz_layout L;
    double lanes_y, out_y, axis_y, legend_y;
    int out_rows;
    double *out_x0, *out_x1;   /* per output: the placed box (x1 < x0: not shown) */
    int *out_row;
    VIZ__VEC(label) labels;    /* placed, to draw last */
    dvec *taken;               /* per lane: label intervals placed (x0, x1 pairs) */
    bool borrowed;             /* L is the caller's: not freed here */
    uint64_t vis_lo, vis_hi;
    size_t slot_lo, slot_hi;   /* the slots that can show: [slot_lo, slot_hi) */   /* events that can show: an item outside [lo, hi] is skipped
                                * before any x is computed (level of detail by zoom) */
    int missing;               /* texts with glyphs no font has */
    char missing_text[64];
} dctx;

#define C_STEP ((rgb){ 0.23, 0.44, 0.71 })
#define C_CALLBACK ((rgb){ 0.42, 0.48, 0.54 })
#define C_THREAD ((rgb){ 0.30, 0.58, 0.30 })
#define C_TEXT ((rgb){ 0.13, 0.13, 0.15 })
#define C_DIM ((rgb){ 0.45, 0.45, 0.50 })
#define C_RED ((rgb){ 0.80, 0.15, 0.15 })
#define C_GREEN ((rgb){ 0.15, 0.60, 0.25 })

static inline void set_rgb(cairo_t *cr, rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

static inline double X(const dctx *d, uint64_t seq)
{
    return viz__x_of(d->m, &d->L, seq);
}

/* X for items taken in seq order: hint is the loop's own (start it at 0). */
static inline double XN(const dctx *d, uint64_t seq, size_t *hint)
{
    return viz__x_near(d->m, &d->L, seq, hint);
}

static inline double lane_mid(const dctx *d, int lane)
{
    return d->lanes_y + (lane + 0.5) * LANE_H;
}

/* Whether an item spanning events [s0, s1] lies wholly outside the visible ones. */
static inline bool seq_off(const dctx *d, uint64_t s0, uint64_t s1)
{
    return s1 < d->vis_lo || s0 > d->vis_hi;
}

static inline bool off(const dctx *d, double x0, double x1)
{
    return x1 < d->L.X0 - 60 || x0 > d->L.X1 + 60;
}

typedef struct run {
    double x0, x1;
    int kind;                 /* -1: empty */
} run;

/* draw_text.c: text with pango, labels placed without overlaps, shapes */
void viz__text_size(dctx *d, const char *s, int f, double maxw, double *w, double *h);
double viz__text(dctx *d, double x, double y, const char *s, int f, double maxw, int align, rgb c);
bool viz__lane_label(dctx *d, int lane, int row, double x, double y, const char *s, double maxw, rgb c);
void viz__draw_labels(dctx *d);
void viz__round_rect(cairo_t *cr, double x, double y, double w, double h, double r);
void viz__arrow_head(cairo_t *cr, double x, double y, double dx, double dy, double size);

/* draw_items.c: what the lanes hold, back to front (bars and steps merged by pixel) */
extern const rgb viz__wait_rgb[VIZ_W__COUNT], viz__arrow_rgb[VIZ_A__COUNT];
void viz__run_flush(dctx *d, run *r, int lane, double hgt, const rgb *colors, double alpha);
bool viz__run_add(dctx *d, run *r, int lane, double x0, double x1, int kind, double hgt,
                  const rgb *colors, double alpha);
void viz__draw_iterations(dctx *d);
void viz__draw_breaks(dctx *d);
void viz__draw_waits(dctx *d, run *runs);
void viz__draw_steps(dctx *d, run *runs);
void viz__draw_marks(dctx *d);
void viz__draw_arrows(dctx *d);

/* draw_frame.c: around the lanes: title, lane labels, printed lines, axis, legend */
void viz__draw_title(dctx *d, int w);
void viz__draw_lanes(dctx *d, int w);
int viz__place_outputs(dctx *d);
void viz__draw_outputs(dctx *d, int w);
void viz__draw_axis(dctx *d, int w);
int viz__draw_legend(dctx *d, int w, bool draw);

#endif
