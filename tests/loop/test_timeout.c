/* test_timeout.c — asyncio.timeout / timeout_at: expiry (TimeoutError from the
 * CancelledError), reschedule, a deadline in the past, None, reschedule after exit,
 * and a cancellation from outside left alone. Expected order from vref.py. */
#include "aw_util.h"

#include <math.h>

/* Python:
 *   async def main():
 *       try:
 *           async with asyncio.timeout(1) as cm:
 *               print("when", cm.when())
 *               try:
 *                   await asyncio.sleep(5)
 *               except asyncio.CancelledError:
 *                   print("inner cancelled", loop.time())
 *                   raise
 *       except TimeoutError as e:
 *           print("timeout", repr(e), repr(e.__cause__), cm.expired(), loop.time())
 *       async with asyncio.timeout(5) as cm:
 *           await asyncio.sleep(1)
 *           cm.reschedule(loop.time() + 2)
 *           print("rescheduled", cm.when())
 *           await asyncio.sleep(1)
 *       print("ok", cm.expired(), loop.time())
 *       try:
 *           cm.reschedule(10)
 *       except RuntimeError as e:
 *           print("error", e)
 *       try:
 *           async with asyncio.timeout_at(loop.time() - 1) as cm:
 *               await asyncio.sleep(1)
 *       except TimeoutError:
 *           print("past", loop.time())
 *       async with asyncio.timeout(None) as cm:
 *           await asyncio.sleep(1)
 *       print("none", cm.when(), cm.expired(), loop.time())
 *       async def inner():
 *           async with asyncio.timeout(10):
 *               await asyncio.sleep(5)
 *       t = asyncio.create_task(inner())
 *       await asyncio.sleep(1)
 *       t.cancel()
 *       try:
 *           await t
 *       except asyncio.CancelledError:
 *           print("outer cancel kept", loop.time())
 */
static loop_obj *enter(th *h, double when)
{
    loop_obj *tm = loop_timeout_new(h->l, when);
    assert_int_equal(loop_timeout_enter(h->l, tm), 0);
    return tm;
}

/* __aexit__(exc): NULL if the block ends normally, else the exception it raises */
static loop_val leave(th *h, loop_obj *tm, loop_val exc)
{
    bool swallow;
    if (loop_timeout_exit(h->l, tm, exc, &swallow) < 0)
        return loop_take_error(h->l);
    assert_false(swallow);
    return exc;
}

static loop_resume inner(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    if (c->pc == 0) {
        c->v[0] = th_wrap(c->h, enter(c->h, th_now(c->h) + 10));
        return th_await_coro(c, aw_sleep(c->h, 5), 1, out);
    }
    exc = leave(c->h, ((tv *)c->v[0])->obj, exc);
    TH_CHECK(c, exc, out);
    return th_return(c, NULL, out);
}

static loop_resume to_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop_obj **tm = c->data;
    switch (c->pc) {
    case 0:
        *tm = enter(h, th_now(h) + 1);
        th_log(h, "when %g", loop_timeout_when(*tm));
        return th_await_coro(c, aw_sleep(h, 5), 1, out);
    case 1:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "inner cancelled %g", th_now(h));
        exc = leave(h, *tm, exc);
        assert_true(tv_is_exc(exc, LOOP_E_TIMEOUT));
        th_log(h, "timeout %s %s %d %g", th_repr(exc), th_repr(((tv *)exc)->cause),
               loop_timeout_expired(*tm), th_now(h));
        *tm = enter(h, th_now(h) + 5);
        return th_await_coro(c, aw_sleep(h, 1), 2, out);
    case 2:
        TH_CHECK(c, exc, out);
        assert_int_equal(loop_timeout_reschedule(h->l, *tm, th_now(h) + 2), 0);
        th_log(h, "rescheduled %g", loop_timeout_when(*tm));
        return th_await_coro(c, aw_sleep(h, 1), 3, out);
    case 3:
        assert_null(leave(h, *tm, exc));
        th_log(h, "ok %d %g", loop_timeout_expired(*tm), th_now(h));
        assert_int_equal(loop_timeout_reschedule(h->l, *tm, 10), -1);
        th_log(h, "error %s", ((tv *)loop_take_error(h->l))->s);
        *tm = enter(h, th_now(h) - 1);
        return th_await_coro(c, aw_sleep(h, 1), 4, out);
    case 4:
        assert_true(tv_is_exc(leave(h, *tm, exc), LOOP_E_TIMEOUT));
        th_log(h, "past %g", th_now(h));
        *tm = enter(h, NAN);
        return th_await_coro(c, aw_sleep(h, 1), 5, out);
    case 5:
        assert_null(leave(h, *tm, exc));
        th_log(h, "none %s %d %g", isnan(loop_timeout_when(*tm)) ? "None" : "?",
               loop_timeout_expired(*tm), th_now(h));
        c->v[0] = th_wrap(h, &th_task(h, inner, "inner", NULL)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 1), 6, out);
    case 6:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[0]), NULL);
        return th_await(c, h->host.as_future(h, c->v[0]), 7, out);
    default:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "outer cancel kept %g", th_now(h));
        return th_return(c, NULL, out);
    }
}

static void timeout_paths(void **state)
{
    th *h = *state;
    loop_obj *tm = NULL;
    th_run_main(h, to_main, &tm);
    th_expect(h, "when 1|inner cancelled 1|timeout TimeoutError() asyncio.CancelledError() 1 1|"
                 "rescheduled 4|ok 0 3|error Cannot change state of finished Timeout|past 3|"
                 "none None 0 4|outer cancel kept 5");
}

/* Entering outside a task, or twice, raises RuntimeError. */
static void timeout_enter_errors(void **state)
{
    th *h = *state;
    loop_obj *tm = loop_timeout_new(h->l, 1);
    assert_int_equal(loop_timeout_enter(h->l, tm), -1);
    assert_string_equal(((tv *)loop_take_error(h->l))->s, "Timeout should be used inside a task");
    assert_int_equal(loop_timeout_reschedule(h->l, tm, 2), -1);
    assert_string_equal(((tv *)loop_take_error(h->l))->s, "Timeout has not been entered");
}

/* A deadline before 0.0 is a deadline, not None. Python:
 *   async def main():
 *       try:
 *           async with asyncio.timeout(-1) as cm:
 *               print("in", cm.when())
 *               await asyncio.sleep(1)
 *       except TimeoutError:
 *           print("expired", loop.time())
 */
static loop_resume neg_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    if (c->pc == 0) {
        c->v[0] = th_wrap(h, enter(h, th_now(h) - 1));
        th_log(h, "in %g", loop_timeout_when(((tv *)c->v[0])->obj));
        return th_await_coro(c, aw_sleep(h, 1), 1, out);
    }
    exc = leave(h, ((tv *)c->v[0])->obj, exc);
    if (tv_is_exc(exc, LOOP_E_TIMEOUT))
        th_log(h, "expired %g", th_now(h));
    return th_return(c, NULL, out);
}

static void timeout_negative_deadline(void **state)
{
    th *h = *state;
    th_run_main(h, neg_main, NULL);
    th_expect(h, "in -1|expired 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(timeout_paths, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(timeout_enter_errors, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(timeout_negative_deadline, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
