/* test_shield.c — asyncio.shield: the awaiting task cancelled while the inner task
 * goes on; the inner cancelled cancels the outer; an exception passes through; a done
 * future is returned as is. Expected order from /work/shared/oracle/vref.py. */
#include "aw_util.h"

/* Python (worker as in aw_util.h):
 *   async def guard(aw):
 *       try:
 *           return await asyncio.shield(aw)
 *       except asyncio.CancelledError:
 *           print("guard cancelled", loop.time())
 *           raise
 *   async def main():
 *       inner = asyncio.create_task(worker("a", 2, 1))
 *       t = asyncio.create_task(guard(inner))
 *       await asyncio.sleep(1)
 *       t.cancel()
 *       try:
 *           await t
 *       except asyncio.CancelledError:
 *           print("t cancelled", t.cancelled(), inner.done(), loop.time())
 *       print("inner", await inner, loop.time())
 *       inner = asyncio.create_task(worker("b", 2, 2))
 *       t = asyncio.create_task(guard(inner))
 *       await asyncio.sleep(1)
 *       inner.cancel()
 *       try:
 *           await t
 *       except asyncio.CancelledError:
 *           print("t2 cancelled", t.cancelled(), loop.time())
 *       try:
 *           await asyncio.shield(worker("c", 1, 3, True))
 *       except ZeroDivisionError as e:
 *           print("raised", repr(e), loop.time())
 *       f = loop.create_future()
 *       f.set_result(5)
 *       print("same", asyncio.shield(f) is f)
 */
static const wk S[] = { {"a", 2, 1, 0}, {"b", 2, 2, 0}, {"c", 1, 3, 1} };

static loop_resume guard(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    if (c->pc == 0)
        return th_await(c, loop_shield(c->h->l, c->data), 1, out);
    if (exc && tv_is_exc(exc, LOOP_E_CANCELLED))
        th_log(c->h, "guard cancelled %g", th_now(c->h));
    TH_CHECK(c, exc, out);
    return th_return(c, v, out);
}

static loop_future *F(th *h, loop_val v)
{
    return h->host.as_future(h, v);
}

static loop_resume s_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
    case 4:
        c->v[0] = th_wrap(h, &aw_task(h, &S[c->pc / 4])->fut.hdr);
        c->v[1] = th_wrap(h, &th_task(h, guard, "guard", c->v[0])->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 1), c->pc + 1, out);
    case 1:
        loop_future_cancel(h->l, F(h, c->v[1]), NULL);
        return th_await(c, F(h, c->v[1]), 2, out);
    case 2:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "t cancelled %d %d %g", loop_future_cancelled(F(h, c->v[1])),
               loop_future_done(F(h, c->v[0])), th_now(h));
        return th_await(c, F(h, c->v[0]), 3, out);
    case 3:
        TH_CHECK(c, exc, out);
        th_log(h, "inner %s %g", th_repr(v), th_now(h));
        return s_main(c, NULL, NULL, (c->pc = 4, out));
    case 5:
        loop_future_cancel(h->l, F(h, c->v[0]), NULL);
        return th_await(c, F(h, c->v[1]), 6, out);
    case 6:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "t2 cancelled %d %g", loop_future_cancelled(F(h, c->v[1])), th_now(h));
        return th_await(c, loop_shield(h->l, aw_coro(h, &S[2])), 7, out);
    default: {
        th_log(h, "raised %s %g", th_repr(exc), th_now(h));
        loop_future *f = loop_future_new(h->l);
        loop_future_set_result(h->l, f, th_int(h, 5));
        th_log(h, "same %d", loop_shield(h->l, th_wrap(h, &f->hdr)) == f);
        return th_return(c, NULL, out);
    }
    }
}

static void shield_paths(void **state)
{
    th *h = *state;
    th_run_main(h, s_main, NULL);
    th_expect(h, "a start|guard cancelled 1|t cancelled 1 0 1|a done 2|inner 1 2|b start|"
                 "b cancelled|guard cancelled 3|t2 cancelled 1 3|c start|c done 4|"
                 "raised ZeroDivisionError('boom') 4|same 1");
}

/* When the outer future is cancelled, its done-callback removes the inner's callback:
 * the inner's result is then never copied anywhere. */
static void shield_outer_cancel_unhooks_inner(void **state)
{
    th *h = *state;
    loop_future *inner = loop_future_new(h->l);
    loop_future *outer = loop_shield(h->l, th_wrap(h, &inner->hdr));
    assert_ptr_not_equal(outer, inner);
    assert_int_equal(inner->ncallbacks, 1);
    assert_true(loop_future_cancel(h->l, outer, NULL));
    assert_int_equal(loop_run_once(h->l), LOOP_OK);     /* runs _outer_done_callback */
    assert_int_equal(inner->ncallbacks, 0);
    loop_future_set_result(h->l, inner, th_int(h, 1));
    assert_int_equal(loop_ready_count(h->l), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(shield_paths, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(shield_outer_cancel_unhooks_inner, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
