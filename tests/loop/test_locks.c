/* test_locks.c — Lock (FIFO, a cancelled waiter, a woken waiter cancelled), Event,
 * Condition (notify(n), notify_all, wait_for with a predicate) and Semaphore /
 * BoundedSemaphore (3.11.7's fairness). Expected orders from vref.py. */
#include "aw_util.h"

typedef struct lk_user {
    const char *name;
    double hold;
    loop_obj *prim;             /* the Lock or Semaphore */
    bool sem;
} lk_user;

static loop_ncoro *acquire(th *h, lk_user *u)
{
    return u->sem ? loop_semaphore_acquire(h->l, u->prim) : loop_lock_acquire(h->l, u->prim);
}

/* Python:
 *   async def user(lock, name, hold):
 *       print(name, "wants")
 *       try:
 *           await lock.acquire()
 *       except asyncio.CancelledError:
 *           print(name, "cancelled while waiting", lock.locked())
 *           raise
 *       print(name, "got", loop.time())
 *       await asyncio.sleep(hold)
 *       lock.release()
 *       print(name, "released")
 * (for a Semaphore: print(name, "wants", sem.locked()); async with sem: print got,
 *  sleep; then print(name, "out"))
 */
static loop_resume user(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    lk_user *u = c->data;
    switch (c->pc) {
    case 0:
        if (u->sem)
            th_log(h, "%s wants %s", u->name, loop_semaphore_locked(u->prim) ? "True" : "False");
        else
            th_log(h, "%s wants", u->name);
        return th_await_coro(c, th_ncoro(h, acquire(h, u)), 1, out);
    case 1:
        if (exc && !u->sem)
            th_log(h, "%s cancelled while waiting %d", u->name, loop_lock_locked(u->prim));
        TH_CHECK(c, exc, out);
        th_log(h, "%s got %g", u->name, th_now(h));
        return th_await_coro(c, aw_sleep(h, u->hold), 2, out);
    default:
        if (u->sem) {
            loop_semaphore_release(h->l, u->prim);
            TH_CHECK(c, exc, out);
            th_log(h, "%s out", u->name);
        } else {
            TH_CHECK(c, exc, out);
            assert_int_equal(loop_lock_release(h->l, u->prim), 0);
            th_log(h, "%s released", u->name);
        }
        return th_return(c, NULL, out);
    }
}

static loop_val user_task(th *h, lk_user *u)
{
    return th_wrap(h, &th_task(h, user, u->name, u)->fut.hdr);
}

static loop_future *gather_all(th *h, size_t n, const loop_val *ts)
{
    return loop_gather(h->l, n, ts, true);
}

/* Python:
 *   async def main():
 *       lock = asyncio.Lock()
 *       ts = [asyncio.create_task(user(lock, n, 1)) for n in "abcd"]
 *       await asyncio.sleep(0.5)
 *       ts[2].cancel()
 *       await asyncio.gather(*ts, return_exceptions=True)
 *       print("locked", lock.locked())
 *       try:
 *           lock.release()
 *       except RuntimeError as e:
 *           print("error", e)
 *       await lock.acquire()
 *       t1 = asyncio.create_task(user(lock, "x", 0))
 *       t2 = asyncio.create_task(user(lock, "y", 0))
 *       await asyncio.sleep(0)
 *       lock.release()
 *       t1.cancel()
 *       await asyncio.gather(t1, t2, return_exceptions=True)
 *       print("end", lock.locked())
 */
static loop_resume lock_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    lk_user *u = c->data;
    switch (c->pc) {
    case 0:
        u[0].prim = loop_lock_new(h->l);
        for (int i = 1; i < 6; i++)
            u[i].prim = u[0].prim;
        for (int i = 0; i < 4; i++)
            c->v[i] = user_task(h, &u[i]);
        return th_await_coro(c, aw_sleep(h, 0.5), 1, out);
    case 1:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[2]), NULL);
        return th_await(c, gather_all(h, 4, c->v), 2, out);
    case 2:
        th_log(h, "locked %d", loop_lock_locked(u[0].prim));
        assert_int_equal(loop_lock_release(h->l, u[0].prim), -1);
        th_log(h, "error %s", ((tv *)loop_take_error(h->l))->s);
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, u[0].prim)), 3, out);
    case 3:
        c->v[0] = user_task(h, &u[4]);
        c->v[1] = user_task(h, &u[5]);
        return th_await_coro(c, aw_sleep(h, 0), 4, out);
    case 4:
        loop_lock_release(h->l, u[0].prim);
        loop_future_cancel(h->l, h->host.as_future(h, c->v[0]), NULL);
        return th_await(c, gather_all(h, 2, c->v), 5, out);
    default:
        th_log(h, "end %d", loop_lock_locked(u[0].prim));
        return th_return(c, NULL, out);
    }
}

static void lock_fifo_and_cancellation(void **state)
{
    th *h = *state;
    lk_user u[6] = { {"a", 1, 0, 0}, {"b", 1, 0, 0}, {"c", 1, 0, 0}, {"d", 1, 0, 0},
                     {"x", 0, 0, 0}, {"y", 0, 0, 0} };
    th_run_main(h, lock_main, u);
    th_expect(h, "a wants|a got 0|b wants|c wants|d wants|c cancelled while waiting 1|"
                 "a released|b got 1|b released|d got 2|d released|locked 0|"
                 "error Lock is not acquired.|x wants|y wants|x cancelled while waiting 0|"
                 "y got 3|y released|end 0");
}

/* Python:
 *   async def waiter(ev, name):
 *       print(name, "waits")
 *       r = await ev.wait()
 *       print(name, "woke", r, loop.time())
 *   async def main():
 *       ev = asyncio.Event()
 *       ts = [asyncio.create_task(waiter(ev, n)) for n in "abc"]
 *       await asyncio.sleep(1)
 *       ts[1].cancel()
 *       await asyncio.sleep(0)
 *       ev.set()
 *       ev.clear()
 *       print("set+clear", ev.is_set())
 *       await asyncio.gather(*ts, return_exceptions=True)
 *       ev.set()
 *       print("fast", await ev.wait())
 */
static loop_resume ev_waiter(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    loop_obj *ev = ((loop_obj **)c->data)[0];
    if (c->pc == 0) {
        th_log(c->h, "%s waits", c->name);
        return th_await_coro(c, th_ncoro(c->h, loop_event_wait(c->h->l, ev)), 1, out);
    }
    TH_CHECK(c, exc, out);
    th_log(c->h, "%s woke %s %g", c->name, th_repr(v), th_now(c->h));
    return th_return(c, NULL, out);
}

static loop_resume ev_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop_obj **ev = c->data;
    static const char *const names[] = { "a", "b", "c" };
    switch (c->pc) {
    case 0:
        *ev = loop_event_new(h->l);
        for (int i = 0; i < 3; i++)
            c->v[i] = th_wrap(h, &th_task(h, ev_waiter, names[i], ev)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 1), 1, out);
    case 1:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[1]), NULL);
        return th_await_coro(c, aw_sleep(h, 0), 2, out);
    case 2:
        loop_event_set(h->l, *ev);
        loop_event_clear(h->l, *ev);
        th_log(h, "set+clear %d", loop_event_is_set(*ev));
        return th_await(c, gather_all(h, 3, c->v), 3, out);
    case 3:
        loop_event_set(h->l, *ev);
        return th_await_coro(c, th_ncoro(h, loop_event_wait(h->l, *ev)), 4, out);
    default:
        th_log(h, "fast %s", th_repr(v));
        return th_return(c, NULL, out);
    }
}

static void event_set_clear(void **state)
{
    th *h = *state;
    loop_obj *ev = NULL;
    th_run_main(h, ev_main, &ev);
    th_expect(h, "a waits|b waits|c waits|set+clear 0|a woke True 1|c woke True 1|fast True");
}

/* Python:
 *   state = {"n": 0}
 *   async def consumer(cv, name):
 *       async with cv:
 *           print(name, "waits")
 *           r = await cv.wait()
 *           print(name, "woke", r, loop.time())
 *   async def pred_waiter(cv):
 *       async with cv:
 *           def pred():
 *               print("pred", state["n"])
 *               return state["n"] >= 2
 *           r = await cv.wait_for(pred)
 *           print("pred ok", r)
 *   async def main():
 *       cv = asyncio.Condition()
 *       ts = [asyncio.create_task(consumer(cv, n)) for n in "abcd"]
 *       tp = asyncio.create_task(pred_waiter(cv))
 *       await asyncio.sleep(1)
 *       async with cv:
 *           cv.notify(2)
 *           print("notified 2")
 *       await asyncio.sleep(1)
 *       async with cv:
 *           state["n"] = 1
 *           cv.notify_all()
 *           print("notified all")
 *       await asyncio.gather(*ts)
 *       async with cv:
 *           state["n"] = 2
 *           cv.notify_all()
 *       await tp
 *       try:
 *           cv.notify()
 *       except RuntimeError as e:
 *           print("error", e)
 */
typedef struct cv_ctx {
    loop_obj *cv;
    int n;
} cv_ctx;

static int pred(th *h, tv *self, size_t n, const loop_val *args, loop_val *out)
{
    cv_ctx *x = self->closure;
    th_log(h, "pred %d", x->n);
    *out = x->n >= 2 ? &h->true_v : &h->false_v;
    return 0;
}

static loop_resume cv_consumer(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    cv_ctx *x = c->data;
    bool is_pred = strcmp(c->name, "p") == 0;
    switch (c->pc) {
    case 0:
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, loop_condition_lock(x->cv))),
                             1, out);
    case 1:
        if (is_pred)
            return th_await_coro(c, th_ncoro(h, loop_condition_wait_for(h->l, x->cv,
                                                                        th_fn(h, pred, x))), 2, out);
        th_log(h, "%s waits", c->name);
        return th_await_coro(c, th_ncoro(h, loop_condition_wait(h->l, x->cv)), 2, out);
    default:
        loop_lock_release(h->l, loop_condition_lock(x->cv));
        TH_CHECK(c, exc, out);
        if (is_pred)
            th_log(h, "pred ok %s", th_repr(v));
        else
            th_log(h, "%s woke %s %g", c->name, th_repr(v), th_now(h));
        return th_return(c, NULL, out);
    }
}

static loop_resume cv_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    cv_ctx *x = c->data;
    static const char *const names[] = { "a", "b", "c", "d", "p" };
    loop_obj *lock = x->cv ? loop_condition_lock(x->cv) : NULL;
    switch (c->pc) {
    case 0:
        x->cv = loop_condition_new(h->l, NULL);
        for (int i = 0; i < 5; i++)
            c->v[i] = th_wrap(h, &th_task(h, cv_consumer, names[i], x)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 1), 1, out);
    case 1:
    case 3:
    case 5:
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, lock)), c->pc + 1, out);
    case 2:
        loop_condition_notify(h->l, x->cv, 2);
        th_log(h, "notified 2");
        loop_lock_release(h->l, lock);
        return th_await_coro(c, aw_sleep(h, 1), 3, out);
    case 4:
        x->n = 1;
        loop_condition_notify(h->l, x->cv, SIZE_MAX);
        th_log(h, "notified all");
        loop_lock_release(h->l, lock);
        return th_await(c, loop_gather(h->l, 4, c->v, false), 5, out);
    case 6:
        x->n = 2;
        loop_condition_notify(h->l, x->cv, SIZE_MAX);
        loop_lock_release(h->l, lock);
        return th_await(c, h->host.as_future(h, c->v[4]), 7, out);
    default:
        TH_CHECK(c, exc, out);
        assert_int_equal(loop_condition_notify(h->l, x->cv, 1), -1);
        th_log(h, "error %s", ((tv *)loop_take_error(h->l))->s);
        return th_return(c, NULL, out);
    }
}

static void condition_notify_order(void **state)
{
    th *h = *state;
    cv_ctx x = {0};
    th_run_main(h, cv_main, &x);
    th_expect(h, "a waits|b waits|c waits|d waits|pred 0|notified 2|a woke True 1|b woke True 1|"
                 "notified all|c woke True 2|d woke True 2|pred 1|pred 2|pred ok True|"
                 "error cannot notify on un-acquired lock");
}

/* Python:
 *   async def main():
 *       sem = asyncio.Semaphore(2)
 *       ts = [asyncio.create_task(user(sem, n, 1)) for n in "abcde"]
 *       await asyncio.sleep(0.5)
 *       ts[3].cancel()
 *       await asyncio.gather(*ts, return_exceptions=True)
 *       print("value", sem._value)
 *       b = asyncio.BoundedSemaphore(1)
 *       await b.acquire()
 *       b.release()
 *       try:
 *           b.release()
 *       except ValueError as e:
 *           print("error", e)
 *       try:
 *           asyncio.Semaphore(-1)
 *       except ValueError as e:
 *           print("error", e)
 *       s = asyncio.Semaphore(0)
 *       t1 = asyncio.create_task(user(s, "x", 0))
 *       t2 = asyncio.create_task(user(s, "y", 0))
 *       await asyncio.sleep(0)
 *       s.release()
 *       t1.cancel()
 *       await asyncio.gather(t1, t2, return_exceptions=True)
 *       print("value", s._value)
 */
static loop_resume sem_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    lk_user *u = c->data;
    switch (c->pc) {
    case 0:
        u[0].prim = loop_semaphore_new(h->l, 2, false);
        for (int i = 0; i < 5; i++) {
            u[i].prim = u[0].prim;
            c->v[i] = user_task(h, &u[i]);
        }
        return th_await_coro(c, aw_sleep(h, 0.5), 1, out);
    case 1:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[3]), NULL);
        return th_await(c, gather_all(h, 5, c->v), 2, out);
    case 2: {
        th_log(h, "value %lld", (long long)loop_semaphore_value(u[0].prim));
        loop_obj *b = loop_semaphore_new(h->l, 1, true);
        c->v[5] = th_wrap(h, b);
        return th_await_coro(c, th_ncoro(h, loop_semaphore_acquire(h->l, b)), 3, out);
    }
    case 3: {
        loop_obj *b = ((tv *)c->v[5])->obj;
        assert_int_equal(loop_semaphore_release(h->l, b), 0);
        assert_int_equal(loop_semaphore_release(h->l, b), -1);
        th_log(h, "error %s", ((tv *)loop_take_error(h->l))->s);
        assert_null(loop_semaphore_new(h->l, -1, false));
        th_log(h, "error %s", ((tv *)loop_take_error(h->l))->s);
        u[5].prim = u[6].prim = loop_semaphore_new(h->l, 0, false);
        c->v[0] = user_task(h, &u[5]);
        c->v[1] = user_task(h, &u[6]);
        return th_await_coro(c, aw_sleep(h, 0), 4, out);
    }
    case 4:
        loop_semaphore_release(h->l, u[5].prim);
        loop_future_cancel(h->l, h->host.as_future(h, c->v[0]), NULL);
        return th_await(c, gather_all(h, 2, c->v), 5, out);
    default:
        th_log(h, "value %lld", (long long)loop_semaphore_value(u[5].prim));
        return th_return(c, NULL, out);
    }
}

static void semaphore_fairness_and_bounds(void **state)
{
    th *h = *state;
    lk_user u[7] = { {"a", 1, 0, 1}, {"b", 1, 0, 1}, {"c", 1, 0, 1}, {"d", 1, 0, 1},
                     {"e", 1, 0, 1}, {"x", 0, 0, 1}, {"y", 0, 0, 1} };
    th_run_main(h, sem_main, u);
    th_expect(h, "a wants False|a got 0|b wants False|b got 0|c wants True|d wants True|"
                 "e wants True|a out|b out|c got 1|e got 1|c out|e out|value 2|"
                 "error BoundedSemaphore released too many times|"
                 "error Semaphore initial value must be >= 0|x wants True|y wants True|"
                 "y got 2|y out|value 1");
}

/* A woken waiter keeps its turn. Python:
 *   async def acq(prim, name):
 *       print(name, "wants")
 *       await prim.acquire()
 *       print(name, "got", loop.time())
 *   async def main():
 *       s = asyncio.Semaphore(0)
 *       a = asyncio.create_task(acq(s, "a"))
 *       await asyncio.sleep(0)
 *       d = asyncio.create_task(acq(s, "d"))
 *       s.release()
 *       s.release()            # no waiter left to charge: value stays 1
 *       await asyncio.gather(a, d)
 *       print("sem value", s._value)
 *       lock = asyncio.Lock()
 *       await lock.acquire()
 *       x = asyncio.create_task(user(lock, "x"))      # user() of the lock test, hold 1
 *       await asyncio.sleep(0)
 *       lock.release()
 *       await lock.acquire()   # x was woken first: main queues behind it
 *       print("main got", loop.time())
 *       lock.release()
 */
static loop_resume acq(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    loop_obj *sem = c->data;
    if (c->pc == 0) {
        th_log(c->h, "%s wants", c->name);
        return th_await_coro(c, th_ncoro(c->h, loop_semaphore_acquire(c->h->l, sem)), 1, out);
    }
    TH_CHECK(c, exc, out);
    th_log(c->h, "%s got %g", c->name, th_now(c->h));
    return th_return(c, NULL, out);
}

static loop_resume turn_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    lk_user *x = c->data;
    TH_CHECK(c, exc, out);
    switch (c->pc) {
    case 0:
        c->v[4] = th_wrap(h, loop_semaphore_new(h->l, 0, false));
        c->v[0] = th_wrap(h, &th_task(h, acq, "a", ((tv *)c->v[4])->obj)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 0), 1, out);
    case 1:
        c->v[1] = th_wrap(h, &th_task(h, acq, "d", ((tv *)c->v[4])->obj)->fut.hdr);
        loop_semaphore_release(h->l, ((tv *)c->v[4])->obj);
        loop_semaphore_release(h->l, ((tv *)c->v[4])->obj);
        return th_await(c, loop_gather(h->l, 2, c->v, false), 2, out);
    case 2:
        th_log(h, "sem value %lld", (long long)loop_semaphore_value(((tv *)c->v[4])->obj));
        x->prim = loop_lock_new(h->l);
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, x->prim)), 3, out);
    case 3:
        user_task(h, x);
        return th_await_coro(c, aw_sleep(h, 0), 4, out);
    case 4:
        loop_lock_release(h->l, x->prim);
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, x->prim)), 5, out);
    default:
        th_log(h, "main got %g", th_now(h));
        loop_lock_release(h->l, x->prim);
        return th_return(c, NULL, out);
    }
}

static void woken_waiter_keeps_its_turn(void **state)
{
    th *h = *state;
    lk_user x = {"x", 1, NULL, 0};
    th_run_main(h, turn_main, &x);
    th_expect(h, "a wants|d wants|a got 0|d got 0|sem value 0|x wants|x got 0|x released|"
                 "main got 1");
}

/* Condition.wait cancelled: it re-acquires the lock before raising, and notify()
 * skips its (cancelled) future. Python:
 *   async def consumer(cv, name):
 *       async with cv:
 *           print(name, "waits")
 *           try:
 *               await cv.wait()
 *           except asyncio.CancelledError:
 *               print(name, "cancelled, locked", cv.locked(), loop.time())
 *               raise
 *           print(name, "woke", loop.time())
 *   async def main():
 *       cv = asyncio.Condition()
 *       a = asyncio.create_task(consumer(cv, "a"))
 *       b = asyncio.create_task(consumer(cv, "b"))
 *       await asyncio.sleep(1)
 *       await cv.acquire()
 *       a.cancel()
 *       cv.notify(1)
 *       print("main holds lock")
 *       await asyncio.sleep(1)
 *       cv.release()
 *       print("main released")
 *       r = await asyncio.gather(a, b, return_exceptions=True)
 *       print("done", [type(x).__name__ if x else x for x in r], cv.locked())
 */
static loop_resume cv2_consumer(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop_obj *cv = c->data;
    switch (c->pc) {
    case 0:
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, loop_condition_lock(cv))),
                             1, out);
    case 1:
        th_log(h, "%s waits", c->name);
        return th_await_coro(c, th_ncoro(h, loop_condition_wait(h->l, cv)), 2, out);
    default:
        if (exc)
            th_log(h, "%s cancelled, locked %d %g", c->name,
                   loop_lock_locked(loop_condition_lock(cv)), th_now(h));
        else
            th_log(h, "%s woke %g", c->name, th_now(h));
        loop_lock_release(h->l, loop_condition_lock(cv));
        TH_CHECK(c, exc, out);
        return th_return(c, NULL, out);
    }
}

static loop_resume cv2_main(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop_obj *cv = c->v[5] ? ((tv *)c->v[5])->obj : NULL;
    switch (c->pc) {
    case 0:
        cv = loop_condition_new(h->l, loop_lock_new(h->l));
        c->v[5] = th_wrap(h, cv);
        c->v[0] = th_wrap(h, &th_task(h, cv2_consumer, "a", cv)->fut.hdr);
        c->v[1] = th_wrap(h, &th_task(h, cv2_consumer, "b", cv)->fut.hdr);
        return th_await_coro(c, aw_sleep(h, 1), 1, out);
    case 1:
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, loop_condition_lock(cv))),
                             2, out);
    case 2:
        loop_future_cancel(h->l, h->host.as_future(h, c->v[0]), NULL);
        assert_int_equal(loop_condition_notify(h->l, cv, 1), 0);
        th_log(h, "main holds lock");
        return th_await_coro(c, aw_sleep(h, 1), 3, out);
    case 3:
        loop_lock_release(h->l, loop_condition_lock(cv));
        th_log(h, "main released");
        return th_await(c, loop_gather(h->l, 2, c->v, true), 4, out);
    default: {
        const tv *r = v;
        th_log(h, "done %s %s %d", th_repr(r->items[0]), th_repr(r->items[1]),
               loop_lock_locked(loop_condition_lock(cv)));
        return th_return(c, NULL, out);
    }
    }
}

static void condition_wait_cancelled(void **state)
{
    th *h = *state;
    th_run_main(h, cv2_main, NULL);
    th_expect(h, "a waits|b waits|main holds lock|main released|a cancelled, locked 1 2|"
                 "b woke 2|done asyncio.CancelledError('') None 0");
}

/* coro.close() of a suspended acquire() runs its finally: the waiter leaves the
 * queue, so the next acquire() after release() does not queue behind a dead waiter. */
static void close_removes_waiter(void **state)
{
    th *h = *state;
    loop *l = h->l;
    loop_val out;
    loop_obj *lock = loop_lock_new(l);
    assert_int_equal(loop_ncoro_resume(l, loop_lock_acquire(l, lock), h->host.none, NULL, &out),
                     LOOP_RETURNED);
    loop_ncoro *waiting = loop_lock_acquire(l, lock);
    assert_int_equal(loop_ncoro_resume(l, waiting, h->host.none, NULL, &out), LOOP_YIELDED);
    loop_ncoro_close(l, waiting);
    assert_int_equal(loop_lock_release(l, lock), 0);
    assert_int_equal(loop_ncoro_resume(l, loop_lock_acquire(l, lock), h->host.none, NULL, &out),
                     LOOP_RETURNED);
    assert_true(loop_lock_locked(lock));
    assert_int_equal(loop_ready_count(l), 0);          /* nobody was woken */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lock_fifo_and_cancellation, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(event_set_clear, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(condition_notify_order, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(semaphore_fairness_and_bounds, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(woken_waiter_keeps_its_turn, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(condition_wait_cancelled, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(close_removes_waiter, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
