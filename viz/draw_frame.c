/* draw_frame.c — everything around the lanes: the title, the lanes' labels and
 * backgrounds, the "printed" lane with the output lines, the axis and the legend. */
#include "draw_int.h"

static const char *const wait_desc[] = {
#define VIZ_WK_DESC(n, s, r, g, b) s,
    VIZ_WAIT_KINDS(VIZ_WK_DESC)
#undef VIZ_WK_DESC
};

static const char *const arrow_desc[] = {
#define VIZ_AK_DESC(n, s, r, g, b) s,
    VIZ_ARROW_KINDS(VIZ_AK_DESC)
#undef VIZ_AK_DESC
};

void viz__draw_title(dctx *d, int w)
{
    const viz_model *m = d->m;
    viz__text(d, 20, 22, m->title, F_TITLE, w - 40, 0, C_TEXT);
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
    viz__text(d, 20, 48, sub, F_SMALL, w - 40, 0, C_DIM);
}

void viz__draw_lanes(dctx *d, int w)
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
        viz__text(d, 14, ly, ln->label, task ? F_BOLD : F_LABEL, LABEL_W - 22, 0,
             task ? C_TEXT : C_DIM);
        if (task && ln->state) {
            rgb c = !strcmp(ln->state, "finished") ? C_GREEN
                  : !strcmp(ln->state, "pending") ? C_DIM : C_RED;
            viz__text(d, 14, ly + 15, ln->state, F_SMALL, LABEL_W - 22, 0, c);
        }
    }
    /* the label column's edge */
    cairo_set_source_rgb(cr, 0.82, 0.82, 0.86);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, LABEL_W - 0.5, d->lanes_y);
    cairo_line_to(cr, LABEL_W - 0.5, d->axis_y);
    cairo_stroke(cr);
}

/* Output boxes: rows chosen greedily left to right so no two boxes overlap; a line
 * that finds no free row is left out (the viewer shows every line). */
int viz__place_outputs(dctx *d)
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
    size_t h0 = 0;
    for (size_t i = 0; i < n; i++) {
        const viz_output *o = &m->outputs.v[i];
        d->out_x0[i] = 0;
        d->out_x1[i] = -1;
        if (seq_off(d, o->seq, o->seq))
            continue;
        double x = XN(d, o->seq, &h0);
        if (x < d->L.X0 - 1 || x > d->L.X1 + 1)
            continue;
        double w;
        viz__text_size(d, o->text[0] ? o->text : " ", F_MONO, 420, &w, NULL);
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

void viz__draw_outputs(dctx *d, int w)
{
    const viz_model *m = d->m;
    cairo_t *cr = d->cr;
    double y0 = d->out_y, h = (d->out_rows ? d->out_rows : 1) * OUT_ROW_H + 10;
    cairo_set_source_rgb(cr, 0.99, 0.97, 0.90);
    cairo_rectangle(cr, 0, y0, w, h);
    cairo_fill(cr);
    viz__text(d, 14, y0 + h / 2 - 7, "printed", F_BOLD, LABEL_W - 22, 0, C_TEXT);
    viz__text(d, 14, y0 + h / 2 + 9, d->m->outputs.n ? "output lines, where they ran" : "(nothing)",
         F_SMALL, LABEL_W - 22, 0, C_DIM);
    cairo_save(cr);
    cairo_rectangle(cr, LABEL_W, d->lanes_y, w - LABEL_W, d->axis_y - d->lanes_y);
    cairo_clip(cr);
    size_t h0 = 0;
    for (size_t i = 0; i < m->outputs.n; i++) {
        const viz_output *o = &m->outputs.v[i];
        if (d->out_x1[i] < d->out_x0[i])
            continue;
        double x = XN(d, o->seq, &h0);
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
        viz__round_rect(cr, d->out_x0[i], by + 1, d->out_x1[i] - d->out_x0[i], OUT_ROW_H - 3, 3);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.80, 0.70, 0.40);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        viz__text(d, d->out_x0[i] + 5, by + OUT_ROW_H / 2, o->text[0] ? o->text : " ", F_MONO, 420, 0,
             o->is_stderr ? C_RED : C_TEXT);
    }
    cairo_restore(cr);
}

void viz__draw_axis(dctx *d, int w)
{
    cairo_t *cr = d->cr;
    double y = d->axis_y + 4;
    set_rgb(cr, C_DIM);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, LABEL_W, floor(y) + 0.5);
    cairo_line_to(cr, w - MARGIN_R / 2, floor(y) + 0.5);
    cairo_stroke(cr);
    viz__text(d, 14, y + 14, d->o->axis == VIZ_AXIS_TIME ? "virtual time (s)" : "loop iteration",
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
        if (t->x < next_free)
            continue;            /* its label could not fit: no need to measure it */
        char lab[40];
        snprintf(lab, sizeof lab, d->o->axis == VIZ_AXIS_TIME ? "%g" : "#%.0f", t->value);
        double tw;
        viz__text_size(d, lab, F_SMALL, 0, &tw, NULL);
        if (t->x - tw / 2 >= next_free) {
            viz__text(d, t->x, y + 16, lab, F_SMALL, 0, 1, t->major ? C_TEXT : C_DIM);
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
        viz__text(d, xm, y - 1, lab, F_SMALL, 0, 1, C_DIM);
    }
}

static double legend_item(dctx *d, double x, double y, rgb c, int style, const char *label)
{
    cairo_t *cr = d->cr;
    set_rgb(cr, c);
    if (style == 0) {            /* bar */
        viz__round_rect(cr, x, y - 5, 22, 10, 2);
        cairo_fill(cr);
    } else if (style == 1) {     /* step box */
        viz__round_rect(cr, x, y - 8, 22, 16, 3);
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
        viz__arrow_head(cr, x + 24, y, 1, 0, 7);
    }
    return x + 30 + viz__text(d, x + 28, y, label, F_SMALL, 0, 0, C_TEXT) + 16;
}

typedef struct legend_entry {
    rgb c;
    int style;
    const char *label;
} legend_entry;

/* Legend items flow into rows; returns the number of rows used (draw = false: measure). */
int viz__draw_legend(dctx *d, int w, bool draw)
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
        items[n++] = (legend_entry){ viz__wait_rgb[k], 0, wait_desc[k] };
    int first_arrow = n;
    for (int k = 0; k < VIZ_A__COUNT; k++)
        items[n++] = (legend_entry){ viz__arrow_rgb[k], 2 + k, arrow_desc[k] };
    for (int i = 0; i < n; i++) {
        if (i == first_wait || i == first_arrow) {
            const char *head = i == first_wait ? "waiting for:" : "arrows:";
            double hw;
            viz__text_size(d, head, F_BOLD, 0, &hw, NULL);
            if (x + hw + 160 > w - MARGIN_R) {
                x = x0;
                y += LEGEND_ROW_H;
                rows++;
            }
            x += viz__text(d, x, y, head, F_BOLD, 0, 0, C_TEXT) + 10;
        }
        double tw;
        viz__text_size(d, items[i].label, F_SMALL, 0, &tw, NULL);
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
