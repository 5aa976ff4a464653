/* test_gather.c — asyncio.gather: result order, return_exceptions, a child raising,
 * cancelling the outer future (through the awaiting task) and a child, duplicates and
 * zero arguments. Expected orders come from /work/shared/oracle/vref.py. */
#include "aw_util.h"
#include "sync_int.h"           /* loop__trace_future_sub */

/* Python (vref prints the same lines, times as 1.0):
 *   async def main():
 *       r = await asyncio.gather(worker("a", 3, 1), worker("b", 1, 2), worker("c", 2, 3))
 *       print("results", r, asyncio.get_running_loop().time())
 *       r = await asyncio.gather(worker("d", 1, 4), worker("e", 2, 5, True),
 *                                worker("f", 3, 6), return_exceptions=True)
 *       print("results", r)
 *       try:
 *           await asyncio.gather(worker("g", 1, 7, True), worker("h", 2, 8))
 *       except ZeroDivisionError as e:
 *           print("raised", repr(e), asyncio.get_running_loop().time())
 *       await asyncio.sleep(2)
 *       print("end", asyncio.get_running_loop().time())
 */
static const wk G1[] = { {"a", 3, 1, 0}, {"b", 1, 2, 0}, {"c", 2, 3, 0},
                         {"d", 1, 4, 0}, {"e", 2, 5, 1}, {"f", 3, 6, 0},
                         {"g", 1, 7, 1}, {"h", 2, 8, 0} };

static loop_future *gather_wk(th *h, const wk *w, size_t n, bool rexc)
{
    loop_val aws[8];
    for (size_t i = 0; i < n; i++)
        aws[i] = aw_coro(h, &w[i]);
    loop_future *g = loop_gather(h->l, n, aws, rexc);
    assert_non_null(g);
    return g;
}

static loop_resume g1_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        return th_await(c, gather_wk(h, G1, 3, false), 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        th_log(h, "results %s %g", th_repr(v), th_now(h));
        return th_await(c, gather_wk(h, G1 + 3, 3, true), 2, out);
    case 2:
        TH_CHECK(c, exc, out);
        th_log(h, "results %s", th_repr(v));
        return th_await(c, gather_wk(h, G1 + 6, 2, false), 3, out);
    case 3:
        th_log(h, "raised %s %g", th_repr(exc), th_now(h));
        return th_await_coro(c, aw_sleep(h, 2), 4, out);
    default:
        th_log(h, "end %g", th_now(h));
        return th_return(c, NULL, out);
    }
}

static void gather_order_and_errors(void **state)
{
    th *h = *state;
    th_run_main(h, g1_main, NULL);
    th_expect(h, "a start|b start|c start|b done 1|c done 2|a done 3|results [1, 2, 3] 3|"
                 "d start|e start|f start|d done 4|e done 5|f done 6|"
                 "results [4, ZeroDivisionError('boom'), 6]|"
                 "g start|h start|g done 7|raised ZeroDivisionError('boom') 7|h done 8|end 9");
}

/* Python:
 *   async def waiter(g):
 *       try:
 *           return await g
 *       except asyncio.CancelledError:
 *           print("waiter cancelled", g.done(), g.cancelled())
 *           raise
 *   async def main():
 *       g = asyncio.gather(worker("a", 1, 1), worker("b", 2, 2))
 *       t = asyncio.create_task(waiter(g))
 *       await asyncio.sleep(0.5)
 *       print("cancel", t.cancel("stop"))
 *       try:
 *           await t
 *       except asyncio.CancelledError as e:
 *           print("t raised", repr(e), t.cancelled())
 *       c1 = asyncio.create_task(worker("c", 1, 3))
 *       g = asyncio.gather(c1, worker("d", 2, 4))
 *       await asyncio.sleep(0.5)
 *       c1.cancel("child")
 *       try:
 *           await g
 *       except asyncio.CancelledError as e:
 *           print("g raised", repr(e), g.cancelled(), asyncio.get_running_loop().time())
 *       await asyncio.sleep(2)
 *       c2 = asyncio.create_task(worker("e", 1, 5))
 *       g = asyncio.gather(c2, worker("f", 2, 6), return_exceptions=True)
 *       await asyncio.sleep(0.5)
 *       c2.cancel()
 *       print("results", await g)
 *       c3 = asyncio.create_task(worker("x", 1, 7))
 *       print("dup", await asyncio.gather(c3, c3), "empty", await asyncio.gather())
 */
static const wk G2[] = { {"a", 1, 1, 0}, {"b", 2, 2, 0}, {"c", 1, 3, 0}, {"d", 2, 4, 0},
                         {"e", 1, 5, 0}, {"f", 2, 6, 0}, {"x", 1, 7, 0} };

static loop_resume g2_waiter(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    loop_future *g = c->data;
    if (c->pc == 0)
        return th_await(c, g, 1, out);
    if (exc && tv_is_exc(exc, LOOP_E_CANCELLED))
        th_log(c->h, "waiter cancelled %d %d", loop_future_done(g), loop_future_cancelled(g));
    TH_CHECK(c, exc, out);
    return th_return(c, v, out);
}

static loop_resume g2_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop_val aws[2];
    switch (c->pc) {
    case 0:
        c->v[0] = th_wrap(h, &gather_wk(h, G2, 2, false)->hdr);
        c->v[1] = th_wrap(h, &loop_task_new(h->l, th_coro(h, g2_waiter, "waiter",
                          h->host.as_future(h, c->v[0])), NULL, NULL)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 0.5), 1, out);
    case 1:
        th_log(h, "cancel %d", loop_future_cancel(h->l, h->host.as_future(h, c->v[1]),
                                                  th_str(h, "stop")));
        return th_await(c, h->host.as_future(h, c->v[1]), 2, out);
    case 2:
        th_log(h, "t raised %s %d", th_repr(exc),
               loop_future_cancelled(h->host.as_future(h, c->v[1])));
        c->v[2] = th_wrap(h, &aw_task(h, &G2[2])->fut.hdr);
        aws[0] = c->v[2];
        aws[1] = aw_coro(h, &G2[3]);
        c->v[0] = th_wrap(h, &loop_gather(h->l, 2, aws, false)->hdr);
        return th_await_coro(c, aw_sleep(h, 0.5), 3, out);
    case 3:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[2]), th_str(h, "child"));
        return th_await(c, h->host.as_future(h, c->v[0]), 4, out);
    case 4:
        th_log(h, "g raised %s %d %g", th_repr(exc),
               loop_future_cancelled(h->host.as_future(h, c->v[0])), th_now(h));
        return th_await_coro(c, aw_sleep(h, 2), 5, out);
    case 5:
        c->v[2] = th_wrap(h, &aw_task(h, &G2[4])->fut.hdr);
        aws[0] = c->v[2];
        aws[1] = aw_coro(h, &G2[5]);
        c->v[0] = th_wrap(h, &loop_gather(h->l, 2, aws, true)->hdr);
        return th_await_coro(c, aw_sleep(h, 0.5), 6, out);
    case 6:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[2]), NULL);
        return th_await(c, h->host.as_future(h, c->v[0]), 7, out);
    case 7:
        TH_CHECK(c, exc, out);
        th_log(h, "results %s", th_repr(v));
        aws[0] = aws[1] = th_wrap(h, &aw_task(h, &G2[6])->fut.hdr);
        return th_await(c, loop_gather(h->l, 2, aws, false), 8, out);
    case 8:
        TH_CHECK(c, exc, out);
        c->v[3] = v;
        return th_await(c, loop_gather(h->l, 0, NULL, false), 9, out);
    default:
        TH_CHECK(c, exc, out);
        th_log(h, "dup %s empty %s", th_repr(c->v[3]), th_repr(v));
        return th_return(c, NULL, out);
    }
}

static void gather_cancellation(void **state)
{
    th *h = *state;
    th_run_main(h, g2_main, NULL);
    th_expect(h, "a start|b start|cancel 1|a cancelled|b cancelled|waiter cancelled 1 0|"
                 "t raised asyncio.CancelledError('stop') 1|c start|d start|c cancelled|"
                 "g raised asyncio.CancelledError('child') 0 1|d done 2.5|e start|f start|e cancelled|"
                 "f done 5|results [asyncio.CancelledError(''), 6]|x start|x done 6|dup [7, 7] empty []");
}

/* A non-awaitable argument: gather raises TypeError and creates no outer future. */
static void gather_bad_argument(void **state)
{
    th *h = *state;
    loop_val aws[1] = { th_int(h, 5) };
    assert_null(loop_gather(h->l, 1, aws, false));
    loop_val e = loop_take_error(h->l);
    assert_true(tv_is_exc(e, LOOP_E_TYPE));
}

/* Cancelling the outer future with return_exceptions=True still raises CancelledError
 * in the awaiting task (issue 32684); a second cancel() of the done outer is refused.
 * Python:
 *   async def waiter(g):
 *       return await g
 *   async def main():
 *       g = asyncio.gather(worker("a", 1, 1), worker("b", 2, 2), return_exceptions=True)
 *       t = asyncio.create_task(waiter(g))
 *       await asyncio.sleep(0.5)
 *       print("cancel", g.cancel())
 *       try:
 *           print("returned", await t)
 *       except asyncio.CancelledError as e:
 *           print("t raised", repr(e), g.done(), g.cancelled())
 *       print("again", g.cancel())
 */
static const wk G3[] = { {"a", 1, 1, 0}, {"b", 2, 2, 0} };

static loop_resume g3_waiter(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    if (c->pc == 0)
        return th_await(c, c->data, 1, out);
    TH_CHECK(c, exc, out);
    return th_return(c, v, out);
}

static loop_resume g3_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop_future *g = c->data ? h->host.as_future(h, c->v[0]) : NULL;
    switch (c->pc) {
    case 0:
        g = gather_wk(h, G3, 2, true);
        c->v[0] = th_wrap(h, &g->hdr);
        c->data = g;
        c->v[1] = th_wrap(h, &th_task(h, g3_waiter, "waiter", g)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 0.5), 1, out);
    case 1:
        th_log(h, "cancel %d", loop_future_cancel(h->l, g, NULL));
        return th_await(c, h->host.as_future(h, c->v[1]), 2, out);
    default:
        if (exc)
            th_log(h, "t raised %s %d %d", th_repr(exc), loop_future_done(g),
                   loop_future_cancelled(g));
        else
            th_log(h, "returned %s", th_repr(v));
        th_log(h, "again %d", loop_future_cancel(h->l, g, NULL));
        return th_return(c, NULL, out);
    }
}

static void gather_cancel_with_return_exceptions(void **state)
{
    th *h = *state;
    th_run_main(h, g3_main, NULL);
    th_expect(h, "a start|b start|cancel 1|a cancelled|b cancelled|"
                 "t raised asyncio.CancelledError() 1 0|again 0");
}

/* The GC sees gather's state through the children's done-callbacks, and the state
 * holds the outer future and every child (duplicates included). */
static void gather_state_is_traced(void **state)
{
    th *h = *state;
    loop_future *a = loop_future_new(h->l), *b = loop_future_new(h->l);
    loop_val aws[3] = { th_wrap(h, &a->hdr), th_wrap(h, &b->hdr), NULL };
    aws[2] = aws[0];
    loop_future *g = loop_gather(h->l, 3, aws, false);
    assert_int_equal(a->ncallbacks, 1);                      /* the duplicate once */
    loop_obj *st = a->callbacks[0].obj;
    assert_int_equal(st->kind, LOOP_K_STATE);
    aw_seen s = aw_trace(st);
    assert_true(aw_seen_has_obj(&s, g));
    assert_true(aw_seen_has_obj(&s, a));
    assert_true(aw_seen_has_obj(&s, b));
    assert_int_equal(s.nobjs, 4);                            /* outer, a, b, a */
    aw_seen so = {0};                                        /* the outer holds its state */
    loop_tracer t = { &so, aw_seen_val, aw_seen_obj };
    loop__trace_future_sub(&g->hdr, &t);
    assert_true(aw_seen_has_obj(&so, st));
    loop_future_set_result(h->l, a, th_int(h, 1));
    loop_future_set_result(h->l, b, th_int(h, 2));
    loop_val r;
    assert_int_equal(th_run_until(h, g, &r), LOOP_OK);
    assert_string_equal(th_repr(r), "[1, 2, 1]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(gather_order_and_errors, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(gather_cancellation, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(gather_bad_argument, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(gather_cancel_with_return_exceptions, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(gather_state_is_traced, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
