/* test_viewer.c — `aiosim view` headless: keys played through the same handler as a
 * window's, the window read back through SDL's renderer (dummy video driver) into a
 * screenshot, which the tests look at.
 */
#include <cairo.h>
#include <pango/pango.h>
#include <unistd.h>

#include "gen_traces.h"
#include "viz.h"

static char tmpdir[256];
static char *db;

static char *tmp(const char *name)
{
    char *p = malloc(strlen(tmpdir) + strlen(name) + 2);
    sprintf(p, "%s/%s", tmpdir, name);
    return p;
}

static int setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/aiosim_viewer_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    db = tmp("basic.db");
    gen_basic(db);
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];
    if (getenv("AIOSIM_KEEP_PICTURES")) {
        snprintf(cmd, sizeof cmd, "cp %s/*.png '%.300s' 2>/dev/null", tmpdir, getenv("AIOSIM_KEEP_PICTURES"));
        if (system(cmd) != 0)
            fprintf(stderr, "could not keep the screenshots\n");
    }
    free(db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static int view(const char *keys, const char *shot, const char *size)
{
    const char *argv[] = { "view", db, "--keys", keys, "--screenshot", shot, "--size", size };
    fflush(stdout);
    return viz_view_cmd(8, (char **)argv);
}

/* The screenshot's pixels (caller destroys). */
static cairo_surface_t *load_png(const char *path, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), w);
    assert_int_equal(cairo_image_surface_get_height(s), h);
    return s;
}

static int colours(cairo_surface_t *s)
{
    static uint32_t seen[2048];
    int n = 0, w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    for (int y = 0; y < h; y += 2)
        for (int x = 0; x < w; x += 2) {
            uint32_t c = *(const uint32_t *)(px + y * stride + x * 4) & 0xffffff;
            int j = 0;
            while (j < n && seen[j] != c)
                j++;
            if (j == n && n < 2048)
                seen[n++] = c;
        }
    return n;
}

/* Rows that differ between two screenshots of the same size. */
static int rows_differing(cairo_surface_t *a, cairo_surface_t *b, int y0, int y1)
{
    int stride = cairo_image_surface_get_stride(a), n = 0;
    const unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
    for (int y = y0; y < y1; y++)
        if (memcmp(pa + y * stride, pb + y * stride, (size_t)stride) != 0)
            n++;
    return n;
}


/* The panel as text after `keys` (viewer --dump); the caller frees it. */
static char *panel_after(const char *keys)
{
    char *out = tmp("panel.txt");
    const char *argv[] = { "view", db, "--keys", keys, "--dump", out };
    fflush(stdout);
    assert_int_equal(viz_view_cmd(6, (char **)argv), 0);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    char *text = calloc(1, 65536);
    size_t n = fread(text, 1, 65535, f);
    text[n] = '\0';
    fclose(f);
    free(out);
    return text;
}

/* n times the key k, as a --keys script */
static char *repeat(const char *k, int n, const char *then)
{
    char *s = calloc(1, strlen(k) * n + strlen(then) + 1);
    for (int i = 0; i < n; i++)
        strcat(s, k);
    strcat(s, then);
    return s;
}

#define assert_has(hay, needle)                                                  \
    do {                                                                         \
        if (!strstr((hay), (needle)))                                            \
            fail_msg("missing \"%s\" in:\n%s", (needle), (hay));                 \
    } while (0)

/* gen_basic at event 20: main has yielded, child is running and has just armed its
 * sleep's timer. The heap holds three timers due at 0.5, in heapq's order (all tied),
 * the source line is child's await. */
static void panel_shows_heap_tasks_and_source(void **state)
{
    char *keys = repeat("n", 19, "");
    char *d = panel_after(keys);
    assert_has(d, "  event 20: call_later\n");
    assert_has(d, "  line 7:     await asyncio.sleep(0.5)\n");
    assert_has(d, "timer heap (3)\n"
                  "  [0] at 0.5 =tie: #5 cb('a')\n"
                  "  [1] at 0.5 =tie: #6 cb('b')\n"
                  "  [2] at 0.5 =tie: #12 sleep(0.5) ends\n");
    assert_has(d, "ready queue (2)\n  #8 step Task-3\n  #9 step Task-1\n");
    assert_has(d, "Task-2 \xc2\xb7 child(): RUNNING\n");
    assert_has(d, "Task-1 \xc2\xb7 main(): ready again next iteration (sleep(0))\n");
    free(d);
    free(keys);
}

/* At t = 0.5 the heap pops cb('a'), then the sleep's timer (heapq's tie order), then
 * cb('b'): the ready queue shows that order; victim's cancelled timer stays in the heap
 * until the loop drops it; tasks say what they wait on, by the future's origin. */
static void panel_shows_tie_order_and_waits(void **state)
{
    char *keys = repeat("n", 50, "");
    char *d = panel_after(keys);
    assert_has(d, "  event 51: timer_due\n");
    assert_has(d, "ready queue (3)\n  #5 cb('a')\n  #12 sleep(0.5) ends\n  #6 cb('b')\n");
    assert_has(d, "timer heap (1)\n  [0] at 10: #15 sleep(10) ends (cancelled)\n");
    assert_has(d, "Task-1 \xc2\xb7 main(): waits on Task-2 \xc2\xb7 child()\n");
    assert_has(d, "Task-2 \xc2\xb7 child(): waits on sleep #11\n");
    assert_has(d, "Task-3 \xc2\xb7 victim(): cancelled\n");
    assert_has(d, "printed (1)\n  hi\n");
    /* stepping back rebuilds the same state as stepping forward */
    char *back = repeat("n", 60, "pppppppppp");
    char *d2 = panel_after(back);
    assert_string_equal(d, d2);
    /* the last event: the timer heap is empty (victim's timer dropped) */
    char *e = panel_after("E");
    assert_has(e, "timer heap (0)\n");
    assert_has(e, "printed (2)\n  hi\n  42\n");
    free(d);
    free(d2);
    free(e);
    free(keys);
    free(back);
}

/* Space plays: one event per frame while they share an instant, the clock crossing
 * to t = 0.5 by itself; a second space pauses. A click shows an event's details. */
static void play_and_click(void **state)
{
    char *d = panel_after(" ........");
    assert_has(d, "  event 9: ");
    assert_has(d, "playing\n");
    free(d);
    char *dots = repeat(".", 80, " ...");
    char *keys = repeat(" ", 1, dots);
    free(dots);
    d = panel_after(keys);
    assert_has(d, "time 0.5 \xc2\xb7 iteration");
    assert_true(strstr(d, "playing\n") == NULL);
    char *d2 = panel_after(keys);
    assert_string_equal(d, d2);                       /* the same keys, the same place */
    free(d);
    free(d2);
    free(keys);
    d = panel_after("@700,150;");
    assert_has(d, "details box shown\n");
    assert_true(strstr(d, "  event 1: ") == NULL);  /* the cursor moved to the click */
    free(d);
    /* the details box is drawn over the timeline */
    char *a = tmp("shot_click.png"), *b = tmp("shot_noclick.png");
    assert_int_equal(view("@700,150;", a, "1280x800"), 0);
    assert_int_equal(view("@700,150;d", b, "1280x800"), 0);
    cairo_surface_t *sa = load_png(a, 1280, 800), *sb = load_png(b, 1280, 800);
    assert_true(rows_differing(sa, sb, 80, 300) > 40);
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sb);
    free(a);
    free(b);
}

static void screenshot_shows_timeline_and_panel(void **state)
{
    char *shot = tmp("shot_start.png");
    assert_int_equal(view("", shot, "900x600"), 0);
    cairo_surface_t *s = load_png(shot, 900, 600);
    assert_true(colours(s) > 40);
    /* the panel's background below the timeline, the white timeline above */
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t panel = *(const uint32_t *)(px + 590 * stride + 890 * 4) & 0xffffff;
    uint32_t top = *(const uint32_t *)(px + 5 * stride + 890 * 4) & 0xffffff;
    assert_int_equal(top, 0xffffff);
    assert_true(panel != 0xffffff);
    cairo_surface_destroy(s);
    free(shot);
}

/* Keys move the cursor: the panel (event details, queues, output) and the cursor line
 * change; the same keys give the same picture. */
static void keys_move_the_cursor(void **state)
{
    char *a = tmp("shot_a.png"), *b = tmp("shot_b.png"), *c = tmp("shot_c.png");
    assert_int_equal(view("\xe2\x86\x92\xe2\x86\x92", a, "1000x700"), 0);
    assert_int_equal(view("NNNN\xe2\x86\x92\xe2\x86\x92", b, "1000x700"), 0);
    assert_int_equal(view("NNNNnn", c, "1000x700"), 0);   /* ASCII spelling of b's keys */
    cairo_surface_t *sa = load_png(a, 1000, 700), *sb = load_png(b, 1000, 700), *sc = load_png(c, 1000, 700);
    assert_true(rows_differing(sa, sb, 700 - 250, 700) > 20);   /* the panel */
    assert_true(rows_differing(sa, sb, 60, 300) > 20);          /* the cursor line */
    assert_int_equal(rows_differing(sb, sc, 0, 700), 0);
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sb);
    cairo_surface_destroy(sc);
    free(a);
    free(b);
    free(c);
}

static void help_and_zoom_change_the_picture(void **state)
{
    char *a = tmp("shot_plain.png"), *h = tmp("shot_help.png"), *z = tmp("shot_zoom.png");
    assert_int_equal(view("NN", a, "1000x700"), 0);
    assert_int_equal(view("NN?", h, "1000x700"), 0);
    assert_int_equal(view("NN++", z, "1000x700"), 0);
    cairo_surface_t *sa = load_png(a, 1000, 700), *sh = load_png(h, 1000, 700), *sz = load_png(z, 1000, 700);
    assert_true(rows_differing(sa, sh, 200, 450) > 100);        /* the help box */
    assert_true(rows_differing(sa, sz, 70, 260) > 50);          /* the lanes, zoomed */
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sh);
    cairo_surface_destroy(sz);
    free(a);
    free(h);
    free(z);
}

static void errors(void **state)
{
    char *shot = tmp("bad.png");
    assert_int_equal(view("\xe2\x86\x92x", shot, "900x600"), 1);        /* unknown key */
    assert_int_equal(view("", "/nonexistent_dir/s.png", "900x600"), 1);
    assert_int_equal(view("", shot, "10x10"), 2);
    const char *help[] = { "view", "--help" };
    assert_int_equal(viz_view_cmd(2, (char **)help), 0);
    const char *none[] = { "view" };
    assert_int_equal(viz_view_cmd(1, (char **)none), 2);
    const char *missing[] = { "view", "/nonexistent.db", "--screenshot", shot };
    assert_int_equal(viz_view_cmd(4, (char **)missing), 1);
    assert_int_equal(access(shot, F_OK), -1);
    free(shot);
}

/* See tests/viz/test_render.c: pango's per-process language block, shown reachable. */
typedef struct pango_language_header {
    const char *lang;
    const void *script_for_lang;
    int magic;
} pango_language_header;
static const void *volatile pango_language_block;

int main(void)
{
    pango_language_block = (const char *)pango_language_get_default() - sizeof(pango_language_header);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(screenshot_shows_timeline_and_panel),
        cmocka_unit_test(keys_move_the_cursor),
        cmocka_unit_test(help_and_zoom_change_the_picture),
        cmocka_unit_test(errors),
        cmocka_unit_test(panel_shows_heap_tasks_and_source),
        cmocka_unit_test(panel_shows_tie_order_and_waits),
        cmocka_unit_test(play_and_click),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    viz_release_caches();
    return failed;
}
