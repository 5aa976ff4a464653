/* test_future.c — asyncio.Future: states, result()/exception() errors, done-callback
 * scheduling order, remove_done_callback, cancel messages. */
#include "test_host.h"

static int cb_log(th *h, tv *self, size_t n, const loop_val *args, loop_val *out)
{
    tv *f = args[0];
    assert_int_equal(f->tag, TV_OBJ);
    th_log(h, "%s", (const char *)self->closure);
    return 0;
}

/* Python (vref: prints "a b c x d"):
 *   async def main():
 *       loop = asyncio.get_running_loop(); f = loop.create_future()
 *       for n in "abc": f.add_done_callback(lambda _, n=n: print(n))
 *       loop.call_soon(print, "x")     # before set_result: runs first
 *       f.set_result(1)
 *       f.add_done_callback(lambda _: print("d"))   # already done: call_soon
 *       await asyncio.sleep(0)
 */
static void done_callbacks_in_registration_order(void **state)
{
    th *h = *state;
    loop_future *f = loop_future_new(h->l);
    const char *names[] = { "a", "b", "c" };
    for (int i = 0; i < 3; i++) {
        loop_callback cb = th_done_cb(h, cb_log, (void *)names[i]);
        loop_future_add_callback(h->l, f, &cb);
    }
    th_soon_log(h, "x");
    assert_int_equal(loop_future_set_result(h->l, f, th_int(h, 1)), 0);
    assert_int_equal(loop_ready_count(h->l), 4);
    loop_callback cb = th_done_cb(h, cb_log, "d");
    loop_future_add_callback(h->l, f, &cb);
    assert_int_equal(loop_ready_count(h->l), 5);
    loop_run_once(h->l);
    th_expect(h, "x|a|b|c|d");
}

static void result_and_exception_states(void **state)
{
    th *h = *state;
    loop *l = h->l;
    loop_future *f = loop_future_new(l);
    loop_val v;
    assert_int_equal(loop_future_result(l, f, &v), -1);
    tv *e = loop_take_error(l);
    assert_true(tv_is_exc(e, LOOP_E_INVALID_STATE));
    assert_string_equal(e->s, "Result is not ready.");
    assert_int_equal(loop_future_exception(l, f, &v), -1);
    e = loop_take_error(l);
    assert_string_equal(e->s, "Exception is not set.");

    tv *boom = th_exc(h, TE_ZERO, "division by zero");
    assert_int_equal(loop_future_set_exception(l, f, boom), 0);
    assert_true(f->log_traceback);
    assert_int_equal(loop_future_result(l, f, &v), -1);
    assert_ptr_equal(loop_take_error(l), boom);
    assert_false(f->log_traceback);
    assert_int_equal(loop_future_exception(l, f, &v), 0);
    assert_ptr_equal(v, boom);

    /* set_result on a done future: InvalidStateError('invalid state') (C Future) */
    assert_int_equal(loop_future_set_result(l, f, th_int(h, 2)), -1);
    e = loop_take_error(l);
    assert_true(tv_is_exc(e, LOOP_E_INVALID_STATE));
    assert_string_equal(e->s, "invalid state");
    assert_false(loop_future_cancel(l, f, NULL));
    assert_false(loop_future_cancelled(f));
}

/* Python: f.cancel("bye"); f.result() raises CancelledError('bye');
 * f.cancel() again returns False. */
static void cancel_with_message(void **state)
{
    th *h = *state;
    loop *l = h->l;
    loop_future *f = loop_future_new(l);
    loop_callback cb = th_done_cb(h, cb_log, "done");
    loop_future_add_callback(l, f, &cb);
    assert_true(loop_future_cancel(l, f, th_str(h, "bye")));
    assert_true(loop_future_done(f));
    assert_true(loop_future_cancelled(f));
    assert_false(loop_future_cancel(l, f, NULL));
    loop_val v;
    assert_int_equal(loop_future_result(l, f, &v), -1);
    tv *e = loop_take_error(l);
    assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
    assert_string_equal(e->s, "bye");
    assert_int_equal(loop_future_exception(l, f, &v), -1);
    assert_true(tv_is_exc(loop_take_error(l), LOOP_E_CANCELLED));
    loop_run_once(l);
    th_expect(h, "done");
}

/* Python: remove_done_callback removes every equal callback and returns the count;
 * the others still run in order. */
static void remove_done_callback_counts(void **state)
{
    th *h = *state;
    loop *l = h->l;
    loop_future *f = loop_future_new(l);
    loop_callback a = th_done_cb(h, cb_log, "a");
    loop_callback b = th_done_cb(h, cb_log, "b");
    loop_future_add_callback(l, f, &a);
    loop_future_add_callback(l, f, &b);
    loop_future_add_callback(l, f, &a);
    loop_future_add_callback(l, f, &b);
    assert_int_equal(loop_future_remove_callback(l, f, a.fn, NULL, a.val), 2);
    assert_int_equal(loop_future_remove_callback(l, f, a.fn, NULL, a.val), 0);
    loop_future_set_result(l, f, th_int(h, 0));
    loop_run_once(l);
    th_expect(h, "b|b");
}

/* The observer sees a future's life: create, callback add, result, schedule. */
static void observer_events(void **state)
{
    th *h = *state;
    loop *l = h->l;
    th_observe(h, (1ull << LOOP_EV_FUTURE_CREATE) | (1ull << LOOP_EV_CALLBACK_ADD) |
                      (1ull << LOOP_EV_FUTURE_RESULT) | (1ull << LOOP_EV_CALLBACK_SCHEDULE) |
                      (1ull << LOOP_EV_HANDLE_BEGIN));
    loop_future *f = loop_future_new(l);
    loop_callback a = th_done_cb(h, cb_log, "a");
    loop_future_add_callback(l, f, &a);
    loop_future_set_result(l, f, th_int(h, 0));
    loop_run_once(l);
    char want[256];
    snprintf(want, sizeof want,
             "future_create#%llu|callback_add#%llu|future_result#%llu|callback_schedule#%llu|"
             "handle_begin#%llu|a",
             (unsigned long long)f->hdr.id, (unsigned long long)f->hdr.id,
             (unsigned long long)f->hdr.id, (unsigned long long)f->hdr.id,
             (unsigned long long)f->hdr.id + 1);
    th_expect(h, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(done_callbacks_in_registration_order, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(result_and_exception_states, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(cancel_with_message, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(remove_done_callback_counts, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(observer_events, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
