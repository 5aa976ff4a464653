/* draw_text.c — text with pango (so Chinese renders), lane labels placed so they
 * never overlap, and the shapes the other parts share. */
#include "draw_int.h"

/* Lays out s in font f, at most maxw wide (ellipsized; <= 0: no limit); its size. */
void viz__text_size(dctx *d, const char *s, int f, double maxw, double *w, double *h)
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
double viz__text(dctx *d, double x, double y, const char *s, int f, double maxw, int align, rgb c)
{
    double w, h;
    viz__text_size(d, s, f, maxw, &w, &h);
    cairo_move_to(d->cr, x - (align == 1 ? w / 2 : align == 2 ? w : 0), y - h / 2);
    set_rgb(d->cr, c);
    pango_cairo_show_layout(d->cr, d->pl);
    cairo_new_path(d->cr);
    return w;
}

/* Places a small label centred at x under (row 0) or over (row 1) a lane's bars, unless
 * it would overlap a label already placed there or is wider than maxw (> 0). Labels
 * are drawn at the end (viz__draw_labels), over everything else. */
bool viz__lane_label(dctx *d, int lane, int row, double x, double y, const char *s, double maxw,
                       rgb c)
{
    double w;
    viz__text_size(d, s, F_SMALL, 0, &w, NULL);
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

/* The lanes' labels, last (over the arrows), each on a faint halo. */
void viz__draw_labels(dctx *d)
{
    for (size_t i = 0; i < d->labels.n; i++) {
        const label *lb = &d->labels.v[i];
        cairo_set_source_rgba(d->cr, 1, 1, 1, 0.75);
        viz__round_rect(d->cr, lb->x - lb->w / 2 - 2, lb->y - 7, lb->w + 4, 14, 3);
        cairo_fill(d->cr);
        viz__text(d, lb->x, lb->y, lb->s, F_SMALL, 0, 1, lb->c);
        free(lb->s);
    }
    d->labels.n = 0;
}

void viz__round_rect(cairo_t *cr, double x, double y, double w, double h, double r)
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

void viz__arrow_head(cairo_t *cr, double x, double y, double dx, double dy, double size)
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
