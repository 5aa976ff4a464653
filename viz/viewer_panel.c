/* viewer_panel.c — what the viewer draws besides the timeline: the panel under it
 * (the current event, the program's source scrolled to its line, the ready queue, the
 * timer heap in heap order, the tasks, the output so far), the help box and the box
 * with every field of the current event.
 */
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "viewer_int.h"

#define PAD 12
#define ROW 16

const char viewer__help_text[] =
    "\xe2\x86\x92 / \xe2\x86\x90   one event forward / back\n"
    "PgDn / PgUp   one loop iteration forward / back\n"
    "Home / End   first / last event\n"
    "space   play / pause in virtual time;  ] / [   faster / slower\n"
    "click an event   go to it and show its details;  d   details on / off\n"
    "+ / \xe2\x88\x92   zoom in / out (around the current event)\n"
    "drag   pan;  wheel   scroll the lanes\n"
    "a   axis: virtual time / loop iteration\n"
    "?   this help;  q, Esc   quit";

typedef struct pctx {
    cairo_t *cr;
    PangoLayout *pl;
    PangoFontDescription *bold, *mono;
} pctx;

static void ptext(pctx *p, double x, double y, double maxw, const char *s, double r, double g, double b)
{
    pango_layout_set_width(p->pl, maxw > 0 ? (int)(maxw * PANGO_SCALE) : -1);
    pango_layout_set_ellipsize(p->pl, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(p->pl, s, -1);
    cairo_set_source_rgb(p->cr, r, g, b);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->pl);
    cairo_new_path(p->cr);
}

/* A titled column of lines, the last `max` of them if `tail`. Consumes lines. */
static void column(pctx *p, double x, double y, double w, const char *title, viewer_lines *l,
                   size_t total, size_t max, bool tail)
{
    char head[96];
    snprintf(head, sizeof head, "%s (%zu)", title, total);
    pango_layout_set_font_description(p->pl, p->bold);
    ptext(p, x, y, w, head, 0.15, 0.15, 0.2);
    pango_layout_set_font_description(p->pl, p->mono);
    size_t first = tail && l->n > max ? l->n - max : 0;
    for (size_t i = first, k = 0; i < l->n && k < max; i++, k++) {
        bool tie = strstr(l->v[i], " =tie") != NULL;
        bool hot = strstr(l->v[i], "RUNNING") != NULL;
        ptext(p, x, y + 20 + k * ROW, w, l->v[i], tie ? 0.62 : hot ? 0.1 : 0.25,
              tie ? 0.30 : hot ? 0.45 : 0.25, tie ? 0.0 : hot ? 0.15 : 0.3);
    }
    if (!tail && total > max)
        ptext(p, x, y + 20 + max * ROW, w, "\xe2\x80\xa6", 0.4, 0.4, 0.45);
    viewer__lines_free(l);
}

/* The source around the current line, the line highlighted. */
static void source_pane(viewer *v, pctx *p, double x, double y, double w, double h, int line)
{
    pango_layout_set_font_description(p->pl, p->bold);
    ptext(p, x, y, w, v->nsrc ? "source" : "source (the trace holds none)", 0.15, 0.15, 0.2);
    pango_layout_set_font_description(p->pl, p->mono);
    int rows = (int)((h - 22) / ROW);
    if (rows < 1 || !v->nsrc)
        return;
    int first = line > 0 ? line - rows / 2 : 1;
    if (first + rows - 1 > (int)v->nsrc)
        first = (int)v->nsrc - rows + 1;
    if (first < 1)
        first = 1;
    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_rectangle(p->cr, x, y + 19, w, rows * ROW + 2);
    cairo_fill(p->cr);
    char buf[600];
    for (int k = 0; k < rows && first + k <= (int)v->nsrc; k++) {
        int ln = first + k;
        double ly = y + 20 + k * ROW;
        if (ln == line) {
            cairo_set_source_rgb(p->cr, 1.0, 0.93, 0.60);
            cairo_rectangle(p->cr, x, ly, w, ROW);
            cairo_fill(p->cr);
        }
        snprintf(buf, sizeof buf, "%4d%s %s", ln, ln == line ? "\xe2\x96\xb6" : " ", v->src[ln - 1]);
        ptext(p, x + 2, ly, w - 4, buf, ln == line ? 0.1 : 0.3, ln == line ? 0.1 : 0.3,
              ln == line ? 0.1 : 0.35);
    }
}

void viewer__draw_panel(viewer *v, cairo_t *cr, double y0)
{
    pctx p = { cr, pango_cairo_create_layout(cr),
               pango_font_description_from_string("Noto Sans CJK SC, DejaVu Sans, Sans Bold 13px"),
               pango_font_description_from_string("Noto Sans Mono CJK SC, DejaVu Sans Mono, Monospace 11px") };
    cairo_set_source_rgb(cr, 0.95, 0.95, 0.97);
    cairo_rectangle(cr, 0, y0, v->w, v->h - y0);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.8);
    cairo_rectangle(cr, 0, y0, v->w, 1);
    cairo_fill(cr);
    char line[1024];
    int cur_line = 0;
    if (v->nev) {
        const trace_event *e = &v->ev[v->cur];
        cur_line = e->line;
        snprintf(line, sizeof line, "event %llu of %zu \xc2\xb7 t = %g \xc2\xb7 iteration %llu \xc2\xb7 %s%s",
                 (unsigned long long)e->seq, v->nev, e->time, (unsigned long long)e->iteration,
                 e->kind_name ? e->kind_name : "?", v->playing ? "   \xe2\x96\xb6 playing" : "");
        pango_layout_set_font_description(p.pl, p.bold);
        ptext(&p, PAD, y0 + 8, v->w - 2 * PAD, line, 0.6, 0.05, 0.3);
        char who[200] = "";
        if (e->subject)
            viewer__describe_id(v, e->subject, who, sizeof who);
        snprintf(line, sizeof line, "%s%s%s", who, who[0] && e->detail ? " \xe2\x80\x94 " : "",
                 e->detail ? e->detail : "");
        pango_layout_set_font_description(p.pl, p.mono);
        ptext(&p, PAD, y0 + 28, v->w - 2 * PAD, line, 0.15, 0.15, 0.2);
    } else {
        pango_layout_set_font_description(p.pl, p.bold);
        ptext(&p, PAD, y0 + 8, v->w - 2 * PAD, "the trace has no events", 0.6, 0.05, 0.3);
    }
    double cy = y0 + 50, ch = v->h - cy - 6;
    /* source, ready queue, timer heap, tasks, output: widths by what they hold */
    double sw = v->w * 0.25, room = v->w - sw - 6.0 * PAD;
    double cw[4] = { room * 0.22, room * 0.28, room * 0.30, room * 0.20 };
    size_t max = (size_t)((ch - 40) / ROW);
    source_pane(v, &p, PAD, cy, sw, ch, cur_line);
    double x = PAD * 2 + sw;
    viewer_lines l = { 0 };
    viewer__ready_lines(v, &l);
    column(&p, x, cy, cw[0], "ready queue", &l, v->st.ready.n - v->st.ready_head, max, false);
    x += cw[0] + PAD;
    viewer__heap_lines(v, &l);
    column(&p, x, cy, cw[1], "timer heap, heap order", &l, v->st.heap.items.n, max, false);
    x += cw[1] + PAD;
    viewer__task_lines(v, &l);
    size_t nt = l.n;
    column(&p, x, cy, cw[2], "tasks", &l, nt, max, false);
    x += cw[2] + PAD;
    size_t first = v->st.nout > max ? v->st.nout - max : 0;
    for (size_t i = first; i < v->st.nout && i < v->m->outputs.n; i++) {
        l.v = realloc(l.v, (l.n + 1) * sizeof *l.v);
        if (!l.v)
            abort();
        l.v[l.n++] = viz__strdup(v->m->outputs.v[i].text);
    }
    column(&p, x, cy, cw[3], "printed so far", &l, v->st.nout, max, true);
    pango_font_description_free(p.bold);
    pango_font_description_free(p.mono);
    g_object_unref(p.pl);
}

/* A box of text lines centred in the window, white on dark. */
static void text_box(viewer *v, cairo_t *cr, const char *text, double top)
{
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Sans CJK SC, DejaVu Sans, Sans 15px");
    pango_layout_set_font_description(pl, fd);
    pango_layout_set_width(pl, (v->w - 120) * PANGO_SCALE);
    pango_layout_set_text(pl, text, -1);
    int tw, th;
    pango_layout_get_pixel_size(pl, &tw, &th);
    double x = (v->w - tw) / 2.0 - 20, y = top >= 0 ? top : (v->h - th) / 2.0 - 20;
    cairo_set_source_rgba(cr, 0.1, 0.1, 0.15, 0.9);
    cairo_rectangle(cr, x, y, tw + 40, th + 40);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x + 20, y + 20);
    pango_cairo_show_layout(cr, pl);
    cairo_new_path(cr);
    pango_font_description_free(fd);
    g_object_unref(pl);
}

void viewer__draw_help(viewer *v, cairo_t *cr)
{
    text_box(v, cr, viewer__help_text, -1);
}

void viewer__draw_details(viewer *v, cairo_t *cr)
{
    viewer_lines l = { 0 };
    viewer__event_lines(v, v->cur, &l);
    size_t len = 1;
    for (size_t i = 0; i < l.n; i++)
        len += strlen(l.v[i]) + 1;
    char *s = viz__xmalloc(len);
    for (size_t i = 0; i < l.n; i++) {
        strcat(s, l.v[i]);
        if (i + 1 < l.n)
            strcat(s, "\n");
    }
    viewer__lines_free(&l);
    text_box(v, cr, s, 90);
    free(s);
}
