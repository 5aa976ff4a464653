/* bench_loop.c — the scheduling core alone, from C:
 *   (a) a million call_soon callbacks, each scheduling the next;
 *   (b) a million timers pushed at scattered deadlines, then all run;
 *   (c) as (a) with an observer counting every event.
 * Prints events per second for each. The host is a small mark-and-sweep collector
 * over host->alloc (loop_trace_roots / loop_obj_trace / loop_obj_finalize), as the
 * VM's will be, so memory stays bounded and the GC interface is exercised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "loop.h"

#define N 1000000
#define GC_EVERY 65536

/* ---- a tiny mark-and-sweep host -------------------------------------------------- */

typedef struct gc {
    loop *l;
    loop_obj **objs;
    size_t n, cap, since;
    loop_obj **gray;
    size_t ngray, capgray;
    size_t collections, freed, live;
} gc;

static void push_gray(gc *g, loop_obj *o)
{
    if (o->flags & 1)
        return;
    o->flags |= 1;
    if (g->ngray == g->capgray) {
        g->capgray = g->capgray ? g->capgray * 2 : 1024;
        g->gray = realloc(g->gray, g->capgray * sizeof *g->gray);
    }
    g->gray[g->ngray++] = o;
}

static void mark_obj(void *ud, loop_obj *o) { push_gray(ud, o); }
static void mark_val(void *ud, loop_val v) { (void)ud; (void)v; }  /* no host values */

static void collect(gc *g)
{
    loop_tracer t = { g, mark_val, mark_obj };
    loop_trace_roots(g->l, &t);
    while (g->ngray)
        loop_obj_trace(g->gray[--g->ngray], &t);
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        loop_obj *o = g->objs[i];
        if (o->flags & 1) {
            o->flags &= (uint16_t)~1u;
            g->objs[k++] = o;
        } else {
            loop_obj_finalize(o);
            free(o);
            g->freed++;
        }
    }
    g->n = g->live = k;
    g->collections++;
}

static void *gc_alloc(void *ud, loop_kind kind, size_t size)
{
    gc *g = ud;
    (void)kind;
    /* collect when as much was allocated as survived the last collection */
    if (g->l && ++g->since >= (g->live > GC_EVERY ? g->live : GC_EVERY)) {
        g->since = 0;
        collect(g);
    }
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 4096;
        g->objs = realloc(g->objs, g->cap * sizeof *g->objs);
    }
    loop_obj *o = calloc(1, size);
    if (!o || !g->objs) {
        fputs("bench: out of memory\n", stderr);
        exit(1);
    }
    g->objs[g->n++] = o;
    return o;
}

static loop_val new_error(void *ud, loop_error_kind k, const char *msg, loop_val arg)
{
    (void)ud; (void)k; (void)msg; (void)arg;
    return (loop_val)"error";
}

static bool is_error(void *ud, loop_val e, loop_error_kind k) { return false; }
static loop_val task_name(void *ud) { return (loop_val)"Task"; }

static loop *new_loop(gc *g, loop_host *host)
{
    static char none[] = "None";
    *host = (loop_host){ .ud = g, .none = none, .alloc = gc_alloc, .new_error = new_error,
                         .is_error = is_error, .task_name = task_name };
    *g = (gc){ 0 };
    g->l = loop_new(host);
    return g->l;
}

static void free_loop(gc *g)
{
    loop_free(g->l);
    for (size_t i = 0; i < g->n; i++) {
        loop_obj_finalize(g->objs[i]);
        free(g->objs[i]);
    }
    free(g->objs);
    free(g->gray);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- (a) a chain of call_soon ---------------------------------------------------- */

static long count;

static int chain(loop *l, loop_handle *h)
{
    if (++count < N) {
        loop_callback cb = { .fn = chain };
        loop_call_soon(l, &cb);
    } else {
        loop_stop(l);
    }
    return 0;
}

static double bench_chain(bool observe);

static uint64_t events;
static void count_events(void *ud, const loop_event *ev) { (void)ud; (void)ev; events++; }

static double bench_chain(bool observe)
{
    gc g;
    loop_host host;
    loop *l = new_loop(&g, &host);
    if (observe)
        loop_set_observer(l, count_events, NULL);
    count = 0;
    loop_callback cb = { .fn = chain };
    double t0 = now_s();
    loop_call_soon(l, &cb);
    if (loop_run_forever(l) != LOOP_OK || count != N)
        fprintf(stderr, "bench: chain ended early (%ld)\n", count);
    double dt = now_s() - t0;
    printf("    (%zu collections, %zu objects freed, %llu iterations)\n", g.collections,
           g.freed, (unsigned long long)loop_iteration(l));
    free_loop(&g);
    return dt;
}

/* ---- (b) a million timers ----------------------------------------------------------- */

static int tick(loop *l, loop_handle *h)
{
    if (++count == N)
        loop_stop(l);
    return 0;
}

static void bench_timers(double *push_s, double *run_s)
{
    gc g;
    loop_host host;
    loop *l = new_loop(&g, &host);
    count = 0;
    uint64_t x = 88172645463325252ull;
    loop_callback cb = { .fn = tick };
    double t0 = now_s();
    for (long i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;          /* xorshift64 */
        loop_call_at(l, (double)(x % 100000) / 100.0, &cb);   /* many equal deadlines */
    }
    double t1 = now_s();
    if (loop_run_forever(l) != LOOP_OK || count != N)
        fprintf(stderr, "bench: timers ended early (%ld)\n", count);
    double t2 = now_s();
    *push_s = t1 - t0;
    *run_s = t2 - t1;
    printf("    (%zu collections, clock at %.2f after %llu iterations)\n", g.collections,
           loop_time(l), (unsigned long long)loop_iteration(l));
    free_loop(&g);
}

int main(void)
{
    printf("bench_loop: %d events per case\n", N);
    double a = bench_chain(false);
    printf("(a) call_soon chain:        %8.3f s  %6.1f M callbacks/s\n", a, N / a / 1e6);
    double push, run;
    bench_timers(&push, &run);
    printf("(b) timers: push            %8.3f s  %6.1f M timers/s\n", push, N / push / 1e6);
    printf("    timers: run             %8.3f s  %6.1f M timers/s\n", run, N / run / 1e6);
    printf("    timers: push + run      %8.3f s  %6.1f M timers/s\n", push + run,
           N / (push + run) / 1e6);
    events = 0;
    double c = bench_chain(true);
    printf("(c) chain with an observer: %8.3f s  %6.1f M callbacks/s (%.1f M events/s)\n", c,
           N / c / 1e6, (double)events / c / 1e6);
    return 0;
}
