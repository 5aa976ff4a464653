/* test_cancel.c — Task.cancel: before the first step, while awaiting, twice, with a
 * message, cancelling()/uncancel(), a task that swallows the cancellation. Expected
 * outputs come from the Python programs above each test, run under vref.py. */
#include "test_host.h"

#define T(p) ((loop_task *)(p))
#define TF(p) (&((loop_task *)(p))->fut)

static const char *args_of(loop_val e)
{
    const tv *x = e;
    static char buf[64];
    if (x->s)
        snprintf(buf, sizeof buf, "('%s',)", x->s);
    else
        snprintf(buf, sizeof buf, "()");
    return buf;
}

static const char *b(bool v) { return v ? "True" : "False"; }

static loop_resume sleep_for(tcoro *c, double d, int next, loop_val *out)
{
    return th_await_coro(c, th_ncoro(c->h, loop_sleep(c->h->l, d, NULL)), next, out);
}

static loop_resume child_never(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th_log(c->h, "child start");
    return th_return(c, NULL, out);
}

/* vref: "True 1" | "cancelled ('early',) True"
 *   async def child(): print("child start")
 *   async def main():
 *       t = asyncio.create_task(child())
 *       print(t.cancel("early"), t.cancelling())
 *       try: await t
 *       except asyncio.CancelledError as e: print("cancelled", e.args, t.cancelled())
 */
static loop_resume early_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    if (c->pc == 0) {
        c->v[0] = th_task(h, child_never, "child", NULL);
        bool r = loop_task_cancel(h->l, T(c->v[0]), th_str(h, "early"));
        th_log(h, "%s %d", b(r), loop_task_cancelling(T(c->v[0])));
        return th_await(c, TF(c->v[0]), 1, out);
    }
    assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
    th_log(h, "cancelled %s %s", args_of(e), b(loop_future_cancelled(TF(c->v[0]))));
    return th_return(c, NULL, out);
}

static void cancel_before_first_step(void **state)
{
    th *h = *state;
    th_run_main(h, early_main, NULL);
    th_expect(h, "True 1|cancelled ('early',) True");
}

/* async def child():
 *     try: await asyncio.sleep(10)
 *     except asyncio.CancelledError as e: print("child caught", e.args, loop.time()); raise */
static loop_resume child_reraise(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return sleep_for(c, 10, 1, out);
    assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
    th_log(c->h, "child caught %s %s", args_of(e), th_pyfloat(th_now(c->h)));
    return th_raise(c, e, out);
}

/* vref: "True 1" | "True 2" | "child caught ('stop',) 1.0" |
 *       "main caught ('stop',) True 1.0" | "False 2"
 *   t = asyncio.create_task(child()); await asyncio.sleep(1)
 *   print(t.cancel("stop"), t.cancelling()); print(t.cancel("again"), t.cancelling())
 *   try: await t
 *   except asyncio.CancelledError as e: print("main caught", e.args, t.cancelled(), loop.time())
 *   print(t.cancel(), t.cancelling())
 */
static loop_resume twice_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        c->v[0] = th_task(h, child_reraise, "child", NULL);
        return sleep_for(c, 1, 1, out);
    case 1: {
        loop_task *t = T(c->v[0]);
        bool r = loop_task_cancel(h->l, t, th_str(h, "stop"));
        th_log(h, "%s %d", b(r), loop_task_cancelling(t));
        r = loop_task_cancel(h->l, t, th_str(h, "again"));
        th_log(h, "%s %d", b(r), loop_task_cancelling(t));
        assert_true(t->must_cancel);
        return th_await(c, &t->fut, 2, out);
    }
    default: {
        loop_task *t = T(c->v[0]);
        assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
        th_log(h, "main caught %s %s %s", args_of(e), b(loop_future_cancelled(&t->fut)),
               th_pyfloat(th_now(h)));
        bool r = loop_task_cancel(h->l, t, NULL);
        th_log(h, "%s %d", b(r), loop_task_cancelling(t));
        return th_return(c, NULL, out);
    }
    }
}

static void cancel_twice_while_awaiting(void **state)
{
    th *h = *state;
    th_run_main(h, twice_main, NULL);
    th_expect(h, "True 1|True 2|child caught ('stop',) 1.0|main caught ('stop',) True 1.0|"
                 "False 2");
}

/* async def child():
 *     t = asyncio.current_task()
 *     try: await asyncio.sleep(10)
 *     except asyncio.CancelledError as e:
 *         print("child caught", e.args, t.cancelling()); print("uncancel", t.uncancel(), t.uncancel())
 *     await asyncio.sleep(1); print("child done", loop.time()); return 7 */
static loop_resume child_uncancel(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    loop_task *t = loop_current_task(h->l);
    switch (c->pc) {
    case 0:
        return sleep_for(c, 10, 1, out);
    case 1: {
        assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
        th_log(h, "child caught %s %d", args_of(e), loop_task_cancelling(t));
        int u1 = loop_task_uncancel(h->l, t);
        int u2 = loop_task_uncancel(h->l, t);
        th_log(h, "uncancel %d %d", u1, u2);
        return sleep_for(c, 1, 2, out);
    }
    default:
        TH_CHECK(c, e, out);
        th_log(h, "child done %s", th_pyfloat(th_now(h)));
        return th_return(c, th_int(h, 7), out);
    }
}

/* vref: "child caught () 1" | "uncancel 0 0" | "child done 2.0" | "result 7 False 0"
 *   t = asyncio.create_task(child()); await asyncio.sleep(1); t.cancel()
 *   r = await t; print("result", r, t.cancelled(), t.cancelling()) */
static loop_resume uncancel_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        c->v[0] = th_task(h, child_uncancel, "child", NULL);
        return sleep_for(c, 1, 1, out);
    case 1:
        loop_task_cancel(h->l, T(c->v[0]), NULL);
        return th_await(c, TF(c->v[0]), 2, out);
    default:
        TH_CHECK(c, e, out);
        th_log(h, "result %lld %s %d", ((tv *)v)->i, b(loop_future_cancelled(TF(c->v[0]))),
               loop_task_cancelling(T(c->v[0])));
        return th_return(c, NULL, out);
    }
}

static void cancelling_and_uncancel(void **state)
{
    th *h = *state;
    th_run_main(h, uncancel_main, NULL);
    th_expect(h, "child caught () 1|uncancel 0 0|child done 2.0|result 7 False 0");
}

/* async def child():
 *     try: await asyncio.sleep(10)
 *     except asyncio.CancelledError: print("child caught, cancelling", current_task().cancelling())
 *     print("child returns"); return 5 */
static loop_resume child_swallow(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    if (c->pc == 0)
        return sleep_for(c, 10, 1, out);
    assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
    th_log(h, "child caught, cancelling %d", loop_task_cancelling(loop_current_task(h->l)));
    th_log(h, "child returns");
    return th_return(c, th_int(h, 5), out);
}

/* vref: "child caught, cancelling 1" | "child returns" | "cancel2 False 1" | "result 5"
 *   t = asyncio.create_task(child()); await asyncio.sleep(0); t.cancel("one")
 *   await asyncio.sleep(0); print("cancel2", t.cancel("two"), t.cancelling())
 *   r = await t; print("result", r) */
static loop_resume swallow_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        c->v[0] = th_task(h, child_swallow, "child", NULL);
        return sleep_for(c, 0, 1, out);
    case 1:
        loop_task_cancel(h->l, T(c->v[0]), th_str(h, "one"));
        return sleep_for(c, 0, 2, out);
    case 2: {
        bool r = loop_task_cancel(h->l, T(c->v[0]), th_str(h, "two"));
        th_log(h, "cancel2 %s %d", b(r), loop_task_cancelling(T(c->v[0])));
        return th_await(c, TF(c->v[0]), 3, out);
    }
    default:
        TH_CHECK(c, e, out);
        th_log(h, "result %lld", ((tv *)v)->i);
        return th_return(c, NULL, out);
    }
}

static void cancelled_task_swallows(void **state)
{
    th *h = *state;
    th_run_main(h, swallow_main, NULL);
    th_expect(h, "child caught, cancelling 1|child returns|cancel2 False 1|result 5");
}

/* async def child():
 *     try: await bare()            # a bare yield (types.coroutine)
 *     except asyncio.CancelledError as e: print("child caught", e.args)
 *     return 1
 * async def selfcancel(): print(asyncio.current_task().cancel("self")); return 3 */
static loop_resume child_bare(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return th_yield(c, 1, out);
    if (e) {
        assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
        th_log(c->h, "child caught %s", args_of(e));
    }
    return th_return(c, th_int(c->h, 1), out);
}

static loop_resume selfcancel(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    th_log(h, "%s", b(loop_task_cancel(h->l, loop_current_task(h->l), th_str(h, "self"))));
    return th_return(c, th_int(h, 3), out);
}

/* vref: "True" | "child caught ('late',)" | "True False 1" | "True" | "self ('self',) True"
 *   t = asyncio.create_task(child()); await asyncio.sleep(0)
 *   print(t.cancel("late")); await asyncio.sleep(0)
 *   print(t.done(), t.cancelled(), t.result())
 *   s = asyncio.create_task(selfcancel())
 *   try: await s
 *   except asyncio.CancelledError as e: print("self", e.args, s.cancelled())
 */
static loop_resume must_cancel_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        c->v[0] = th_task(h, child_bare, "child", NULL);
        return sleep_for(c, 0, 1, out);
    case 1:
        th_log(h, "%s", b(loop_task_cancel(h->l, T(c->v[0]), th_str(h, "late"))));
        assert_true(T(c->v[0])->must_cancel);
        return sleep_for(c, 0, 2, out);
    case 2: {
        loop_future *t = TF(c->v[0]);
        th_log(h, "%s %s %lld", b(loop_future_done(t)), b(loop_future_cancelled(t)),
               ((tv *)t->result)->i);
        c->v[1] = th_task(h, selfcancel, "selfcancel", NULL);
        return th_await(c, TF(c->v[1]), 3, out);
    }
    default:
        assert_true(tv_is_exc(e, LOOP_E_CANCELLED));
        th_log(h, "self %s %s", args_of(e), b(loop_future_cancelled(TF(c->v[1]))));
        return th_return(c, NULL, out);
    }
}

static void must_cancel_paths(void **state)
{
    th *h = *state;
    th_run_main(h, must_cancel_main, NULL);
    th_expect(h, "True|child caught ('late',)|True False 1|True|self ('self',) True");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cancel_before_first_step, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(cancel_twice_while_awaiting, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(cancelling_and_uncancel, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(cancelled_task_swallows, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(must_cancel_paths, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
