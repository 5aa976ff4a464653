/* draw.c — the timeline drawn with cairo: the drawing context and the entry points.
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

#include "draw_int.h"

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

/* The events whose x can fall in the picture (with a margin): the slots overlapping
 * it, found by binary search (slots' x never decreases), widened to their neighbours
 * for the events between slots. */
static void visible_seqs(dctx *d)
{
    const viz_model *m = d->m;
    const viz_layout *L = &d->L;
    d->vis_lo = 0;
    d->vis_hi = UINT64_MAX;
    d->slot_lo = d->slot_hi = L->first;
    if (L->last <= L->first)
        return;
    double a = L->X0 - 80, b = L->X1 + 80;
    size_t lo = L->first, hi = L->last;
    while (lo < hi) {                      /* first slot ending at or after a */
        size_t mid = lo + (hi - lo) / 2;
        if (L->x1[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo;
    lo = first, hi = L->last;
    while (lo < hi) {                      /* first slot starting after b */
        size_t mid = lo + (hi - lo) / 2;
        if (L->x0[mid] <= b)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t last = lo;
    d->slot_lo = first;
    d->slot_hi = last;
    if (first > L->first)
        d->vis_lo = m->slots.v[first - 1].seq1;
    if (last < L->last)
        d->vis_hi = m->slots.v[last].seq0;
}

/* The context of one drawing; L: a layout of the caller's for these options and width
 * (borrowed), or NULL to make one. */
static void dctx_init(dctx *d, const viz_model *m, const viz_options *o, cairo_t *cr, int w,
                      const viz_layout *L)
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
    if (L) {
        d->L = *L;
        d->borrowed = true;
    } else {
        viz__layout(m, o, X0, X1, &d->L);
    }
    visible_seqs(d);
    d->taken = viz__xmalloc((m->lanes.n ? m->lanes.n : 1) * 2 * sizeof *d->taken);
    d->lanes_y = TITLE_H + 8;
    d->out_y = d->lanes_y + m->lanes.n * LANE_H;
    d->out_rows = viz__place_outputs(d);
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
    if (!d->borrowed)
        viz__layout_free(&d->L);
    free(d->out_x0);
    free(d->out_x1);
    free(d->out_row);
}

void viz_picture_size(const viz_model *m, const viz_options *o, int *w, int *h)
{
    viz__picture_size(m, o, NULL, w, h);
}

void viz__picture_size(const viz_model *m, const viz_options *o, const viz_layout *L, int *w, int *h)
{
    int W = o->width > 0 ? o->width : default_width(m, o);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    dctx d;
    dctx_init(&d, m, o, cr, W, L);
    int rows = viz__draw_legend(&d, W, false);
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
    return viz__draw(m, cr, w, h, o, NULL, err, errlen);
}

int viz__draw(const viz_model *m, cairo_t *cr, int w, int h, const viz_options *o,
              const viz_layout *L, char *err, size_t errlen)
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
    dctx_init(&d, m, o, cr, w, L);
    if (check_font(&d, err, errlen) < 0) {
        dctx_free(&d);
        return -1;
    }
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    viz__draw_title(&d, w);
    viz__draw_lanes(&d, w);
    cairo_save(cr);
    cairo_rectangle(cr, LABEL_W, d.lanes_y, w - LABEL_W, d.out_y - d.lanes_y);
    cairo_clip(cr);
    viz__draw_iterations(&d);
    viz__draw_breaks(&d);
    run *runs = viz__xmalloc((m->lanes.n ? m->lanes.n : 1) * sizeof *runs);
    for (size_t i = 0; i < m->lanes.n; i++)
        runs[i].kind = -1;
    viz__draw_waits(&d, runs);
    viz__draw_steps(&d, runs);
    free(runs);
    viz__draw_marks(&d);
    if (d.L.first >= d.L.last)
        viz__text(&d, (d.L.X0 + d.L.X1) / 2, d.lanes_y + 24,
             m->nevents ? "nothing happens in this time window" : "the trace has no events",
             F_LABEL, 0, 1, C_DIM);
    cairo_restore(cr);
    viz__draw_outputs(&d, w);
    cairo_save(cr);
    cairo_rectangle(cr, LABEL_W, d.lanes_y - 6, w - LABEL_W, d.out_y - d.lanes_y + 6);
    cairo_clip(cr);
    viz__draw_arrows(&d);
    viz__draw_labels(&d);
    if (o->cursor) {
        double x = X(&d, o->cursor);
        cairo_set_source_rgba(cr, 0.9, 0.1, 0.4, 0.8);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x, d.lanes_y);
        cairo_line_to(cr, x, d.axis_y);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    viz__draw_axis(&d, w);
    viz__draw_legend(&d, w, true);
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
