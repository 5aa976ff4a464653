/* test_gc.c — the GC interface under stress: a host that allocates through
 * host->alloc and runs a full mark-and-sweep on every allocation, freeing whatever
 * loop_trace_roots / loop_obj_trace do not reach. A missing root or edge frees a
 * live object, which ASan (make check) and valgrind report as a use after free, and
 * the program's output (from vref.py) would change.
 *
 * Host values are not collected (the test host owns them) but are walked: a
 * wrapper leads to its loop object, a coroutine to its locals, the future or the
 * coroutine it awaits.
 */
#include "test_host.h"
#include "gc_host.h"

/* ---- the program ------------------------------------------------------------------ */

/* async def worker(i): await asyncio.sleep(i); return i * 10 */
static loop_resume worker(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    long i = (long)(intptr_t)c->data;
    if (c->pc == 0)
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, (double)i, NULL)), 1, out);
    TH_CHECK(c, e, out);
    th_log(h, "worker %ld %s", i, th_pyfloat(th_now(h)));
    return th_return(c, th_int(h, i * 10), out);
}

/* def job(): time.sleep(0.5); return 5 */
static loop_resume job(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return th_sleep(c, 0.5, 1);
    th_log(c->h, "job %s", th_pyfloat(th_now(c->h)));
    return th_return(c, th_int(c->h, 5), out);
}

static int set_99(loop *l, loop_handle *hd)
{
    loop_future_set_result(l, (loop_future *)hd->cb.obj, th_int(G.h, 99));
    return 0;
}

static int never(loop *l, loop_handle *hd)
{
    fail();
    return 0;
}

/* vref: worker 1 1.0 | job 0.5 ... in time order:
 *   async def main():
 *       ts = [asyncio.create_task(worker(i)) for i in (2, 1, 3)]
 *       fut = loop.create_future(); loop.call_later(1.5, fut.set_result, 99)
 *       loop.call_later(5, never).cancel()
 *       f = loop.run_in_executor(None, job)
 *       for t in ts: print("got", await t)
 *       print("fut", await fut, "job", await f, loop.time())
 * prints: job 0.5 | worker 1 1.0 | worker 2 2.0 | got 20 | got 10 | worker 3 3.0 |
 *         got 30 | fut 99 job 5 3.0
 */
static loop_resume gc_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static const long delays[3] = { 2, 1, 3 };
    th *h = c->h;
    loop *l = h->l;
    switch (c->pc) {
    case 0: {
        for (int i = 0; i < 3; i++) {
            tv *co = th_coro(h, worker, "worker", (void *)(intptr_t)delays[i]);
            c->v[i] = th_wrap(h, &loop_task_new(l, co, NULL, NULL)->fut.hdr);
        }
        loop_future *fut = loop_future_new(l);
        c->v[3] = th_wrap(h, &fut->hdr);
        loop_call_later(l, 1.5, &(loop_callback){ .fn = set_99, .obj = &fut->hdr });
        loop_handle_cancel(l, loop_call_later(l, 5, &(loop_callback){ .fn = never }));
        loop_future *f = loop_run_in_executor(l, NULL, th_job(h, job, "job", NULL));
        c->v[4] = th_wrap(h, &f->hdr);
        c->n[0] = 0;
        return th_await(c, (loop_future *)((tv *)c->v[0])->obj, 1, out);
    }
    case 1:
        TH_CHECK(c, e, out);
        th_log(h, "got %lld", ((tv *)v)->i);
        if (++c->n[0] < 3)
            return th_await(c, (loop_future *)((tv *)c->v[c->n[0]])->obj, 1, out);
        return th_await(c, (loop_future *)((tv *)c->v[3])->obj, 2, out);
    case 2:
        TH_CHECK(c, e, out);
        c->n[1] = ((tv *)v)->i;
        return th_await(c, (loop_future *)((tv *)c->v[4])->obj, 3, out);
    default:
        TH_CHECK(c, e, out);
        th_log(h, "fut %ld job %lld %s", c->n[1], ((tv *)v)->i, th_pyfloat(th_now(h)));
        return th_return(c, NULL, out);
    }
}

static void collect_on_every_allocation(void **state)
{
    th *h = *state;
    tv *co = th_coro(h, gc_main, "main", NULL);
    loop_task *t = loop_task_new(h->l, co, NULL, NULL);
    tv *tw = th_wrap(h, &t->fut.hdr);       /* held by the test: pinned */
    loop_pin(h->l, tw->obj);
    assert_int_equal(loop_run_until_complete(h->l, &t->fut), LOOP_OK);
    loop_unpin(h->l, 1);
    th_expect(h, "job 0.5|worker 1 1.0|worker 2 2.0|got 20|got 10|worker 3 3.0|got 30|"
                 "fut 99 job 5 3.0");
    assert_true(G.collections > 20);
    assert_true(G.freed > 10);
    /* everything is done: one more collection leaves only the default executor */
    collect();
    assert_int_equal(G.n, 1);
    assert_int_equal(G.objs[0]->kind, LOOP_K_EXECUTOR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(collect_on_every_allocation, gc_setup, gc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
