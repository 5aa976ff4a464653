/* test_handles.c — Handle / TimerHandle and the ready queue: call_soon FIFO,
 * call_later / call_at order, cancel, snapshots, call_soon_threadsafe. */
#include "test_host.h"
#include "loop_int.h"     /* timer_cancelled_count */

static int push_two(loop *l, loop_handle *h);

static loop_callback numbered(long k)
{
    loop_callback cb = { .fn = push_two, .val = (loop_val)(intptr_t)k };
    return cb;
}

static th *H;

/* logs its number; those below 1000 queue two more (so the ring wraps and grows
 * while its head is in the middle) */
static int push_two(loop *l, loop_handle *h)
{
    long k = (long)(intptr_t)h->cb.val;
    th_log(H, "%ld", k);
    if (k < 1000) {
        loop_callback a = numbered(1000 + 2 * k), b = numbered(1000 + 2 * k + 1);
        loop_call_soon(l, &a);
        loop_call_soon(l, &b);
    }
    return 0;
}

/* call_soon is FIFO, across wrap-around and growth of the ring buffer. */
static void call_soon_is_fifo(void **state)
{
    th *h = H = *state;
    for (long k = 0; k < 60; k++) {
        loop_callback cb = numbered(k);
        loop_call_soon(h->l, &cb);
    }
    loop_handle *snap[4];
    assert_int_equal(loop_ready_snapshot(h->l, snap, 4), 60);
    assert_int_equal((long)(intptr_t)snap[3]->cb.val, 3);
    loop_run_once(h->l);
    assert_int_equal(loop_ready_count(h->l), 120);
    char want[2048] = "", *p = want;
    for (long k = 0; k < 60; k++)
        p += sprintf(p, "%s%ld", k ? "|" : "", k);
    th_expect(h, want);
    loop_run_once(h->l);
    p = want;
    for (long k = 1000; k < 1120; k++)
        p += sprintf(p, "%s%ld", k > 1000 ? "|" : "", k);
    th_expect(h, want);
    assert_int_equal(loop_ready_count(h->l), 0);
}

/* Python (vref: soon1 0.0 | soon2 0.0 | later0 0.0 | later1 1.0 | at1.5 1.5 |
 * later2 2.0 | end 3.0):
 *   loop.call_later(2, p("later2")); loop.call_later(1, p("later1"))
 *   loop.call_at(1.5, p("at1.5")); loop.call_soon(p("soon1"))
 *   loop.call_later(0, p("later0")); loop.call_soon(p("soon2"))
 *   h = loop.call_later(1.2, p("cancelled!")); h.cancel()
 *   loop.call_later(3, loop.stop); loop.run_forever(); print("end", loop.time())
 */
static int print_time(loop *l, loop_handle *h)
{
    th_log(H, "%s %s", (const char *)h->cb.val, th_pyfloat(loop_time(l)));
    return 0;
}

static int stop_cb(loop *l, loop_handle *h)
{
    loop_stop(l);
    return 0;
}

static void call_later_and_call_at_order(void **state)
{
    th *h = H = *state;
    loop *l = h->l;
#define P(name) (&(loop_callback){ .fn = print_time, .val = (loop_val)(name) })
    loop_call_later(l, 2, P("later2"));
    loop_call_later(l, 1, P("later1"));
    loop_call_at(l, 1.5, P("at1.5"));
    loop_call_soon(l, P("soon1"));
    loop_call_later(l, 0, P("later0"));
    loop_call_soon(l, P("soon2"));
    loop_handle *c = loop_call_later(l, 1.2, P("cancelled!"));
    loop_handle_cancel(l, c);
    loop_call_later(l, 3, &(loop_callback){ .fn = stop_cb });
    assert_int_equal(loop_run_forever(l), LOOP_OK);
    th_log(h, "end %s", th_pyfloat(loop_time(l)));
    th_expect(h, "soon1 0.0|soon2 0.0|later0 0.0|later1 1.0|at1.5 1.5|later2 2.0|end 3.0");
#undef P
}

/* Handle.cancel: the callback and its arguments are dropped, the handle skipped. */
static void cancel_drops_callback(void **state)
{
    th *h = *state;
    loop_handle *a = th_soon_log(h, "a");
    th_soon_log(h, "b");
    loop_handle_cancel(h->l, a);
    assert_true(a->cancelled);
    assert_null(a->cb.fn);
    assert_null(a->cb.val);
    loop_handle_cancel(h->l, a);        /* twice: no effect */
    loop_run_once(h->l);
    th_expect(h, "b");
}

/* TimerHandle.cancel counts the cancelled timer once, and only while it is
 * scheduled (loop._timer_handle_cancelled); popping it off the top uncounts it. */
static void timer_cancel_counts_once(void **state)
{
    th *h = *state;
    loop_handle *t = th_later_log(h, 1, "t");
    loop_handle *u = th_later_log(h, 0, "u");
    th_later_log(h, 0, "v");
    assert_true(t->scheduled);
    loop_handle_cancel(h->l, t);
    loop_handle_cancel(h->l, t);
    assert_int_equal(h->l->timer_cancelled_count, 1);
    loop_run_once(h->l);
    th_expect(h, "u|v");
    assert_false(u->scheduled);
    loop_handle_cancel(h->l, u);        /* already run: not counted */
    assert_int_equal(h->l->timer_cancelled_count, 1);
    /* the cancelled t leaves the top: nothing left, nothing ready */
    assert_int_equal(loop_run_forever(h->l), LOOP_DEADLOCK);
    assert_int_equal(h->l->timer_cancelled_count, 0);
    loop_handle *snap[4];
    assert_int_equal(loop_timer_snapshot(h->l, snap, 4), 0);
    assert_true(loop_time(h->l) == 0.0);
}

static int cancel_other(loop *l, loop_handle *h)
{
    loop_handle_cancel(l, (loop_handle *)h->cb.obj);
    return 0;
}

/* A timer cancelled after it was moved to the ready queue, by a callback of the same
 * iteration, does not run (the ntodo loop skips cancelled handles). */
static void cancel_due_timer_in_same_iteration(void **state)
{
    th *h = *state;
    loop_handle *first = loop_call_at(h->l, 1.0, &(loop_callback){ .fn = cancel_other });
    loop_handle *victim = th_later_log(h, 1.0, "victim");
    th_later_log(h, 1.0, "other");
    first->cb.obj = &victim->hdr;
    loop_run_once(h->l);
    th_expect(h, "other");
    assert_true(loop_time(h->l) == 1.0);
}

/* call_soon_threadsafe appends to the ready queue like call_soon (and writes the
 * self-pipe, which matters only while a virtual thread is alive). */
static void call_soon_threadsafe_orders_with_call_soon(void **state)
{
    th *h = *state;
    th_observe(h, (1ull << LOOP_EV_CALL_SOON) | (1ull << LOOP_EV_CALL_SOON_TS));
    th_soon_log(h, "a");
    loop_callback cb = th_cb(h, th_fn_log, "ts", NULL);
    loop_handle *ts = loop_call_soon_threadsafe(h->l, &cb);
    assert_true(ts->threadsafe);
    th_soon_log(h, "c");
    loop_run_once(h->l);
    char want[128];
    snprintf(want, sizeof want, "call_soon#%llu|call_soon_threadsafe#%llu|call_soon#%llu|a|ts|c",
             (unsigned long long)ts->hdr.id - 1, (unsigned long long)ts->hdr.id,
             (unsigned long long)ts->hdr.id + 1);
    th_expect(h, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(call_soon_is_fifo, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(call_later_and_call_at_order, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(cancel_drops_callback, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(timer_cancel_counts_once, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(cancel_due_timer_in_same_iteration, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(call_soon_threadsafe_orders_with_call_soon, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
