/* draw.c — the timeline drawn with cairo, text with pango (so Chinese renders).
 *
 * One function draws for every target: PNG, SVG and PDF surfaces and the viewer's
 * window. From top to bottom: the title, a lane per task / the callbacks / each thread
 * (label column on the left), the "printed" lane with the output lines, the axis, the
 * legend. Inside the lanes, from back to front: iteration separators, clock breaks,
 * waiting bars, steps, marks, arrows, the cursor.
 *
 * Level of detail: bars and steps closer than a pixel on one lane are merged into one
 * rectangle as they are drawn (a million events cost a few thousand cairo calls at a
 * full view); labels are drawn only where they fit; arrows only when slots are wide
 * enough to tell them apart.
 */
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

static const rgb wait_rgb[] = {
#define VIZ_WK_RGB(n, s, r, g, b) { r, g, b },
    VIZ_WAIT_KINDS(VIZ_WK_RGB)
#undef VIZ_WK_RGB
};
static const char *const wait_desc[] = {
#define VIZ_WK_DESC(n, s, r, g, b) s,
    VIZ_WAIT_KINDS(VIZ_WK_DESC)
#undef VIZ_WK_DESC
};
static const rgb arrow_rgb[] = {
#define VIZ_AK_RGB(n, s, r, g, b) { r, g, b },
    VIZ_ARROW_KINDS(VIZ_AK_RGB)
#undef VIZ_AK_RGB
};
static const char *const arrow_desc[] = {
#define VIZ_AK_DESC(n, s, r, g, b) s,
    VIZ_ARROW_KINDS(VIZ_AK_DESC)
#undef VIZ_AK_DESC
};

static const rgb C_STEP = { 0.23, 0.44, 0.71 };
static const rgb C_CALLBACK = { 0.42, 0.48, 0.54 };
static const rgb C_THREAD = { 0.30, 0.58, 0.30 };
static const rgb C_TEXT = { 0.13, 0.13, 0.15 };
static const rgb C_DIM = { 0.45, 0.45, 0.50 };
static const rgb C_RED = { 0.80, 0.15, 0.15 };
static const rgb C_GREEN = { 0.15, 0.60, 0.25 };

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
    int missing;               /* texts with glyphs no font has */
    char missing_text[64];
} dctx;

static void set_rgb(cairo_t *cr, rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

/* ---- text ---------------------------------------------------------------------------- */

/* Lays out s in font f, at most maxw wide (ellipsized; <= 0: no limit); its size. */
static void text_size(dctx *d, const char *s, int f, double maxw, double *w, double *h)
{
    pango_layout_set_font_description(d->pl, d->fd[f]);
    pango_layout_set_width(d->pl, maxw > 0 ? (int)(maxw * PANGO_SCALE) : -1);
    pango_layout_set_ellipsize(d->pl, maxw > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_text(d->pl, s, -1);
    int pw, ph;
    pango_layout_get_pixel_size(d->pl, &pw, &ph);
    if (w)
        *w = pw;
    if (h)
        *h = ph;
    if (pango_layout_get_unknown_glyphs_count(d->pl) > 0 && !d->missing++)
        snprintf(d->missing_text, sizeof d->missing_text, "%.60s", s);
}

/* Draws s with its left (align 0), centre (1) or right (2) at x, vertically centred
 * on y. Returns the width drawn. */
static double text(dctx *d, double x, double y, const char *s, int f, double maxw, int align, rgb c)
{
    double w, h;
    text_size(d, s, f, maxw, &w, &h);
    cairo_move_to(d->cr, x - (align == 1 ? w / 2 : align == 2 ? w : 0), y - h / 2);
    set_rgb(d->cr, c);
    pango_cairo_show_layout(d->cr, d->pl);
    cairo_new_path(d->cr);
    return w;
}

/* Places a small label centred at x under (row 0) or over (row 1) a lane's bars, unless
 * it would overlap a label already placed there or is wider than maxw (> 0). Labels
 * are drawn at the end (draw_labels), over everything else. */
static bool lane_label(dctx *d, int lane, int row, double x, double y, const char *s, double maxw,
                       rgb c)
{
    double w;
    text_size(d, s, F_SMALL, 0, &w, NULL);
    if (maxw > 0 && w > maxw)
        return false;         /* a label cut short says little: leave it out */
    double a = x - w / 2 - 3, b = x + w / 2 + 3;
    if (a < d->L.X0 - 2)
        return false;
    dvec *t = &d->taken[lane * 2 + row];
    for (size_t i = 0; i + 1 < t->n; i += 2)
        if (a < t->v[i + 1] && t->v[i] < b)
            return false;
    if (t->n > 4000)
        return false;
    *VIZ__PUSH(*t) = a;
    *VIZ__PUSH(*t) = b;
    label *lb = VIZ__PUSH(d->labels);
    lb->x = x;
    lb->y = y;
    lb->w = w;
    lb->c = c;
    lb->s = viz__strdup(s);
    return true;
}

static void round_rect(cairo_t *cr, double x, double y, double w, double h, double r);

/* The lanes' labels, last (over the arrows), each on a faint halo. */
static void draw_labels(dctx *d)
{
    for (size_t i = 0; i < d->labels.n; i++) {
        const label *lb = &d->labels.v[i];
        cairo_set_source_rgba(d->cr, 1, 1, 1, 0.75);
        round_rect(d->cr, lb->x - lb->w / 2 - 2, lb->y - 7, lb->w + 4, 14, 3);
        cairo_fill(d->cr);
        text(d, lb->x, lb->y, lb->s, F_SMALL, 0, 1, lb->c);
        free(lb->s);
    }
    d->labels.n = 0;
}

/* ---- geometry ------------------------------------------------------------------------- */

static double lane_mid(const dctx *d, int lane)
{
    return d->lanes_y + (lane + 0.5) * LANE_H;
}

static double X(const dctx *d, uint64_t seq)
{
    return viz__x_of(d->m, &d->L, seq);
}

static bool off(const dctx *d, double x0, double x1)
{
    return x1 < d->L.X0 - 60 || x0 > d->L.X1 + 60;
}

static void round_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (r < 0.5) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* ---- merged rectangles (level of detail) ------------------------------------------------ */

typedef struct run {
    double x0, x1;
    int kind;                 /* -1: empty */
} run;

static void run_flush(dctx *d, run *r, int lane, double hgt, const rgb *colors, double alpha)
{
    if (r->kind < 0)
        return;
    double y = lane_mid(d, lane) - hgt / 2;
    double w = r->x1 - r->x0;
    if (w < 1)
        w = 1;
    cairo_set_source_rgba(d->cr, colors[r->kind].r, colors[r->kind].g, colors[r->kind].b, alpha);
    round_rect(d->cr, r->x0, y, w, hgt, w > 8 ? 3 : 0);
    cairo_fill(d->cr);
    r->kind = -1;
}

/* Adds [x0,x1] of a kind to the lane's run; a gap of a pixel or a change of kind
 * draws the run so far. Returns true if the item stands alone (wide enough that its
 * details are worth drawing). */
static bool run_add(dctx *d, run *r, int lane, double x0, double x1, int kind, double hgt,
                    const rgb *colors, double alpha)
{
    bool alone = x1 - x0 >= 3;
    if (r->kind == kind && x0 <= r->x1 + 1 && !alone) {
        if (x1 > r->x1)
            r->x1 = x1;
        return false;
    }
    run_flush(d, r, lane, hgt, colors, alpha);
    r->x0 = x0;
    r->x1 = x1;
    r->kind = kind;
    if (alone)
        run_flush(d, r, lane, hgt, colors, alpha);
    return alone;
}

/* ---- the parts --------------------------------------------------------------------------- */

static void draw_title(dctx *d, int w)
{
    const viz_model *m = d->m;
    text(d, 20, 22, m->title, F_TITLE, w - 40, 0, C_TEXT);
    char sub[400];
    snprintf(sub, sizeof sub, "%llu task%s \xc2\xb7 %llu events \xc2\xb7 virtual time 0 \xe2\x86\x92 %g s"
             " \xc2\xb7 x axis: %s%s",
             (unsigned long long)m->n_tasks, m->n_tasks == 1 ? "" : "s",
             (unsigned long long)m->nevents, m->t_end,
             d->o->axis == VIZ_AXIS_TIME ? "virtual time (same-instant events spread out)"
                                         : "loop iteration",
             m->complete ? "" : " \xc2\xb7 INCOMPLETE trace (run was killed)");
    if (!isnan(d->o->from) || !isnan(d->o->to)) {
        size_t k = strlen(sub);
        snprintf(sub + k, sizeof sub - k, " \xc2\xb7 shown: %g \xe2\x86\x92 %g s",
                 isnan(d->o->from) ? 0 : d->o->from, isnan(d->o->to) ? m->t_end : d->o->to);
    }
    text(d, 20, 48, sub, F_SMALL, w - 40, 0, C_DIM);
}

static void draw_lanes(dctx *d, int w)
{
    cairo_t *cr = d->cr;
    const viz_model *m = d->m;
    for (size_t i = 0; i < m->lanes.n; i++) {
        const viz_lane *ln = &m->lanes.v[i];
        double y = d->lanes_y + i * LANE_H;
        cairo_set_source_rgb(cr, i % 2 ? 1.0 : 0.965, i % 2 ? 1.0 : 0.965, i % 2 ? 1.0 : 0.975);
        cairo_rectangle(cr, 0, y, w, LANE_H);
        cairo_fill(cr);
        bool task = ln->kind == VIZ_LANE_TASK;
        double ly = y + LANE_H / 2 - (task && ln->state ? 7 : 0);
        text(d, 14, ly, ln->label, task ? F_BOLD : F_LABEL, LABEL_W - 22, 0,
             task ? C_TEXT : C_DIM);
        if (task && ln->state) {
            rgb c = !strcmp(ln->state, "finished") ? C_GREEN
                  : !strcmp(ln->state, "pending") ? C_DIM : C_RED;
            text(d, 14, ly + 15, ln->state, F_SMALL, LABEL_W - 22, 0, c);
        }
    }
    /* the label column's edge */
    cairo_set_source_rgb(cr, 0.82, 0.82, 0.86);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, LABEL_W - 0.5, d->lanes_y);
    cairo_line_to(cr, LABEL_W - 0.5, d->axis_y);
    cairo_stroke(cr);
}

static void draw_iterations(dctx *d)
{
    const viz_model *m = d->m;
    cairo_t *cr = d->cr;
    double top = d->lanes_y, bot = d->lanes_y + m->lanes.n * LANE_H;
    if (d->L.unit < 5)
        return;
    cairo_set_line_width(cr, 1);
    double dash[] = { 2, 3 };
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgba(cr, 0.5, 0.5, 0.6, 0.35);
    for (size_t i = 0; i < m->iters.n; i++) {
        double x = X(d, m->iters.v[i].seq);
        if (off(d, x, x))
            continue;
        cairo_move_to(cr, floor(x) + 0.5, top);
        cairo_line_to(cr, floor(x) + 0.5, bot);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void zigzag(cairo_t *cr, double x, double top, double bot)
{
    cairo_move_to(cr, x, top);
    int k = 0;
    for (double y = top; y < bot; y += 6, k++)
        cairo_line_to(cr, x + (k % 2 ? 4 : -4), y + 6 < bot ? y + 6 : bot);
}

static void draw_breaks(dctx *d)
{
    cairo_t *cr = d->cr;
    double top = d->lanes_y, bot = d->axis_y;
    for (size_t i = 0; i < d->L.breaks.n; i++) {
        const viz_break *b = &d->L.breaks.v[i];
        cairo_set_source_rgba(cr, 0.93, 0.93, 0.95, 1);
        cairo_rectangle(cr, b->x0 + 6, top, b->x1 - b->x0 - 12, bot - top);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.55, 0.55, 0.62);
        cairo_set_line_width(cr, 1.2);
        zigzag(cr, b->x0 + 6, top, bot);
        zigzag(cr, b->x1 - 6, top, bot);
        cairo_stroke(cr);
    }
}

/* What a wait's bar says. */
static void wait_label(const dctx *d, const viz_wait *w, char *buf, size_t n)
{
    const viz_model *m = d->m;
    switch (w->kind) {
    case VIZ_W_SLEEP:
        if (!isnan(w->dur))
            snprintf(buf, n, "sleep %g", w->dur);
        else
            snprintf(buf, n, "sleep");
        break;
    case VIZ_W_TASK:
        for (size_t i = 0; i < m->lanes.n; i++)
            if (m->lanes.v[i].kind == VIZ_LANE_TASK && m->lanes.v[i].id == w->awaited) {
                snprintf(buf, n, "await %s", m->lanes.v[i].name);
                return;
            }
        snprintf(buf, n, "await task #%llu", (unsigned long long)w->awaited);
        break;
    case VIZ_W_FUTURE:
        snprintf(buf, n, "await future #%llu", (unsigned long long)w->awaited);
        break;
    case VIZ_W_SYNC:
        snprintf(buf, n, "lock / queue #%llu", (unsigned long long)w->awaited);
        break;
    case VIZ_W_THREAD:
        snprintf(buf, n, "await thread result");
        break;
    default:
        snprintf(buf, n, "sleep(0)");
        break;
    }
}

static void draw_waits(dctx *d, run *runs)
{
    const viz_model *m = d->m;
    double xend = d->L.X1 + 30;
    for (size_t i = 0; i < m->waits.n; i++) {
        const viz_wait *w = &m->waits.v[i];
        double x0 = X(d, w->seq0), x1 = w->seq1 ? X(d, w->seq1) : xend;
        if (off(d, x0, x1))
            continue;
        if (!run_add(d, &runs[w->lane], w->lane, x0, x1, w->kind, WAIT_H, wait_rgb, 0.85))
            continue;
        char lab[96];
        wait_label(d, w, lab, sizeof lab);
        double y = lane_mid(d, w->lane);
        double a = x0 > d->L.X0 ? x0 : d->L.X0, b = x1 < d->L.X1 ? x1 : d->L.X1;
        if (b - a > 30)
            lane_label(d, w->lane, 0, (a + b) / 2, y + STEP_H / 2 + 7, lab, b - a + 20, C_DIM);
        if (!w->seq1 && x1 >= d->L.X1) {
            /* never resumed: the bar runs off the end */
            text(d, d->L.X1 - 2, y - STEP_H / 2 - 2, "never resumed \xe2\x86\x92", F_SMALL, 0, 2, C_RED);
        }
    }
    for (size_t l = 0; l < m->lanes.n; l++)
        run_flush(d, &runs[l], (int)l, WAIT_H, wait_rgb, 0.85);
}

static void end_mark(dctx *d, const viz_step *s, double x, double y)
{
    cairo_t *cr = d->cr;
    double r = 5;
    switch (s->end) {
    case VIZ_END_RETURN:
        set_rgb(cr, C_GREEN);
        cairo_arc(cr, x + r + 2, y, r, 0, 2 * M_PI);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.6);
        cairo_move_to(cr, x + 4.5, y);
        cairo_line_to(cr, x + 6.5, y + 2.5);
        cairo_line_to(cr, x + 9.5, y - 2.5);
        cairo_stroke(cr);
        break;
    case VIZ_END_RAISE:
    case VIZ_END_CANCELLED:
        set_rgb(cr, s->end == VIZ_END_RAISE ? C_RED : (rgb){ 0.90, 0.45, 0.10 });
        cairo_arc(cr, x + r + 2, y, r, 0, 2 * M_PI);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.6);
        cairo_move_to(cr, x + 4.5, y - 2.5);
        cairo_line_to(cr, x + 9.5, y + 2.5);
        if (s->end == VIZ_END_RAISE) {
            cairo_move_to(cr, x + 4.5, y + 2.5);
            cairo_line_to(cr, x + 9.5, y - 2.5);
        }
        cairo_stroke(cr);
        text(d, x + 14, y, s->end == VIZ_END_RAISE ? "raised" : "cancelled", F_SMALL, 0, 0,
             s->end == VIZ_END_RAISE ? C_RED : (rgb){ 0.80, 0.35, 0.05 });
        break;
    default:
        break;
    }
}

static void draw_steps(dctx *d, run *runs)
{
    const viz_model *m = d->m;
    rgb colors[3] = { C_STEP, C_CALLBACK, C_THREAD };
    for (size_t i = 0; i < m->steps.n; i++) {
        const viz_step *s = &m->steps.v[i];
        double x0 = X(d, s->seq0), x1 = X(d, s->seq1);
        if (s->end == VIZ_END_OPEN && s->seq1 == s->seq0)
            x1 = x0 + 4;
        if (off(d, x0, x1))
            continue;
        if (x1 - x0 < 2) {
            double c = (x0 + x1) / 2;
            x0 = c - 1;
            x1 = c + 1;
        }
        int kind = s->end == VIZ_END_CALLBACK ? 1 : s->end == VIZ_END_THREAD ? 2 : 0;
        double hgt = kind == 2 ? WAIT_H + 4 : STEP_H;
        if (!run_add(d, &runs[s->lane], s->lane, x0, x1, kind, hgt, colors, 1.0))
            continue;
        double y = lane_mid(d, s->lane);
        if (s->thrown) {
            cairo_set_source_rgb(d->cr, 0.85, 0.2, 0.2);
            cairo_set_line_width(d->cr, 2);
            round_rect(d->cr, x0, y - STEP_H / 2, x1 - x0, STEP_H, 3);
            cairo_stroke(d->cr);
        }
        if (kind == 1) {
            const char *lab = viz__handle_label(m, s->handle);
            if (lab && !lane_label(d, s->lane, 0, (x0 + x1) / 2, y + STEP_H / 2 + 7, lab, 160, C_DIM))
                lane_label(d, s->lane, 1, (x0 + x1) / 2, y - STEP_H / 2 - 7, lab, 160, C_DIM);
        }
        end_mark(d, s, x1, y);
    }
    for (size_t l = 0; l < m->lanes.n; l++)
        run_flush(d, &runs[l], (int)l, STEP_H, colors, 1.0);
}

static void draw_marks(dctx *d)
{
    const viz_model *m = d->m;
    cairo_t *cr = d->cr;
    for (size_t i = 0; i < m->marks.n; i++) {
        const viz_mark *mk = &m->marks.v[i];
        double x = X(d, mk->seq), y = lane_mid(d, mk->lane);
        if (off(d, x, x))
            continue;
        switch (mk->kind) {
        case VIZ_M_CREATE:
            break;           /* the create arrow starts here: that says enough */
        case VIZ_M_CANCEL:
            set_rgb(cr, C_RED);
            cairo_set_line_width(cr, 2.2);
            cairo_move_to(cr, x - 4, y - 4);
            cairo_line_to(cr, x + 4, y + 4);
            cairo_move_to(cr, x - 4, y + 4);
            cairo_line_to(cr, x + 4, y - 4);
            cairo_stroke(cr);
            if (d->L.unit >= 20)
                lane_label(d, mk->lane, 1, x, y - STEP_H / 2 - 5, "cancel()", 0, C_RED);
            break;
        case VIZ_M_LOOP_SLEEP: {
            char lab[64];
            snprintf(lab, sizeof lab, "time.sleep(%g) blocks the loop", mk->num);
            set_rgb(cr, C_RED);
            cairo_rectangle(cr, x - 3, y - STEP_H / 2, 6, STEP_H);
            cairo_fill(cr);
            text(d, x + 6, y - STEP_H / 2 - 4, lab, F_SMALL, 0, 0, C_RED);
            break;
        }
        case VIZ_M_DEADLOCK:
            set_rgb(cr, C_RED);
            cairo_rectangle(cr, x - 2, d->lanes_y, 4, m->lanes.n * LANE_H);
            cairo_fill(cr);
            text(d, x - 6, y, "deadlock", F_BOLD, 0, 2, C_RED);
            break;
        }
    }
}

static void arrow_head(cairo_t *cr, double x, double y, double dx, double dy, double size)
{
    double len = hypot(dx, dy);
    if (len < 1e-9)
        return;
    dx /= len;
    dy /= len;
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x - size * dx + size * 0.5 * dy, y - size * dy - size * 0.5 * dx);
    cairo_line_to(cr, x - size * dx - size * 0.5 * dy, y - size * dy + size * 0.5 * dx);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void draw_arrows(dctx *d)
{
    const viz_model *m = d->m;
    cairo_t *cr = d->cr;
    if (d->L.unit < 6)
        return;
    for (size_t i = 0; i < m->arrows.n; i++) {
        const viz_arrow *a = &m->arrows.v[i];
        double x0 = X(d, a->seq0), x1 = X(d, a->seq1);
        if (off(d, x0 < x1 ? x0 : x1, x0 < x1 ? x1 : x0))
            continue;
        double y0 = lane_mid(d, a->lane0), y1 = lane_mid(d, a->lane1);
        rgb c = arrow_rgb[a->kind];
        cairo_set_source_rgba(cr, c.r, c.g, c.b, 0.85);
        cairo_set_line_width(cr, a->kind == VIZ_A_CANCEL ? 1.8 : 1.3);
        double dash_timer[] = { 5, 3 }, dash_create[] = { 1.5, 2.5 };
        if (a->kind == VIZ_A_TIMER)
            cairo_set_dash(cr, dash_timer, 2, 0);
        else if (a->kind == VIZ_A_CREATE)
            cairo_set_dash(cr, dash_create, 2, 0);
        double ex, ey, dx, dy;
        if (a->lane0 == a->lane1) {
            /* an arc over the lane */
            double h = STEP_H / 2 + 6 + fmin(10, fabs(x1 - x0) / 8);
            y0 -= STEP_H / 2;
            y1 -= STEP_H / 2;
            cairo_move_to(cr, x0, y0);
            cairo_curve_to(cr, x0, y0 - h, x1, y1 - h, x1, y1);
            ex = x1;
            ey = y1;
            dx = 0;
            dy = 1;
        } else {
            double dir = y1 > y0 ? 1 : -1;
            double sy = y0 + dir * STEP_H / 2, ty = y1 - dir * STEP_H / 2;
            double mx = fabs(x1 - x0) < 4 ? 0 : (x1 - x0) / 2;
            cairo_move_to(cr, x0, sy);
            cairo_curve_to(cr, x0 + mx * 0.2, sy + dir * 14, x1 - mx * 0.6, ty - dir * 14, x1, ty);
            ex = x1;
            ey = ty;
            dx = mx * 0.6;
            dy = dir * 14;
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        arrow_head(cr, ex, ey, dx, dy, 7);
    }
}

/* Output boxes: rows chosen greedily left to right so no two boxes overlap; a line
 * that finds no free row is left out (the viewer shows every line). */
static int place_outputs(dctx *d)
{
    const viz_model *m = d->m;
    size_t n = m->outputs.n;
    d->out_x0 = viz__xmalloc((n ? n : 1) * sizeof *d->out_x0);
    d->out_x1 = viz__xmalloc((n ? n : 1) * sizeof *d->out_x1);
    d->out_row = viz__xmalloc((n ? n : 1) * sizeof *d->out_row);
    double row_end[OUT_ROWS_MAX];
    for (int r = 0; r < OUT_ROWS_MAX; r++)
        row_end[r] = -1e18;
    int rows = 0;
    for (size_t i = 0; i < n; i++) {
        const viz_output *o = &m->outputs.v[i];
        d->out_x0[i] = 0;
        d->out_x1[i] = -1;
        double x = X(d, o->seq);
        if (x < d->L.X0 - 1 || x > d->L.X1 + 1)
            continue;
        double w;
        text_size(d, o->text[0] ? o->text : " ", F_MONO, 420, &w, NULL);
        w += 10;
        double bx = x - 5;
        if (bx + w > d->L.X1 + MARGIN_R - 4)
            bx = d->L.X1 + MARGIN_R - 4 - w;
        if (bx < d->L.X0 - 4)
            bx = d->L.X0 - 4;
        for (int r = 0; r < OUT_ROWS_MAX; r++) {
            if (row_end[r] + 4 <= bx) {
                row_end[r] = bx + w;
                d->out_x0[i] = bx;
                d->out_x1[i] = bx + w;
                d->out_row[i] = r;
                if (r + 1 > rows)
                    rows = r + 1;
                break;
            }
        }
    }
    return rows;
}

static void draw_outputs(dctx *d, int w)
{
    const viz_model *m = d->m;
    cairo_t *cr = d->cr;
    double y0 = d->out_y, h = (d->out_rows ? d->out_rows : 1) * OUT_ROW_H + 10;
    cairo_set_source_rgb(cr, 0.99, 0.97, 0.90);
    cairo_rectangle(cr, 0, y0, w, h);
    cairo_fill(cr);
    text(d, 14, y0 + h / 2 - 7, "printed", F_BOLD, LABEL_W - 22, 0, C_TEXT);
    text(d, 14, y0 + h / 2 + 9, d->m->outputs.n ? "output lines, where they ran" : "(nothing)",
         F_SMALL, LABEL_W - 22, 0, C_DIM);
    cairo_save(cr);
    cairo_rectangle(cr, LABEL_W, d->lanes_y, w - LABEL_W, d->axis_y - d->lanes_y);
    cairo_clip(cr);
    for (size_t i = 0; i < m->outputs.n; i++) {
        const viz_output *o = &m->outputs.v[i];
        if (d->out_x1[i] < d->out_x0[i])
            continue;
        double x = X(d, o->seq);
        double by = y0 + 5 + d->out_row[i] * OUT_ROW_H;
        /* the dot where it was printed, and a line down to the text */
        if (o->lane >= 0) {
            double ly = lane_mid(d, o->lane);
            cairo_set_source_rgba(cr, 0.55, 0.45, 0.1, 0.5);
            cairo_set_line_width(cr, 1);
            double dash[] = { 1, 2 };
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, floor(x) + 0.5, ly);
            cairo_line_to(cr, floor(x) + 0.5, by);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            cairo_set_source_rgb(cr, 0.55, 0.40, 0.0);
            cairo_arc(cr, x, ly, 3, 0, 2 * M_PI);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 1, 1, 1);
        round_rect(cr, d->out_x0[i], by + 1, d->out_x1[i] - d->out_x0[i], OUT_ROW_H - 3, 3);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.80, 0.70, 0.40);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        text(d, d->out_x0[i] + 5, by + OUT_ROW_H / 2, o->text[0] ? o->text : " ", F_MONO, 420, 0,
             o->is_stderr ? C_RED : C_TEXT);
    }
    cairo_restore(cr);
}

static void draw_axis(dctx *d, int w)
{
    cairo_t *cr = d->cr;
    double y = d->axis_y + 4;
    set_rgb(cr, C_DIM);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, LABEL_W, floor(y) + 0.5);
    cairo_line_to(cr, w - MARGIN_R / 2, floor(y) + 0.5);
    cairo_stroke(cr);
    text(d, 14, y + 14, d->o->axis == VIZ_AXIS_TIME ? "virtual time (s)" : "loop iteration",
         F_BOLD, LABEL_W - 22, 0, C_TEXT);
    double next_free = -1e18;
    for (size_t i = 0; i < d->L.ticks.n; i++) {
        const viz_tick *t = &d->L.ticks.v[i];
        if (t->x < d->L.X0 - 1 || t->x > d->L.X1 + 1)
            continue;
        cairo_move_to(cr, floor(t->x) + 0.5, y);
        cairo_line_to(cr, floor(t->x) + 0.5, y + (t->major ? 6 : 3));
        set_rgb(cr, C_DIM);
        cairo_stroke(cr);
        char lab[40];
        snprintf(lab, sizeof lab, d->o->axis == VIZ_AXIS_TIME ? "%s" : "#%s", t->label);
        double tw;
        text_size(d, lab, F_SMALL, 0, &tw, NULL);
        if (t->x - tw / 2 >= next_free) {
            text(d, t->x, y + 16, lab, F_SMALL, 0, 1, t->major ? C_TEXT : C_DIM);
            next_free = t->x + tw / 2 + 8;
        }
    }
    for (size_t i = 0; i < d->L.breaks.n; i++) {
        const viz_break *b = &d->L.breaks.v[i];
        char lab[48];
        snprintf(lab, sizeof lab, "+%g s", b->t1 - b->t0);
        double xm = (b->x0 + b->x1) / 2;
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, xm - 24, y - 8, 48, 14);
        cairo_fill(cr);
        text(d, xm, y - 1, lab, F_SMALL, 0, 1, C_DIM);
    }
}

static double legend_item(dctx *d, double x, double y, rgb c, int style, const char *label)
{
    cairo_t *cr = d->cr;
    set_rgb(cr, c);
    if (style == 0) {            /* bar */
        round_rect(cr, x, y - 5, 22, 10, 2);
        cairo_fill(cr);
    } else if (style == 1) {     /* step box */
        round_rect(cr, x, y - 8, 22, 16, 3);
        cairo_fill(cr);
    } else {                     /* arrow */
        double dash_timer[] = { 5, 3 }, dash_create[] = { 1.5, 2.5 };
        if (style == 2 + VIZ_A_TIMER)
            cairo_set_dash(cr, dash_timer, 2, 0);
        else if (style == 2 + VIZ_A_CREATE)
            cairo_set_dash(cr, dash_create, 2, 0);
        cairo_set_line_width(cr, 1.5);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + 18, y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        arrow_head(cr, x + 24, y, 1, 0, 7);
    }
    return x + 30 + text(d, x + 28, y, label, F_SMALL, 0, 0, C_TEXT) + 16;
}

typedef struct legend_entry {
    rgb c;
    int style;
    const char *label;
} legend_entry;

/* Legend items flow into rows; returns the number of rows used (draw = false: measure). */
static int draw_legend(dctx *d, int w, bool draw)
{
    double x0 = 20, x = x0, y = d->legend_y + LEGEND_ROW_H / 2;
    int rows = 1;
    cairo_t *cr = d->cr;
    cairo_save(cr);
    if (!draw) {
        cairo_rectangle(cr, 0, 0, 0, 0);
        cairo_clip(cr);
    }
    legend_entry items[32];
    int n = 0;
    items[n++] = (legend_entry){ C_STEP, 1, "task step (running)" };
    items[n++] = (legend_entry){ C_CALLBACK, 1, "plain callback" };
    items[n++] = (legend_entry){ C_THREAD, 1, "thread running" };
    int first_wait = n;
    for (int k = 0; k < VIZ_W__COUNT; k++)
        items[n++] = (legend_entry){ wait_rgb[k], 0, wait_desc[k] };
    int first_arrow = n;
    for (int k = 0; k < VIZ_A__COUNT; k++)
        items[n++] = (legend_entry){ arrow_rgb[k], 2 + k, arrow_desc[k] };
    for (int i = 0; i < n; i++) {
        if (i == first_wait || i == first_arrow) {
            const char *head = i == first_wait ? "waiting for:" : "arrows:";
            double hw;
            text_size(d, head, F_BOLD, 0, &hw, NULL);
            if (x + hw + 160 > w - MARGIN_R) {
                x = x0;
                y += LEGEND_ROW_H;
                rows++;
            }
            x += text(d, x, y, head, F_BOLD, 0, 0, C_TEXT) + 10;
        }
        double tw;
        text_size(d, items[i].label, F_SMALL, 0, &tw, NULL);
        if (x + tw + 46 > w - MARGIN_R) {
            x = x0 + 20;
            y += LEGEND_ROW_H;
            rows++;
        }
        x = legend_item(d, x, y, items[i].c, items[i].style, items[i].label);
    }
    cairo_restore(cr);
    return rows;
}

/* ---- entry points ------------------------------------------------------------------------- */

static int default_width(const viz_model *m, const viz_options *o)
{
    double units = 0;
    for (size_t i = 0; i < m->slots.n; i++) {
        double t = m->slots.v[i].time;
        if ((isnan(o->from) || t >= o->from - 1e-12) && (isnan(o->to) || t <= o->to + 1e-12))
            units += m->slots.v[i].handle ? 1 : 0.5;
    }
    int w = (int)(LABEL_W + MARGIN_R + 300 + units * 90);
    return w < 1000 ? 1000 : w > 2400 ? 2400 : w;
}

void viz__data_range(int w, double *X0, double *X1)
{
    *X0 = LABEL_W + 12;
    *X1 = w - MARGIN_R;
}

static void dctx_init(dctx *d, const viz_model *m, const viz_options *o, cairo_t *cr, int w)
{
    memset(d, 0, sizeof *d);
    d->cr = cr;
    d->m = m;
    d->o = o;
    d->pl = pango_cairo_create_layout(cr);
    static const char *const fams[F__COUNT] = { SANS " Bold 17px", SANS " 13px", SANS " 11px",
                                                MONO " 12px", SANS " Bold 13px" };
    for (int i = 0; i < F__COUNT; i++)
        d->fd[i] = pango_font_description_from_string(fams[i]);
    double X0, X1;
    viz__data_range(w, &X0, &X1);
    viz__layout(m, o, X0, X1, &d->L);
    d->taken = viz__xmalloc((m->lanes.n ? m->lanes.n : 1) * 2 * sizeof *d->taken);
    d->lanes_y = TITLE_H + 8;
    d->out_y = d->lanes_y + m->lanes.n * LANE_H;
    d->out_rows = place_outputs(d);
    d->axis_y = d->out_y + (d->out_rows ? d->out_rows : 1) * OUT_ROW_H + 10;
    d->legend_y = d->axis_y + AXIS_H;
}

static void dctx_free(dctx *d)
{
    for (int i = 0; i < F__COUNT; i++)
        pango_font_description_free(d->fd[i]);
    g_object_unref(d->pl);
    for (size_t i = 0; i < d->m->lanes.n * 2; i++)
        free(d->taken[i].v);
    free(d->taken);
    for (size_t i = 0; i < d->labels.n; i++)
        free(d->labels.v[i].s);
    free(d->labels.v);
    viz__layout_free(&d->L);
    free(d->out_x0);
    free(d->out_x1);
    free(d->out_row);
}

void viz_picture_size(const viz_model *m, const viz_options *o, int *w, int *h)
{
    int W = o->width > 0 ? o->width : default_width(m, o);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    dctx d;
    dctx_init(&d, m, o, cr, W);
    int rows = draw_legend(&d, W, false);
    *w = W;
    *h = (int)ceil(d.legend_y + rows * LEGEND_ROW_H + 12);
    dctx_free(&d);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* A font must exist at all; texts that no font can show are reported after drawing. */
static int check_font(dctx *d, char *err, size_t errlen)
{
    PangoContext *ctx = pango_layout_get_context(d->pl);
    PangoFont *f = pango_context_load_font(ctx, d->fd[F_LABEL]);
    if (!f) {
        snprintf(err, errlen, "no usable font: install fonts-noto-cjk (scripts/deps.sh) "
                              "or any TrueType font fontconfig can find");
        return -1;
    }
    g_object_unref(f);
    return 0;
}

int viz_draw(const viz_model *m, cairo_t *cr, int w, int h, const viz_options *o,
             char *err, size_t errlen)
{
    char scratch[VIZ_ERR_MAX];
    if (!err || !errlen) {
        err = scratch;
        errlen = sizeof scratch;
    }
    viz_options dflt;
    if (!o) {
        viz_options_init(&dflt);
        o = &dflt;
    }
    dctx d;
    dctx_init(&d, m, o, cr, w);
    if (check_font(&d, err, errlen) < 0) {
        dctx_free(&d);
        return -1;
    }
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_title(&d, w);
    draw_lanes(&d, w);
    cairo_save(cr);
    cairo_rectangle(cr, LABEL_W, d.lanes_y, w - LABEL_W, d.out_y - d.lanes_y);
    cairo_clip(cr);
    draw_iterations(&d);
    draw_breaks(&d);
    run *runs = viz__xmalloc((m->lanes.n ? m->lanes.n : 1) * sizeof *runs);
    for (size_t i = 0; i < m->lanes.n; i++)
        runs[i].kind = -1;
    draw_waits(&d, runs);
    draw_steps(&d, runs);
    free(runs);
    draw_marks(&d);
    if (d.L.first >= d.L.last)
        text(&d, (d.L.X0 + d.L.X1) / 2, d.lanes_y + 24,
             m->nevents ? "nothing happens in this time window" : "the trace has no events",
             F_LABEL, 0, 1, C_DIM);
    cairo_restore(cr);
    draw_outputs(&d, w);
    cairo_save(cr);
    cairo_rectangle(cr, LABEL_W, d.lanes_y - 6, w - LABEL_W, d.out_y - d.lanes_y + 6);
    cairo_clip(cr);
    draw_arrows(&d);
    draw_labels(&d);
    if (o->cursor) {
        double x = X(&d, o->cursor);
        cairo_set_source_rgba(cr, 0.9, 0.1, 0.4, 0.8);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x, d.lanes_y);
        cairo_line_to(cr, x, d.axis_y);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    draw_axis(&d, w);
    draw_legend(&d, w, true);
    cairo_restore(cr);
    (void)h;
    int rc = 0;
    if (d.missing) {
        snprintf(err, errlen, "missing font: no installed font can show the text '%s'; "
                              "install fonts-noto-cjk (scripts/deps.sh)", d.missing_text);
        rc = -1;
    }
    dctx_free(&d);
    return rc;
}
