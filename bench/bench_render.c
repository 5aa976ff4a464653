/* bench_render.c — the timeline's speed on a large trace: loading a trace of a
 * million events or more into the model, drawing it whole, zoomed in, and the
 * viewer's frames (stepping over a cached timeline, and redrawing after a zoom).
 *
 * Without an argument it makes the trace itself: the real loop/ core runs 250
 * callbacks that each re-arm a timer 1000 times (call_later, timer_due, handle_begin,
 * handle_end, plus the loop's iterations and clock advances: about 1.3 million
 * events), with the trace writer attached.
 *   usage: bench_render [TRACE.db]      (render this trace instead)
 *          bench_render --make OUT.db   (only make the trace, and keep it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "trace.h"
#include "viz.h"

#define NTICKERS 250
#define ROUNDS 1000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int rounds[NTICKERS];
static char none_obj;

/* a ticker: re-arms itself with a delay of 1..5 ms until its rounds are done */
static int tick(loop *l, loop_handle *h)
{
    int i = (int)(intptr_t)h->cb.val - 1;
    if (++rounds[i] >= ROUNDS)
        return 0;
    loop_callback cb = { .fn = tick, .val = h->cb.val };
    loop_call_later(l, 0.001 * (1 + (i * 7 + rounds[i]) % 5), &cb);
    return 0;
}

static const char *describe_handle(void *ud, const loop_handle *h, char *buf, size_t n)
{
    snprintf(buf, n, "tick(%d)", (int)(intptr_t)h->cb.val - 1);
    return buf;
}

static void make_trace(const char *path)
{
    char err[TRACE_ERR_MAX];
    trace_host th = { .describe_handle = describe_handle };
    trace_meta meta = { .aiosim_version = "bench", .program = "bench_render.py",
                        .source = "# 250 callbacks re-arming timers\n" };
    trace_writer *w = trace_writer_open(path, &meta, &th, NULL, err, sizeof err);
    if (!w) {
        fprintf(stderr, "bench_render: %s\n", err);
        exit(1);
    }
    loop_host host = { .none = &none_obj };
    loop *l = loop_new(&host);
    trace_writer_attach(w, l);
    for (int i = 0; i < NTICKERS; i++) {
        loop_callback cb = { .fn = tick, .val = (loop_val)(intptr_t)(i + 1) };
        loop_call_soon(l, &cb);
    }
    while (loop_ready_count(l) || loop_timer_snapshot(l, NULL, 0))
        if (loop_run_once(l) != LOOP_OK)
            break;
    if (trace_writer_close(w, true, loop_time(l), 0, err, sizeof err) < 0) {
        fprintf(stderr, "bench_render: %s\n", err);
        exit(1);
    }
    loop_free(l);
}

int main(int argc, char **argv)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/aiosim_bench_render_%d.db", (int)getpid());
    if (argc == 3 && !strcmp(argv[1], "--make")) {
        make_trace(argv[2]);
        return 0;
    }
    const char *path = argc > 1 ? argv[1] : tmp;
    if (argc <= 1) {
        double t0 = now();
        make_trace(path);
        printf("trace made in %.2f s -> %s\n", now() - t0, path);
    }
    char err[VIZ_ERR_MAX];
    double load_s, render_s;
    if (viz_bench_render(path, 1600, 3, &load_s, &render_s, err, sizeof err) < 0) {
        fprintf(stderr, "bench_render: %s\n", err);
        return 1;
    }
    viz_model *m = viz_model_load(path, err, sizeof err);
    if (!m) {
        fprintf(stderr, "bench_render: %s\n", err);
        return 1;
    }
    printf("timeline of %llu events: load %.3f s, draw (whole run, 1600 px) %.1f ms\n",
           (unsigned long long)viz_model_event_count(m), load_s, render_s * 1e3);
    viz_model_free(m);
    /* the viewer: one frame per key, timed (--stats prints them to stderr) */
    char shot[80];
    snprintf(shot, sizeof shot, "/tmp/aiosim_bench_render_%d.png", (int)getpid());
    const char *view[] = { "view", path, "--keys", "nnnnnnnnnnNNNN++++++nnnnpppp--", "--stats",
                           "--screenshot", shot, "--size", "1280x800" };
    printf("viewer frames (1280x800; steps, iterations, zoom in and out):\n");
    fflush(stdout);
    int rc = viz_view_cmd(9, (char **)view);
    unlink(shot);
    if (argc <= 1)
        unlink(path);
    return rc;
}
