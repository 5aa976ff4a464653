/* test_render.c — viz/: the timeline model of real traces, and the pictures drawn from
 * it (PNG pixels, SVG, PDF through poppler's pdfinfo/pdftotext), the command's errors.
 *
 * Traces come from tests/viz/gen_traces.h: C-coroutine programs on the real loop with
 * the trace writer attached. AIOSIM_KEEP_PICTURES=DIR keeps the pictures drawn.
 */
#include <cairo.h>
#include <pango/pango.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen_traces.h"
#include "viz.h"
#include "viz_int.h"     /* the layout's own claims are tested too */

/* Children run this binary again to render; the leaks of cairo's PDF font subsetting
 * and of fontconfig without fonts are theirs, not the children's business to report. */
#define CHILD_ENV "ASAN_OPTIONS=detect_leaks=0 VIZ_TEST_RENDER_CHILD=1"

static char tmpdir[256];
static const char *self_path;     /* this binary: some renders run in a child of it */

static char *tmp(const char *name)
{
    char *p = malloc(strlen(tmpdir) + strlen(name) + 2);
    sprintf(p, "%s/%s", tmpdir, name);
    return p;
}

static int setup_dir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/aiosim_viz_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    char cmd[1200];
    if (getenv("AIOSIM_KEEP_PICTURES")) {
        snprintf(cmd, sizeof cmd, "cp %s/*.png %s/*.svg %s/*.pdf '%s' 2>/dev/null", tmpdir, tmpdir,
                 tmpdir, getenv("AIOSIM_KEEP_PICTURES"));
        if (system(cmd) != 0)
            fprintf(stderr, "could not keep the pictures\n");
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The model's text dump. */
static char *dump_of(const char *trace)
{
    char err[VIZ_ERR_MAX] = "";
    viz_model *m = viz_model_load(trace, err, sizeof err);
    if (!m)
        fail_msg("%s", err);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    viz_model_dump(m, f);
    fclose(f);
    viz_model_free(m);
    return text;
}

#define assert_has(hay, needle)                                                  \
    do {                                                                         \
        if (!strstr((hay), (needle)))                                            \
            fail_msg("missing \"%s\" in:\n%s", (needle), (hay));                 \
    } while (0)

static char *basic_db, *workers_db;

static int make_traces(void **state)
{
    if (setup_dir(state) != 0)
        return -1;
    basic_db = tmp("basic.db");
    workers_db = tmp("workers.db");
    gen_basic(basic_db);
    gen_workers(workers_db);
    return 0;
}

static int free_traces(void **state)
{
    free(basic_db);
    free(workers_db);
    return teardown_dir(state);
}

static char *slurp(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        fwrite(buf, 1, n, m);
    pclose(p);
    fclose(m);
    return text;
}

/* ---- the model ----------------------------------------------------------------------------- */

static void model_basic(void **state)
{
    char *d = dump_of(basic_db);
    assert_has(d, "title queries_example.py\n");
    assert_has(d, "lane 0 task 1 \"Task-1 · main()\" finished\n");
    assert_has(d, "lane 1 task 3 \"Task-2 · child()\" finished\n");
    assert_has(d, "lane 2 task 7 \"Task-3 · victim()\" cancelled\n");
    assert_has(d, "lane 3 callbacks 0 \"callbacks\"\n");
    /* waits: main's sleep(0) and await of Task-2, child's and victim's sleeps */
    assert_has(d, "wait lane 0 13..32 yield awaited 0\n");
    assert_has(d, "wait lane 1 22..65 sleep awaited 11 dur 0.5\n");
    assert_has(d, "wait lane 2 29..43 sleep awaited 14 dur 10\n");
    assert_has(d, "wait lane 0 39..74 task awaited 3\n");
    /* arrows: creation, the sleep(0) resumption, timers to the callbacks lane, the
     * cancel (replacing the wake-up that delivers it), wake-ups */
    assert_has(d, "arrow create 7 lane 0 -> 17 lane 1\n");
    assert_has(d, "arrow soon 14 lane 0 -> 31 lane 0\n");
    assert_has(d, "arrow timer 9 lane 0 -> 53 lane 3\n");
    assert_has(d, "arrow timer 20 lane 1 -> 55 lane 3\n");
    assert_has(d, "arrow cancel 33 lane 0 -> 43 lane 2\n");
    assert_has(d, "arrow wake 58 lane 3 -> 64 lane 1\n");
    assert_has(d, "arrow wake 70 lane 1 -> 73 lane 0\n");
    assert_true(strstr(d, "arrow wake 36") == NULL);
    assert_has(d, "step lane 2 43..45 cancelled thrown\n");
    assert_has(d, "step lane 3 53..54 callback\n");
    assert_has(d, "output 37 lane 0 stdout \"hi\"\n");
    assert_has(d, "output 75 lane 0 stdout \"42\"\n");
    assert_has(d, "jump 48 0 -> 0.5\n");
    free(d);
}

static void model_workers(void **state)
{
    char *d = dump_of(workers_db);
    assert_has(d, "\"Task-1 · main()\" finished\n");
    assert_has(d, "\"Task-2 · worker()\" cancelled\n");
    assert_has(d, "\"Task-3 · worker()\" cancelled\n");
    assert_has(d, " thread ");
    assert_has(d, "\"thread 1\"");
    assert_has(d, "stdout \"线程结果 数据\"\n");
    assert_has(d, "stdout \"A 处理 0\"\n");
    assert_has(d, "stdout \"完成\"\n");
    /* main awaited the executor's future, woken through call_soon_threadsafe */
    assert_has(d, "wait lane 0 ");
    assert_has(d, " thread awaited ");
    /* the thread slept 0.3 s of virtual time */
    assert_has(d, " sleep awaited 0 dur 0.3\n");
    /* both workers were cancelled by main */
    assert_has(d, "lane 0 -> ");
    int cancels = 0;
    for (const char *p = d; (p = strstr(p, "arrow cancel ")); p++)
        cancels++;
    assert_int_equal(cancels, 2);
    free(d);
}

static void model_errors(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    assert_null(viz_model_load("/nonexistent/x.db", err, sizeof err));
    assert_has(err, "/nonexistent/x.db");
    char *junk = tmp("junk.db");
    FILE *f = fopen(junk, "w");
    fputs("this is not a trace\n", f);
    fclose(f);
    err[0] = '\0';
    assert_null(viz_model_load(junk, err, sizeof err));
    assert_has(err, "junk.db");
    free(junk);
}

/* ---- layout ------------------------------------------------------------------------------------ */

/* Visible slots never overlap, keep their order, and each handle run gets at least
 * min_w pixels (loose events half that). */
static void check_slots(const viz_model *m, const viz_layout *L, double min_w)
{
    for (size_t i = L->first; i < L->last; i++) {
        assert_true(L->x1[i] - L->x0[i] >= (m->slots.v[i].handle ? min_w : min_w / 2));
        if (i > L->first)
            assert_true(L->x0[i] >= L->x1[i - 1]);
        assert_true(L->x0[i] >= L->X0 - 1e-9 && L->x1[i] <= L->X1 + 1e-9);
    }
}

/* Everything at t=0 still spreads out; a 30 s sleep among 0.1 s ones becomes two
 * breaks of the time axis (the 30 s happen between two instants 15 s apart each),
 * and none on the iteration axis. */
/* The viewer moves its layout on a pan instead of making it again: the two agree, and
 * drawing with a borrowed layout gives the same pixels as drawing with a fresh one. */
static void layout_shift_is_a_pan(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    char *gap = tmp("gap_pan.db");
    gen_gap(gap);
    viz_model *m = viz_model_load(gap, err, sizeof err);
    assert_non_null(m);
    viz_options o;
    viz_options_init(&o);
    o.zoom = 6;
    o.pan = 300;
    viz_layout A, B;
    viz__layout(m, &o, 212, 1252, &A);
    o.pan = 1100;
    viz__layout(m, &o, 212, 1252, &B);
    viz__layout_shift(m, &A, 300 - 1100);
    for (size_t i = 0; i < m->slots.n; i++) {
        assert_true(fabs(A.x0[i] - B.x0[i]) < 1e-6);
        assert_true(fabs(A.x1[i] - B.x1[i]) < 1e-6);
    }
    assert_int_equal(A.breaks.n, B.breaks.n);
    for (size_t i = 0; i < A.breaks.n; i++)
        assert_true(fabs(A.breaks.v[i].x0 - B.breaks.v[i].x0) < 1e-6);
    /* the same picture either way */
    o.width = 1280;
    int w, h;
    viz_picture_size(m, &o, &w, &h);
    cairo_surface_t *s1 = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_surface_t *s2 = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *c1 = cairo_create(s1), *c2 = cairo_create(s2);
    assert_int_equal(viz_draw(m, c1, w, h, &o, err, sizeof err), 0);
    assert_int_equal(viz__draw(m, c2, w, h, &o, &A, err, sizeof err), 0);
    cairo_destroy(c1);
    cairo_destroy(c2);
    cairo_surface_flush(s1);
    cairo_surface_flush(s2);
    assert_memory_equal(cairo_image_surface_get_data(s1), cairo_image_surface_get_data(s2),
                        (size_t)cairo_image_surface_get_stride(s1) * h);
    cairo_surface_destroy(s1);
    cairo_surface_destroy(s2);
    viz__layout_free(&A);
    viz__layout_free(&B);
    viz_model_free(m);
    free(gap);
}

static void layout_spacing_and_breaks(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    char *gap = tmp("gap.db");
    gen_gap(gap);
    viz_model *m = viz_model_load(gap, err, sizeof err);
    assert_non_null(m);
    viz_options o;
    viz_options_init(&o);
    viz_layout L;
    viz__layout(m, &o, 200, 1200, &L);
    assert_int_equal(L.breaks.n, 2);
    assert_true(L.breaks.v[0].t1 - L.breaks.v[0].t0 > 14);
    check_slots(m, &L, 20);
    viz__layout_free(&L);
    o.axis = VIZ_AXIS_ITERATION;
    viz__layout(m, &o, 200, 1200, &L);
    assert_int_equal(L.breaks.n, 0);
    check_slots(m, &L, 20);
    viz__layout_free(&L);
    viz_model_free(m);
    free(gap);

    m = viz_model_load(basic_db, err, sizeof err);
    assert_non_null(m);
    o.axis = VIZ_AXIS_TIME;
    viz__layout(m, &o, 200, 1000, &L);
    size_t at0 = 0;
    for (size_t i = 0; i < m->slots.n; i++)
        at0 += m->slots.v[i].time == 0;
    assert_true(at0 >= 6);
    check_slots(m, &L, 30);
    viz__layout_free(&L);
    viz_model_free(m);
}

/* ---- pictures -------------------------------------------------------------------------------- */

/* Counts the distinct colours and the pixels that are not the white background. */
static void png_stats(const char *path, int *w, int *h, int *colours, double *ink)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    *w = cairo_image_surface_get_width(s);
    *h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    static uint32_t seen[4096];
    int n = 0;
    long nonwhite = 0;
    for (int y = 0; y < *h; y++)
        for (int x = 0; x < *w; x++) {
            uint32_t c = *(const uint32_t *)(px + y * stride + x * 4) & 0xffffff;
            if (c != 0xffffff)
                nonwhite++;
            int j = 0;
            while (j < n && seen[j] != c)
                j++;
            if (j == n && n < 4096)
                seen[n++] = c;
        }
    *colours = n;
    *ink = (double)nonwhite / ((double)*w * *h);
    cairo_surface_destroy(s);
}

static void png_basic(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    char *out = tmp("basic.png");
    viz_options o;
    viz_options_init(&o);
    o.width = 1200;
    assert_int_equal(viz_render_file(basic_db, out, &o, err, sizeof err), 0);
    int w, h, colours;
    double ink;
    png_stats(out, &w, &h, &colours, &ink);
    assert_int_equal(w, 1200);
    assert_true(h > 300 && h < 1000);
    assert_true(colours > 50);        /* lanes, bars of several colours, antialiased text */
    assert_true(ink > 0.10);
    free(out);
}

static void png_axes_differ(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    char *a = tmp("workers.png"), *b = tmp("workers_iter.png");
    viz_options o;
    viz_options_init(&o);
    assert_int_equal(viz_render_file(workers_db, a, &o, err, sizeof err), 0);
    o.axis = VIZ_AXIS_ITERATION;
    assert_int_equal(viz_render_file(workers_db, b, &o, err, sizeof err), 0);
    struct stat sa, sb;
    assert_int_equal(stat(a, &sa), 0);
    assert_int_equal(stat(b, &sb), 0);
    assert_true(sa.st_size != sb.st_size);
    int w, h, colours;
    double ink;
    png_stats(b, &w, &h, &colours, &ink);
    assert_true(w >= 1000);
    assert_true(colours > 50);
    free(a);
    free(b);
}

static void png_window(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    char *out = tmp("window.png");
    viz_options o;
    viz_options_init(&o);
    o.from = 0.3;
    o.to = 0.45;
    o.width = 900;
    assert_int_equal(viz_render_file(workers_db, out, &o, err, sizeof err), 0);
    int w, h, colours;
    double ink;
    png_stats(out, &w, &h, &colours, &ink);
    assert_int_equal(w, 900);
    assert_true(colours > 30);
    free(out);
}

/* The PDF is drawn in a child process (this binary again): cairo 1.16's PDF font
 * subsetting leaks a few blocks per embedded font on finish, which is cairo's own
 * (the drawing code is the PNG and SVG tests', checked in this process). */
static void pdf_workers(void **state)
{
    char *out = tmp("workers.pdf");
    char run[1024];
    snprintf(run, sizeof run, CHILD_ENV " '%s' '%s' '%s'", self_path, workers_db, out);
    char *rc = slurp(run);
    assert_string_equal(rc, "rc=0 \n");
    free(rc);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", out);
    char *info = slurp(cmd);
    assert_has(info, "Pages:");
    assert_has(info, "1\n");
    assert_has(info, "workers.py");
    free(info);
    /* the text is text: lane labels, Chinese output, the legend */
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - 2>&1", out);
    char *text = slurp(cmd);
    assert_has(text, "Task-1");
    assert_has(text, "main()");
    assert_has(text, "worker()");
    assert_has(text, "thread 1");
    assert_has(text, "线程结果 数据");
    assert_has(text, "完成");
    assert_has(text, "waiting for:");
    free(text);
    free(out);
}

static void svg_basic(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    char *out = tmp("basic.svg");
    viz_options o;
    viz_options_init(&o);
    o.width = 1000;
    assert_int_equal(viz_render_file(basic_db, out, &o, err, sizeof err), 0);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    char *text = NULL;
    size_t len = 0;
    assert_true(getdelim(&text, &len, '\0', f) > 1000);
    fclose(f);
    assert_has(text, "<svg");
    assert_has(text, "width=\"1000\"");
    assert_has(text, "</svg>");
    /* pango draws glyphs: many uses of glyph symbols, and the bars' colours */
    int uses = 0;
    for (const char *p = text; (p = strstr(p, "xlink:href=\"#glyph")); p++)
        uses++;
    assert_true(uses > 200);
    free(text);
    free(out);
}

/* A trace with no events (a program that never started a loop), and one left by a
 * killed run, still draw. */
static void empty_and_incomplete(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    char *db = tmp("empty.db"), *out = tmp("empty.png");
    trace_writer *w = trace_writer_open(db, NULL, NULL, NULL, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(trace_writer_close(w, false, 0, 0, err, sizeof err), 0);
    char *d = dump_of(db);
    assert_has(d, "events 0 complete 0\n");
    assert_has(d, "lane 0 callbacks 0 \"callbacks\"\n");
    free(d);
    assert_int_equal(viz_render_file(db, out, NULL, err, sizeof err), 0);
    int wd, h, colours;
    double ink;
    png_stats(out, &wd, &h, &colours, &ink);
    assert_int_equal(wd, 1000);
    assert_true(colours > 10);     /* title, legend, the empty lanes */
    free(db);
    free(out);
}

/* ---- errors and the command ------------------------------------------------------------------------ */

static void render_errors(void **state)
{
    char err[VIZ_ERR_MAX] = "";
    assert_int_equal(viz_render_file(basic_db, "/tmp/x.gif", NULL, err, sizeof err), -1);
    assert_string_equal(err, "cannot render to '/tmp/x.gif': unknown picture format; "
                             "name the file .png, .svg or .pdf");
    err[0] = '\0';
    assert_int_equal(viz_render_file("/nonexistent/run.db", "/tmp/x.png", NULL, err, sizeof err), -1);
    assert_has(err, "/nonexistent/run.db");
    err[0] = '\0';
    assert_int_equal(viz_render_file(basic_db, "/nonexistent_dir/x.png", NULL, err, sizeof err), -1);
    assert_has(err, "cannot write '/nonexistent_dir/x.png'");
    err[0] = '\0';
    assert_int_equal(viz_render_file(basic_db, "/nonexistent_dir/x.pdf", NULL, err, sizeof err), -1);
    assert_has(err, "/nonexistent_dir/x.pdf");
}

/* With fontconfig given no fonts at all, the error names the missing font. The render
 * runs in a fresh process (this binary again, see main): fontconfig reads its
 * configuration once per process. */
static void missing_font(void **state)
{
    char *conf = tmp("empty-fonts.conf"), *out = tmp("nofont.png");
    FILE *f = fopen(conf, "w");
    fprintf(f, "<?xml version=\"1.0\"?>\n<fontconfig><dir>%s/nofonts</dir>"
               "<cachedir>%s/cache</cachedir></fontconfig>\n", tmpdir, tmpdir);
    fclose(f);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "FONTCONFIG_FILE='%s' " CHILD_ENV " '%s' '%s' '%s'",
             conf, self_path, basic_db, out);
    char *msg = slurp(cmd);
    assert_has(msg, "rc=-1 ");
    assert_has(msg, "font");
    assert_has(msg, "fonts-noto-cjk");
    assert_int_equal(access(out, F_OK), -1);     /* no picture written */
    free(msg);
    free(conf);
    free(out);
}

/* The child of missing_font and pdf_workers: renders argv[1] to argv[2], prints the
 * outcome. */
/* pango keeps the default language for the life of the process in a block it points
 * into only (pango-language.c: a PangoLanguagePrivate header, then the string), so a
 * leak checker calls it "possibly lost". Pointing at the block's start from here shows
 * it for what it is: reachable, the library's own. The header mirrors pango 1.50's. */
typedef struct pango_language_header {
    const char *lang;
    const void *script_for_lang;
    int magic;
} pango_language_header;
static const void *volatile pango_language_block;   /* volatile: kept though never read */

static void keep_pango_language_reachable(void)
{
    pango_language_block = (const char *)pango_language_get_default() - sizeof(pango_language_header);
}

static int render_child(char **argv)
{
    char err[VIZ_ERR_MAX] = "";
    int rc = viz_render_file(argv[1], argv[2], NULL, err, sizeof err);
    printf("rc=%d %s\n", rc, err);
    fflush(stdout);
    viz_release_caches();
    return 0;
}

static int run_cmd(int argc, const char **argv)
{
    fflush(stdout);
    return viz_render_cmd(argc, (char **)argv);
}

static void command(void **state)
{
    char *out = tmp("cmd.png");
    const char *ok[] = { "render", basic_db, "-o", out, "--axis", "iteration", "--width", "800" };
    assert_int_equal(run_cmd(8, ok), 0);
    int w, h, colours;
    double ink;
    png_stats(out, &w, &h, &colours, &ink);
    assert_int_equal(w, 800);
    const char *help[] = { "render", "--help" };
    assert_int_equal(run_cmd(2, help), 0);
    const char *noout[] = { "render", basic_db };
    assert_int_equal(run_cmd(2, noout), 2);
    const char *badaxis[] = { "render", basic_db, "-o", out, "--axis", "wall" };
    assert_int_equal(run_cmd(6, badaxis), 2);
    const char *badnum[] = { "render", basic_db, "-o", out, "--from", "x" };
    assert_int_equal(run_cmd(6, badnum), 2);
    const char *badwin[] = { "render", basic_db, "-o", out, "--from", "2", "--to", "1" };
    assert_int_equal(run_cmd(8, badwin), 2);
    const char *badext[] = { "render", basic_db, "-o", "x.bmp" };
    assert_int_equal(run_cmd(4, badext), 1);
    const char *missing[] = { "render", "/nonexistent.db", "-o", out };
    assert_int_equal(run_cmd(4, missing), 1);
    free(out);
}

/* ---- a large trace ---------------------------------------------------------------------------- */

static void large_trace(void **state)
{
    char *db = tmp("many.db"), *out = tmp("many.png");
    gen_many(db, 60, 400);    /* ~24k sleeps: a quarter of a million events */
    char err[VIZ_ERR_MAX] = "";
    double load, render;
    assert_int_equal(viz_bench_render(db, 1600, 1, &load, &render, err, sizeof err), 0);
    viz_model *m = viz_model_load(db, err, sizeof err);
    assert_non_null(m);
    uint64_t n = viz_model_event_count(m);
    assert_true(n > 200000);
    assert_int_equal(viz_model_lane_count(m), 62);   /* main, 60 tickers, callbacks */
    viz_options o;
    viz_options_init(&o);
    o.width = 1600;
    assert_int_equal(viz_render_model(m, out, &o, err, sizeof err), 0);
    viz_model_free(m);
    int w, h, colours;
    double ink;
    png_stats(out, &w, &h, &colours, &ink);
    assert_int_equal(w, 1600);
    assert_true(ink > 0.2);
    fprintf(stderr, "large trace: %llu events, load %.2f s, render %.2f s\n",
            (unsigned long long)n, load, render);
    assert_true(render < 10);
    free(db);
    free(out);
}

int main(int argc, char **argv)
{
    if (getenv("VIZ_TEST_RENDER_CHILD") && argc == 3)
        return render_child(argv);
    self_path = argv[0];
    keep_pango_language_reachable();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_basic),
        cmocka_unit_test(model_workers),
        cmocka_unit_test(model_errors),
        cmocka_unit_test(layout_spacing_and_breaks),
        cmocka_unit_test(layout_shift_is_a_pan),
        cmocka_unit_test(png_basic),
        cmocka_unit_test(png_axes_differ),
        cmocka_unit_test(png_window),
        cmocka_unit_test(pdf_workers),
        cmocka_unit_test(svg_basic),
        cmocka_unit_test(empty_and_incomplete),
        cmocka_unit_test(render_errors),
        cmocka_unit_test(missing_font),
        cmocka_unit_test(command),
        cmocka_unit_test(large_trace),
    };
    int failed = cmocka_run_group_tests(tests, make_traces, free_traces);
    viz_release_caches();
    return failed;
}
