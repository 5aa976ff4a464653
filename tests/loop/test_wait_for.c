/* test_wait_for.c — asyncio.wait_for (3.11): success, timeout (the inner task is
 * cancelled, TimeoutError from its CancelledError), timeout <= 0 (pending and done),
 * timeout None, an exception passing through, and cancelling the waiting task.
 * Expected orders from /work/shared/oracle/vref.py. */
#include "aw_util.h"

/* Python (worker as in aw_util.h):
 *   async def main():
 *       print("ok", await asyncio.wait_for(worker("a", 1, 1), 2), loop.time())
 *       try:
 *           await asyncio.wait_for(worker("b", 3, 2), 1)
 *       except asyncio.TimeoutError as e:
 *           print("timeout", repr(e), repr(e.__cause__), loop.time())
 *       try:
 *           await asyncio.wait_for(worker("c", 1, 3), 0)
 *       except asyncio.TimeoutError as e:
 *           print("zero", repr(e), repr(e.__cause__), loop.time())
 *       t = asyncio.create_task(worker("d", 1, 4))
 *       await asyncio.sleep(2)
 *       print("zero-done", await asyncio.wait_for(t, 0), loop.time())
 *       print("none", await asyncio.wait_for(worker("e", 1, 5), None), loop.time())
 *       try:
 *           await asyncio.wait_for(worker("f", 1, 6, True), 5)
 *       except ZeroDivisionError as e:
 *           print("raised", repr(e), loop.time())
 *       inner = asyncio.create_task(worker("g", 5, 7))
 *       outer = asyncio.create_task(asyncio.wait_for(inner, 10))
 *       await asyncio.sleep(1)
 *       outer.cancel()
 *       try:
 *           await outer
 *       except asyncio.CancelledError:
 *           print("outer cancelled", inner.cancelled(), loop.time())
 */
static const wk WF[] = { {"a", 1, 1, 0}, {"b", 3, 2, 0}, {"c", 1, 3, 0}, {"d", 1, 4, 0},
                         {"e", 1, 5, 0}, {"f", 1, 6, 1}, {"g", 5, 7, 0} };

static loop_resume wf_await(tcoro *c, loop_val aw, double timeout, int next, loop_val *out)
{
    return th_await_coro(c, th_ncoro(c->h, loop_wait_for(c->h->l, aw, timeout)), next, out);
}

static void log_timeout(th *h, const char *what, loop_val exc)
{
    assert_true(tv_is_exc(exc, LOOP_E_TIMEOUT));
    th_log(h, "%s %s %s %g", what, th_repr(exc), th_repr(((tv *)exc)->cause), th_now(h));
}

static loop_resume wf_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        return wf_await(c, aw_coro(h, &WF[0]), 2, 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        th_log(h, "ok %s %g", th_repr(v), th_now(h));
        return wf_await(c, aw_coro(h, &WF[1]), 1, 2, out);
    case 2:
        log_timeout(h, "timeout", exc);
        return wf_await(c, aw_coro(h, &WF[2]), 0, 3, out);
    case 3:
        log_timeout(h, "zero", exc);
        c->v[0] = th_wrap(h, &aw_task(h, &WF[3])->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 2), 4, out);
    case 4:
        return wf_await(c, c->v[0], 0, 5, out);
    case 5:
        TH_CHECK(c, exc, out);
        th_log(h, "zero-done %s %g", th_repr(v), th_now(h));
        return wf_await(c, aw_coro(h, &WF[4]), -1, 6, out);
    case 6:
        TH_CHECK(c, exc, out);
        th_log(h, "none %s %g", th_repr(v), th_now(h));
        return wf_await(c, aw_coro(h, &WF[5]), 5, 7, out);
    case 7:
        th_log(h, "raised %s %g", th_repr(exc), th_now(h));
        c->v[0] = th_wrap(h, &aw_task(h, &WF[6])->fut.hdr);
        c->v[1] = th_wrap(h, &loop_task_new(h->l, th_ncoro(h, loop_wait_for(h->l, c->v[0], 10)),
                                            NULL, NULL)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 1), 8, out);
    case 8:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[1]), NULL);
        return th_await(c, h->host.as_future(h, c->v[1]), 9, out);
    default:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "outer cancelled %d %g", loop_future_cancelled(h->host.as_future(h, c->v[0])),
               th_now(h));
        return th_return(c, NULL, out);
    }
}

static void wait_for_paths(void **state)
{
    th *h = *state;
    th_run_main(h, wf_main, NULL);
    th_expect(h, "a start|a done 1|ok 1 1|b start|b cancelled|"
                 "timeout TimeoutError() asyncio.CancelledError() 2|zero TimeoutError() asyncio.CancelledError() 2|"
                 "d start|d done 3|zero-done 4 4|e start|e done 5|none 5 5|f start|f done 6|"
                 "raised ZeroDivisionError('boom') 6|g start|g cancelled|outer cancelled 1 7");
}

/* The timer is cancelled when wait_for returns before its timeout: nothing is left
 * scheduled, so the loop's clock stops at the result. */
static loop_resume wf_quick(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    static const wk q = {"q", 1, 9, 0};
    if (c->pc == 0)
        return wf_await(c, aw_coro(c->h, &q), 100, 1, out);
    TH_CHECK(c, exc, out);
    return th_return(c, v, out);
}

static void wait_for_cancels_its_timer(void **state)
{
    th *h = *state;
    loop_val r = th_run_main(h, wf_quick, NULL);
    assert_string_equal(th_repr(r), "9");
    loop_handle *timers[4];
    size_t n = loop_timer_snapshot(h->l, timers, 4);
    for (size_t i = 0; i < n; i++)
        assert_true(timers[i]->cancelled);
    th_expect(h, "q start|q done 1");
}

/* An awaited task that swallows the cancellation: wait_for returns its value (bpo-40607),
 * with a timeout and with timeout 0. Python:
 *   async def stubborn(name):
 *       print(name, "start")
 *       try:
 *           await asyncio.sleep(5)
 *       except asyncio.CancelledError:
 *           print(name, "ignores cancel")
 *           return "kept"
 *       return "slept"
 *   async def main():
 *       print("got", await asyncio.wait_for(stubborn("a"), 1), loop.time())
 *       t = asyncio.create_task(stubborn("b"))
 *       await asyncio.sleep(0)
 *       print("zero", await asyncio.wait_for(t, 0), loop.time())
 */
static loop_resume stubborn(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    if (c->pc == 0) {
        th_log(c->h, "%s start", c->name);
        return th_await_coro(c, aw_sleep(c->h, 5), 1, out);
    }
    if (exc) {
        th_log(c->h, "%s ignores cancel", c->name);
        return th_return(c, th_str(c->h, "kept"), out);
    }
    return th_return(c, th_str(c->h, "slept"), out);
}

static loop_resume stubborn_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    TH_CHECK(c, exc, out);
    switch (c->pc) {
    case 0:
        return wf_await(c, th_coro(h, stubborn, "a", NULL), 1, 1, out);
    case 1:
        th_log(h, "got %s %g", th_repr(v), th_now(h));
        c->v[0] = th_wrap(h, &th_task(h, stubborn, "b", NULL)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 0), 2, out);
    case 2:
        return wf_await(c, c->v[0], 0, 3, out);
    default:
        th_log(h, "zero %s %g", th_repr(v), th_now(h));
        return th_return(c, NULL, out);
    }
}

static void wait_for_swallowed_cancel(void **state)
{
    th *h = *state;
    th_run_main(h, stubborn_main, NULL);
    th_expect(h, "a start|a ignores cancel|got 'kept' 1|b start|b ignores cancel|zero 'kept' 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(wait_for_paths, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(wait_for_cancels_its_timer, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(wait_for_swallowed_cancel, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
