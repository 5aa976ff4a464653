/* test_deadlock.c — a loop with nothing ready, no timer and no thread reports
 * LOOP_DEADLOCK (vref.py exits 3) with the pending tasks and what each awaits. */
#include "test_host.h"

#define T(p) ((loop_task *)(p))

static loop_resume await_data(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return th_await(c, c->data, 1, out);
    TH_CHECK(c, e, out);
    return th_return(c, v, out);
}

/* vref: "sleeping done 1.0", then "deadlock at t=1.0: ...", exit status 3:
 *   async def waiter(fut): await fut
 *   async def main():
 *       f = loop.create_future(); t = asyncio.create_task(waiter(f))
 *       await asyncio.sleep(1); print("sleeping done", loop.time())
 *       await loop.create_future()
 */
static loop_resume main_dl(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        c->v[0] = loop_future_new(h->l);
        c->v[1] = th_task(h, await_data, "waiter", c->v[0]);
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 1, NULL)), 1, out);
    case 1:
        th_log(h, "sleeping done %s", th_pyfloat(th_now(h)));
        c->v[2] = loop_future_new(h->l);
        return th_await(c, c->v[2], 2, out);
    default:
        return th_return(c, NULL, out);
    }
}

static void deadlock_reports_pending_tasks(void **state)
{
    th *h = *state;
    loop_task *m = th_task(h, main_dl, "main", NULL);
    tcoro *mc = ((tv *)m->coro)->coro;
    th_observe(h, 1ull << LOOP_EV_DEADLOCK);
    assert_int_equal(loop_run_until_complete(h->l, &m->fut), LOOP_DEADLOCK);
    th_expect(h, "sleeping done 1.0|deadlock");
    assert_true(loop_time(h->l) == 1.0);
    assert_false(loop_is_running(h->l));
    loop_task *p[4];
    assert_int_equal(loop_pending_tasks(h->l, p, 4), 2);
    assert_ptr_equal(p[0], m);
    assert_ptr_equal(p[0]->fut_waiter, mc->v[2]);
    assert_ptr_equal(p[1], mc->v[1]);
    assert_ptr_equal(p[1]->fut_waiter, mc->v[0]);
    /* the host may resolve it and run again: the loop is consistent */
    loop_future_set_result(h->l, mc->v[2], th_int(h, 1));
    assert_int_equal(loop_run_until_complete(h->l, &m->fut), LOOP_OK);
    assert_int_equal(loop_pending_tasks(h->l, p, 4), 1);
}

/* Two tasks awaiting each other: both pending, each waiting on the other. */
static loop_resume await_task(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return th_await(c, &(*(loop_task **)c->data)->fut, 1, out);
    TH_CHECK(c, e, out);
    return th_return(c, v, out);
}

static void tasks_awaiting_each_other(void **state)
{
    th *h = *state;
    static loop_task *a, *b;
    a = th_task(h, await_task, "a", &b);
    b = th_task(h, await_task, "b", &a);
    assert_int_equal(loop_run_forever(h->l), LOOP_DEADLOCK);
    loop_task *p[4];
    assert_int_equal(loop_pending_tasks(h->l, p, 4), 2);
    assert_ptr_equal(p[0], a);
    assert_ptr_equal(p[0]->fut_waiter, &b->fut);
    assert_ptr_equal(p[1]->fut_waiter, &a->fut);
    assert_int_equal(loop_iteration(h->l), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deadlock_reports_pending_tasks, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(tasks_awaiting_each_other, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
