/* test_run_once.c — the iteration and the run functions: the clock jump, stop(),
 * run_forever / run_until_complete / close and their CPython errors, the step limit.
 *
 * The expected outputs are those of this program under vref.py:
 *
 *   loop = asyncio.new_event_loop()
 *   def a():
 *       print("a", loop.time()); loop.stop(); loop.call_soon(lambda: print("c", loop.time()))
 *   loop.call_soon(a); loop.call_soon(lambda: print("b", loop.time()))
 *   loop.call_later(1, lambda: print("timer", loop.time()))
 *   loop.run_forever(); print("stopped", loop.time())
 *   loop.stop(); loop.run_forever(); print("stopped again", loop.time())
 *   loop.call_later(2, loop.stop); loop.run_forever(); print("end", loop.time())
 *   def inner():
 *       try: loop.run_until_complete(asyncio.sleep(0))
 *       except RuntimeError as e: print("inner:", e)
 *       try: loop.close()
 *       except RuntimeError as e: print("close:", e)
 *   fut = loop.create_future(); loop.call_soon(inner); loop.call_soon(loop.stop)
 *   try: loop.run_until_complete(fut)
 *   except RuntimeError as e: print("ruc:", e)
 *   print(fut.done(), fut.remove_done_callback(print))
 *   loop.call_later(5, fut.set_result, 9); print(loop.run_until_complete(fut), loop.time())
 *   loop.close(); loop.close()
 *   try: loop.run_forever()
 *   except RuntimeError as e: print("closed:", e)
 *   try: loop.call_soon(print)
 *   except RuntimeError as e: print("closed:", e)
 *   print(loop.is_closed(), loop.is_running())
 *
 * a 0.0 | b 0.0 | stopped 0.0 | c 0.0 | stopped again 0.0 | timer 1.0 | end 2.0 |
 * inner: This event loop is already running | close: Cannot close a running event loop |
 * ruc: Event loop stopped before Future completed. | False 0 | 9 7.0 (5.0 on a fresh loop) |
 * closed: Event loop is closed | closed: Event loop is closed | True False
 */
#include "test_host.h"

static th *H;

static const char *err_msg(loop *l)
{
    tv *e = loop_take_error(l);
    assert_non_null(e);
    return e->s;
}

static int print_named(loop *l, loop_handle *h)
{
    th_log(H, "%s %s", (const char *)h->cb.val, th_pyfloat(loop_time(l)));
    return 0;
}

static loop_callback named(const char *name)
{
    loop_callback cb = { .fn = print_named, .val = (loop_val)name };
    return cb;
}

static int cb_a(loop *l, loop_handle *h)
{
    th_log(H, "a %s", th_pyfloat(loop_time(l)));
    loop_stop(l);
    loop_callback c = named("c");
    loop_call_soon(l, &c);
    return 0;
}

static int cb_stop(loop *l, loop_handle *h)
{
    loop_stop(l);
    return 0;
}

static void stop_finishes_the_iteration(void **state)
{
    th *h = H = *state;
    loop *l = h->l;
    loop_callback a = { .fn = cb_a }, b = named("b"), timer = named("timer");
    loop_call_soon(l, &a);
    loop_call_soon(l, &b);
    loop_call_later(l, 1, &timer);
    assert_int_equal(loop_run_forever(l), LOOP_OK);
    th_log(h, "stopped %s", th_pyfloat(loop_time(l)));
    loop_stop(l);
    assert_int_equal(loop_run_forever(l), LOOP_OK);
    th_log(h, "stopped again %s", th_pyfloat(loop_time(l)));
    loop_callback st = { .fn = cb_stop };
    loop_call_later(l, 2, &st);
    assert_int_equal(loop_run_forever(l), LOOP_OK);
    th_log(h, "end %s", th_pyfloat(loop_time(l)));
    th_expect(h, "a 0.0|b 0.0|stopped 0.0|c 0.0|stopped again 0.0|timer 1.0|end 2.0");
}

static int cb_inner(loop *l, loop_handle *h)
{
    loop_future *f = loop_future_new(l);
    assert_int_equal(loop_run_until_complete(l, f), LOOP_ERROR);
    th_log(H, "inner: %s", err_msg(l));
    assert_int_equal(loop_close(l), -1);
    th_log(H, "close: %s", err_msg(l));
    return 0;
}

static int cb_set_9(loop *l, loop_handle *h)
{
    loop_future_set_result(l, (loop_future *)h->cb.obj, th_int(H, 9));
    return 0;
}

static void run_errors_and_close(void **state)
{
    th *h = H = *state;
    loop *l = h->l;
    loop_future *fut = loop_future_new(l);
    loop_callback inner = { .fn = cb_inner }, st = { .fn = cb_stop };
    loop_call_soon(l, &inner);
    loop_call_soon(l, &st);
    assert_int_equal(loop_run_until_complete(l, fut), LOOP_ERROR);
    th_log(h, "ruc: %s", err_msg(l));
    th_log(h, "%s %zu", loop_future_done(fut) ? "True" : "False", fut->ncallbacks);
    loop_callback set9 = { .fn = cb_set_9, .obj = &fut->hdr };
    loop_call_later(l, 5, &set9);
    loop_val r;
    assert_int_equal(th_run_until(h, fut, &r), LOOP_OK);
    th_log(h, "%lld %s", ((tv *)r)->i, th_pyfloat(loop_time(l)));
    assert_int_equal(loop_close(l), 0);
    assert_int_equal(loop_close(l), 0);
    assert_int_equal(loop_run_forever(l), LOOP_ERROR);
    th_log(h, "closed: %s", err_msg(l));
    assert_null(loop_call_soon(l, &st));
    th_log(h, "closed: %s", err_msg(l));
    th_log(h, "%s %s", loop_is_closed(l) ? "True" : "False", loop_is_running(l) ? "True" : "False");
    th_expect(h, "inner: This event loop is already running|"
                 "close: Cannot close a running event loop|"
                 "ruc: Event loop stopped before Future completed.|False 0|9 5.0|"
                 "closed: Event loop is closed|closed: Event loop is closed|True False");
}

/* The clock jumps straight to the next deadline (select's timeout), reported once
 * per jump; loop.time() never moves inside an iteration. */
static void clock_jumps_to_deadlines(void **state)
{
    th *h = H = *state;
    loop *l = h->l;
    th_observe(h, 1ull << LOOP_EV_CLOCK_ADVANCE);
    loop_callback x = named("x"), y = named("y"), st = { .fn = cb_stop };
    loop_call_later(l, 86400 * 2.0, &y);    /* select's timeout is capped at one day */
    loop_call_later(l, 0.25, &x);
    loop_call_later(l, 86400 * 2.0, &st);
    assert_int_equal(loop_run_forever(l), LOOP_OK);
    th_expect(h, "clock_advance:0.25|x 0.25|clock_advance:86400.2|clock_advance:172800|y 172800.0");
    assert_int_equal(loop_iteration(l), 3);
}

/* A timer due within the clock resolution (1e-9) runs in this iteration. */
static void clock_resolution(void **state)
{
    th *h = H = *state;
    loop *l = h->l;
    loop_callback x = named("x"), y = named("y");
    loop_call_at(l, 5e-10, &x);
    loop_call_at(l, 1e-9, &y);
    loop_callback z = named("z");
    loop_call_soon(l, &z);
    loop_run_once(l);
    th_expect(h, "z 0.0|x 0.0");
    loop_run_once(l);
    th_expect(h, "y 1e-09");
}

static int reschedule(loop *l, loop_handle *h)
{
    loop_callback again = { .fn = reschedule };
    loop_call_soon(l, &again);
    return 0;
}

/* The step limit stops a runaway loop with LOOP_LIMIT. */
static void step_limit(void **state)
{
    th *h = *state;
    loop_set_step_limit(h->l, 1000);
    loop_callback cb = { .fn = reschedule };
    loop_call_soon(h->l, &cb);
    assert_int_equal(loop_run_forever(h->l), LOOP_LIMIT);
    assert_false(loop_is_running(h->l));
    assert_int_equal(loop_iteration(h->l), 1001);
}

/* Nothing ready, no timer: a deadlock, reported at once. */
static void empty_loop_deadlocks(void **state)
{
    th *h = *state;
    th_observe(h, 1ull << LOOP_EV_DEADLOCK);
    assert_int_equal(loop_run_forever(h->l), LOOP_DEADLOCK);
    assert_false(loop_is_running(h->l));
    th_expect(h, "deadlock");
}

static int raise_kbi(th *h, tv *self, size_t n, const loop_val *args, loop_val *out)
{
    th_log(h, "kbi");
    *out = th_exc(h, TE_KEYBOARD, NULL);
    return -1;
}

static int raise_zero(th *h, tv *self, size_t n, const loop_val *args, loop_val *out)
{
    th_log(h, "zero");
    *out = th_exc(h, TE_ZERO, "division by zero");
    return -1;
}

/* A callback raising KeyboardInterrupt aborts run_forever (Handle._run re-raises
 * it); the rest of the batch stays ready for the next run. Other exceptions are
 * only reported (call_exception_handler).
 *   loop.call_soon(lambda: 1/0); loop.call_soon(raise_kbi); loop.call_soon(print, "after")
 *   try: loop.run_forever()
 *   except KeyboardInterrupt: print("interrupted", loop.is_running())
 *   loop.call_soon(loop.stop); loop.run_forever()
 * vref: (traceback of 1/0 logged) | interrupted False | after */
static void keyboard_interrupt_in_callback(void **state)
{
    th *h = *state;
    loop *l = h->l;
    loop_callback z = th_cb(h, raise_zero, NULL, NULL), k = th_cb(h, raise_kbi, NULL, NULL);
    loop_call_soon(l, &z);
    loop_call_soon(l, &k);
    th_soon_log(h, "after");
    assert_int_equal(loop_run_forever(l), LOOP_ERROR);
    assert_true(tv_is_exc(loop_take_error(l), TE_KEYBOARD));
    th_log(h, "interrupted %s", loop_is_running(l) ? "True" : "False");
    assert_int_equal(h->reports, 1);
    assert_string_equal(h->last_report, "Exception in callback: ZeroDivisionError('division by zero')");
    assert_int_equal(loop_ready_count(l), 1);
    loop_call_soon(l, &(loop_callback){ .fn = cb_stop });
    assert_int_equal(loop_run_forever(l), LOOP_OK);
    th_expect(h, "zero|kbi|interrupted False|after");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(stop_finishes_the_iteration, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(run_errors_and_close, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(clock_jumps_to_deadlines, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(clock_resolution, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(step_limit, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(empty_loop_deadlocks, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(keyboard_interrupt_in_callback, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
