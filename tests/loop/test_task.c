/* test_task.c — Task stepping: interleaving with sleep, results and exceptions through
 * await, bad yields, awaiting itself, current_task/all_tasks, KeyboardInterrupt. */
#include "test_host.h"

#define T(p) ((loop_task *)(p))

typedef struct wargs {
    const char *name;
    double delay;
} wargs;

/* async def worker(name, d):
 *     print(name, "start", loop.time()); await asyncio.sleep(d)
 *     print(name, "end", loop.time()); return name */
static loop_resume worker(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    wargs *a = c->data;
    switch (c->pc) {
    case 0:
        th_log(h, "%s start %s", a->name, th_pyfloat(th_now(h)));
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, a->delay, NULL)), 1, out);
    default:
        TH_CHECK(c, e, out);
        th_log(h, "%s end %s", a->name, th_pyfloat(th_now(h)));
        return th_return(c, th_str(h, a->name), out);
    }
}

/* Python (vref prints: main | a start 0.0 | b start 0.0 | main after sleep0 |
 * b end 1.0 | a end 2.0 | got a True 2.0):
 *   async def main():
 *       t1 = asyncio.create_task(worker("a", 2)); t2 = asyncio.create_task(worker("b", 1))
 *       print("main"); await asyncio.sleep(0); print("main after sleep0")
 *       r = await t1; print("got", r, t2.done(), loop.time())
 */
static loop_resume interleave_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static wargs a = { "a", 2 }, b = { "b", 1 };
    th *h = c->h;
    switch (c->pc) {
    case 0:
        c->v[0] = th_task(h, worker, "worker", &a);
        c->v[1] = th_task(h, worker, "worker", &b);
        th_log(h, "main");
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 0, NULL)), 1, out);
    case 1:
        TH_CHECK(c, e, out);
        th_log(h, "main after sleep0");
        return th_await(c, &T(c->v[0])->fut, 2, out);
    default:
        TH_CHECK(c, e, out);
        th_log(h, "got %s %s %s", ((tv *)v)->s, loop_future_done(&T(c->v[1])->fut) ? "True" : "False",
               th_pyfloat(th_now(h)));
        return th_return(c, NULL, out);
    }
}

static void tasks_interleave_with_sleep(void **state)
{
    th *h = *state;
    th_run_main(h, interleave_main, NULL);
    th_expect(h, "main|a start 0.0|b start 0.0|main after sleep0|b end 1.0|a end 2.0|"
                 "got a True 2.0");
    assert_int_equal(loop_all_tasks(h->l, NULL, 0), 0);
}

static loop_resume bad(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th_log(c->h, "bad runs");
    return th_raise(c, th_exc(c->h, TE_ZERO, "division by zero"), out);
}

/* Python (vref: bad runs | caught ZeroDivisionError('division by zero') True False | 42):
 *   async def main():
 *       t = asyncio.create_task(bad())
 *       try: await t
 *       except ZeroDivisionError as e: print("caught", repr(e), t.done(), t.cancelled())
 *       return 42
 */
static loop_resume exc_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    if (c->pc == 0) {
        c->v[0] = th_task(h, bad, "bad", NULL);
        return th_await(c, &T(c->v[0])->fut, 1, out);
    }
    assert_non_null(e);
    loop_future *t = &T(c->v[0])->fut;
    th_log(h, "caught %s %d %d", th_repr(e), loop_future_done(t), loop_future_cancelled(t));
    return th_return(c, th_int(h, 42), out);
}

static void exception_propagates_through_await(void **state)
{
    th *h = *state;
    tv *r = th_run_main(h, exc_main, NULL);
    assert_int_equal(r->i, 42);
    th_expect(h, "bad runs|caught ZeroDivisionError('division by zero') 1 0");
}

/* types.coroutine yielding a value, as a tcoro: yields data once, returns None. */
static loop_resume yield_value(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0) {
        c->pc = 1;
        *out = c->data;
        return LOOP_YIELDED;
    }
    TH_CHECK(c, e, out);
    return th_return(c, NULL, out);
}

/* Python (vref: "1 Task got bad yield: 42" | "2 Task cannot await on itself:" |
 * "3 yield was used instead of yield fr" | "Task-1 1 True"):
 *   me = asyncio.current_task()
 *   try: await yield_value(42)          except RuntimeError as e: print("1", e)
 *   try: await me                       except RuntimeError as e: print("2", str(e)[:28])
 *   try: await yield_value(f)  # a future without the blocking flag
 *   except RuntimeError as e: print("3", str(e)[:34])
 *   print(me.get_name(), len(asyncio.all_tasks()), asyncio.current_task() is me)
 */
static loop_resume bad_yield_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    loop_task *me = loop_current_task(h->l);
    switch (c->pc) {
    case 0:
        return th_await_coro(c, th_coro(h, yield_value, "yield_value", th_int(h, 42)), 1, out);
    case 1:
        assert_true(tv_is_exc(e, LOOP_E_RUNTIME));
        th_log(h, "1 %s", ((tv *)e)->s);
        return th_await(c, &me->fut, 2, out);
    case 2:
        assert_true(tv_is_exc(e, LOOP_E_RUNTIME));
        th_log(h, "2 %.28s", ((tv *)e)->s);
        c->v[0] = th_wrap(h, &loop_future_new(h->l)->hdr);
        return th_await_coro(c, th_coro(h, yield_value, "yield_value", c->v[0]), 3, out);
    default: {
        assert_true(tv_is_exc(e, LOOP_E_RUNTIME));
        th_log(h, "3 %.34s", ((tv *)e)->s);
        loop_task *all[4];
        size_t n = loop_all_tasks(h->l, all, 4);
        th_log(h, "%s %zu %s", ((tv *)me->name)->s, n, all[0] == me ? "True" : "False");
        return th_return(c, NULL, out);
    }
    }
}

static void bad_yields_and_awaiting_itself(void **state)
{
    th *h = *state;
    th_run_main(h, bad_yield_main, NULL);
    th_expect(h, "1 Task got bad yield: 42|2 Task cannot await on itself:|"
                 "3 yield was used instead of yield fr|Task-1 1 True");
}

static loop_resume sleeper(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return th_await_coro(c, th_ncoro(c->h, loop_sleep(c->h->l, *(double *)c->data, NULL)), 1, out);
    TH_CHECK(c, e, out);
    return th_return(c, NULL, out);
}

/* Python (vref: ['w3', 'w1', 'w2'] then ['Task-1', 'w2', 'w3']):
 *   ts = [asyncio.create_task(other(i), name=f"w{i}") for i in (3, 1, 2)]
 *   print([t.get_name() for t in asyncio.all_tasks() if t is not current_task()])
 *   await asyncio.sleep(1.5); print(sorted(t.get_name() for t in asyncio.all_tasks()))
 */
static loop_resume all_tasks_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static double d[3] = { 3, 1, 2 };
    static const char *names[3] = { "w3", "w1", "w2" };
    th *h = c->h;
    loop_task *all[8];
    size_t n;
    if (c->pc == 0) {
        for (int i = 0; i < 3; i++)
            loop_task_new(h->l, th_coro(h, sleeper, "other", &d[i]), th_str(h, names[i]), NULL);
        n = loop_all_tasks(h->l, all, 8);
        assert_int_equal(n, 4);
        for (size_t i = 1; i < n; i++)
            th_log(h, "%s", ((tv *)all[i]->name)->s);
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 1.5, NULL)), 1, out);
    }
    n = loop_all_tasks(h->l, all, 8);
    for (size_t i = 0; i < n; i++)
        th_log(h, "%s", ((tv *)all[i]->name)->s);
    return th_return(c, NULL, out);
}

static void all_tasks_in_creation_order(void **state)
{
    th *h = *state;
    th_run_main(h, all_tasks_main, NULL);
    th_expect(h, "w3|w1|w2|Task-1|w3|w2");
}

static loop_resume interrupted(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return th_yield(c, 1, out);
    return th_raise(c, th_exc(c->h, TE_KEYBOARD, NULL), out);
}

/* A KeyboardInterrupt from a task's coroutine is its exception and aborts the run;
 * the loop can run again afterwards (run_forever's finally). */
static void keyboard_interrupt_aborts_run(void **state)
{
    th *h = *state;
    loop_task *t = th_task(h, interrupted, "interrupted", NULL);
    th_soon_log(h, "x");
    th_soon_log(h, "y");
    loop_val r;
    assert_int_equal(th_run_until(h, &t->fut, &r), LOOP_ERROR);
    assert_true(tv_is_exc(r, TE_KEYBOARD));
    assert_true(loop_future_done(&t->fut));
    assert_ptr_equal(t->fut.exception, r);
    assert_false(loop_is_running(h->l));
    th_expect(h, "x|y");
    th_soon_log(h, "z");
    assert_int_equal(loop_run_once(h->l), LOOP_OK);
    th_expect(h, "z");
}

/* The handle stepping a task is reported with the task. */
static void step_events(void **state)
{
    th *h = *state;
    th_observe(h, (1ull << LOOP_EV_TASK_CREATE) | (1ull << LOOP_EV_STEP_BEGIN) |
                      (1ull << LOOP_EV_STEP_RETURN) | (1ull << LOOP_EV_STEP_YIELD));
    loop_task *t = th_task(h, yield_value, "y", &h->none_v);
    assert_int_equal(th_run_until(h, &t->fut, NULL), LOOP_OK);
    char want[160];
    unsigned long long id = t->fut.hdr.id;
    snprintf(want, sizeof want, "task_create#%llu|step_begin#%llu|step_yield#%llu|"
             "step_begin#%llu|step_return#%llu", id, id, id, id, id);
    th_expect(h, want);
}

/* vref: r0 r1 1.0 | neg 1.0 | Future False 1 | True False
 *   print(await asyncio.sleep(0, "r0"), await asyncio.sleep(1, "r1"), loop.time())
 *   print(await asyncio.sleep(-3, "neg"), loop.time())
 *   c = asyncio.sleep(5); fut = c.send(None)
 *   print(type(fut).__name__, fut.done(), len(loop._scheduled))
 *   c.close(); print(loop._scheduled[0]._cancelled, fut.done())   # finally: h.cancel()
 */
static loop_resume sleep_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    loop *l = h->l;
    switch (c->pc) {
    case 0:
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 0, th_str(h, "r0"))), 1, out);
    case 1:
        c->v[0] = v;
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 1, th_str(h, "r1"))), 2, out);
    case 2:
        th_log(h, "%s %s %s", ((tv *)c->v[0])->s, ((tv *)v)->s, th_pyfloat(th_now(h)));
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, -3, th_str(h, "neg"))), 3, out);
    default: {
        th_log(h, "%s %s", ((tv *)v)->s, th_pyfloat(th_now(h)));
        loop_ncoro *s = loop_sleep(l, 5, NULL);
        loop_val y;
        assert_int_equal(loop_ncoro_resume(l, s, h->host.none, NULL, &y), LOOP_YIELDED);
        loop_future *f = h->host.as_future(h, y);
        loop_handle *timers[4];
        size_t n = loop_timer_snapshot(l, timers, 4);
        th_log(h, "%s %s %zu", f && f->blocking ? "Future" : "?", loop_future_done(f) ? "True" : "False", n);
        loop_ncoro_close(l, s);
        th_log(h, "%s %s", timers[0]->cancelled ? "True" : "False", loop_future_done(f) ? "True" : "False");
        assert_int_equal(loop_ncoro_resume(l, s, h->host.none, NULL, &y), LOOP_RAISED);
        assert_true(tv_is_exc(y, LOOP_E_RUNTIME));
        return th_return(c, NULL, out);
    }
    }
}

static void sleep_results_and_close(void **state)
{
    th *h = *state;
    th_run_main(h, sleep_main, NULL);
    th_expect(h, "r0 r1 1.0|neg 1.0|Future False 1|True False");
}

/* async def w(name, f): r = await f; print(name, r) */
static loop_resume waiter(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0)
        return th_await(c, c->v[5], 1, out);
    TH_CHECK(c, e, out);
    th_log(c->h, "%s %lld", (const char *)c->data, ((tv *)v)->i);
    return th_return(c, NULL, out);
}

static int print_cb(th *h, tv *self, size_t n, const loop_val *args, loop_val *out)
{
    th_log(h, "%s", (const char *)self->closure);
    return 0;
}

/* vref: set | soon | a 1 | b 1 | c 1 | cb | end
 *   f = loop.create_future(); ts = [asyncio.create_task(w(n, f)) for n in "abc"]
 *   await asyncio.sleep(0); f.add_done_callback(lambda _: print("cb"))
 *   loop.call_soon(print, "soon"); f.set_result(1); print("set")
 *   for t in ts: await t
 *   print("end")
 */
static loop_resume wakeups_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static const char *names[3] = { "a", "b", "c" };
    th *h = c->h;
    switch (c->pc) {
    case 0: {
        loop_future *f = loop_future_new(h->l);
        c->v[5] = f;
        for (int i = 0; i < 3; i++) {
            tv *co = th_coro(h, waiter, "w", (void *)names[i]);
            co->coro->v[5] = f;
            c->v[i] = loop_task_new(h->l, co, NULL, NULL);
        }
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 0, NULL)), 1, out);
    }
    case 1: {
        loop_future *f = c->v[5];
        loop_callback cb = th_done_cb(h, print_cb, "cb");
        loop_future_add_callback(h->l, f, &cb);
        th_soon_log(h, "soon");
        loop_future_set_result(h->l, f, th_int(h, 1));
        th_log(h, "set");
        c->n[0] = 0;
        return th_await(c, &T(c->v[0])->fut, 2, out);
    }
    default:
        if (++c->n[0] < 3)
            return th_await(c, &T(c->v[c->n[0]])->fut, 2, out);
        th_log(h, "end");
        return th_return(c, NULL, out);
    }
}

static void wakeups_in_registration_order(void **state)
{
    th *h = *state;
    th_run_main(h, wakeups_main, NULL);
    th_expect(h, "set|soon|a 1|b 1|c 1|cb|end");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(tasks_interleave_with_sleep, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(exception_propagates_through_await, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(bad_yields_and_awaiting_itself, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(all_tasks_in_creation_order, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(keyboard_interrupt_aborts_run, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(step_events, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(sleep_results_and_close, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(wakeups_in_registration_order, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
