/* test_as_completed.c — asyncio.as_completed: nothing happens before the first next();
 * results in completion order with exceptions; duplicates; the timeout's
 * TimeoutError for what is left. Expected order from /work/shared/oracle/vref.py. */
#include "aw_util.h"

/* Python (worker as in aw_util.h):
 *   async def main():
 *       it = asyncio.as_completed([worker("z", 1, 0)])
 *       print("created")
 *       await asyncio.sleep(0)
 *       print("slept")
 *       for f in it:
 *           print("got", await f, loop.time())
 *       ts = [create_task(worker("a", 3, 1)), create_task(worker("b", 1, 2, True)),
 *             create_task(worker("c", 2, 3))]
 *       for f in asyncio.as_completed(ts + [ts[0]]):
 *           try:
 *               print("got", await f, loop.time())
 *           except ZeroDivisionError as e:
 *               print("got exc", repr(e), loop.time())
 *       tasks = [create_task(worker("d", 1, 4)), create_task(worker("e", 5, 5))]
 *       for f in asyncio.as_completed(tasks, timeout=2):
 *           try:
 *               print("got", await f, loop.time())
 *           except asyncio.TimeoutError as e:
 *               print("timeout", repr(e), loop.time())
 *       print("e pending", not tasks[1].done())
 *       await tasks[1]
 *       print("end", loop.time())
 */
static const wk A[] = { {"z", 1, 0, 0}, {"a", 3, 1, 0}, {"b", 1, 2, 1}, {"c", 2, 3, 0},
                        {"d", 1, 4, 0}, {"e", 5, 5, 0} };

typedef struct ac_ctx {
    loop_obj *it;
    loop_task *e;
    int loops;
} ac_ctx;

/* The body of a `for f in it:` loop: await the next coroutine (pc `next` gets its
 * outcome) or, when exhausted, go on at pc `after`. */
static loop_resume ac_next(tcoro *c, int next, int after, loop_val *out)
{
    ac_ctx *x = c->data;
    loop_ncoro *f = loop_as_completed_next(c->h->l, x->it);
    if (f == NULL) {
        assert_null(loop_take_error(c->h->l));
        c->pc = after;
        return c->step(c, NULL, NULL, out);
    }
    x->loops++;
    return th_await_coro(c, th_ncoro(c->h, f), next, out);
}

static void log_got(th *h, loop_val v, loop_val exc)
{
    if (exc == NULL)
        th_log(h, "got %s %g", th_repr(v), th_now(h));
    else if (tv_is_exc(exc, LOOP_E_TIMEOUT))
        th_log(h, "timeout %s %g", th_repr(exc), th_now(h));
    else
        th_log(h, "got exc %s %g", th_repr(exc), th_now(h));
}

static loop_resume ac_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    ac_ctx *x = c->data;
    loop_val fs[4];
    switch (c->pc) {
    case 0:
        fs[0] = aw_coro(h, &A[0]);
        x->it = loop_as_completed(h->l, 1, fs, -1);
        th_log(h, "created");
        return th_await_coro(c, aw_sleep(h, 0), 1, out);
    case 1:
        th_log(h, "slept");
        return ac_next(c, 2, 3, out);
    case 2:
        log_got(h, v, exc);
        return ac_next(c, 2, 3, out);
    case 3:
        for (int i = 0; i < 3; i++)
            fs[i] = th_wrap(h, &aw_task(h, &A[1 + i])->fut.hdr);
        fs[3] = fs[0];
        x->it = loop_as_completed(h->l, 4, fs, -1);
        return ac_next(c, 4, 5, out);
    case 4:
        log_got(h, v, exc);
        return ac_next(c, 4, 5, out);
    case 5:
        fs[0] = th_wrap(h, &aw_task(h, &A[4])->fut.hdr);
        x->e = aw_task(h, &A[5]);
        fs[1] = th_wrap(h, &x->e->fut.hdr);
        x->it = loop_as_completed(h->l, 2, fs, 2);
        return ac_next(c, 6, 7, out);
    case 6:
        log_got(h, v, exc);
        return ac_next(c, 6, 7, out);
    case 7:
        th_log(h, "e pending %d", !loop_future_done(&x->e->fut));
        return th_await(c, &x->e->fut, 8, out);
    default:
        th_log(h, "end %g", th_now(h));
        return th_return(c, NULL, out);
    }
}

static void as_completed_order_and_timeout(void **state)
{
    th *h = *state;
    ac_ctx x = {0};
    th_run_main(h, ac_main, &x);
    th_expect(h, "created|slept|z start|z done 1|got 0 1|a start|b start|c start|b done 2|"
                 "got exc ZeroDivisionError('boom') 2|c done 3|got 3 3|a done 4|got 1 4|"
                 "d start|e start|d done 5|got 4 5|timeout TimeoutError() 6|e pending 1|"
                 "e done 9|end 9");
    assert_int_equal(x.loops, 1 + 3 + 2);     /* the duplicate task counts once */
}

/* A bad element raises at the first next(), and the generator is then exhausted. */
static void as_completed_bad_argument(void **state)
{
    th *h = *state;
    loop_val fs[1] = { th_int(h, 3) };
    loop_obj *it = loop_as_completed(h->l, 1, fs, -1);
    assert_null(loop_as_completed_next(h->l, it));
    assert_true(tv_is_exc(loop_take_error(h->l), LOOP_E_TYPE));
    assert_null(loop_as_completed_next(h->l, it));
    assert_null(loop_take_error(h->l));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(as_completed_order_and_timeout, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(as_completed_bad_argument, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
