/* viewer.c — `aiosim view`: the timeline in an SDL2 window, stepped event by event.
 *
 * The window shows viz_draw's picture (a cairo image surface copied into an SDL
 * texture) with the current event marked, and under it a panel (viewer_panel.c): the
 * event, the program's source at its line, the ready queue, the timer heap in heap
 * order and each task's state at that moment (viewer_state.c), and the output printed
 * so far. The timeline is drawn again only when its view changes (zoom, pan, axis,
 * size); moving the cursor redraws the panel and the cursor line over the cached
 * picture, so stepping stays well under a frame even on a million events.
 *
 * Headless: --keys "→→→" plays keys, --screenshot shot.png saves what the window shows
 * (read back through SDL's renderer). Without a display (no DISPLAY/WAYLAND_DISPLAY,
 * or with --screenshot), SDL's dummy video driver is used. With keys, a playing viewer
 * (space) advances one frame of playback before each following key.
 */
#include <SDL.h>
#include <cairo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <stdlib.h>

#include "viewer_int.h"

#define FRAME_S (1.0 / 30)      /* playback: one step per frame at most this often */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- the timeline's geometry (cached with the picture) ----------------------------------------- */

static void timeline_invalidate(viewer *v)
{
    v->tl_valid = false;
}

/* The layout for the present view: made again after a zoom, an axis or a width change
 * (O(slots) with sorting), only moved after a pan (O(slots), a pass over two arrays). */
static const viz_layout *layout(viewer *v)
{
    if (v->L_valid && (v->L_zoom != v->o.zoom || v->L_axis != (int)v->o.axis || v->L_w != v->w)) {
        viz__layout_free(&v->L);
        v->L_valid = false;
    }
    if (!v->L_valid) {
        double X0, X1;
        viz__data_range(v->w, &X0, &X1);
        viz__layout(v->m, &v->o, X0, X1, &v->L);
        v->L_valid = true;
        v->L_zoom = v->o.zoom;
        v->L_axis = (int)v->o.axis;
        v->L_w = v->w;
        v->L_pan = v->o.pan;
    } else if (v->L_pan != v->o.pan) {
        viz__layout_shift(v->m, &v->L, v->L_pan - v->o.pan);
        v->L_pan = v->o.pan;
    }
    return &v->L;
}

static double x_of_index(viewer *v, size_t i)
{
    return viz__x_of(v->m, layout(v), v->ev[i].seq);
}

/* ---- moving ------------------------------------------------------------------------------------- */

/* Keeps the current event in view: pans when it nears an edge. */
static void follow_cursor(viewer *v)
{
    if (!v->nev)
        return;
    double X0, X1;
    viz__data_range(v->w, &X0, &X1);
    double x = x_of_index(v, v->cur), pan = v->o.pan;
    double margin = (X1 - X0) * 0.15;
    if (x < X0 + margin)
        pan -= X0 + margin - x;
    else if (x > X1 - margin)
        pan += x - (X1 - margin);
    double maxpan = (X1 - X0) * (v->o.zoom - 1) + 40;
    if (pan > maxpan)
        pan = maxpan;
    if (pan < 0)
        pan = 0;
    if (pan != v->o.pan) {
        v->o.pan = pan;
        timeline_invalidate(v);
    }
}

static void set_cursor(viewer *v, size_t i)
{
    if (!v->nev)
        return;
    if (i >= v->nev)
        i = v->nev - 1;
    v->cur = i;
    viewer__state_seek(v, i);
    v->o.cursor = v->ev[i].seq;
    follow_cursor(v);
    v->dirty = true;
}

static void zoom_by(viewer *v, double f)
{
    double z = v->o.zoom * f;
    if (z < 1)
        z = 1;
    if (z > 65536)
        z = 65536;
    double X0, X1;
    viz__data_range(v->w, &X0, &X1);
    double x = v->nev ? x_of_index(v, v->cur) : X0;      /* keep the current event where it is */
    v->o.pan = v->o.pan + (x - X0 + v->o.pan) * (z / v->o.zoom - 1);
    v->o.zoom = z;
    timeline_invalidate(v);
    follow_cursor(v);
}

static size_t iteration_step(const viewer *v, int dir)
{
    size_t i = v->cur;
    while (dir > 0 ? i + 1 < v->nev : i > 0) {
        i += dir;
        if (v->ev[i].kind == LOOP_EV_ITERATION)
            break;
    }
    return i;
}

/* One frame of playback: the next event if the play clock has reached it, else the
 * clock moves on (by speed x a frame; a long quiet stretch is crossed in a second). */
static void play_tick(viewer *v, double dt)
{
    if (!v->nev || v->cur + 1 >= v->nev) {
        v->playing = false;
        return;
    }
    const trace_event *next = &v->ev[v->cur + 1];
    if (next->time <= v->play_clock) {
        set_cursor(v, v->cur + 1);
        return;
    }
    double gap = next->time - v->play_clock;
    double step = dt * v->speed;
    if (gap > 0 && step < gap / 30)
        step = gap / 30;             /* at most a second of waiting for anything */
    v->play_clock += step;
    if (next->time <= v->play_clock)
        set_cursor(v, v->cur + 1);
    v->dirty = true;
}

static void handle_key(viewer *v, SDL_Keycode k)
{
    switch (k) {
    case SDLK_RIGHT: set_cursor(v, v->cur + 1); break;
    case SDLK_LEFT: set_cursor(v, v->cur ? v->cur - 1 : 0); break;
    case SDLK_PAGEDOWN: set_cursor(v, iteration_step(v, 1)); break;
    case SDLK_PAGEUP: set_cursor(v, iteration_step(v, -1)); break;
    case SDLK_HOME: set_cursor(v, 0); break;
    case SDLK_END: set_cursor(v, v->nev ? v->nev - 1 : 0); break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: zoom_by(v, 1.5); break;
    case SDLK_MINUS: case SDLK_KP_MINUS: zoom_by(v, 1 / 1.5); break;
    case SDLK_QUESTION: case SDLK_SLASH: case SDLK_F1: v->help = !v->help; break;
    case SDLK_d: case SDLK_RETURN: v->details = !v->details; break;
    case SDLK_SPACE:
        v->playing = !v->playing;
        if (v->playing && v->nev)
            v->play_clock = v->ev[v->cur].time;
        break;
    case SDLK_RIGHTBRACKET: v->speed *= 2; break;
    case SDLK_LEFTBRACKET: v->speed /= 2; break;
    case SDLK_a:
        v->o.axis = v->o.axis == VIZ_AXIS_TIME ? VIZ_AXIS_ITERATION : VIZ_AXIS_TIME;
        timeline_invalidate(v);
        follow_cursor(v);
        break;
    case SDLK_q: case SDLK_ESCAPE:
        if (v->details || v->help)
            v->details = v->help = false;
        else
            v->quit = true;
        break;
    default: return;
    }
    v->dirty = true;
}

/* A click at (x, y) in the timeline: the event nearest to x becomes the current one,
 * its details shown. Events' x never decreases with seq, so a binary search finds it. */
static void click(viewer *v, int x, int y)
{
    if (!v->nev || y >= v->h - VIEWER_PANEL_H) {
        v->details = false;
        v->dirty = true;
        return;
    }
    double X0, X1;
    viz__data_range(v->w, &X0, &X1);
    if (x < X0 - 4)
        return;
    size_t lo = 0, hi = v->nev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x_of_index(v, mid) < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t best = lo < v->nev ? lo : v->nev - 1;
    if (best > 0 && fabs(x_of_index(v, best - 1) - x) <= fabs(x_of_index(v, best) - x))
        best--;
    set_cursor(v, best);
    v->details = true;
}

/* "→→←+?" (and ASCII: n p N P H E + - ? d a, space, [ ]) as keys: plays the first key
 * of *s and moves *s past it. -1 on an unknown key (err set). */
static int play_key(viewer *v, const char **s, char *err, size_t errlen)
{
    int cx, cy, used = 0;
    if (**s == '@' && sscanf(*s, "@%d,%d;%n", &cx, &cy, &used) == 2 && used) {
        if (v->playing)
            play_tick(v, FRAME_S);
        click(v, cx, cy);                /* "@X,Y;": a click at (X, Y) */
        *s += used;
        return 0;
    }
    static const struct { const char *txt; SDL_Keycode k; } map[] = {
        { "\xe2\x86\x92", SDLK_RIGHT }, { "\xe2\x86\x90", SDLK_LEFT },
        { "\xe2\x86\x93", SDLK_PAGEDOWN }, { "\xe2\x86\x91", SDLK_PAGEUP },
        { "\xe2\x87\x9f", SDLK_PAGEDOWN }, { "\xe2\x87\x9e", SDLK_PAGEUP },
        { "\xe2\x87\xb1", SDLK_HOME }, { "\xe2\x87\xb2", SDLK_END },
        { "\xe2\x88\x92", SDLK_MINUS },
        { "n", SDLK_RIGHT }, { "p", SDLK_LEFT }, { "N", SDLK_PAGEDOWN }, { "P", SDLK_PAGEUP },
        { "H", SDLK_HOME }, { "E", SDLK_END }, { "+", SDLK_PLUS }, { "-", SDLK_MINUS },
        { "?", SDLK_QUESTION }, { "a", SDLK_a }, { "d", SDLK_d }, { " ", SDLK_SPACE },
        { "]", SDLK_RIGHTBRACKET }, { "[", SDLK_LEFTBRACKET }, { ".", 0 },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t len = strlen(map[i].txt);
        if (!strncmp(*s, map[i].txt, len)) {
            if (v->playing)
                play_tick(v, FRAME_S);
            if (map[i].k)
                handle_key(v, map[i].k);
            *s += len;
            return 0;
        }
    }
    snprintf(err, errlen, "--keys: unknown key at '%.8s' (keys: \xe2\x86\x92 \xe2\x86\x90 "
                          "\xe2\x86\x93 \xe2\x86\x91 \xe2\x87\xb1 \xe2\x87\xb2 + - ? a d, space, [ ], "
                          ". (a frame), @X,Y; (a click), or n p N P H E)", *s);
    return -1;
}

static int play_keys(viewer *v, const char *s, char *err, size_t errlen)
{
    while (*s)
        if (play_key(v, &s, err, errlen) < 0)
            return -1;
    return 0;
}

/* ---- drawing ---------------------------------------------------------------------------------- */

/* The timeline at the present view into v->tl (only when the view changed). */
static int draw_timeline(viewer *v, char *err, size_t errlen)
{
    double top_h = v->h - VIEWER_PANEL_H;
    if (v->tl_valid && v->tl_zoom == v->o.zoom && v->tl_pan == v->o.pan &&
        v->tl_axis == (int)v->o.axis && v->tl_w == v->w && v->tl_h == v->h &&
        v->tl_vscroll == v->vscroll)
        return 0;
    viz_options o = v->o;
    o.width = v->w;
    o.cursor = 0;
    /* the picture's height (lanes, output rows, legend): not after a pan alone */
    if (!v->tl_ph || v->tl_w != v->w || v->tl_axis != (int)v->o.axis || v->tl_zoom != v->o.zoom) {
        int pw;
        viz__picture_size(v->m, &o, layout(v), &pw, &v->tl_ph);
    }
    if (v->vscroll > v->tl_ph - top_h)
        v->vscroll = v->tl_ph - top_h;
    if (v->vscroll < 0)
        v->vscroll = 0;
    if (v->tl && (cairo_image_surface_get_width(v->tl) != v->w ||
                  cairo_image_surface_get_height(v->tl) != (int)top_h)) {
        cairo_surface_destroy(v->tl);
        v->tl = NULL;
    }
    if (!v->tl)
        v->tl = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->w, (int)top_h);
    cairo_t *cr = cairo_create(v->tl);
    cairo_translate(cr, 0, -v->vscroll);
    int rc = viz__draw(v->m, cr, v->w, v->tl_ph, &o, layout(v), err, errlen);
    cairo_destroy(cr);
    v->tl_valid = true;
    v->tl_zoom = v->o.zoom;
    v->tl_pan = v->o.pan;
    v->tl_axis = (int)v->o.axis;
    v->tl_w = v->w;
    v->tl_h = v->h;
    v->tl_vscroll = v->vscroll;
    v->tl_redrawn = true;
    return rc;
}

/* The whole window into the surface. */
static int draw_frame(viewer *v, cairo_surface_t *s, char *err, size_t errlen)
{
    v->tl_redrawn = false;
    if (draw_timeline(v, err, errlen) < 0)
        return -1;
    double top_h = v->h - VIEWER_PANEL_H;
    cairo_t *cr = cairo_create(s);
    cairo_set_source_surface(cr, v->tl, 0, 0);
    cairo_paint(cr);
    if (v->nev) {
        double x = x_of_index(v, v->cur);
        cairo_set_source_rgba(cr, 0.9, 0.1, 0.4, 0.8);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x, 64 - v->vscroll > 0 ? 64 - v->vscroll : 0);
        cairo_line_to(cr, x, top_h);
        cairo_stroke(cr);
    }
    viewer__draw_panel(v, cr, top_h);
    if (v->details)
        viewer__draw_details(v, cr);
    if (v->help)
        viewer__draw_help(v, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return 0;
}

/* ---- the command -------------------------------------------------------------------------------- */

static const char usage[] =
    "usage: aiosim view TRACE.db [--axis time|iteration] [--size WxH]\n"
    "                   [--keys KEYS --screenshot SHOT.png]\n"
    "\n"
    "Opens the timeline of a trace in a window and steps through it event by event:\n"
    "the current event, the source at its line, the ready queue, the timer heap, each\n"
    "task's state and the output so far. Keys: \xe2\x86\x92/\xe2\x86\x90 event, PgDn/PgUp iteration,\n"
    "Home/End, space play/pause, +/- zoom, click an event for its details, drag to pan,\n"
    "wheel to scroll, a axis, ? help, q quit.\n"
    "\n"
    "  --keys KEYS        play these keys first: \xe2\x86\x92 \xe2\x86\x90 \xe2\x86\x93(PgDn) \xe2\x86\x91(PgUp) \xe2\x87\xb1(Home)\n"
    "                     \xe2\x87\xb2(End) + - ? a d, space (play/pause), [ ] (speed), . (a frame),\n"
    "                     @X,Y; (a click at X,Y),\n"
    "                     or ASCII n p N P H E\n"
    "  --screenshot FILE  save the window as a PNG after the keys and exit (headless:\n"
    "                     needs no display)\n"
    "  --size WxH         window size (default 1280x800)\n"
    "  --dump FILE        after the keys, write the panel as text (the event, the ready\n"
    "                     queue, the timer heap, the tasks, the output) to FILE (- : stdout)\n"
    "  --stats            print each frame's drawing time to stderr, and a summary\n";

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
    if (rc == 0 && viewer__load_objs(v, r) < 0) {
        snprintf(err, errlen, "cannot read trace '%s': its tables are unreadable", path);
        rc = -1;
    }
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
    viewer__free_objs(v);
    viewer__state_free(v);
    if (v->L_valid)
        viz__layout_free(&v->L);
    if (v->tl)
        cairo_surface_destroy(v->tl);
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
    double t_sum = 0, t_max = 0, t_tl = 0;        /* --stats */
    unsigned long frames = 0, tl_frames = 0;
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
    /* with --stats every key is a frame of its own, so its cost shows */
    if (keys && !v->stats && play_keys(v, keys, err, errlen) < 0)
        goto done;
    if (!v->stats)
        keys = NULL;
    bool drag = false;
    int press_x = 0, press_y = 0;
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
                v->h = h < VIEWER_PANEL_H + 150 ? VIEWER_PANEL_H + 150 : h;
                timeline_invalidate(v);         /* the layout depends on the width */
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
            double t0 = now_s();
            if (draw_frame(v, s, err, errlen) < 0)
                goto done;
            present(ren, tex, s);
            double dt = (now_s() - t0) * 1e3;
            frames++;
            t_sum += dt;
            t_max = dt > t_max ? dt : t_max;
            if (v->tl_redrawn) {
                tl_frames++;
                t_tl += dt;
            }
            if (v->stats)
                fprintf(stderr, "frame %lu: %.2f ms%s\n", frames, dt,
                        v->tl_redrawn ? " (timeline redrawn)" : "");
            v->dirty = false;
        }
        if (keys && *keys) {
            if (play_key(v, &keys, err, errlen) < 0)
                goto done;
            v->dirty = true;
            continue;
        }
        if (shot) {
            rc = screenshot(ren, v->w, v->h, shot, err, errlen);
            goto done;
        }
        SDL_Event e;
        if (v->playing) {
            if (!SDL_WaitEventTimeout(&e, (int)(FRAME_S * 1000))) {
                play_tick(v, FRAME_S);
                continue;
            }
        } else if (!SDL_WaitEvent(&e))
            continue;
        switch (e.type) {
        case SDL_QUIT: v->quit = true; break;
        case SDL_KEYDOWN: handle_key(v, e.key.keysym.sym); break;   /* '?' is shift+'/' */
        case SDL_WINDOWEVENT: v->dirty = true; break;
        case SDL_MOUSEBUTTONDOWN:
            drag = e.button.button == SDL_BUTTON_LEFT;
            press_x = e.button.x;
            press_y = e.button.y;
            break;
        case SDL_MOUSEBUTTONUP:
            /* a press and release in place is a click, not a drag */
            if (drag && abs(e.button.x - press_x) < 3 && abs(e.button.y - press_y) < 3)
                click(v, e.button.x, e.button.y);
            drag = false;
            break;
        case SDL_MOUSEMOTION:
            if (drag && (e.motion.xrel || e.motion.yrel)) {
                v->o.pan -= e.motion.xrel;
                if (v->o.pan < 0)
                    v->o.pan = 0;
                v->vscroll -= e.motion.yrel;
                timeline_invalidate(v);
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
    if (v->stats && frames)
        fprintf(stderr, "%lu frames: mean %.2f ms, max %.2f ms; %lu redrew the timeline (mean %.2f ms), "
                "%lu only the cursor and panel (mean %.2f ms)\n", frames, t_sum / frames, t_max,
                tl_frames, tl_frames ? t_tl / tl_frames : 0.0, frames - tl_frames,
                frames > tl_frames ? (t_sum - t_tl) / (frames - tl_frames) : 0.0);
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
    const char *in = NULL, *keys = NULL, *shot = NULL, *dump = NULL;
    viewer v;
    memset(&v, 0, sizeof v);
    viz_options_init(&v.o);
    v.w = 1280;
    v.h = 800;
    v.speed = 1;
    viewer__state_init(&v);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--keys") && val) {
            keys = val;
            i++;
        } else if (!strcmp(a, "--dump") && val) {
            dump = val;
            i++;
        } else if (!strcmp(a, "--stats")) {
            v.stats = true;
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
                viewer__state_free(&v);
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
    int rc = 0;
    if (load(&v, in, err, sizeof err) == 0) {
        if (v.nev)
            v.o.cursor = v.ev[0].seq;
        viewer__state_seek(&v, 0);
        if (dump) {
            /* keys need no window; the panel as text, then a window only if asked */
            rc = play_keys(&v, keys ? keys : "", err, sizeof err) == 0 ? 0 : 1;
            keys = NULL;
            FILE *f = rc ? NULL : strcmp(dump, "-") ? fopen(dump, "w") : stdout;
            if (!rc && !f) {
                snprintf(err, sizeof err, "cannot write '%s': %s", dump, strerror(errno));
                rc = 1;
            }
            if (f) {
                viewer__dump(&v, f);
                if (f != stdout)
                    fclose(f);
                else
                    fflush(f);
            }
        }
        if (rc == 0 || !dump)
            rc = (!dump || shot) ? (run_window(&v, keys, shot, err, sizeof err) == 0 ? 0 : 1) : rc;
    }
    else
        rc = 1;
    if (rc != 0)
        fprintf(stderr, "aiosim view: %s\n", err);
    unload(&v);
    return rc;
}
