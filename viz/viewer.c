/* viewer.c — `aiosim view`: the timeline in an SDL2 window, stepped event by event.
 *
 * The window shows viz_draw's picture (a cairo image surface copied into an SDL
 * texture) with the current event marked, and under it a panel: the event's details
 * and source line, the ready queue, the timer heap and each task's state at that
 * moment, and the output printed so far. The state at the cursor is rebuilt by a scan
 * of the events up to it (O(cursor) per key: a few milliseconds for a million events).
 *
 * Headless: --keys "→→→" plays keys, --screenshot shot.png saves what the window shows
 * (read back through SDL's renderer). Without a display (no DISPLAY/WAYLAND_DISPLAY,
 * or with --screenshot), SDL's dummy video driver is used (its window is a plain
 * framebuffer, which the software renderer draws into and reads back).
 */
#include <SDL.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "trace.h"
#include "viz_int.h"

#define PANEL_H 250
#define PAD 12

typedef struct viewer {
    viz_model *m;
    trace_event *ev;
    size_t nev;
    size_t cur;                 /* index into ev */
    viz_options o;
    char **src;                 /* the program's lines (NULL: no source) */
    size_t nsrc;
    char *src_buf;
    bool help, quit, dirty;
    double vscroll;             /* timeline scrolled down by this many pixels */
    int w, h;
    /* the state at the cursor */
    char **ready, **timers, **tasks;
    size_t nready, ntimers, ntasks;
} viewer;

static const char help_text[] =
    "\xe2\x86\x92 / \xe2\x86\x90   one event forward / back\n"
    "PgDn / PgUp   one loop iteration forward / back\n"
    "Home / End   first / last event\n"
    "+ / \xe2\x88\x92   zoom in / out (around the current event)\n"
    "drag   pan;  wheel   scroll the lanes\n"
    "a   axis: virtual time / loop iteration\n"
    "?   this help;  q, Esc   quit";

/* ---- the state at the cursor -------------------------------------------------------------- */

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void push_str(char ***v, size_t *n, const char *s)
{
    *v = realloc(*v, (*n + 1) * sizeof **v);
    if (!*v)
        abort();
    (*v)[(*n)++] = viz__strdup(s);
}

enum { H_NONE, H_READY, H_TIMER };

/* An entry of the ready queue or the timers: the event describing the handle, and the
 * one that put it in its present state. */
typedef struct qitem {
    size_t desc, since;
    double at;               /* the timers' deadline; NAN for the ready queue */
} qitem;

/* Timers by deadline, then by when they were scheduled (the heap's own tie order is
 * not rebuilt here); the ready queue in the order handles became ready. */
static int by_deadline(const void *a, const void *b)
{
    const qitem *x = a, *y = b;
    if (!isnan(x->at) && !isnan(y->at) && x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->since < y->since ? -1 : x->since > y->since;
}

/* Replays events [0, cur]: which handles are ready or waiting as timers, what each
 * task is doing. */
static void rebuild_state(viewer *v)
{
    free_list(v->ready, v->nready);
    free_list(v->timers, v->ntimers);
    free_list(v->tasks, v->ntasks);
    v->ready = v->timers = v->tasks = NULL;
    v->nready = v->ntimers = v->ntasks = 0;
    uint64_t maxid = 0;
    for (size_t i = 0; i <= v->cur && i < v->nev; i++) {
        const trace_event *e = &v->ev[i];
        uint64_t ids[3] = { e->subject, e->cause, e->other };
        for (int k = 0; k < 3; k++)
            if (ids[k] > maxid)
                maxid = ids[k];
    }
    uint8_t *hs = calloc(maxid + 1, 1);
    size_t *hdesc = calloc(maxid + 1, sizeof *hdesc);   /* event index + 1 describing it */
    size_t *tstate = calloc(maxid + 1, sizeof *tstate);  /* task: event index + 1 of its last */
    size_t *hsince = calloc(maxid + 1, sizeof *hsince);  /* handle: when it got its state */
    if (!hs || !hdesc || !tstate || !hsince)
        abort();
    for (size_t i = 0; i <= v->cur && i < v->nev; i++) {
        const trace_event *e = &v->ev[i];
        switch (e->kind) {
        case LOOP_EV_CALL_SOON:
        case LOOP_EV_CALL_SOON_TS:
            hs[e->subject] = H_READY;
            hdesc[e->subject] = i + 1;
            hsince[e->subject] = i;
            break;
        case LOOP_EV_CALLBACK_SCHEDULE:
            if (e->other) {
                hs[e->other] = H_READY;
                hdesc[e->other] = i + 1;  /* its call_soon came just before: same place */
            }
            break;
        case LOOP_EV_CALL_LATER:
        case LOOP_EV_CALL_AT:
            hs[e->subject] = H_TIMER;
            hdesc[e->subject] = i + 1;
            hsince[e->subject] = i;
            break;
        case LOOP_EV_TIMER_DUE:
            hs[e->subject] = H_READY;
            hsince[e->subject] = i;
            break;
        case LOOP_EV_HANDLE_BEGIN:
        case LOOP_EV_HANDLE_CANCEL:
            hs[e->subject] = H_NONE;
            break;
        case LOOP_EV_TASK_CREATE:
        case LOOP_EV_STEP_BEGIN:
        case LOOP_EV_STEP_AWAIT:
        case LOOP_EV_STEP_YIELD:
        case LOOP_EV_STEP_RETURN:
        case LOOP_EV_STEP_RAISE:
        case LOOP_EV_STEP_CANCELLED:
            tstate[e->subject] = i + 1;
            break;
        default:
            break;
        }
    }
    char line[256];
    qitem *q = calloc(maxid + 1, sizeof *q);
    size_t nq = 0;
    if (!q)
        abort();
    for (uint64_t id = 1; id <= maxid; id++)
        if (hs[id] != H_NONE && hdesc[id]) {
            const trace_event *e = &v->ev[hdesc[id] - 1];
            q[nq++] = (qitem){ hdesc[id] - 1, hsince[id], hs[id] == H_TIMER ? e->at : NAN };
        }
    qsort(q, nq, sizeof *q, by_deadline);
    for (size_t i = 0; i < nq; i++) {
        const trace_event *e = &v->ev[q[i].desc];
        bool timer = !isnan(q[i].at);
        if (timer)
            snprintf(line, sizeof line, "at %g: %s", e->at, e->detail ? e->detail : "?");
        else
            snprintf(line, sizeof line, "%s", e->detail ? e->detail : "?");
        push_str(timer ? &v->timers : &v->ready, timer ? &v->ntimers : &v->nready, line);
    }
    free(q);
    free(hsince);
    for (uint64_t id = 1; id <= maxid; id++) {
        if (tstate[id]) {
            const trace_event *e = &v->ev[tstate[id] - 1];
            const char *name = "task";
            for (size_t l = 0; l < v->m->lanes.n; l++)
                if (v->m->lanes.v[l].kind == VIZ_LANE_TASK && v->m->lanes.v[l].id == id)
                    name = v->m->lanes.v[l].label;
            const char *what;
            switch (e->kind) {
            case LOOP_EV_TASK_CREATE: what = "created, first step scheduled"; break;
            case LOOP_EV_STEP_BEGIN: what = "running"; break;
            case LOOP_EV_STEP_AWAIT: what = e->detail ? e->detail : "waiting"; break;
            case LOOP_EV_STEP_YIELD: what = "ready again next iteration (sleep(0))"; break;
            case LOOP_EV_STEP_RETURN: what = "finished"; break;
            case LOOP_EV_STEP_RAISE: what = "raised"; break;
            default: what = "cancelled"; break;
            }
            snprintf(line, sizeof line, "%s: %s", name, what);
            push_str(&v->tasks, &v->ntasks, line);
        }
    }
    free(hs);
    free(hdesc);
    free(tstate);
}

/* ---- keys ------------------------------------------------------------------------------------ */

/* Keeps the current event in view: pans when it nears an edge. */
static void follow_cursor(viewer *v)
{
    if (!v->nev)
        return;
    viz_layout L;
    viz_options o = v->o;
    double X0, X1;
    viz__data_range(v->w, &X0, &X1);
    viz__layout(v->m, &o, X0, X1, &L);
    double x = viz__x_of(v->m, &L, v->ev[v->cur].seq);
    viz__layout_free(&L);
    double margin = (X1 - X0) * 0.15;
    if (x < X0 + margin)
        v->o.pan -= X0 + margin - x;
    else if (x > X1 - margin)
        v->o.pan += x - (X1 - margin);
    double maxpan = (X1 - X0) * (v->o.zoom - 1) + 40;
    if (v->o.pan > maxpan)
        v->o.pan = maxpan;
    if (v->o.pan < 0)
        v->o.pan = 0;
}

static void zoom_by(viewer *v, double f)
{
    double z = v->o.zoom * f;
    if (z < 1)
        z = 1;
    if (z > 4096)
        z = 4096;
    double X0, X1;
    viz__data_range(v->w, &X0, &X1);
    /* keep the current event where it is */
    double x = X0;
    if (v->nev) {
        viz_layout L;
        viz__layout(v->m, &v->o, X0, X1, &L);
        x = viz__x_of(v->m, &L, v->ev[v->cur].seq);
        viz__layout_free(&L);
    }
    v->o.pan = v->o.pan + (x - X0 + v->o.pan) * (z / v->o.zoom - 1);
    v->o.zoom = z;
    follow_cursor(v);
}

static void move_iteration(viewer *v, int dir)
{
    size_t i = v->cur;
    while (dir > 0 ? i + 1 < v->nev : i > 0) {
        i += dir;
        if (v->ev[i].kind == LOOP_EV_ITERATION)
            break;
    }
    v->cur = i;
}

static void handle_key(viewer *v, SDL_Keycode k)
{
    size_t old = v->cur;
    switch (k) {
    case SDLK_RIGHT: if (v->cur + 1 < v->nev) v->cur++; break;
    case SDLK_LEFT: if (v->cur > 0) v->cur--; break;
    case SDLK_PAGEDOWN: move_iteration(v, 1); break;
    case SDLK_PAGEUP: move_iteration(v, -1); break;
    case SDLK_HOME: v->cur = 0; break;
    case SDLK_END: v->cur = v->nev ? v->nev - 1 : 0; break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: zoom_by(v, 1.5); break;
    case SDLK_MINUS: case SDLK_KP_MINUS: zoom_by(v, 1 / 1.5); break;
    case SDLK_QUESTION: case SDLK_SLASH: case SDLK_F1: v->help = !v->help; break;
    case SDLK_a:
        v->o.axis = v->o.axis == VIZ_AXIS_TIME ? VIZ_AXIS_ITERATION : VIZ_AXIS_TIME;
        break;
    case SDLK_q: case SDLK_ESCAPE: v->quit = true; break;
    default: return;
    }
    if (v->cur != old) {
        follow_cursor(v);
        rebuild_state(v);
    }
    if (v->nev)
        v->o.cursor = v->ev[v->cur].seq;
    v->dirty = true;
}

/* "→→←+?" (and ASCII: n p N P H E + - ?) as keys; -1 on an unknown one (err set). */
static int play_keys(viewer *v, const char *s, char *err, size_t errlen)
{
    static const struct { const char *txt; SDL_Keycode k; } map[] = {
        { "\xe2\x86\x92", SDLK_RIGHT }, { "\xe2\x86\x90", SDLK_LEFT },
        { "\xe2\x86\x93", SDLK_PAGEDOWN }, { "\xe2\x86\x91", SDLK_PAGEUP },
        { "\xe2\x87\x9f", SDLK_PAGEDOWN }, { "\xe2\x87\x9e", SDLK_PAGEUP },
        { "\xe2\x87\xb1", SDLK_HOME }, { "\xe2\x87\xb2", SDLK_END },
        { "\xe2\x88\x92", SDLK_MINUS },
        { "n", SDLK_RIGHT }, { "p", SDLK_LEFT }, { "N", SDLK_PAGEDOWN }, { "P", SDLK_PAGEUP },
        { "H", SDLK_HOME }, { "E", SDLK_END }, { "+", SDLK_PLUS }, { "-", SDLK_MINUS },
        { "?", SDLK_QUESTION }, { "a", SDLK_a }, { " ", 0 },
    };
    while (*s) {
        size_t i = 0, n = sizeof map / sizeof map[0];
        for (; i < n; i++) {
            size_t len = strlen(map[i].txt);
            if (!strncmp(s, map[i].txt, len)) {
                if (map[i].k)
                    handle_key(v, map[i].k);
                s += len;
                break;
            }
        }
        if (i == n) {
            snprintf(err, errlen, "--keys: unknown key at '%.8s' (keys: \xe2\x86\x92 \xe2\x86\x90 "
                                  "\xe2\x86\x93 \xe2\x86\x91 \xe2\x87\xb1 \xe2\x87\xb2 + - ? a, or n p N P H E)", s);
            return -1;
        }
    }
    return 0;
}

/* ---- drawing ---------------------------------------------------------------------------------- */

static void ptext(cairo_t *cr, PangoLayout *pl, double x, double y, double maxw, const char *s,
                  double r, double g, double b)
{
    pango_layout_set_width(pl, maxw > 0 ? (int)(maxw * PANGO_SCALE) : -1);
    pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(pl, s, -1);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, pl);
    cairo_new_path(cr);
}

/* A titled column of lines, the last `max` of them if `tail`. */
static void column(cairo_t *cr, PangoLayout *pl, PangoFontDescription *bold,
                   PangoFontDescription *small, double x, double y, double w, const char *title,
                   char **lines, size_t n, size_t max, bool tail)
{
    char head[96];
    snprintf(head, sizeof head, "%s (%zu)", title, n);
    pango_layout_set_font_description(pl, bold);
    ptext(cr, pl, x, y, w, head, 0.15, 0.15, 0.2);
    pango_layout_set_font_description(pl, small);
    size_t first = tail && n > max ? n - max : 0;
    for (size_t i = first, k = 0; i < n && k < max; i++, k++)
        ptext(cr, pl, x, y + 20 + k * 17, w, lines[i], 0.25, 0.25, 0.3);
    if (!tail && n > max)
        ptext(cr, pl, x, y + 20 + max * 17, w, "\xe2\x80\xa6", 0.4, 0.4, 0.45);
}

static void draw_panel(viewer *v, cairo_t *cr, double y0)
{
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoFontDescription *bold = pango_font_description_from_string("Noto Sans CJK SC, DejaVu Sans, Sans Bold 13px");
    PangoFontDescription *small = pango_font_description_from_string("Noto Sans Mono CJK SC, DejaVu Sans Mono, Monospace 12px");
    cairo_set_source_rgb(cr, 0.95, 0.95, 0.97);
    cairo_rectangle(cr, 0, y0, v->w, v->h - y0);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.8);
    cairo_rectangle(cr, 0, y0, v->w, 1);
    cairo_fill(cr);
    char line[1024];
    if (v->nev) {
        const trace_event *e = &v->ev[v->cur];
        snprintf(line, sizeof line, "event %llu of %zu \xc2\xb7 t = %g \xc2\xb7 iteration %llu \xc2\xb7 %s",
                 (unsigned long long)e->seq, v->nev, e->time, (unsigned long long)e->iteration,
                 e->kind_name ? e->kind_name : "?");
        pango_layout_set_font_description(pl, bold);
        ptext(cr, pl, PAD, y0 + 8, v->w - 2 * PAD, line, 0.6, 0.05, 0.3);
        char ids[160] = "";
        size_t k = 0;
        if (e->subject)
            k += snprintf(ids + k, sizeof ids - k, "subject #%llu  ", (unsigned long long)e->subject);
        if (e->cause)
            k += snprintf(ids + k, sizeof ids - k, "cause #%llu  ", (unsigned long long)e->cause);
        if (e->other)
            k += snprintf(ids + k, sizeof ids - k, "other #%llu  ", (unsigned long long)e->other);
        if (!isnan(e->at))
            snprintf(ids + k, sizeof ids - k, "at %g", e->at);
        snprintf(line, sizeof line, "%s%s%s", e->detail ? e->detail : "", e->detail ? "   " : "", ids);
        pango_layout_set_font_description(pl, small);
        ptext(cr, pl, PAD, y0 + 28, v->w - 2 * PAD, line, 0.15, 0.15, 0.2);
        if (e->line > 0 && (size_t)e->line <= v->nsrc)
            snprintf(line, sizeof line, "line %d:  %s", e->line, v->src[e->line - 1]);
        else if (e->line > 0)
            snprintf(line, sizeof line, "line %d", e->line);
        else
            snprintf(line, sizeof line, "(no source line)");
        ptext(cr, pl, PAD, y0 + 46, v->w - 2 * PAD, line, 0.1, 0.35, 0.15);
    } else {
        pango_layout_set_font_description(pl, bold);
        ptext(cr, pl, PAD, y0 + 8, v->w - 2 * PAD, "the trace has no events", 0.6, 0.05, 0.3);
    }
    /* columns: ready queue, timer heap, tasks, output so far */
    double cy = y0 + 72, cw = (v->w - 5.0 * PAD) / 4;
    column(cr, pl, bold, small, PAD, cy, cw, "ready queue", v->ready, v->nready, 8, false);
    column(cr, pl, bold, small, PAD * 2 + cw, cy, cw, "timers", v->timers, v->ntimers, 8, false);
    column(cr, pl, bold, small, PAD * 3 + cw * 2, cy, cw, "tasks", v->tasks, v->ntasks, 8, false);
    char **out = NULL;
    size_t nout = 0;
    uint64_t upto = v->nev ? v->ev[v->cur].seq : 0;
    for (size_t i = 0; i < v->m->outputs.n && v->m->outputs.v[i].seq <= upto; i++)
        push_str(&out, &nout, v->m->outputs.v[i].text);
    column(cr, pl, bold, small, PAD * 4 + cw * 3, cy, cw, "printed so far", out, nout, 8, true);
    free_list(out, nout);
    pango_font_description_free(bold);
    pango_font_description_free(small);
    g_object_unref(pl);
}

static void draw_help(viewer *v, cairo_t *cr)
{
    PangoLayout *pl = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Sans CJK SC, DejaVu Sans, Sans 15px");
    pango_layout_set_font_description(pl, fd);
    pango_layout_set_text(pl, help_text, -1);
    int tw, th;
    pango_layout_get_pixel_size(pl, &tw, &th);
    double x = (v->w - tw) / 2.0 - 20, y = (v->h - th) / 2.0 - 20;
    cairo_set_source_rgba(cr, 0.1, 0.1, 0.15, 0.88);
    cairo_rectangle(cr, x, y, tw + 40, th + 40);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x + 20, y + 20);
    pango_cairo_show_layout(cr, pl);
    cairo_new_path(cr);
    pango_font_description_free(fd);
    g_object_unref(pl);
}

/* The whole window into the surface. */
static int draw_frame(viewer *v, cairo_surface_t *s, char *err, size_t errlen)
{
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double top_h = v->h - PANEL_H;
    viz_options o = v->o;
    o.width = v->w;
    int pw, ph;
    viz_picture_size(v->m, &o, &pw, &ph);
    if (v->vscroll > ph - top_h)
        v->vscroll = ph - top_h;
    if (v->vscroll < 0)
        v->vscroll = 0;
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, v->w, top_h);
    cairo_clip(cr);
    cairo_translate(cr, 0, -v->vscroll);
    int rc = viz_draw(v->m, cr, v->w, ph, &o, err, errlen);
    cairo_restore(cr);
    draw_panel(v, cr, top_h);
    if (v->help)
        draw_help(v, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return rc;
}

/* ---- the command -------------------------------------------------------------------------------- */

static const char usage[] =
    "usage: aiosim view TRACE.db [--axis time|iteration] [--size WxH]\n"
    "                   [--keys KEYS --screenshot SHOT.png]\n"
    "\n"
    "Opens the timeline of a trace in a window and steps through it event by event:\n"
    "the current event, its source line, the ready queue, the timers, each task's state\n"
    "and the output so far. Keys: \xe2\x86\x92/\xe2\x86\x90 event, PgDn/PgUp iteration, Home/End, +/- zoom,\n"
    "drag to pan, wheel to scroll, a axis, ? help, q quit.\n"
    "\n"
    "  --keys KEYS        play these keys first: \xe2\x86\x92 \xe2\x86\x90 \xe2\x86\x93(PgDn) \xe2\x86\x91(PgUp) \xe2\x87\xb1(Home)\n"
    "                     \xe2\x87\xb2(End) + - ? a, or ASCII n p N P H E\n"
    "  --screenshot FILE  save the window as a PNG after the keys and exit (headless:\n"
    "                     needs no display)\n"
    "  --size WxH         window size (default 1280x800)\n";

static void split_source(viewer *v, char *src)
{
    v->src_buf = src;
    if (!src)
        return;
    size_t cap = 0;
    for (char *p = src;;) {
        char *nl = strchr(p, '\n');
        if (v->nsrc == cap) {
            cap = cap ? cap * 2 : 64;
            v->src = realloc(v->src, cap * sizeof *v->src);
            if (!v->src)
                abort();
        }
        v->src[v->nsrc++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
}

static int load(viewer *v, const char *path, char *err, size_t errlen)
{
    v->m = viz_model_load(path, err, errlen);
    if (!v->m)
        return -1;
    trace_reader *r = trace_open(path, err, errlen);
    if (!r)
        return -1;
    int rc = trace_load_events(r, &v->ev, &v->nev, err, errlen);
    split_source(v, trace_meta_dup(r, "source"));
    trace_close(r);
    return rc;
}

static void unload(viewer *v)
{
    viz_model_free(v->m);
    if (v->ev)
        trace_free_events(v->ev, v->nev);
    free(v->src);
    free(v->src_buf);
    free_list(v->ready, v->nready);
    free_list(v->timers, v->ntimers);
    free_list(v->tasks, v->ntasks);
}

/* Copies the surface into the texture and presents it. */
static void present(SDL_Renderer *ren, SDL_Texture *tex, cairo_surface_t *s)
{
    SDL_UpdateTexture(tex, NULL, cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s));
    SDL_RenderClear(ren);
    SDL_RenderCopy(ren, tex, NULL, NULL);
    SDL_RenderPresent(ren);
}

/* What the renderer shows, read back, as a PNG. */
static int screenshot(SDL_Renderer *ren, int w, int h, const char *path, char *err, size_t errlen)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(s);
    if (SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, cairo_image_surface_get_data(s),
                             cairo_image_surface_get_stride(s)) != 0) {
        snprintf(err, errlen, "cannot read the window back: %s", SDL_GetError());
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_surface_mark_dirty(s);
    cairo_status_t st = cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot write '%s': %s", path, cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

static int run_window(viewer *v, const char *keys, const char *shot, char *err, size_t errlen)
{
    bool headless = shot || (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"));
    if (headless && !getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot open a window: %s (no display? use --screenshot to run "
                              "headless)", SDL_GetError());
        return -1;
    }
    int rc = -1;
    SDL_Window *win = NULL;
    SDL_Renderer *ren = NULL;
    SDL_Texture *tex = NULL;
    cairo_surface_t *s = NULL;
    char title[300];
    snprintf(title, sizeof title, "%s \xe2\x80\x94 aiosim view", v->m->title);
    win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, v->w, v->h,
                           SDL_WINDOW_RESIZABLE | (shot ? SDL_WINDOW_HIDDEN : 0));
    if (win)
        ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (!win || !ren) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        goto done;
    }
    if (keys && play_keys(v, keys, err, errlen) < 0)
        goto done;
    bool drag = false;
    v->dirty = true;
    while (!v->quit) {
        if (v->dirty) {
            int w, h;
            SDL_GetWindowSize(win, &w, &h);
            if (shot) {
                w = v->w;
                h = v->h;
            }
            if (!s || w != v->w || h != v->h || !tex) {
                v->w = w < 400 ? 400 : w;
                v->h = h < PANEL_H + 150 ? PANEL_H + 150 : h;
                if (s)
                    cairo_surface_destroy(s);
                if (tex)
                    SDL_DestroyTexture(tex);
                s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->w, v->h);
                tex = SDL_CreateTexture(ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                        v->w, v->h);
                if (!tex) {
                    snprintf(err, errlen, "cannot draw in the window: %s", SDL_GetError());
                    goto done;
                }
            }
            if (draw_frame(v, s, err, errlen) < 0)
                goto done;
            present(ren, tex, s);
            v->dirty = false;
        }
        if (shot) {
            rc = screenshot(ren, v->w, v->h, shot, err, errlen);
            goto done;
        }
        SDL_Event e;
        if (!SDL_WaitEvent(&e))
            continue;
        switch (e.type) {
        case SDL_QUIT: v->quit = true; break;
        case SDL_KEYDOWN: handle_key(v, e.key.keysym.sym); break;   /* '?' is shift+'/' */
        case SDL_WINDOWEVENT: v->dirty = true; break;
        case SDL_MOUSEBUTTONDOWN: drag = e.button.button == SDL_BUTTON_LEFT; break;
        case SDL_MOUSEBUTTONUP: drag = false; break;
        case SDL_MOUSEMOTION:
            if (drag && e.motion.xrel) {
                v->o.pan -= e.motion.xrel;
                if (v->o.pan < 0)
                    v->o.pan = 0;
                v->vscroll -= e.motion.yrel;
                v->dirty = true;
            }
            break;
        case SDL_MOUSEWHEEL:
            v->vscroll -= e.wheel.y * 40;
            v->dirty = true;
            break;
        }
    }
    rc = 0;
done:
    if (s)
        cairo_surface_destroy(s);
    if (tex)
        SDL_DestroyTexture(tex);
    if (ren)
        SDL_DestroyRenderer(ren);
    if (win)
        SDL_DestroyWindow(win);
    SDL_Quit();
    return rc;
}

int viz_view_cmd(int argc, char **argv)
{
    const char *in = NULL, *keys = NULL, *shot = NULL;
    viewer v;
    memset(&v, 0, sizeof v);
    viz_options_init(&v.o);
    v.w = 1280;
    v.h = 800;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--keys") && val) {
            keys = val;
            i++;
        } else if (!strcmp(a, "--screenshot") && val) {
            shot = val;
            i++;
        } else if (!strcmp(a, "--axis") && val && (!strcmp(val, "time") || !strcmp(val, "iteration"))) {
            v.o.axis = val[0] == 't' ? VIZ_AXIS_TIME : VIZ_AXIS_ITERATION;
            i++;
        } else if (!strcmp(a, "--size") && val) {
            if (sscanf(val, "%dx%d", &v.w, &v.h) != 2 || v.w < 400 || v.h < 400 || v.w > 8000 ||
                v.h > 8000) {
                fprintf(stderr, "aiosim view: --size is WxH, each 400..8000, not '%s'\n", val);
                return 2;
            }
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "aiosim view: unknown option or missing value '%s' (see aiosim view --help)\n", a);
            return 2;
        } else if (!in) {
            in = a;
        } else {
            fprintf(stderr, "aiosim view: one trace at a time\n");
            return 2;
        }
    }
    if (!in) {
        fputs("aiosim view: which trace? (aiosim view TRACE.db)\n", stderr);
        return 2;
    }
    if (shot && strlen(shot) < 4) {
        fprintf(stderr, "aiosim view: --screenshot needs a .png file name\n");
        return 2;
    }
    char err[VIZ_ERR_MAX] = "";
    int rc = 1;
    if (load(&v, in, err, sizeof err) == 0) {
        if (v.nev)
            v.o.cursor = v.ev[0].seq;
        rebuild_state(&v);
        rc = run_window(&v, keys, shot, err, sizeof err) == 0 ? 0 : 1;
    }
    if (rc != 0)
        fprintf(stderr, "aiosim view: %s\n", err);
    unload(&v);
    return rc;
}
