/* draw_items.c — what the lanes hold, from back to front: iteration separators,
 * clock breaks, waiting bars, steps with their end marks, marks, arrows. Bars and
 * steps closer than a pixel on one lane merge into one rectangle (run_add). */
#include "draw_int.h"

const rgb viz__wait_rgb[] = {
#define VIZ_WK_RGB(n, s, r, g, b) { r, g, b },
    VIZ_WAIT_KINDS(VIZ_WK_RGB)
#undef VIZ_WK_RGB
};

const rgb viz__arrow_rgb[] = {
#define VIZ_AK_RGB(n, s, r, g, b) { r, g, b },
    VIZ_ARROW_KINDS(VIZ_AK_RGB)
#undef VIZ_AK_RGB
};

void viz__run_flush(dctx *d, run *r, int lane, double hgt, const rgb *colors, double alpha)
{
    if (r->kind < 0)
        return;
    double y = lane_mid(d, lane) - hgt / 2;
    double w = r->x1 - r->x0;
    if (w < 1)
        w = 1;
    cairo_set_source_rgba(d->cr, colors[r->kind].r, colors[r->kind].g, colors[r->kind].b, alpha);
    viz__round_rect(d->cr, r->x0, y, w, hgt, w > 8 ? 3 : 0);
    cairo_fill(d->cr);
    r->kind = -1;
}

/* Adds [x0,x1] of a kind to the lane's run; a gap of a pixel or a change of kind
 * draws the run so far. Returns true if the item stands alone (wide enough that its
 * details are worth drawing). */
bool viz__run_add(dctx *d, run *r, int lane, double x0, double x1, int kind, double hgt,
                    const rgb *colors, double alpha)
{
    bool alone = x1 - x0 >= 3;
    if (r->kind == kind && x0 <= r->x1 + 1 && !alone) {
        if (x1 > r->x1)
            r->x1 = x1;
        return false;
    }
    viz__run_flush(d, r, lane, hgt, colors, alpha);
    r->x0 = x0;
    r->x1 = x1;
    r->kind = kind;
    if (alone)
        viz__run_flush(d, r, lane, hgt, colors, alpha);
    return alone;
}

void viz__draw_iterations(dctx *d)
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
    size_t h0 = 0;           /* slot hint: items come in seq order */
    for (size_t i = 0; i < m->iters.n; i++) {
        if (seq_off(d, m->iters.v[i].seq, m->iters.v[i].seq))
            continue;
        double x = XN(d, m->iters.v[i].seq, &h0);
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

void viz__draw_breaks(dctx *d)
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
    case VIZ_W_SYNC: {
        /* the loop says what the future is for: "lock #31", "queue.get #26" */
        const char *origin = viz__future_origin(m, w->awaited);
        if (origin && strcmp(origin, "create_future"))
            snprintf(buf, n, "%s #%llu", origin, (unsigned long long)w->awaited);
        else if (w->kind == VIZ_W_SYNC)
            snprintf(buf, n, "lock / queue #%llu", (unsigned long long)w->awaited);
        else
            snprintf(buf, n, "await future #%llu", (unsigned long long)w->awaited);
        break;
    }
    case VIZ_W_THREAD:
        snprintf(buf, n, "await thread result");
        break;
    default:
        snprintf(buf, n, "sleep(0)");
        break;
    }
}

void viz__draw_waits(dctx *d, run *runs)
{
    const viz_model *m = d->m;
    double xend = d->L.X1 + 30;
    size_t h0 = 0, h1 = 0;   /* slot hints: items come in seq order */
    for (size_t i = 0; i < m->waits.n; i++) {
        const viz_wait *w = &m->waits.v[i];
        if (seq_off(d, w->seq0, w->seq1 ? w->seq1 : UINT64_MAX))
            continue;
        double x0 = XN(d, w->seq0, &h0), x1 = w->seq1 ? XN(d, w->seq1, &h1) : xend;
        if (off(d, x0, x1))
            continue;
        if (!viz__run_add(d, &runs[w->lane], w->lane, x0, x1, w->kind, WAIT_H, viz__wait_rgb, 0.85))
            continue;
        char lab[96];
        wait_label(d, w, lab, sizeof lab);
        double y = lane_mid(d, w->lane);
        double a = x0 > d->L.X0 ? x0 : d->L.X0, b = x1 < d->L.X1 ? x1 : d->L.X1;
        if (b - a > 30)
            viz__lane_label(d, w->lane, 0, (a + b) / 2, y + STEP_H / 2 + 7, lab, b - a + 20, C_DIM);
        if (!w->seq1 && x1 >= d->L.X1) {
            /* never resumed: the bar runs off the end */
            viz__text(d, d->L.X1 - 2, y - STEP_H / 2 - 2, "never resumed \xe2\x86\x92", F_SMALL, 0, 2, C_RED);
        }
    }
    for (size_t l = 0; l < m->lanes.n; l++)
        viz__run_flush(d, &runs[l], (int)l, WAIT_H, viz__wait_rgb, 0.85);
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
        viz__text(d, x + 14, y, s->end == VIZ_END_RAISE ? "raised" : "cancelled", F_SMALL, 0, 0,
             s->end == VIZ_END_RAISE ? C_RED : (rgb){ 0.80, 0.35, 0.05 });
        break;
    default:
        break;
    }
}

/* Less than a pixel per slot: no step can show its own details, so the steps are
 * drawn from the slots that hold them (a handle run on a task's lane is that task's
 * step; on a thread's lane, the thread running), straight from the layout's x, without
 * looking at a single step: O(visible slots) with no search. */
static void draw_steps_dense(dctx *d, run *runs, const rgb *colors)
{
    const viz_model *m = d->m;
    for (size_t i = d->slot_lo; i < d->slot_hi; i++) {
        const viz_slot *s = &m->slots.v[i];
        viz_lane_kind lk = m->lanes.v[s->lane].kind;
        if (!s->handle && lk != VIZ_LANE_THREAD)
            continue;
        int kind = lk == VIZ_LANE_CALLBACKS ? 1 : lk == VIZ_LANE_THREAD ? 2 : 0;
        double x0 = d->L.x0[i], x1 = d->L.x1[i];
        if (x1 - x0 < 2) {
            double c = (x0 + x1) / 2;
            x0 = c - 1;
            x1 = c + 1;
        }
        viz__run_add(d, &runs[s->lane], s->lane, x0, x1, kind, kind == 2 ? WAIT_H + 4 : STEP_H,
                     colors, 1.0);
    }
    for (size_t l = 0; l < m->lanes.n; l++)
        viz__run_flush(d, &runs[l], (int)l, STEP_H, colors, 1.0);
}

void viz__draw_steps(dctx *d, run *runs)
{
    const viz_model *m = d->m;
    rgb colors[3] = { C_STEP, C_CALLBACK, C_THREAD };
    if (d->L.unit < 1) {
        draw_steps_dense(d, runs, colors);
        return;
    }
    size_t h0 = 0, h1 = 0;   /* slot hints: items come in seq order */
    for (size_t i = 0; i < m->steps.n; i++) {
        const viz_step *s = &m->steps.v[i];
        if (seq_off(d, s->seq0, s->seq1))
            continue;
        double x0 = XN(d, s->seq0, &h0), x1 = XN(d, s->seq1, &h1);
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
        if (!viz__run_add(d, &runs[s->lane], s->lane, x0, x1, kind, hgt, colors, 1.0))
            continue;
        double y = lane_mid(d, s->lane);
        if (s->thrown) {
            cairo_set_source_rgb(d->cr, 0.85, 0.2, 0.2);
            cairo_set_line_width(d->cr, 2);
            viz__round_rect(d->cr, x0, y - STEP_H / 2, x1 - x0, STEP_H, 3);
            cairo_stroke(d->cr);
        }
        if (kind == 1) {
            const char *lab = viz__handle_label(m, s->handle);
            if (lab && !viz__lane_label(d, s->lane, 0, (x0 + x1) / 2, y + STEP_H / 2 + 7, lab, 160, C_DIM))
                viz__lane_label(d, s->lane, 1, (x0 + x1) / 2, y - STEP_H / 2 - 7, lab, 160, C_DIM);
        }
        end_mark(d, s, x1, y);
    }
    for (size_t l = 0; l < m->lanes.n; l++)
        viz__run_flush(d, &runs[l], (int)l, STEP_H, colors, 1.0);
}

void viz__draw_marks(dctx *d)
{
    const viz_model *m = d->m;
    cairo_t *cr = d->cr;
    size_t h0 = 0;           /* slot hint: items come in seq order */
    for (size_t i = 0; i < m->marks.n; i++) {
        const viz_mark *mk = &m->marks.v[i];
        if (seq_off(d, mk->seq, mk->seq))
            continue;
        double x = XN(d, mk->seq, &h0), y = lane_mid(d, mk->lane);
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
                viz__lane_label(d, mk->lane, 1, x, y - STEP_H / 2 - 5, "cancel()", 0, C_RED);
            break;
        case VIZ_M_LOOP_SLEEP: {
            char lab[64];
            snprintf(lab, sizeof lab, "time.sleep(%g) blocks the loop", mk->num);
            set_rgb(cr, C_RED);
            cairo_rectangle(cr, x - 3, y - STEP_H / 2, 6, STEP_H);
            cairo_fill(cr);
            viz__text(d, x + 6, y - STEP_H / 2 - 4, lab, F_SMALL, 0, 0, C_RED);
            break;
        }
        case VIZ_M_DEADLOCK:
            set_rgb(cr, C_RED);
            cairo_rectangle(cr, x - 2, d->lanes_y, 4, m->lanes.n * LANE_H);
            cairo_fill(cr);
            viz__text(d, x - 6, y, "deadlock", F_BOLD, 0, 2, C_RED);
            break;
        }
    }
}

void viz__draw_arrows(dctx *d)
{
    const viz_model *m = d->m;
    cairo_t *cr = d->cr;
    if (d->L.unit < 6)
        return;
    size_t h0 = 0, h1 = 0;   /* slot hints: items come in seq order */
    for (size_t i = 0; i < m->arrows.n; i++) {
        const viz_arrow *a = &m->arrows.v[i];
        if (seq_off(d, a->seq0 < a->seq1 ? a->seq0 : a->seq1, a->seq0 < a->seq1 ? a->seq1 : a->seq0))
            continue;
        double x0 = XN(d, a->seq0, &h0), x1 = XN(d, a->seq1, &h1);
        if (off(d, x0 < x1 ? x0 : x1, x0 < x1 ? x1 : x0))
            continue;
        double y0 = lane_mid(d, a->lane0), y1 = lane_mid(d, a->lane1);
        rgb c = viz__arrow_rgb[a->kind];
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
        viz__arrow_head(cr, ex, ey, dx, dy, 7);
    }
}
