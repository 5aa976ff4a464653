/* test_sync_gc.c — the combinators and primitives under a collector that runs a full
 * mark-and-sweep on every allocation (the harness of test_gc.c): a waiter future, a
 * state block, a sub-coroutine or a timer reachable only through gather / wait /
 * wait_for / shield / as_completed / Queue / Lock / TaskGroup / timeout internals
 * would be freed while in use, which ASan and valgrind report, and the output (from
 * vref.py) would change. */
#include "aw_util.h"
#include "gc_host.h"

/* ---- the program ------------------------------------------------------------------ */

/* Python (worker as in aw_util.h; vref also prints "h cancelled" last, from
 * asyncio.run's cancellation of leftover tasks, which run_until_complete does not do):
 *   async def locked_sleep(lock, name):
 *       async with lock:
 *           print(name, "has lock")
 *           await asyncio.sleep(0.5)
 *   async def main():
 *       r = await asyncio.gather(worker("a", 1, 1), worker("b", 2, 2, True),
 *                                worker("c", 1, 3), return_exceptions=True)
 *       print("gather", r)
 *       try:
 *           await asyncio.wait_for(worker("d", 5, 4), 1)
 *       except asyncio.TimeoutError:
 *           print("wait_for timeout", loop.time())
 *       t1 = asyncio.create_task(worker("e", 1, 5))
 *       t2 = asyncio.create_task(worker("f", 3, 6))
 *       done, pending = await asyncio.wait([t1, t2], timeout=2,
 *                                          return_when=asyncio.FIRST_COMPLETED)
 *       print("wait", len(done), len(pending), loop.time())
 *       print("shield", await asyncio.shield(t2), loop.time())
 *       for f in asyncio.as_completed([asyncio.create_task(worker("g", 1, 7)),
 *                                      asyncio.create_task(worker("h", 5, 8))], timeout=2):
 *           try:
 *               print("as_completed", await f, loop.time())
 *           except asyncio.TimeoutError:
 *               print("as_completed timeout", loop.time())
 *       q = asyncio.Queue(1)
 *       lock = asyncio.Lock()
 *       ts = [asyncio.create_task(locked_sleep(lock, n)) for n in "xy"]
 *       await q.put(1)
 *       try:
 *           async with asyncio.TaskGroup() as tg:
 *               tg.create_task(worker("i", 1, 9, True))
 *               await q.put(2)
 *       except* ZeroDivisionError:
 *           print("taskgroup error", loop.time())
 *       print("queue", q.get_nowait(), q.qsize())
 *       try:
 *           async with asyncio.timeout(1):
 *               await asyncio.gather(*ts, worker("j", 5, 10))
 *       except TimeoutError:
 *           print("timeout", loop.time())
 */
static const wk W[] = { {"a", 1, 1, 0}, {"b", 2, 2, 1}, {"c", 1, 3, 0}, {"d", 5, 4, 0},
                        {"e", 1, 5, 0}, {"f", 3, 6, 0}, {"g", 1, 7, 0}, {"h", 5, 8, 0},
                        {"i", 1, 9, 1}, {"j", 5, 10, 0} };

static loop_obj *O(loop_val v)
{
    return ((tv *)v)->obj;
}

static loop_resume locked_sleep(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, O(c->v[0]))), 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        th_log(h, "%s has lock", c->name);
        return th_await_coro(c, aw_sleep(h, 0.5), 2, out);
    default:
        loop_lock_release(h->l, O(c->v[0]));
        TH_CHECK(c, exc, out);
        return th_return(c, NULL, out);
    }
}

static loop_val task_of(th *h, loop_val coro)
{
    return th_wrap(h, &loop_task_new(h->l, coro, NULL, NULL)->fut.hdr);
}

/* v[0] the queue, v[1] the lock, v[2] v[3] the locked_sleep tasks, v[4] the task
 * group / timeout, v[5] scratch */
static loop_resume part2(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop *l = h->l;
    switch (c->pc) {
    case 10: {
        c->v[0] = th_wrap(h, loop_queue_new(l, LOOP_QUEUE_FIFO, 1));
        c->v[1] = th_wrap(h, loop_lock_new(l));
        for (int i = 0; i < 2; i++) {
            tv *co = th_coro(h, locked_sleep, i ? "y" : "x", NULL);
            co->coro->v[0] = c->v[1];
            c->v[2 + i] = task_of(h, co);
        }
        return th_await_coro(c, th_ncoro(h, loop_queue_put(l, O(c->v[0]), th_int(h, 1))), 11, out);
    }
    case 11:
        TH_CHECK(c, exc, out);
        c->v[4] = th_wrap(h, loop_taskgroup_new(l));
        return th_await_coro(c, th_ncoro(h, loop_taskgroup_enter(l, O(c->v[4]))), 12, out);
    case 12:
        TH_CHECK(c, exc, out);
        loop_taskgroup_create_task(l, O(c->v[4]), aw_coro(h, &W[8]), NULL, NULL);
        return th_await_coro(c, th_ncoro(h, loop_queue_put(l, O(c->v[0]), th_int(h, 2))), 13, out);
    case 13:
        return th_await_coro(c, th_ncoro(h, loop_taskgroup_exit(l, O(c->v[4]), exc)), 14, out);
    case 14: {
        assert_non_null(exc);
        th_log(h, "taskgroup error %g", th_now(h));
        loop_val item;
        assert_int_equal(loop_queue_get_nowait(l, O(c->v[0]), &item), 0);
        th_log(h, "queue %s %zu", th_repr(item), loop_queue_size(O(c->v[0])));
        c->v[4] = th_wrap(h, loop_timeout_new(l, th_now(h) + 1));
        assert_int_equal(loop_timeout_enter(l, O(c->v[4])), 0);
        loop_val aws[3] = { c->v[2], c->v[3], aw_coro(h, &W[9]) };
        return th_await(c, loop_gather(l, 3, aws, false), 15, out);
    }
    default: {
        bool swallow;
        assert_int_equal(loop_timeout_exit(l, O(c->v[4]), exc, &swallow), -1);
        assert_true(tv_is_exc(loop_take_error(l), LOOP_E_TIMEOUT));
        th_log(h, "timeout %g", th_now(h));
        return th_return(c, NULL, out);
    }
    }
}

static loop_resume gc_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop *l = h->l;
    loop_val aws[3];
    if (c->pc >= 10)
        return part2(c, v, exc, out);
    switch (c->pc) {
    case 0:
        for (int i = 0; i < 3; i++)
            aws[i] = aw_coro(h, &W[i]);
        return th_await(c, loop_gather(l, 3, aws, true), 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        th_log(h, "gather %s", th_repr(v));
        return th_await_coro(c, th_ncoro(h, loop_wait_for(l, aw_coro(h, &W[3]), 1)), 2, out);
    case 2:
        assert_true(tv_is_exc(exc, LOOP_E_TIMEOUT));
        th_log(h, "wait_for timeout %g", th_now(h));
        c->v[0] = task_of(h, aw_coro(h, &W[4]));
        c->v[1] = task_of(h, aw_coro(h, &W[5]));
        return th_await_coro(c, th_ncoro(h, loop_wait(l, 2, c->v, 2, LOOP_FIRST_COMPLETED)), 3, out);
    case 3:
        TH_CHECK(c, exc, out);
        th_log(h, "wait %zu %zu %g", ((tv *)v)->items[0]->n, ((tv *)v)->items[1]->n, th_now(h));
        return th_await(c, loop_shield(l, c->v[1]), 4, out);
    case 4:
        TH_CHECK(c, exc, out);
        th_log(h, "shield %s %g", th_repr(v), th_now(h));
        aws[0] = task_of(h, aw_coro(h, &W[6]));
        aws[1] = task_of(h, aw_coro(h, &W[7]));
        c->v[5] = th_wrap(h, loop_as_completed(l, 2, aws, 2));
        /* fall through */
    case 5:
        if (c->pc == 5) {
            if (exc)
                th_log(h, "as_completed timeout %g", th_now(h));
            else
                th_log(h, "as_completed %s %g", th_repr(v), th_now(h));
        }
        loop_ncoro *f = loop_as_completed_next(l, O(c->v[5]));
        if (f)
            return th_await_coro(c, th_ncoro(h, f), 5, out);
        c->pc = 10;
        return part2(c, NULL, NULL, out);
    }
    return th_return(c, NULL, out);
}

static void combinators_under_gc_stress(void **state)
{
    th *h = *state;
    tv *co = th_coro(h, gc_main, "main", NULL);
    loop_task *t = loop_task_new(h->l, co, NULL, NULL);
    loop_pin(h->l, &t->fut.hdr);
    assert_int_equal(loop_run_until_complete(h->l, &t->fut), LOOP_OK);
    assert_string_equal(aw_outcome(h, &t->fut), "None");
    loop_unpin(h->l, 1);
    th_expect(h, "a start|b start|c start|a done 1|c done 1|b done 2|"
                 "gather [1, ZeroDivisionError('boom'), 3]|d start|d cancelled|"
                 "wait_for timeout 3|e start|f start|e done 4|wait 1 1 4|f done 6|shield 6 6|"
                 "g start|h start|g done 7|as_completed 7 7|as_completed timeout 8|"
                 "x has lock|i start|y has lock|i done 9|taskgroup error 9|queue 1 0|"
                 "j start|j cancelled|timeout 10");
    assert_true(G.collections > 100);
    assert_true(G.freed > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(combinators_under_gc_stress, gc_setup, gc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
