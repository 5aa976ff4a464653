/* test_queue.c — Queue (blocking put/get order with maxsize, task_done/join,
 * QueueEmpty/QueueFull, a woken getter cancelled), LifoQueue, PriorityQueue (heapq
 * order with host->less). Expected order from /work/shared/oracle/vref.py. */
#include "aw_util.h"

/* Python:
 *   async def producer(q, name, items):
 *       for it in items:
 *           print(name, "put", it)
 *           await q.put(it)
 *           print(name, "put done", it, loop.time())
 *   async def consumer(q, name, n, delay):
 *       for _ in range(n):
 *           it = await q.get()
 *           print(name, "got", it, loop.time())
 *           await asyncio.sleep(delay)
 *           q.task_done()
 *   async def main():
 *       q = asyncio.Queue(maxsize=2)
 *       c1 = asyncio.create_task(consumer(q, "c1", 3, 1))
 *       c2 = asyncio.create_task(consumer(q, "c2", 3, 1))
 *       await asyncio.sleep(0)
 *       p = asyncio.create_task(producer(q, "p", [1, 2, 3, 4, 5, 6]))
 *       await asyncio.sleep(0)
 *       await q.join()
 *       print("joined", loop.time(), q.qsize())
 *       await asyncio.gather(c1, c2, p)
 *       try: q.task_done()
 *       except ValueError as e: print("error", e)
 *       try: q.get_nowait()
 *       except asyncio.QueueEmpty as e: print("empty", repr(e))
 *       q.put_nowait(1); q.put_nowait(2)
 *       try: q.put_nowait(3)
 *       except asyncio.QueueFull as e: print("full", repr(e))
 *       lq = asyncio.LifoQueue()
 *       for i in [1, 2, 3]: lq.put_nowait(i)
 *       print("lifo", [lq.get_nowait() for _ in range(3)])
 *       pq = asyncio.PriorityQueue()
 *       for i in [5, 1, 4, 1, 3, 9, 2, 6]: pq.put_nowait((i, str(i)))
 *       print("prio", [pq.get_nowait() for _ in range(8)])
 *       q2 = asyncio.Queue()
 *       g1 = asyncio.create_task(consumer(q2, "g1", 1, 0))
 *       g2 = asyncio.create_task(consumer(q2, "g2", 1, 0))
 *       await asyncio.sleep(0)
 *       q2.put_nowait("x")
 *       g1.cancel()
 *       await asyncio.gather(g1, g2, return_exceptions=True)
 *       print("end", q2.qsize())
 */
typedef struct q_role {
    const char *name;
    loop_obj *q;
    int n;
    double delay;
} q_role;

static loop_resume producer(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    q_role *r = c->data;
    th *h = c->h;
    if (c->pc > 0) {
        TH_CHECK(c, exc, out);
        th_log(h, "%s put done %ld %g", r->name, c->n[0], th_now(h));
    }
    if (c->n[0] == r->n)
        return th_return(c, NULL, out);
    c->n[0]++;
    th_log(h, "%s put %ld", r->name, c->n[0]);
    return th_await_coro(c, th_ncoro(h, loop_queue_put(h->l, r->q, th_int(h, c->n[0]))), 1, out);
}

static loop_resume consumer(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    q_role *r = c->data;
    th *h = c->h;
    switch (c->pc) {
    case 1:
        TH_CHECK(c, exc, out);
        th_log(h, "%s got %s %g", r->name, ((tv *)v)->tag == TV_STR ? ((tv *)v)->s : th_repr(v),
               th_now(h));
        return th_await_coro(c, aw_sleep(h, r->delay), 2, out);
    case 2:
        TH_CHECK(c, exc, out);
        assert_int_equal(loop_queue_task_done(h->l, r->q), 0);
        /* fall through */
    default:
        if (c->n[0]++ == r->n)
            return th_return(c, NULL, out);
        return th_await_coro(c, th_ncoro(h, loop_queue_get(h->l, r->q)), 1, out);
    }
}

static loop_val role_task(th *h, tcoro_fn fn, q_role *r)
{
    return th_wrap(h, &th_task(h, fn, r->name, r)->fut.hdr);
}

/* Drains q with get_nowait into "[a, b, ...]". */
static const char *drain(th *h, loop_obj *q, int n)
{
    loop_val items[8];
    for (int i = 0; i < n; i++)
        assert_int_equal(loop_queue_get_nowait(h->l, q, &items[i]), 0);
    return th_repr(th_container(h, TV_LIST, (size_t)n, items));
}

static void nowait_errors_and_kinds(th *h, loop_obj *q)
{
    assert_int_equal(loop_queue_task_done(h->l, q), -1);
    th_log(h, "error %s", ((tv *)loop_take_error(h->l))->s);
    loop_val x;
    assert_int_equal(loop_queue_get_nowait(h->l, q, &x), -1);
    assert_true(tv_is_exc(loop_take_error(h->l), LOOP_E_QUEUE_EMPTY));
    assert_int_equal(loop_queue_put_nowait(h->l, q, th_int(h, 1)), 0);
    assert_int_equal(loop_queue_put_nowait(h->l, q, th_int(h, 2)), 0);
    assert_int_equal(loop_queue_put_nowait(h->l, q, th_int(h, 3)), -1);
    assert_true(tv_is_exc(loop_take_error(h->l), LOOP_E_QUEUE_FULL));
    loop_obj *lq = loop_queue_new(h->l, LOOP_QUEUE_LIFO, 0);
    for (int i = 1; i <= 3; i++)
        loop_queue_put_nowait(h->l, lq, th_int(h, i));
    th_log(h, "lifo %s", drain(h, lq, 3));
    loop_obj *pq = loop_queue_new(h->l, LOOP_QUEUE_PRIORITY, 0);
    static const int prio[] = { 5, 1, 4, 1, 3, 9, 2, 6 };
    for (int i = 0; i < 8; i++) {
        char s[4];
        snprintf(s, sizeof s, "%d", prio[i]);
        loop_val pair[2] = { th_int(h, prio[i]), th_str(h, s) };
        loop_queue_put_nowait(h->l, pq, th_container(h, TV_TUPLE, 2, pair));
    }
    th_log(h, "prio %s", drain(h, pq, 8));
}

static loop_resume q_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    q_role *r = c->data;        /* c1, c2, p, g1, g2 */
    switch (c->pc) {
    case 0:
        r[0].q = r[1].q = r[2].q = loop_queue_new(h->l, LOOP_QUEUE_FIFO, 2);
        c->v[0] = role_task(h, consumer, &r[0]);
        c->v[1] = role_task(h, consumer, &r[1]);
        return th_await_coro(c, aw_sleep(h, 0), 1, out);
    case 1:
        c->v[2] = role_task(h, producer, &r[2]);
        return th_await_coro(c, aw_sleep(h, 0), 2, out);
    case 2:
        return th_await_coro(c, th_ncoro(h, loop_queue_join(h->l, r[0].q)), 3, out);
    case 3:
        TH_CHECK(c, exc, out);
        th_log(h, "joined %g %zu", th_now(h), loop_queue_size(r[0].q));
        return th_await(c, loop_gather(h->l, 3, c->v, false), 4, out);
    case 4:
        TH_CHECK(c, exc, out);
        nowait_errors_and_kinds(h, r[0].q);
        r[3].q = r[4].q = loop_queue_new(h->l, LOOP_QUEUE_FIFO, 0);
        c->v[0] = role_task(h, consumer, &r[3]);
        c->v[1] = role_task(h, consumer, &r[4]);
        return th_await_coro(c, aw_sleep(h, 0), 5, out);
    case 5:
        loop_queue_put_nowait(h->l, r[3].q, th_str(h, "x"));
        loop_future_cancel(h->l, h->host.as_future(h, c->v[0]), NULL);
        return th_await(c, loop_gather(h->l, 2, c->v, true), 6, out);
    default:
        th_log(h, "end %zu", loop_queue_size(r[3].q));
        return th_return(c, NULL, out);
    }
}

static void queue_blocking_order(void **state)
{
    th *h = *state;
    q_role r[5] = { {"c1", NULL, 3, 1}, {"c2", NULL, 3, 1}, {"p", NULL, 6, 0},
                    {"g1", NULL, 1, 0}, {"g2", NULL, 1, 0} };
    th_run_main(h, q_main, r);
    th_expect(h, "p put 1|p put done 1 0|p put 2|p put done 2 0|p put 3|c1 got 1 0|c2 got 2 0|"
                 "p put done 3 0|p put 4|p put done 4 0|p put 5|c1 got 3 1|c2 got 4 1|"
                 "p put done 5 1|p put 6|p put done 6 1|c1 got 5 2|c2 got 6 2|joined 3 0|"
                 "error task_done() called too many times|lifo [3, 2, 1]|"
                 "prio [(1, '1'), (1, '1'), (2, '2'), (3, '3'), (4, '4'), (5, '5'), (6, '6'), (9, '9')]|"
                 "g2 got x 3|end 0");
}

/* An item that does not compare: heappush raises TypeError from put_nowait, and the
 * item count is unchanged for task_done (unfinished not incremented). Python:
 *   pq = asyncio.PriorityQueue()
 *   pq.put_nowait(1)
 *   try:
 *       pq.put_nowait("a")
 *   except TypeError as e:
 *       print("type", pq.qsize())              # type 2
 *   pq.task_done()
 *   try:
 *       pq.task_done()
 *   except ValueError as e:
 *       print(e)                               # task_done() called too many times
 */
static void priority_compare_error(void **state)
{
    th *h = *state;
    loop_obj *pq = loop_queue_new(h->l, LOOP_QUEUE_PRIORITY, 0);
    assert_int_equal(loop_queue_put_nowait(h->l, pq, th_int(h, 1)), 0);
    assert_int_equal(loop_queue_put_nowait(h->l, pq, th_str(h, "a")), -1);
    assert_true(tv_is_exc(loop_take_error(h->l), LOOP_E_TYPE));
    assert_int_equal(loop_queue_size(pq), 2);        /* heappush appended before comparing */
    assert_int_equal(loop_queue_task_done(h->l, pq), 0);
    assert_int_equal(loop_queue_task_done(h->l, pq), -1);
    loop_take_error(h->l);
}

/* The GC sees what a queue holds: its items, its waiting getters/putters, its Event;
 * a full queue's put() waiter is traced, and so is the Condition's lock. */
static void queue_and_condition_trace(void **state)
{
    th *h = *state;
    loop *l = h->l;
    loop_obj *q = loop_queue_new(l, LOOP_QUEUE_FIFO, 1);
    loop_val a = th_int(h, 1), b = th_int(h, 2), out;
    assert_int_equal(loop_queue_put_nowait(l, q, a), 0);
    loop_ncoro *put = loop_queue_put(l, q, b);
    assert_int_equal(loop_ncoro_resume(l, put, h->host.none, NULL, &out), LOOP_YIELDED);
    aw_seen s = aw_trace(q);
    assert_true(aw_seen_has_val(&s, a));
    assert_false(aw_seen_has_val(&s, b));                    /* still in the coroutine */
    assert_true(aw_seen_has_obj(&s, put->objs[1]));          /* the putter future */
    assert_int_equal(s.nobjs, 2);                            /* putter + the Event */
    aw_seen sc = aw_trace(&put->hdr);
    assert_true(aw_seen_has_val(&sc, b));
    loop_obj *lock = loop_lock_new(l);
    loop_obj *cv = loop_condition_new(l, lock);
    aw_seen s2 = aw_trace(cv);
    assert_true(aw_seen_has_obj(&s2, lock));
    loop_ncoro_close(l, put);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(queue_blocking_order, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(priority_compare_error, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(queue_and_condition_trace, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
