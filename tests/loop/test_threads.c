/* test_threads.c — executors on virtual threads (vref.py's model): jobs start inside
 * submit, sleep on the virtual clock, run before timers due at the same instant;
 * queueing beyond max_workers; time.sleep on the loop thread; the self-pipe; shutdown.
 *
 * Every test's job is the C form of
 *     def job(name, d):
 *         print(name, "start", time.monotonic()); time.sleep(d)
 *         print(name, "end", time.monotonic())
 *         if name == "bad": raise ValueError("bad job")
 *         return name
 */
#include "test_host.h"

#define F(p) ((loop_future *)(p))

typedef struct jargs {
    const char *name;
    double d;
} jargs;

static loop_resume job(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    jargs *a = c->data;
    if (c->pc == 0) {
        th_log(h, "%s start %s", a->name, th_pyfloat(th_now(h)));
        return th_sleep(c, a->d, 1);
    }
    th_log(h, "%s end %s", a->name, th_pyfloat(th_now(h)));
    if (strcmp(a->name, "bad") == 0)
        return th_raise(c, th_exc(h, LOOP_E_VALUE, "bad job"), out);
    return th_return(c, th_str(h, a->name), out);
}

static tv *new_job(th *h, jargs *a)
{
    return th_job(h, job, "job", a);
}

static const char *b(bool v) { return v ? "True" : "False"; }

static th *H;
static int print_timer(loop *l, loop_handle *hd)
{
    th_log(H, "%s %s", (const char *)hd->cb.val, th_pyfloat(loop_time(l)));
    return 0;
}

/* vref: a start 0.0 | submitted 0.0 | a end 1.0 | timer 1.0 | result a 1.0
 *   loop.call_later(1, lambda: print("timer", loop.time()))
 *   f = loop.run_in_executor(None, job, "a", 1); print("submitted", loop.time())
 *   r = await f; print("result", r, loop.time())
 */
static loop_resume thread_before_timer_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static jargs a = { "a", 1 };
    th *h = c->h;
    if (c->pc == 0) {
        loop_call_later(h->l, 1, &(loop_callback){ .fn = print_timer, .val = "timer" });
        loop_future *f = loop_run_in_executor(h->l, NULL, new_job(h, &a));
        th_log(h, "submitted %s", th_pyfloat(th_now(h)));
        return th_await(c, f, 1, out);
    }
    TH_CHECK(c, e, out);
    th_log(h, "result %s %s", ((tv *)v)->s, th_pyfloat(th_now(h)));
    return th_return(c, NULL, out);
}

static void thread_runs_before_timer_at_same_instant(void **state)
{
    th *h = H = *state;
    th_run_main(h, thread_before_timer_main, NULL);
    th_expect(h, "a start 0.0|submitted 0.0|a end 1.0|timer 1.0|result a 1.0");
}

/* vref: a start 0.0 | b start 0.0 | submitted 0.0 | a end 1.0 | c start 1.0 | got a 1.0 |
 *       b end 2.0 | c end 2.0 | got b 2.0 | got c 2.0
 *   ex = ThreadPoolExecutor(max_workers=2)
 *   fs = [loop.run_in_executor(ex, job, n, d) for n, d in (("a", 1), ("b", 2), ("c", 1))]
 *   print("submitted", loop.time())
 *   for f in fs: print("got", await f, loop.time())
 */
static loop_resume queue_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static jargs j[3] = { { "a", 1 }, { "b", 2 }, { "c", 1 } };
    th *h = c->h;
    if (c->pc == 0) {
        loop_obj *ex = loop_executor_new(h->l, 2);
        for (int i = 0; i < 3; i++)
            c->v[i] = loop_run_in_executor(h->l, ex, new_job(h, &j[i]));
        th_log(h, "submitted %s", th_pyfloat(th_now(h)));
        c->n[0] = 0;
        return th_await(c, F(c->v[0]), 1, out);
    }
    TH_CHECK(c, e, out);
    th_log(h, "got %s %s", ((tv *)v)->s, th_pyfloat(th_now(h)));
    if (++c->n[0] == 3)
        return th_return(c, NULL, out);
    return th_await(c, F(c->v[c->n[0]]), 1, out);
}

static void jobs_queue_beyond_max_workers(void **state)
{
    th *h = *state;
    th_run_main(h, queue_main, NULL);
    th_expect(h, "a start 0.0|b start 0.0|submitted 0.0|a end 1.0|c start 1.0|got a 1.0|"
                 "b end 2.0|c end 2.0|got b 2.0|got c 2.0");
}

/* vref: a start 0.0 | a end 0.5 | after sleep 1.0 False | timer 1.0 | got a 1.0
 *   f = loop.run_in_executor(None, job, "a", 0.5)
 *   loop.call_later(0.5, lambda: print("timer", loop.time()))
 *   time.sleep(1); print("after sleep", loop.time(), f.done())
 *   print("got", await f, loop.time())
 */
static loop_resume block_sleep_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static jargs a = { "a", 0.5 };
    th *h = c->h;
    if (c->pc == 0) {
        loop_future *f = loop_run_in_executor(h->l, NULL, new_job(h, &a));
        loop_call_later(h->l, 0.5, &(loop_callback){ .fn = print_timer, .val = "timer" });
        loop_block_sleep(h->l, 1);
        th_log(h, "after sleep %s %s", th_pyfloat(th_now(h)), b(loop_future_done(f)));
        return th_await(c, f, 1, out);
    }
    TH_CHECK(c, e, out);
    th_log(h, "got %s %s", ((tv *)v)->s, th_pyfloat(th_now(h)));
    return th_return(c, NULL, out);
}

static void loop_thread_sleep_runs_due_threads(void **state)
{
    th *h = H = *state;
    th_run_main(h, block_sleep_main, NULL);
    th_expect(h, "a start 0.0|a end 0.5|after sleep 1.0 False|timer 1.0|got a 1.0");
}

/* vref: a start 0.0 | main | ts | main2 | a end 0.0 | main3 | main4
 *   f = loop.run_in_executor(None, job, "a", 0)     # parked, due at once
 *   loop.call_soon_threadsafe(lambda: print("ts"))  # self-pipe written, a thread alive
 *   print("main"); await asyncio.sleep(0)           # select returns at once: a waits
 *   print("main2"); await asyncio.sleep(0)
 *   print("main3"); await f; print("main4")
 */
static loop_resume selfpipe_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static jargs a = { "a", 0 };
    th *h = c->h;
    switch (c->pc) {
    case 0: {
        c->v[0] = loop_run_in_executor(h->l, NULL, new_job(h, &a));
        loop_callback cb = th_cb(h, th_fn_log, "ts", NULL);
        loop_call_soon_threadsafe(h->l, &cb);
        th_log(h, "main");
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 0, NULL)), 1, out);
    }
    case 1:
        th_log(h, "main2");
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 0, NULL)), 2, out);
    case 2:
        th_log(h, "main3");
        return th_await(c, F(c->v[0]), 3, out);
    default:
        TH_CHECK(c, e, out);
        th_log(h, "main4");
        return th_return(c, NULL, out);
    }
}

static void selfpipe_wakes_select_while_thread_alive(void **state)
{
    th *h = *state;
    th_run_main(h, selfpipe_main, NULL);
    th_expect(h, "a start 0.0|main|ts|main2|a end 0.0|main3|main4");
}

/* vref: a start 0.0 | True | a end 2.0 | bad start 2.0 | bad end 3.0 |
 *       caught bad job 3.0 | True True | d start 3.0 | d end 4.0 | shut 4.0 |
 *       cannot schedule new futures after shutdown
 *   ex = ThreadPoolExecutor(max_workers=1)
 *   fa = loop.run_in_executor(ex, job, "a", 2); fb = ...(ex, job, "b", 1)
 *   fc = ...(ex, job, "bad", 1); print(fb.cancel())
 *   try: await fc
 *   except ValueError as e: print("caught", e, loop.time())
 *   print(fa.done(), fb.cancelled()); ex.submit(job, "d", 1)
 *   ex.shutdown(wait=True); print("shut", loop.time())
 *   try: ex.submit(job, "e", 1)
 *   except RuntimeError as e: print(e)
 */
static loop_resume shutdown_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static jargs j[5] = { { "a", 2 }, { "b", 1 }, { "bad", 1 }, { "d", 1 }, { "e", 1 } };
    th *h = c->h;
    loop *l = h->l;
    if (c->pc == 0) {
        loop_obj *ex = loop_executor_new(l, 1);
        c->v[3] = ex;
        for (int i = 0; i < 3; i++)
            c->v[i] = loop_run_in_executor(l, ex, new_job(h, &j[i]));
        th_log(h, "%s", b(loop_future_cancel(l, F(c->v[1]), NULL)));
        return th_await(c, F(c->v[2]), 1, out);
    }
    assert_true(tv_is_exc(e, LOOP_E_VALUE));
    th_log(h, "caught %s %s", ((tv *)e)->s, th_pyfloat(th_now(h)));
    th_log(h, "%s %s", b(loop_future_done(F(c->v[0]))), b(loop_future_cancelled(F(c->v[1]))));
    loop_obj *ex = c->v[3];
    assert_non_null(loop_executor_submit(l, ex, new_job(h, &j[3])));
    loop_executor_shutdown(l, ex, true, false);
    th_log(h, "shut %s", th_pyfloat(th_now(h)));
    assert_null(loop_executor_submit(l, ex, new_job(h, &j[4])));
    th_log(h, "%s", ((tv *)loop_take_error(l))->s);
    return th_return(c, NULL, out);
}

static void cancel_queued_job_exception_and_shutdown(void **state)
{
    th *h = *state;
    th_run_main(h, shutdown_main, NULL);
    th_expect(h, "a start 0.0|True|a end 2.0|bad start 2.0|bad end 3.0|caught bad job 3.0|"
                 "True True|d start 3.0|d end 4.0|shut 4.0|"
                 "cannot schedule new futures after shutdown");
}

/* A sleeping thread keeps the loop from deadlocking: with no timer, select jumps
 * to its wake time. And shutdown_default_executor waits for the default pool.
 *   async def main():
 *       f = loop.run_in_executor(None, job, "a", 3)
 *       await loop.shutdown_default_executor(); print("shut", loop.time(), f.done())
 *       await asyncio.sleep(0); print(f.done())
 * vref: a start 0.0 | a end 3.0 | shut 3.0 True | True | Executor shutdown has been called (asyncio.run's own
 * shutdown_default_executor call aside)
 */
static loop_resume default_shutdown_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static jargs a = { "a", 3 };
    th *h = c->h;
    switch (c->pc) {
    case 0:
        c->v[0] = loop_run_in_executor(h->l, NULL, new_job(h, &a));
        return th_await_coro(c, th_ncoro(h, loop_shutdown_default_executor(h->l)), 1, out);
    case 1:
        TH_CHECK(c, e, out);
        th_log(h, "shut %s %s", th_pyfloat(th_now(h)), b(loop_future_done(F(c->v[0]))));
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 0, NULL)), 2, out);
    default:
        th_log(h, "%s", b(loop_future_done(F(c->v[0]))));
        assert_null(loop_run_in_executor(h->l, NULL, new_job(h, &a)));
        th_log(h, "%s", ((tv *)loop_take_error(h->l))->s);
        return th_return(c, NULL, out);
    }
}

static void shutdown_default_executor_waits_for_threads(void **state)
{
    th *h = *state;
    th_run_main(h, default_shutdown_main, NULL);
    th_expect(h, "a start 0.0|a end 3.0|shut 3.0 True|True|Executor shutdown has been called");
}

/* async def coro(x):
 *     try: await asyncio.sleep(1)
 *     except asyncio.CancelledError: print("coro cancelled", x); raise
 *     return x * 2 */
static loop_resume coro_x2(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    long x = (long)(intptr_t)c->data;
    if (c->pc == 0)
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 1, NULL)), 1, out);
    if (e) {
        th_log(h, "coro cancelled %ld", x);
        return th_raise(c, e, out);
    }
    return th_return(c, th_int(h, 2 * x), out);
}

/* vref: False | True 42 2.0 | True | coro cancelled 1 | True 1 2.5
 *   cf = asyncio.run_coroutine_threadsafe(coro(21), loop); print(cf.done())
 *   await asyncio.sleep(2); print(cf.done(), cf.result(), loop.time())
 *   cf2 = asyncio.run_coroutine_threadsafe(coro(1), loop); await asyncio.sleep(0)
 *   print(cf2.cancel()); await asyncio.sleep(0.5)
 *   print(cf2.cancelled(), len(asyncio.all_tasks()), loop.time())
 */
static loop_resume threadsafe_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    loop *l = h->l;
    switch (c->pc) {
    case 0:
        c->v[0] = loop_run_coroutine_threadsafe(l, th_coro(h, coro_x2, "coro", (void *)21));
        th_log(h, "%s", b(loop_cfuture_done(c->v[0])));
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 2, NULL)), 1, out);
    case 1: {
        loop_val r;
        assert_int_equal(loop_cfuture_result(l, c->v[0], &r), 0);
        th_log(h, "%s %lld %s", b(loop_cfuture_done(c->v[0])), ((tv *)r)->i, th_pyfloat(th_now(h)));
        c->v[1] = loop_run_coroutine_threadsafe(l, th_coro(h, coro_x2, "coro", (void *)1));
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 0, NULL)), 2, out);
    }
    case 2:
        th_log(h, "%s", b(loop_cfuture_cancel(l, c->v[1])));
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 0.5, NULL)), 3, out);
    default: {
        loop_task *all[4];
        size_t n = loop_all_tasks(l, all, 4);
        th_log(h, "%s %zu %s", b(loop_cfuture_cancelled(c->v[1])), n, th_pyfloat(th_now(h)));
        return th_return(c, NULL, out);
    }
    }
}

static void run_coroutine_threadsafe_and_cancel(void **state)
{
    th *h = *state;
    th_run_main(h, threadsafe_main, NULL);
    th_expect(h, "False|True 42 2.0|True|coro cancelled 1|True 1 2.5");
}

/* ---- the observer sees every kind of event ---------------------------------------- */

typedef struct evstats {
    uint64_t count[LOOP_EV__COUNT];
    uint64_t last_seq, last_iter;
    double last_time;
    bool ordered, caused_steps;
} evstats;

static evstats EV;

static void stats_observer(void *ud, const loop_event *ev)
{
    EV.count[ev->kind]++;
    if (ev->seq != EV.last_seq + 1 || ev->time < EV.last_time || ev->iteration < EV.last_iter)
        EV.ordered = false;
    if (ev->kind == LOOP_EV_STEP_BEGIN && (!ev->cause || ev->cause != ev->subject))
        EV.caused_steps = false;
    EV.last_seq = ev->seq;
    EV.last_time = ev->time;
    EV.last_iter = ev->iteration;
}

static int nop_cb(loop *l, loop_handle *hd)
{
    return 0;
}

static loop_resume child_ev(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    th *h = c->h;
    long kind = (long)(intptr_t)c->data;
    if (kind == 1)          /* raises at once */
        return th_raise(c, th_exc(h, TE_ZERO, "division by zero"), out);
    if (c->pc == 0)
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 10, NULL)), 1, out);
    if (kind == 0 && e) {   /* swallows the cancellation */
        loop_task_uncancel(h->l, loop_current_task(h->l));
        return th_return(c, NULL, out);
    }
    return e ? th_raise(c, e, out) : th_return(c, NULL, out);
}

static loop_resume events_main(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    static jargs a = { "a", 0.5 };
    th *h = c->h;
    loop *l = h->l;
    switch (c->pc) {
    case 0: {
        loop_future *f = loop_future_new(l);
        c->v[0] = f;
        loop_future_add_callback(l, f, &(loop_callback){ .fn = nop_cb });
        loop_future_remove_callback(l, f, nop_cb, NULL, NULL);
        loop_future_add_callback(l, f, &(loop_callback){ .fn = nop_cb });
        loop_call_soon_threadsafe(l, &(loop_callback){ .fn = nop_cb });
        loop_call_at(l, loop_time(l) + 0.1, &(loop_callback){ .fn = nop_cb });
        loop_handle_cancel(l, loop_call_later(l, 0.2, &(loop_callback){ .fn = nop_cb }));
        for (int k = 0; k < 110; k++) {        /* > 100 timers, over half cancelled: a purge */
            loop_handle *t = loop_call_later(l, 5 + k, &(loop_callback){ .fn = nop_cb });
            if (k % 3)
                loop_handle_cancel(l, t);
        }
        c->v[1] = loop_run_in_executor(l, NULL, new_job(h, &a));
        loop_block_sleep(l, 0.1);
        for (long k = 0; k < 3; k++)
            c->v[2 + k] = th_task(h, child_ev, "child", (void *)(intptr_t)k);
        return th_await_coro(c, th_ncoro(h, loop_sleep(l, 0, NULL)), 1, out);
    }
    case 1:
        loop_task_cancel(l, (loop_task *)c->v[2], NULL);
        loop_task_cancel(l, (loop_task *)c->v[4], th_str(h, "bye"));
        return th_await(c, c->v[1], 2, out);
    case 2:
        TH_CHECK(c, e, out);
        loop_future_set_result(l, c->v[0], th_int(h, 1));
        return th_await(c, loop_future_new(l), 3, out);     /* never done: deadlock */
    default:
        return th_return(c, NULL, out);
    }
}

static void observer_sees_every_event(void **state)
{
    th *h = *state;
    memset(&EV, 0, sizeof EV);
    EV.ordered = EV.caused_steps = true;
    loop_set_observer(h->l, stats_observer, NULL);
    loop_task *m = th_task(h, events_main, "main", NULL);
    assert_int_equal(loop_run_until_complete(h->l, &m->fut), LOOP_DEADLOCK);
    loop_emit(h->l, LOOP_EV_OUTPUT, NULL, NULL, "printed");
    loop_emit(h->l, LOOP_EV_TASK_RENAME, &m->fut.hdr, NULL, NULL);   /* the host reports these two */
    assert_int_equal(loop_close(h->l), 0);
    for (int k = 0; k < LOOP_EV__COUNT; k++)
        if (!EV.count[k])
            fail_msg("no %s event", loop_event_name(k));
    assert_true(EV.ordered);
    assert_true(EV.caused_steps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(thread_runs_before_timer_at_same_instant, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(jobs_queue_beyond_max_workers, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(loop_thread_sleep_runs_due_threads, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(selfpipe_wakes_select_while_thread_alive, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(cancel_queued_job_exception_and_shutdown, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(shutdown_default_executor_waits_for_threads, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(run_coroutine_threadsafe_and_cancel, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(observer_sees_every_event, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
