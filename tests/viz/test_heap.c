/* test_heap.c — viz/heap.c's replay of the timer heap from a trace against the loop's
 * own heap (loop_timer_snapshot), and the futures' origins as traces keep them.
 *
 * The program schedules timers with many equal deadlines, cancels some, lets timers
 * fall due, and makes the loop purge its heap (> 100 timers, over half cancelled);
 * at each point it takes the loop's heap in array order. The replay of the trace's
 * events up to that point must give the same handles in the same order.
 */
#include <unistd.h>

#include "gen_traces.h"
#include "viz_int.h"

#define MAX_SNAPS 8
#define MAX_TIMERS 512

typedef struct snap {
    uint64_t seq;                /* events recorded when it was taken */
    size_t n;
    uint64_t ids[MAX_TIMERS];
} snap;

static snap snaps[MAX_SNAPS];
static int nsnaps;
static trace_writer *cur_w;
static bool purged_seen;

static int nop_cb(loop *l, loop_handle *h) { return 0; }

static void take(loop *l)
{
    assert_true(nsnaps < MAX_SNAPS);
    snap *s = &snaps[nsnaps++];
    loop_handle *hs[MAX_TIMERS];
    s->n = loop_timer_snapshot(l, hs, MAX_TIMERS);
    assert_true(s->n <= MAX_TIMERS);
    for (size_t i = 0; i < s->n; i++)
        s->ids[i] = hs[i]->hdr.id;
    trace_writer_stats st;
    trace_writer_get_stats(cur_w, &st);
    s->seq = st.events;
}

static loop_handle *later(loop *l, double d)
{
    return loop_call_later(l, d, &(loop_callback){ .fn = nop_cb });
}

/*  main: timers with ties, some cancelled; sleep(1); more; a mass of cancelled
 *  timers so the next iteration purges; sleep(0); sleep(2). Snapshots between. */
static loop_resume hp_main(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop *l = h->l;
    TH_CHECK(c, exc, out);
    switch (c->pc) {
    case 0:
        for (int k = 0; k < 40; k++) {
            loop_handle *t = later(l, 1 + ((k * 7) % 4) * 0.25);
            if (k % 5 == 3)
                loop_handle_cancel(l, t);
        }
        take(l);
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 1.0, NULL)), 1, out);
    case 1:
        take(l);
        for (int k = 0; k < 20; k++)
            loop_call_at(l, loop_time(l) + (k % 3) * 0.5, &(loop_callback){ .fn = nop_cb });
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 0.5, NULL)), 2, out);
    case 2: {
        take(l);
        loop_handle *mass[160];
        for (int k = 0; k < 160; k++)
            mass[k] = later(l, 50 + k % 4);
        for (int k = 0; k < 160; k++)
            if (k % 4 != 1)
                loop_handle_cancel(l, mass[k]);
        take(l);
        return th_yield(c, 3, out);              /* the next iteration purges */
    }
    case 3:
        take(l);
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 2, NULL)), 4, out);
    default:
        take(l);
        return th_return(c, NULL, out);
    }
}

static int count_purges(void *ud, const trace_event *e)
{
    if (e->kind == LOOP_EV_TIMER_PURGE)
        purged_seen = true;
    return 0;
}

static void heap_replay_matches_loop(void **state)
{
    char path[] = "/tmp/aiosim_heap_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);                /* the writer replaces only traces */
    char err[TRACE_ERR_MAX] = "";
    trace_host host = { .describe = gen_describe };
    trace_meta meta = { .program = "heap.py", .source = "# C" };
    cur_w = trace_writer_open(path, &meta, &host, NULL, err, sizeof err);
    if (!cur_w)
        fail_msg("%s", err);
    th *h = th_new();
    trace_writer_attach(cur_w, h->l);
    nsnaps = 0;
    th_run_main(h, hp_main, NULL);
    assert_int_equal(trace_writer_close(cur_w, true, loop_time(h->l), 0, err, sizeof err), 0);
    th_free(h);
    assert_int_equal(nsnaps, 6);

    trace_reader *r = trace_open(path, err, sizeof err);
    assert_non_null(r);
    trace_event *ev;
    size_t nev;
    assert_int_equal(trace_load_events(r, &ev, &nev, err, sizeof err), 0);
    purged_seen = false;
    trace_foreach_event(r, 0, 0, count_purges, NULL, err, sizeof err);
    assert_true(purged_seen);
    trace_close(r);

    viz_heap H;
    viz__heap_init(&H);
    size_t i = 0;
    bool ties = false;
    for (int s = 0; s < nsnaps; s++) {
        for (; i < nev && ev[i].seq <= snaps[s].seq; i++)
            viz__heap_apply(&H, &ev[i]);
        assert_false(H.desync);
        if (H.items.n != snaps[s].n)
            fail_msg("snapshot %d: replay has %zu timers, the loop %zu", s, H.items.n, snaps[s].n);
        for (size_t k = 0; k < H.items.n; k++) {
            if (H.items.v[k].handle != snaps[s].ids[k])
                fail_msg("snapshot %d: heap[%zu] is #%llu in the replay, #%llu in the loop", s, k,
                         (unsigned long long)H.items.v[k].handle, (unsigned long long)snaps[s].ids[k]);
            ties |= viz__heap_tied(&H, k);
        }
    }
    assert_true(ties);
    /* snapshot 3 was taken with 160 more timers, 120 of them cancelled; 4 after the purge */
    assert_true(snaps[3].n > 100);
    assert_true(snaps[4].n < snaps[3].n - 100);
    viz__heap_free(&H);
    trace_free_events(ev, nev);
    unlink(path);
}

/* ---- origins --------------------------------------------------------------------------- */

typedef struct origins {
    char seen[1024];
} origins;

static int on_future(void *ud, const trace_future *f)
{
    origins *o = ud;
    if (f->origin && strlen(o->seen) + strlen(f->origin) + 2 < sizeof o->seen) {
        strcat(o->seen, f->origin);
        strcat(o->seen, ",");
    }
    return 0;
}

static void futures_have_origins(void **state)
{
    char path[] = "/tmp/aiosim_origin_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);                /* the writer replaces only traces */
    gen_workers(path);
    char err[TRACE_ERR_MAX];
    trace_reader *r = trace_open(path, err, sizeof err);
    assert_non_null(r);
    origins o = { "" };
    assert_int_equal(trace_foreach_future(r, on_future, &o), 0);
    trace_close(r);
    /* workers wait on a queue and a lock, main on a thread's result, sleeps */
    if (!strstr(o.seen, "queue.get,") || !strstr(o.seen, "sleep,") || !strstr(o.seen, "executor,"))
        fail_msg("origins: %s", o.seen);
    /* the timeline colours a wait on the queue as a lock / queue wait */
    viz_model *m = viz_model_load(path, err, sizeof err);
    assert_non_null(m);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    viz_model_dump(m, f);
    fclose(f);
    viz_model_free(m);
    if (!strstr(text, " sync awaited "))
        fail_msg("no wait classified as sync:\n%s", text);
    free(text);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(heap_replay_matches_loop),
        cmocka_unit_test(futures_have_origins),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    viz_release_caches();
    return rc;
}
