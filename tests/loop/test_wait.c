/* test_wait.c — asyncio.wait with each return_when, a timeout, duplicates and the
 * empty-set error. Expected orders from /work/shared/oracle/vref.py. */
#include "aw_util.h"

/* Python (worker as in aw_util.h):
 *   def names(s, ts): return [n for n, t in ts if t in s]
 *   async def main():
 *       ts = [("a", create_task(worker("a", 2, 1))), ("b", create_task(worker("b", 1, 2, True))),
 *             ("c", create_task(worker("c", 3, 3)))]
 *       tasks = [t for _, t in ts]
 *       done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
 *       print("first", names(done, ts), names(pending, ts), loop.time())
 *       done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
 *       print("exc", names(done, ts), names(pending, ts), loop.time())
 *       done, pending = await asyncio.wait(tasks, timeout=1.5)
 *       print("timeout", names(done, ts), names(pending, ts), loop.time())
 *       done, pending = await asyncio.wait(tasks + [tasks[0]])
 *       print("all", names(done, ts), names(pending, ts), loop.time())
 *       ts2 = [("d", ...worker("d", 1, 4)), ("e", ...worker("e", 2, 5, True)), ("f", ...worker("f", 3, 6))]
 *       done, pending = await asyncio.wait([t for _, t in ts2], return_when=asyncio.FIRST_EXCEPTION)
 *       print("exc2", names(done, ts2), names(pending, ts2), loop.time())
 *       try:
 *           await asyncio.wait([])
 *       except ValueError as e:
 *           print("empty", e)
 *       await asyncio.sleep(5)
 */
static const wk W[] = { {"a", 2, 1, 0}, {"b", 1, 2, 1}, {"c", 3, 3, 0},
                        {"d", 1, 4, 0}, {"e", 2, 5, 1}, {"f", 3, 6, 0} };
static const char *const NAMES[] = { "a", "b", "c", "d", "e", "f" };

typedef struct wait_ctx {
    loop_task *t[6];
} wait_ctx;

static loop_ncoro *wait_on(th *h, wait_ctx *x, size_t first, size_t n, size_t dup,
                           double timeout, loop_return_when rw)
{
    loop_val fs[4];
    for (size_t i = 0; i < n; i++)
        fs[i] = th_wrap(h, &x->t[first + i]->fut.hdr);
    if (dup)
        fs[n++] = th_wrap(h, &x->t[first]->fut.hdr);
    return loop_wait(h->l, n, fs, timeout, rw);
}

static void log_sets(th *h, wait_ctx *x, const char *what, loop_val pair, size_t first)
{
    const tv *p = pair;
    assert_int_equal(p->tag, TV_TUPLE);
    th_log(h, "%s %s %s %g", what, aw_names(p->items[0], x->t + first, NAMES + first, 3),
           aw_names(p->items[1], x->t + first, NAMES + first, 3), th_now(h));
}

static loop_resume w_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    wait_ctx *x = c->data;
    if (c->pc > 0 && c->pc < 6)
        TH_CHECK(c, exc, out);
    switch (c->pc) {
    case 0:
        for (int i = 0; i < 3; i++)
            x->t[i] = aw_task(h, &W[i]);
        return th_await_coro(c, th_ncoro(h, wait_on(h, x, 0, 3, 0, -1, LOOP_FIRST_COMPLETED)), 1, out);
    case 1:
        log_sets(h, x, "first", v, 0);
        return th_await_coro(c, th_ncoro(h, wait_on(h, x, 0, 3, 0, -1, LOOP_FIRST_EXCEPTION)), 2, out);
    case 2:
        log_sets(h, x, "exc", v, 0);
        return th_await_coro(c, th_ncoro(h, wait_on(h, x, 0, 3, 0, 1.5, LOOP_ALL_COMPLETED)), 3, out);
    case 3:
        log_sets(h, x, "timeout", v, 0);
        return th_await_coro(c, th_ncoro(h, wait_on(h, x, 0, 3, 1, -1, LOOP_ALL_COMPLETED)), 4, out);
    case 4:
        log_sets(h, x, "all", v, 0);
        for (int i = 3; i < 6; i++)
            x->t[i] = aw_task(h, &W[i]);
        return th_await_coro(c, th_ncoro(h, wait_on(h, x, 3, 3, 0, -1, LOOP_FIRST_EXCEPTION)), 5, out);
    case 5:
        log_sets(h, x, "exc2", v, 3);
        return th_await_coro(c, th_ncoro(h, loop_wait(h->l, 0, NULL, -1, LOOP_ALL_COMPLETED)), 6, out);
    case 6:
        assert_true(tv_is_exc(exc, LOOP_E_VALUE));
        th_log(h, "empty %s", ((tv *)exc)->s);
        return th_await_coro(c, aw_sleep(h, 5), 7, out);
    default:
        return th_return(c, NULL, out);
    }
}

static void wait_return_when_and_timeout(void **state)
{
    th *h = *state;
    wait_ctx x = {0};
    th_run_main(h, w_main, &x);
    th_expect(h, "a start|b start|c start|b done 1|first ['b'] ['a', 'c'] 1|"
                 "exc ['b'] ['a', 'c'] 1|a done 2|timeout ['a', 'b'] ['c'] 2.5|c done 3|"
                 "all ['a', 'b', 'c'] [] 3|d start|e start|f start|d done 4|e done 5|"
                 "exc2 ['d', 'e'] ['f'] 5|empty Set of Tasks/Futures is empty.|f done 6");
}

/* A coroutine among fs: TypeError when the wait() coroutine starts, not before. */
static loop_resume w_coro_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    if (c->pc == 0) {
        static const wk w = {"z", 1, 0, 0};
        loop_val fs[1] = { aw_coro(h, &w) };
        return th_await_coro(c, th_ncoro(h, loop_wait(h->l, 1, fs, -1, LOOP_ALL_COMPLETED)), 1, out);
    }
    assert_true(tv_is_exc(exc, LOOP_E_TYPE));
    th_log(h, "%s", ((tv *)exc)->s);
    return th_return(c, NULL, out);
}

static void wait_rejects_coroutines(void **state)
{
    th *h = *state;
    th_run_main(h, w_coro_main, NULL);
    th_expect(h, "Passing coroutines is forbidden, use tasks explicitly.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(wait_return_when_and_timeout, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(wait_rejects_coroutines, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
