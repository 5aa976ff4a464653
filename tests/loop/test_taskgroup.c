/* test_taskgroup.c — TaskGroup: waiting for its tasks, a task failing (siblings and
 * the body cancelled, ExceptionGroup, the parent uncancelled), the body raising,
 * create_task after exit, the parent cancelled from outside. Expected order from
 * /work/shared/oracle/vref.py. */
#include "aw_util.h"

/* Python (worker as in aw_util.h):
 *   async def main():
 *       async with asyncio.TaskGroup() as tg:
 *           t1 = tg.create_task(worker("a", 1, 1))
 *           t2 = tg.create_task(worker("b", 2, 2))
 *           print("body done")
 *       print("all done", t1.result(), t2.result(), loop.time())
 *       try:
 *           async with asyncio.TaskGroup() as tg:
 *               tg.create_task(worker("c", 1, 3, True))
 *               tg.create_task(worker("d", 5, 4))
 *               try:
 *                   await asyncio.sleep(10)
 *               except asyncio.CancelledError:
 *                   print("body cancelled", loop.time())
 *                   raise
 *       except* ZeroDivisionError as eg:
 *           print("group", repr(eg.exceptions), loop.time(), asyncio.current_task().cancelling())
 *       try:
 *           async with asyncio.TaskGroup() as tg:
 *               tg.create_task(worker("e", 1, 5))
 *               raise ValueError("body")
 *       except* ValueError as eg:
 *           print("body error", repr(eg.exceptions), loop.time())
 *       try:
 *           tg.create_task(worker("f", 1, 6))
 *       except RuntimeError as e:
 *           print("error", e)
 *       async def parent():
 *           async with asyncio.TaskGroup() as tg:
 *               tg.create_task(worker("g", 5, 7))
 *           print("not reached")
 *       p = asyncio.create_task(parent())
 *       await asyncio.sleep(1)
 *       p.cancel()
 *       try:
 *           await p
 *       except asyncio.CancelledError:
 *           print("parent cancelled", loop.time())
 */
static const wk T[] = { {"a", 1, 1, 0}, {"b", 2, 2, 0}, {"c", 1, 3, 1}, {"d", 5, 4, 0},
                        {"e", 1, 5, 0}, {"f", 1, 6, 0}, {"g", 5, 7, 0} };

typedef struct tg_ctx {
    loop_obj *tg;
    loop_task *t1, *t2;
} tg_ctx;

static loop_task *spawn(th *h, loop_obj *tg, const wk *w)
{
    loop_task *t = loop_taskgroup_create_task(h->l, tg, aw_coro(h, w), NULL, NULL);
    assert_non_null(t);
    return t;
}

static loop_resume enter(tcoro *c, tg_ctx *x, int next, loop_val *out)
{
    x->tg = loop_taskgroup_new(c->h->l);
    return th_await_coro(c, th_ncoro(c->h, loop_taskgroup_enter(c->h->l, x->tg)), next, out);
}

static loop_resume leave(tcoro *c, tg_ctx *x, loop_val exc, int next, loop_val *out)
{
    return th_await_coro(c, th_ncoro(c->h, loop_taskgroup_exit(c->h->l, x->tg, exc)), next, out);
}

/* "(ZeroDivisionError('boom'),)": the members of the test host's exception group */
static const char *members(loop_val eg)
{
    tv *g = eg;
    assert_non_null(g->items);
    assert_int_equal(g->n, 1);
    static char buf[128];
    snprintf(buf, sizeof buf, "(%s,)", th_repr(g->items[0]));
    return buf;
}

static loop_resume parent(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    tg_ctx *x = c->data;
    switch (c->pc) {
    case 0:
        return enter(c, x, 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        spawn(c->h, x->tg, &T[6]);
        return leave(c, x, NULL, 2, out);
    default:
        TH_CHECK(c, exc, out);
        th_log(c->h, "not reached");
        return th_return(c, NULL, out);
    }
}

static loop_resume tg_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    tg_ctx *x = c->data;
    if (c->pc != 4 && c->pc != 5 && c->pc != 8 && c->pc != 11)
        TH_CHECK(c, exc, out);
    switch (c->pc) {
    case 0:
        return enter(c, x, 1, out);
    case 1:
        x->t1 = spawn(h, x->tg, &T[0]);
        x->t2 = spawn(h, x->tg, &T[1]);
        th_log(h, "body done");
        return leave(c, x, NULL, 2, out);
    case 2:
        th_log(h, "all done %s", aw_outcome(h, &x->t1->fut));
        th_log(h, "%s %g", aw_outcome(h, &x->t2->fut), th_now(h));
        return enter(c, x, 3, out);
    case 3:
        spawn(h, x->tg, &T[2]);
        spawn(h, x->tg, &T[3]);
        return th_await_coro(c, aw_sleep(h, 10), 4, out);
    case 4:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "body cancelled %g", th_now(h));
        return leave(c, x, exc, 5, out);
    case 5:
        th_log(h, "group %s %g %d", members(exc), th_now(h),
               loop_task_cancelling(loop_current_task(h->l)));
        return enter(c, x, 6, out);
    case 6:
        spawn(h, x->tg, &T[4]);
        return leave(c, x, th_exc(h, LOOP_E_VALUE, "body"), 8, out);
    case 8: {
        th_log(h, "body error %s %g", members(exc), th_now(h));
        assert_null(loop_taskgroup_create_task(h->l, x->tg, aw_coro(h, &T[5]), NULL, NULL));
        th_log(h, "error %s", ((tv *)loop_take_error(h->l))->s);
        c->v[0] = th_wrap(h, &th_task(h, parent, "parent", x)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 1), 9, out);
    }
    case 9:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[0]), NULL);
        return th_await(c, h->host.as_future(h, c->v[0]), 11, out);
    default:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "parent cancelled %g", th_now(h));
        return th_return(c, NULL, out);
    }
}

static void taskgroup_paths(void **state)
{
    th *h = *state;
    tg_ctx x = {0};
    th_run_main(h, tg_main, &x);
    th_expect(h, "body done|a start|b start|a done 1|b done 2|all done 1|2 2|c start|d start|"
                 "c done 3|d cancelled|body cancelled 3|group (ZeroDivisionError('boom'),) 3 0|"
                 "body error (ValueError('body'),) 3|"
                 "error TaskGroup <TaskGroup cancelling> is finished|g start|g cancelled|"
                 "parent cancelled 4");
}

/* __aenter__ outside a task raises RuntimeError; create_task before it too. */
static void taskgroup_needs_a_task(void **state)
{
    th *h = *state;
    loop_obj *tg = loop_taskgroup_new(h->l);
    static const wk w = {"z", 1, 0, 0};
    assert_null(loop_taskgroup_create_task(h->l, tg, aw_coro(h, &w), NULL, NULL));
    assert_string_equal(((tv *)loop_take_error(h->l))->s,
                        "TaskGroup <TaskGroup> has not been entered");
    loop_val out;
    assert_int_equal(loop_ncoro_resume(h->l, loop_taskgroup_enter(h->l, tg), h->host.none, NULL,
                                       &out), LOOP_RAISED);
    assert_string_equal(((tv *)out)->s, "TaskGroup <TaskGroup> cannot determine the parent task");
}

/* Two children failing in the same iteration: one ExceptionGroup with both, the
 * parent's cancellation (requested by the group) undone; then a parent cancelled from
 * outside: the children are cancelled and CancelledError propagates. Python:
 *   async def body():
 *       try:
 *           async with asyncio.TaskGroup() as tg:
 *               tg.create_task(worker("a", 1, 1, True))
 *               tg.create_task(worker("b", 1, 2, True))
 *               tg.create_task(worker("c", 3, 3))
 *               await asyncio.sleep(10)
 *       except* ZeroDivisionError as eg:
 *           print("errors", len(eg.exceptions), asyncio.current_task().cancelling(), loop.time())
 *       await asyncio.sleep(1)
 *       print("after", loop.time())
 *   async def outer_cancel():
 *       async with asyncio.TaskGroup() as tg:
 *           tg.create_task(worker("d", 1, 4, True))
 *           try:
 *               await asyncio.sleep(0.5)
 *           finally:
 *               print("body exits", loop.time())
 *   async def main():
 *       await body()
 *       t = asyncio.create_task(outer_cancel())
 *       await asyncio.sleep(0.2)
 *       t.cancel()
 *       try:
 *           await t
 *       except asyncio.CancelledError:
 *           print("cancelled", t.cancelling(), loop.time())
 */
static const wk T2[] = { {"a", 1, 1, 1}, {"b", 1, 2, 1}, {"c", 3, 3, 0}, {"d", 1, 4, 1} };

static loop_resume outer_cancel(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    tg_ctx *x = c->data;
    switch (c->pc) {
    case 0:
        return enter(c, x, 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        spawn(c->h, x->tg, &T2[3]);
        return th_await_coro(c, aw_sleep(c->h, 0.5), 2, out);
    case 2:
        th_log(c->h, "body exits %g", th_now(c->h));
        return leave(c, x, exc, 3, out);
    default:
        TH_CHECK(c, exc, out);
        return th_return(c, NULL, out);
    }
}

static loop_resume tg2_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    tg_ctx *x = c->data;
    switch (c->pc) {
    case 0:
        return enter(c, x, 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        for (int i = 0; i < 3; i++)
            spawn(h, x->tg, &T2[i]);
        return th_await_coro(c, aw_sleep(h, 10), 2, out);
    case 2:
        return leave(c, x, exc, 3, out);
    case 3:
        assert_non_null(exc);
        th_log(h, "errors %zu %d %g", ((tv *)exc)->n, loop_task_cancelling(loop_current_task(h->l)),
               th_now(h));
        return th_await_coro(c, aw_sleep(h, 1), 4, out);
    case 4:
        TH_CHECK(c, exc, out);
        th_log(h, "after %g", th_now(h));
        c->v[0] = th_wrap(h, &th_task(h, outer_cancel, "outer_cancel", x + 1)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 0.2), 5, out);
    case 5:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[0]), NULL);
        return th_await(c, h->host.as_future(h, c->v[0]), 6, out);
    default:
        assert_true(tv_is_exc(exc, LOOP_E_CANCELLED));
        th_log(h, "cancelled %d %g",
               loop_task_cancelling((loop_task *)h->host.as_future(h, c->v[0])), th_now(h));
        return th_return(c, NULL, out);
    }
}

static void taskgroup_two_errors_and_outer_cancel(void **state)
{
    th *h = *state;
    tg_ctx x[2] = {{0}};
    th_run_main(h, tg2_main, x);
    th_expect(h, "a start|b start|c start|a done 1|b done 1|c cancelled|errors 2 0 1|after 2|"
                 "d start|body exits 2.2|d cancelled|cancelled 1 2.2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(taskgroup_paths, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(taskgroup_needs_a_task, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(taskgroup_two_errors_and_outer_cancel, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
