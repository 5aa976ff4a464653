/* render.c — a trace to a PNG, SVG or PDF file, the format chosen by the extension.
 * The same viz_draw draws all three: only the cairo surface differs.
 */
#include <cairo-pdf.h>
#include <dlfcn.h>
#include <pango/pangocairo.h>
#include <cairo-svg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "viz_int.h"

void viz_options_init(viz_options *o)
{
    memset(o, 0, sizeof *o);
    o->axis = VIZ_AXIS_TIME;
    o->from = NAN;
    o->to = NAN;
    o->zoom = 1;
}

typedef enum { OUT_PNG, OUT_SVG, OUT_PDF, OUT_UNKNOWN } out_kind;

static out_kind kind_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return OUT_UNKNOWN;
    if (!strcasecmp(dot, ".png"))
        return OUT_PNG;
    if (!strcasecmp(dot, ".svg"))
        return OUT_SVG;
    if (!strcasecmp(dot, ".pdf"))
        return OUT_PDF;
    return OUT_UNKNOWN;
}

bool viz_format_known(const char *path)
{
    return kind_of(path) != OUT_UNKNOWN;
}

static int bad_ext(const char *out_path, char *err, size_t errlen)
{
    snprintf(err, errlen, "cannot render to '%s': unknown picture format; "
                          "name the file .png, .svg or .pdf", out_path);
    return -1;
}

/* A cairo status as our error line. */
static int cairo_fail(const char *out_path, cairo_status_t st, char *err, size_t errlen)
{
    if (st == CAIRO_STATUS_WRITE_ERROR || st == CAIRO_STATUS_FILE_NOT_FOUND)
        snprintf(err, errlen, "cannot write '%s': %s", out_path,
                 errno ? strerror(errno) : cairo_status_to_string(st));
    else
        snprintf(err, errlen, "cannot render '%s': %s", out_path, cairo_status_to_string(st));
    return -1;
}

int viz_render_model(const viz_model *m, const char *out_path, const viz_options *o,
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
    out_kind k = kind_of(out_path);
    if (k == OUT_UNKNOWN)
        return bad_ext(out_path, err, errlen);
    int w, h;
    viz_picture_size(m, o, &w, &h);
    if (k == OUT_PNG && (long)w * h > 400L * 1000 * 1000) {
        snprintf(err, errlen, "cannot render '%s': a %dx%d picture is too big", out_path, w, h);
        return -1;
    }
    cairo_surface_t *s;
    errno = 0;
    if (k == OUT_PNG)
        s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    else if (k == OUT_SVG)
        s = cairo_svg_surface_create(out_path, w, h);
    else
        s = cairo_pdf_surface_create(out_path, w, h);
    cairo_status_t st = cairo_surface_status(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return cairo_fail(out_path, st, err, errlen);
    }
    if (k == OUT_PDF) {
        char title[300];
        snprintf(title, sizeof title, "%s — aiosim timeline", m->title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "aiosim");
    }
    cairo_t *cr = cairo_create(s);
    int rc = viz_draw(m, cr, w, h, o, err, errlen);
    st = cairo_status(cr);
    cairo_destroy(cr);
    if (rc == 0 && st != CAIRO_STATUS_SUCCESS)
        rc = cairo_fail(out_path, st, err, errlen);
    if (rc == 0 && k == OUT_PNG) {
        errno = 0;
        st = cairo_surface_write_to_png(s, out_path);
        if (st != CAIRO_STATUS_SUCCESS)
            rc = cairo_fail(out_path, st, err, errlen);
    }
    cairo_surface_finish(s);
    if (rc == 0 && (st = cairo_surface_status(s)) != CAIRO_STATUS_SUCCESS)
        rc = cairo_fail(out_path, st, err, errlen);
    cairo_surface_destroy(s);
    if (rc != 0 && k != OUT_PNG)
        unlink(out_path);        /* no half-drawn file left behind */
    return rc;
}

int viz_render_file(const char *trace_path, const char *out_path, const viz_options *o,
                    char *err, size_t errlen)
{
    char scratch[VIZ_ERR_MAX];
    if (!err || !errlen) {
        err = scratch;
        errlen = sizeof scratch;
    }
    if (kind_of(out_path) == OUT_UNKNOWN)
        return bad_ext(out_path, err, errlen);
    viz_model *m = viz_model_load(trace_path, err, errlen);
    if (!m)
        return -1;
    int rc = viz_render_model(m, out_path, o, err, errlen);
    viz_model_free(m);
    return rc;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int viz_bench_render(const char *trace_path, int width, int reps, double *load_s,
                     double *render_s, char *err, size_t errlen)
{
    double t0 = now_s();
    viz_model *m = viz_model_load(trace_path, err, errlen);
    if (!m)
        return -1;
    double t1 = now_s();
    viz_options o;
    viz_options_init(&o);
    o.width = width > 0 ? width : 1600;
    int w, h, rc = 0;
    if (reps < 1)
        reps = 1;
    double t2 = now_s();
    for (int i = 0; i < reps && rc == 0; i++) {
        viz_picture_size(m, &o, &w, &h);
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        cairo_t *cr = cairo_create(s);
        rc = viz_draw(m, cr, w, h, &o, err, errlen);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
    }
    double t3 = now_s();
    if (load_s)
        *load_s = t1 - t0;
    if (render_s)
        *render_s = (t3 - t2) / reps;
    viz_model_free(m);
    return rc;
}

/* Frees what cairo, pango and fontconfig keep for the life of the process (the font
 * map, glyph caches, fontconfig's configuration), so that a leak checker run over
 * aiosim sees only real leaks. Only at exit: nothing may draw afterwards. fontconfig
 * is reached through dlsym: it is loaded with cairo, but not linked by name. */
void viz_release_caches(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    void (*fc_fini)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "FcFini");
    if (fc_fini)
        fc_fini();
}
