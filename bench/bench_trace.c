/* bench_trace.c — the trace writer's speed: 2 million synthetic events through
 * trace_writer_observe, as a loop would report them, with the object-table writes a
 * real run causes (a handle per call_soon / call_later, its run, a task's steps).
 * Prints events/s and bytes per event of the finished file.
 *
 * Needs the traces library and SQLite:
 *   cc -std=c11 -O2 -D_GNU_SOURCE -I. -Iloop -Itraces bench/bench_trace.c \
 *      build/libaiosim_traces.a build/libaiosim_loop.a -lsqlite3 -lm -o build/bench/bench_trace
 * usage: bench_trace [OUT.db [EVENTS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int line_of(void *ud)
{
    return 7;
}

/* One run of `n` events in the pattern of a busy loop: each iteration schedules a
 * soon handle and a timer, runs a handle that steps a task, which awaits a future. */
static double run(const char *path, uint64_t n, bool plain, uint64_t *bytes)
{
    char err[TRACE_ERR_MAX];
    trace_host host = { .line_of = line_of };
    trace_meta meta = { .aiosim_version = "bench", .program = "bench.py", .source = "pass\n" };
    trace_writer *w = trace_writer_open(path, &meta, &host, NULL, err, sizeof err);
    if (!w) {
        fprintf(stderr, "bench_trace: %s\n", err);
        exit(1);
    }
    loop_task task = { .fut.hdr = { .kind = LOOP_K_TASK, .id = 1 } };
    loop_future fut = { .hdr = { .kind = LOOP_K_FUTURE, .id = 2 } };
    loop_handle h = { .hdr = { .kind = LOOP_K_HANDLE } };
    uint64_t next_id = 3, iteration = 0;
    double t = 0;
    loop_event ev = { 0 };
    double t0 = now();
    for (uint64_t seq = 1; seq <= n; seq++) {
        memset(&ev, 0, sizeof ev);
        ev.seq = seq;
        unsigned phase = plain ? 7 : (unsigned)(seq % 8);
        switch (phase) {
        case 0:
            ev.kind = LOOP_EV_ITERATION;
            ev.num = 2;
            iteration++;
            break;
        case 1:
            h.hdr.id = next_id++;
            h.is_timer = false;
            h.cb.obj = &task.fut.hdr;
            ev.kind = LOOP_EV_CALL_SOON;
            ev.subject = &h.hdr;
            ev.cause = &task.fut.hdr;
            break;
        case 2:
            ev.kind = LOOP_EV_HANDLE_BEGIN;
            ev.subject = &h.hdr;
            ev.other = &task.fut.hdr;
            break;
        case 3:
            ev.kind = LOOP_EV_STEP_BEGIN;
            ev.subject = &task.fut.hdr;
            ev.cause = &h.hdr;
            break;
        case 4:
            ev.kind = LOOP_EV_STEP_AWAIT;
            ev.subject = &task.fut.hdr;
            ev.other = &fut.hdr;
            ev.cause = &task.fut.hdr;
            break;
        case 5:
            h.hdr.id = next_id++;
            h.is_timer = true;
            h.when = t + 0.5;
            ev.kind = LOOP_EV_CALL_LATER;
            ev.subject = &h.hdr;
            ev.when = h.when;
            ev.num = 0.5;
            ev.cause = &task.fut.hdr;
            break;
        case 6:
            ev.kind = LOOP_EV_HANDLE_END;
            ev.subject = &h.hdr;
            break;
        default:
            t += 0.001;
            ev.kind = LOOP_EV_CLOCK_ADVANCE;
            ev.when = t;
            ev.num = 0.001;
            break;
        }
        ev.time = t;
        ev.iteration = iteration;
        trace_writer_observe(w, &ev);
    }
    if (trace_writer_close(w, true, t, 0, err, sizeof err) < 0) {
        fprintf(stderr, "bench_trace: %s\n", err);
        exit(1);
    }
    double dt = now() - t0;
    struct stat st;
    *bytes = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
    return dt;
}

int main(int argc, char **argv)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/aiosim_bench_trace_%d.db", (int)getpid());
    const char *path = argc > 1 ? argv[1] : tmp;
    uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 2000000;
    printf("trace writer, %llu synthetic events -> %s\n", (unsigned long long)n, path);
    for (int plain = 1; plain >= 0; plain--) {
        uint64_t bytes;
        double best = 1e30;
        for (int rep = 0; rep < 3; rep++) {
            double dt = run(path, n, plain, &bytes);
            if (dt < best)
                best = dt;
        }
        printf("  %-40s %10.0f events/s  %6.1f bytes/event  (best of 3: %.3f s)\n",
               plain ? "events only (clock_advance)" : "mixed (handles, steps, timers: 1/4 new handles)",
               n / best, (double)bytes / n, best);
    }
    unlink(path);
    return 0;
}
