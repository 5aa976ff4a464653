/* test_asyncio.c — the asyncio binding end to end: small programs run through
 * sim_run_source, their stdout (and exit status, last stderr line) compared with what
 * CPython printed for them under tools/vref.py (the expectations below were made
 * with it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"

/* Runs src as `name`; asserts the status, stdout and the last line of stderr. */
static void run_case(const char *name, const char *src, const char *want_out, int want_status,
                     const char *want_err)
{
    char *out = NULL, *err = NULL;
    size_t nout = 0, nerr = 0;
    FILE *fo = open_memstream(&out, &nout), *fe = open_memstream(&err, &nerr);
    assert_non_null(fo);
    assert_non_null(fe);
    sim_options o;
    sim_options_init(&o);
    o.out = fo;
    o.err = fe;
    sim_vm *vm = sim_vm_new(&o);
    assert_non_null(vm);
    int status = sim_run_source(vm, src, strlen(src), name, 0, NULL);
    sim_vm_free(vm);
    fclose(fo);
    fclose(fe);
    if (status != want_status || strcmp(out, want_out) != 0)
        fprintf(stderr, "%s: status %d\n--- stdout\n%s--- stderr\n%s", name, status, out, err);
    assert_int_equal(status, want_status);
    assert_string_equal(out, want_out);
    if (want_status) {
        /* the last non-empty line of stderr */
        size_t n = strlen(err);
        while (n && err[n - 1] == '\n')
            err[--n] = 0;
        const char *last = strrchr(err, '\n');
        assert_string_equal(last ? last + 1 : err, want_err);
    }
    free(out);
    free(err);
}

/* Task reprs while pending, waiting and finished; gather order and the clock. */
static const char c1_src[] =
    "import asyncio\n"
    "async def child(n):\n"
    "    await asyncio.sleep(n)\n"
    "    return n * 10\n"
    "async def main():\n"
    "    t = asyncio.create_task(child(1))\n"
    "    print(repr(t))\n"
    "    await asyncio.sleep(0)\n"
    "    print(t)\n"
    "    r = await asyncio.gather(child(2), t)\n"
    "    print(r, asyncio.get_running_loop().time(), t)\n"
    "asyncio.run(main())\n";
static const char c1_out[] =
    "<Task pending name='Task-2' coro=<child() running at c1.py:2>>\n"
    "<Task pending name='Task-2' coro=<child() running at c1.py:3> wait_for=<Future pending cb=[Task.task_wakeup()]>>\n"
    "[20, 10] 2.0 <Task finished name='Task-2' coro=<child() done, defined at c1.py:2> result=10>\n";

static void test_c1(void **state)
{
    run_case("c1.py", c1_src, c1_out, 0, "");
}

/* Handles and futures: call_soon before call_later, call_at, reprlib in reprs. */
static const char c2_src[] =
    "import asyncio\n"
    "def cb(x):\n"
    "    print('cb', x)\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    h = loop.call_later(1, cb, 'later')\n"
    "    print(h)\n"
    "    loop.call_soon(cb, 'soon')\n"
    "    f = loop.create_future()\n"
    "    print(f)\n"
    "    loop.call_at(2.5, f.set_result, 'x' * 40)\n"
    "    print(await f, loop.time())\n"
    "    print(f)\n"
    "    g = loop.create_future()\n"
    "    g.set_exception(ZeroDivisionError('division by zero'))\n"
    "    print(g)\n"
    "    g.exception()\n"
    "    c = loop.create_future(); c.cancel(); print(c)\n"
    "asyncio.run(main())\n";
static const char c2_out[] =
    "<TimerHandle when=1.0 cb('later') at c2.py:2>\n"
    "<Future pending>\n"
    "cb soon\n"
    "cb later\n"
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 2.5\n"
    "<Future finished result='xxxxxxxxxxxx...xxxxxxxxxxxxx'>\n"
    "<Future finished exception=ZeroDivisionError('division by zero')>\n"
    "<Future cancelled>\n";

static void test_c2(void **state)
{
    run_case("c2.py", c2_src, c2_out, 0, "");
}

/* wait_for timeout, Queue hand-off, Lock, get_event_loop after asyncio.run. */
static const char c3_src[] =
    "import asyncio\n"
    "async def slow():\n"
    "    await asyncio.sleep(5)\n"
    "async def main():\n"
    "    try:\n"
    "        await asyncio.wait_for(slow(), 1)\n"
    "    except asyncio.TimeoutError:\n"
    "        print('timeout at', asyncio.get_running_loop().time())\n"
    "    q = asyncio.Queue()\n"
    "    async def prod():\n"
    "        for i in range(3):\n"
    "            await q.put(i)\n"
    "            await asyncio.sleep(0.5)\n"
    "    async def cons():\n"
    "        for _ in range(3):\n"
    "            print('got', await q.get(), asyncio.get_running_loop().time())\n"
    "    await asyncio.gather(prod(), cons())\n"
    "    lock = asyncio.Lock()\n"
    "    async with lock:\n"
    "        print('locked', lock.locked())\n"
    "    print(lock.locked())\n"
    "asyncio.run(main())\n"
    "try:\n"
    "    asyncio.get_event_loop()\n"
    "except RuntimeError as e:\n"
    "    print(e)\n";
static const char c3_out[] =
    "timeout at 1.0\n"
    "got 0 1.0\n"
    "got 1 1.5\n"
    "got 2 2.0\n"
    "locked True\n"
    "False\n"
    "There is no current event loop in thread 'MainThread'.\n";

static void test_c3(void **state)
{
    run_case("c3.py", c3_src, c3_out, 0, "");
}

/* A deadlock: finally blocks run, then status 3 with vref.py's line. */
static const char c4_src[] =
    "import asyncio\n"
    "async def main():\n"
    "    fut = asyncio.get_running_loop().create_future()\n"
    "    try:\n"
    "        await fut\n"
    "    finally:\n"
    "        print('cleanup')\n"
    "asyncio.run(main())\n";
static const char c4_out[] =
    "cleanup\n";

static void test_c4(void **state)
{
    run_case("c4.py", c4_src, c4_out, 3, "deadlock at t=0.0: the loop is idle and nothing is scheduled");
}

/* to_thread: time.sleep in a virtual thread runs beside the loop's timers. */
static const char c5_src[] =
    "import asyncio, time\n"
    "def blocking(n):\n"
    "    time.sleep(n)\n"
    "    return n\n"
    "async def main():\n"
    "    r = await asyncio.gather(asyncio.to_thread(blocking, 2), asyncio.sleep(1, 'x'))\n"
    "    print(r, time.time())\n"
    "asyncio.run(main())\n";
static const char c5_out[] =
    "[2, 'x'] 2.0\n";

static void test_c5(void **state)
{
    run_case("c5.py", c5_src, c5_out, 0, "");
}

/* gather with exceptions, wait FIRST_COMPLETED, as_completed, shield, cancel messages. */
static const char p1_src[] =
    "import asyncio\n"
    "async def boom():\n"
    "    await asyncio.sleep(0.1)\n"
    "    raise ValueError('bad')\n"
    "async def ok(n):\n"
    "    await asyncio.sleep(n)\n"
    "    return n\n"
    "async def main():\n"
    "    r = await asyncio.gather(ok(1), boom(), return_exceptions=True)\n"
    "    print(r)\n"
    "    try:\n"
    "        await asyncio.gather(ok(1), boom())\n"
    "    except ValueError as e:\n"
    "        print('caught', repr(e), asyncio.get_running_loop().time())\n"
    "    done, pending = await asyncio.wait([asyncio.create_task(ok(i)) for i in (3, 1, 2)], return_when=asyncio.FIRST_COMPLETED)\n"
    "    print(len(done), len(pending), [t.result() for t in done])\n"
    "    for p in pending: p.cancel()\n"
    "    for c in asyncio.as_completed([ok(0.3), ok(0.1), ok(0.2)]):\n"
    "        print('ac', await c)\n"
    "    s = asyncio.shield(ok(0.5))\n"
    "    t = asyncio.create_task(ok(5))\n"
    "    await asyncio.sleep(0.1)\n"
    "    t.cancel('stop it')\n"
    "    try:\n"
    "        await t\n"
    "    except asyncio.CancelledError as e:\n"
    "        print('cancelled', e.args, t.cancelled())\n"
    "    print(await s)\n"
    "asyncio.run(main())\n";
static const char p1_out[] =
    "[1, ValueError('bad')]\n"
    "caught ValueError('bad') 1.1\n"
    "1 2 [1]\n"
    "ac 0.1\n"
    "ac 0.2\n"
    "ac 0.3\n"
    "cancelled ('stop it',) True\n"
    "0.5\n";

static void test_p1(void **state)
{
    run_case("p1.py", p1_src, p1_out, 0, "");
}

/* Semaphore, Event, Lock, Condition, BoundedSemaphore, Priority/Lifo queues. */
static const char p2_src[] =
    "import asyncio\n"
    "async def worker(name, sem, lock, ev, cond):\n"
    "    async with sem:\n"
    "        print(name, 'in sem', asyncio.get_running_loop().time())\n"
    "        await asyncio.sleep(1)\n"
    "    await ev.wait()\n"
    "    async with lock:\n"
    "        print(name, 'has lock')\n"
    "        await asyncio.sleep(0.5)\n"
    "    async with cond:\n"
    "        await cond.wait()\n"
    "        print(name, 'notified')\n"
    "async def main():\n"
    "    sem = asyncio.Semaphore(2)\n"
    "    lock = asyncio.Lock()\n"
    "    ev = asyncio.Event()\n"
    "    cond = asyncio.Condition()\n"
    "    ts = [asyncio.create_task(worker(f'w{i}', sem, lock, ev, cond)) for i in range(3)]\n"
    "    await asyncio.sleep(3)\n"
    "    ev.set()\n"
    "    await asyncio.sleep(3)\n"
    "    async with cond:\n"
    "        cond.notify_all()\n"
    "    await asyncio.gather(*ts)\n"
    "    b = asyncio.BoundedSemaphore(1)\n"
    "    await b.acquire(); b.release()\n"
    "    try:\n"
    "        b.release()\n"
    "    except ValueError as e:\n"
    "        print(e)\n"
    "    q = asyncio.PriorityQueue()\n"
    "    for x in (5, 1, 3): q.put_nowait(x)\n"
    "    print([q.get_nowait() for _ in range(3)])\n"
    "    lq = asyncio.LifoQueue(maxsize=2)\n"
    "    lq.put_nowait(1); lq.put_nowait(2)\n"
    "    try: lq.put_nowait(3)\n"
    "    except asyncio.QueueFull: print('full', lq.full(), lq.qsize())\n"
    "    print(lq.get_nowait())\n"
    "    try: asyncio.Queue().get_nowait()\n"
    "    except asyncio.QueueEmpty: print('empty')\n"
    "asyncio.run(main())\n";
static const char p2_out[] =
    "w0 in sem 0.0\n"
    "w1 in sem 0.0\n"
    "w2 in sem 1.0\n"
    "w0 has lock\n"
    "w1 has lock\n"
    "w2 has lock\n"
    "w0 notified\n"
    "w1 notified\n"
    "w2 notified\n"
    "BoundedSemaphore released too many times\n"
    "[1, 3, 5]\n"
    "full True 2\n"
    "2\n"
    "empty\n";

static void test_p2(void **state)
{
    run_case("p2.py", p2_src, p2_out, 0, "");
}

/* timeout / timeout_at, TaskGroup, wait_for(None), current_task, all_tasks. */
static const char p3_src[] =
    "import asyncio\n"
    "async def slow(n):\n"
    "    try:\n"
    "        await asyncio.sleep(n)\n"
    "    finally:\n"
    "        print('slow finally', n)\n"
    "    return n\n"
    "async def main():\n"
    "    try:\n"
    "        async with asyncio.timeout(1) as cm:\n"
    "            print(cm.when())\n"
    "            await slow(5)\n"
    "    except TimeoutError:\n"
    "        print('timed out', asyncio.get_running_loop().time(), cm.expired())\n"
    "    async with asyncio.TaskGroup() as tg:\n"
    "        a = tg.create_task(slow(1))\n"
    "        b = tg.create_task(slow(2), name='bee')\n"
    "    print(a.result(), b.result(), b.get_name())\n"
    "    try:\n"
    "        async with asyncio.timeout_at(asyncio.get_running_loop().time() + 0.5):\n"
    "            await asyncio.sleep(1)\n"
    "    except asyncio.TimeoutError as e:\n"
    "        print('timeout_at', type(e).__name__)\n"
    "    r = await asyncio.wait_for(slow(0.1), timeout=None)\n"
    "    print(r)\n"
    "    t = asyncio.current_task()\n"
    "    print(t.get_name(), len(asyncio.all_tasks()))\n"
    "asyncio.run(main())\n";
static const char p3_out[] =
    "1.0\n"
    "slow finally 5\n"
    "timed out 1.0 True\n"
    "slow finally 1\n"
    "slow finally 2\n"
    "1 2 bee\n"
    "timeout_at TimeoutError\n"
    "slow finally 0.1\n"
    "0.1\n"
    "Task-1 1\n";

static void test_p3(void **state)
{
    run_case("p3.py", p3_src, p3_out, 0, "");
}

/* set_exception_handler, call_exception_handler, done callbacks, cancelled handles. */
static const char p4_src[] =
    "import asyncio\n"
    "def handler(loop, ctx):\n"
    "    print('handler:', ctx['message'], repr(ctx.get('exception')))\n"
    "def bad():\n"
    "    raise KeyError('k')\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    loop.set_exception_handler(handler)\n"
    "    loop.call_soon(bad)\n"
    "    await asyncio.sleep(0)\n"
    "    loop.call_exception_handler({'message': 'custom'})\n"
    "    fut = loop.create_future()\n"
    "    fut.add_done_callback(lambda f: print('done cb', f.result()))\n"
    "    fut.set_result(7)\n"
    "    await asyncio.sleep(0)\n"
    "    h = loop.call_later(1, print, 'never')\n"
    "    h.cancel()\n"
    "    print(h, h.cancelled())\n"
    "    print(asyncio.iscoroutinefunction(main), asyncio.iscoroutine(main()), asyncio.isfuture(fut))\n"
    "asyncio.run(main())\n";
static const char p4_out[] =
    "handler: Exception in callback bad() at p4.py:4 KeyError('k')\n"
    "handler: custom None\n"
    "done cb 7\n"
    "<TimerHandle cancelled when=1.0> True\n"
    "True True True\n";

static void test_p4(void **state)
{
    run_case("p4.py", p4_src, p4_out, 0, "");
}

/* An uncaught exception in main: status 1 and its last line. */
static const char p5_src[] =
    "import asyncio\n"
    "async def main():\n"
    "    await asyncio.sleep(1)\n"
    "    raise RuntimeError('top')\n"
    "asyncio.run(main())\n";
static const char p5_out[] =
    "";

static void test_p5(void **state)
{
    run_case("p5.py", p5_src, p5_out, 1, "RuntimeError: top");
}

/* ThreadPoolExecutor with run_in_executor, the default executor, sync use. */
static const char p6_src[] =
    "import asyncio, time\n"
    "import concurrent.futures\n"
    "def job(n):\n"
    "    time.sleep(n)\n"
    "    return n * 2\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:\n"
    "        rs = await asyncio.gather(*[loop.run_in_executor(ex, job, i) for i in (3, 1, 2)])\n"
    "        print(rs, loop.time())\n"
    "    r = await loop.run_in_executor(None, job, 1)\n"
    "    print(r, time.time())\n"
    "asyncio.run(main())\n"
    "with concurrent.futures.ThreadPoolExecutor() as ex:\n"
    "    fs = [ex.submit(job, i) for i in (1, 2)]\n"
    "print([f.result() for f in fs], time.time())\n";
static const char p6_out[] =
    "[6, 2, 4] 3.0\n"
    "2 4.0\n"
    "[2, 4] 6.0\n";

static void test_p6(void **state)
{
    run_case("p6.py", p6_src, p6_out, 0, "");
}

/* A deadlock whose cleanup sleeps: the clock moves on during _cancel_all_tasks. */
static const char q2_src[] =
    "import asyncio\n"
    "async def waiter(ev):\n"
    "    try:\n"
    "        await ev.wait()\n"
    "    finally:\n"
    "        print('waiter cleanup')\n"
    "        await asyncio.sleep(2)\n"
    "        print('after sleep in cleanup')\n"
    "async def main():\n"
    "    ev = asyncio.Event()\n"
    "    t = asyncio.create_task(waiter(ev))\n"
    "    await asyncio.sleep(1)\n"
    "    await t\n"
    "asyncio.run(main())\n";
static const char q2_out[] =
    "waiter cleanup\n"
    "after sleep in cleanup\n";

static void test_q2(void **state)
{
    run_case("q2.py", q2_src, q2_out, 3, "deadlock at t=1.0: the loop is idle and nothing is scheduled");
}

/* run_forever + stop, then a deadlock in run_forever. */
static const char q5_src[] =
    "import asyncio\n"
    "loop = asyncio.new_event_loop()\n"
    "asyncio.set_event_loop(loop)\n"
    "async def f():\n"
    "    await asyncio.sleep(1)\n"
    "    print('f', loop.time())\n"
    "loop.create_task(f())\n"
    "loop.call_later(3, loop.stop)\n"
    "loop.run_forever()\n"
    "print('stopped', loop.time())\n"
    "loop.run_forever()\n";
static const char q5_out[] =
    "f 1.0\n"
    "stopped 3.0\n";

static void test_q5(void **state)
{
    run_case("q5.py", q5_src, q5_out, 3, "deadlock at t=3.0: the loop is idle and nothing is scheduled");
}

/* Timer order at equal deadlines, gather of sleeps, cancelling a gather. */
static const char q6_src[] =
    "import asyncio\n"
    "def cb(n): print('cb', n)\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    for i in range(5):\n"
    "        loop.call_later(1, cb, i)\n"
    "    loop.call_at(loop.time() + 1, cb, 'at')\n"
    "    loop.call_soon(cb, 'soon')\n"
    "    await asyncio.sleep(1)\n"
    "    print('main woke')\n"
    "    await asyncio.sleep(0.5)\n"
    "    t1 = asyncio.create_task(asyncio.sleep(1, 'r'))\n"
    "    print(await t1)\n"
    "    res = await asyncio.gather(*(asyncio.sleep(0.1 * i, i) for i in range(5)))\n"
    "    print(res)\n"
    "    outer = asyncio.gather(asyncio.sleep(5), asyncio.sleep(6))\n"
    "    loop.call_later(1, outer.cancel)\n"
    "    try:\n"
    "        await outer\n"
    "    except asyncio.CancelledError:\n"
    "        print('gather cancelled', loop.time())\n"
    "asyncio.run(main())\n";
static const char q6_out[] =
    "cb soon\n"
    "cb 0\n"
    "cb 2\n"
    "cb at\n"
    "cb 4\n"
    "cb 1\n"
    "cb 3\n"
    "main woke\n"
    "r\n"
    "[0, 1, 2, 3, 4]\n"
    "gather cancelled 3.9\n";

static void test_q6(void **state)
{
    run_case("q6.py", q6_src, q6_out, 0, "");
}

/* contextvars: tasks copy the context, callbacks run in theirs. */
static const char cv_src[] =
    "import asyncio, contextvars\n"
    "v = contextvars.ContextVar('v', default='none')\n"
    "def cb(tag):\n"
    "    print(tag, v.get())\n"
    "    v.set('cb-set')\n"
    "async def child(x):\n"
    "    v.set(x)\n"
    "    await asyncio.sleep(0.1)\n"
    "    print('child', x, v.get())\n"
    "async def main():\n"
    "    v.set('main')\n"
    "    loop = asyncio.get_running_loop()\n"
    "    loop.call_soon(cb, 'soon')\n"
    "    await asyncio.sleep(0)\n"
    "    print('main after cb', v.get())\n"
    "    await asyncio.gather(child('a'), child('b'))\n"
    "    print('main', v.get())\n"
    "    ctx = contextvars.copy_context()\n"
    "    loop.call_soon(cb, 'ctx', context=ctx)\n"
    "    await asyncio.sleep(0)\n"
    "    print(ctx[v], v.get())\n"
    "    f = loop.create_future()\n"
    "    f.add_done_callback(lambda fut: print('done cb', v.get()))\n"
    "    v.set('later')\n"
    "    f.set_result(1)\n"
    "    await asyncio.sleep(0)\n"
    "asyncio.run(main())\n"
    "print('outside', v.get())\n";
static const char cv_out[] =
    "soon main\n"
    "main after cb main\n"
    "child a a\n"
    "child b b\n"
    "main main\n"
    "ctx main\n"
    "cb-set main\n"
    "done cb main\n"
    "outside none\n";

static void test_cv(void **state)
{
    run_case("cv.py", cv_src, cv_out, 0, "");
}

/* asyncio.Runner and the policy after it. */
static const char r1_src[] =
    "import asyncio\n"
    "async def main(x):\n"
    "    await asyncio.sleep(x)\n"
    "    return x * 2\n"
    "with asyncio.Runner() as runner:\n"
    "    print(runner.run(main(1)))\n"
    "    print(runner.run(main(2)), runner.get_loop().time())\n"
    "print(runner.get_loop() if False else 'closed')\n"
    "try:\n"
    "    asyncio.get_event_loop()\n"
    "except RuntimeError as e:\n"
    "    print(e)\n"
    "print(asyncio.run(main(0.5)))\n";
static const char r1_out[] =
    "2\n"
    "4 3.0\n"
    "closed\n"
    "There is no current event loop in thread 'MainThread'.\n"
    "1.0\n";

static void test_r1(void **state)
{
    run_case("r1.py", r1_src, r1_out, 0, "");
}

/* to_thread queueing on 8 workers, exceptions from threads, call_soon_threadsafe. */
static const char t1_src[] =
    "import asyncio, time, functools\n"
    "import concurrent.futures\n"
    "def work(name, d):\n"
    "    print('start', name, time.time())\n"
    "    time.sleep(d)\n"
    "    print('end', name, time.time())\n"
    "    return name\n"
    "def boom():\n"
    "    time.sleep(0.5)\n"
    "    raise ValueError('thread boom')\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    rs = await asyncio.gather(*[asyncio.to_thread(work, f'j{i}', 1 + i % 3) for i in range(10)])\n"
    "    print(rs, loop.time())\n"
    "    try:\n"
    "        await asyncio.to_thread(boom)\n"
    "    except ValueError as e:\n"
    "        print('caught', e, loop.time())\n"
    "    r = await loop.run_in_executor(None, functools.partial(work, 'partial', d=0.5))\n"
    "    print(r)\n"
    "    def notify():\n"
    "        time.sleep(1)\n"
    "        loop.call_soon_threadsafe(print, 'threadsafe call', time.time())\n"
    "    await loop.run_in_executor(None, notify)\n"
    "    await asyncio.sleep(0)\n"
    "    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:\n"
    "        fs = [loop.run_in_executor(ex, work, f'p{i}', 1) for i in range(3)]\n"
    "        print(await asyncio.gather(*fs), loop.time())\n"
    "asyncio.run(main())\n";
static const char t1_out[] =
    "start j0 0.0\n"
    "start j1 0.0\n"
    "start j2 0.0\n"
    "start j3 0.0\n"
    "start j4 0.0\n"
    "start j5 0.0\n"
    "start j6 0.0\n"
    "start j7 0.0\n"
    "end j0 1.0\n"
    "start j8 1.0\n"
    "end j3 1.0\n"
    "start j9 1.0\n"
    "end j6 1.0\n"
    "end j1 2.0\n"
    "end j4 2.0\n"
    "end j7 2.0\n"
    "end j9 2.0\n"
    "end j2 3.0\n"
    "end j5 3.0\n"
    "end j8 4.0\n"
    "['j0', 'j1', 'j2', 'j3', 'j4', 'j5', 'j6', 'j7', 'j8', 'j9'] 4.0\n"
    "caught thread boom 4.5\n"
    "start partial 4.5\n"
    "end partial 5.0\n"
    "partial\n"
    "threadsafe call 6.0\n"
    "start p0 6.0\n"
    "start p1 6.0\n"
    "end p0 7.0\n"
    "start p2 7.0\n"
    "end p1 7.0\n"
    "end p2 8.0\n"
    "['p0', 'p1', 'p2'] 8.0\n";

static void test_t1(void **state)
{
    run_case("t1.py", t1_src, t1_out, 0, "");
}

/* concurrent.futures without asyncio. */
static const char t2_src[] =
    "import concurrent.futures, time\n"
    "def sq(x):\n"
    "    time.sleep(x)\n"
    "    return x * x\n"
    "with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:\n"
    "    fs = [ex.submit(sq, i) for i in (3, 1, 2)]\n"
    "    print([f.done() for f in fs])\n"
    "print([f.result() for f in fs], time.time())\n"
    "f = concurrent.futures.Future()\n"
    "f.add_done_callback(lambda f: print('cf cb', f.result()))\n"
    "f.set_result(5)\n"
    "print(f.done(), f.result())\n";
static const char t2_out[] =
    "[False, False, False]\n"
    "[9, 1, 4] 3.0\n"
    "cf cb 5\n"
    "True 5\n";

static void test_t2(void **state)
{
    run_case("t2.py", t2_src, t2_out, 0, "");
}

/* A task exception never retrieved is logged after the final traceback (its last line). */
static const char u2_src[] =
    "import asyncio\n"
    "async def bad():\n"
    "    raise KeyError('lost')\n"
    "async def main():\n"
    "    t = asyncio.create_task(bad())\n"
    "    await asyncio.sleep(1)\n"
    "    raise ValueError('main failed')\n"
    "asyncio.run(main())\n";
static const char u2_out[] =
    "";

static void test_u2(void **state)
{
    run_case("u2.py", u2_src, u2_out, 1, "KeyError: 'lost'");
}

/* Misuse: bad yields, nested runs, empty wait, un-acquired lock, non-callable callbacks. */
static const char m1_src[] =
    "import asyncio\n"
    "class Bad:\n"
    "    def __await__(self):\n"
    "        yield 42\n"
    "async def gen_user():\n"
    "    await Bad()\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    t = asyncio.create_task(gen_user())\n"
    "    try:\n"
    "        await t\n"
    "    except RuntimeError as e:\n"
    "        print('RuntimeError', e)\n"
    "    try:\n"
    "        loop.run_until_complete(asyncio.sleep(0))\n"
    "    except RuntimeError as e:\n"
    "        print(e)\n"
    "    c = asyncio.sleep(0)\n"
    "    try:\n"
    "        asyncio.run(c)\n"
    "    except RuntimeError as e:\n"
    "        print(e)\n"
    "    await c\n"
    "    try:\n"
    "        t.set_result(1)\n"
    "    except RuntimeError as e:\n"
    "        print(e)\n"
    "    try:\n"
    "        await asyncio.wait([])\n"
    "    except ValueError as e:\n"
    "        print(e)\n"
    "    print(await asyncio.gather())\n"
    "    cond = asyncio.Condition()\n"
    "    try:\n"
    "        cond.notify()\n"
    "    except RuntimeError as e:\n"
    "        print(e)\n"
    "    q = asyncio.Queue()\n"
    "    try:\n"
    "        q.task_done()\n"
    "    except ValueError as e:\n"
    "        print(e)\n"
    "    try:\n"
    "        loop.call_later(1, 5)\n"
    "    except TypeError as e:\n"
    "        print(e)\n"
    "    try:\n"
    "        loop.call_soon(main())\n"
    "    except TypeError as e:\n"
    "        print(e)\n"
    "    f = loop.create_future()\n"
    "    async def waiter(n):\n"
    "        print('waiter', n, await f)\n"
    "    ts = [asyncio.create_task(waiter(i)) for i in range(3)]\n"
    "    await asyncio.sleep(0)\n"
    "    f.set_result('go')\n"
    "    await asyncio.gather(*ts)\n"
    "    def rec(n):\n"
    "        return rec(n + 1)\n"
    "    async def deep():\n"
    "        rec(0)\n"
    "    try:\n"
    "        await deep()\n"
    "    except RecursionError as e:\n"
    "        print('recursion', type(e).__name__)\n"
    "    try:\n"
    "        await asyncio.wait_for(asyncio.sleep(1), -1)\n"
    "    except asyncio.TimeoutError:\n"
    "        print('negative timeout')\n"
    "    try:\n"
    "        asyncio.Semaphore(-1)\n"
    "    except ValueError as e:\n"
    "        print(e)\n"
    "    l = asyncio.Lock()\n"
    "    try:\n"
    "        l.release()\n"
    "    except RuntimeError as e:\n"
    "        print(e)\n"
    "asyncio.run(main())\n";
static const char m1_out[] =
    "RuntimeError Task got bad yield: 42\n"
    "This event loop is already running\n"
    "asyncio.run() cannot be called from a running event loop\n"
    "Task does not support set_result operation\n"
    "Set of Tasks/Futures is empty.\n"
    "[]\n"
    "cannot notify on un-acquired lock\n"
    "task_done() called too many times\n"
    "waiter 0 go\n"
    "waiter 1 go\n"
    "waiter 2 go\n"
    "recursion RecursionError\n"
    "negative timeout\n"
    "Semaphore initial value must be >= 0\n"
    "Lock is not acquired.\n";

static void test_m1(void **state)
{
    run_case("m1.py", m1_src, m1_out, 0, "");
}

/* At exit a pending task of a loop nobody schedules is closed: its finally runs. */
static const char d1_src[] =
    "import asyncio\n"
    "async def main():\n"
    "    try:\n"
    "        await asyncio.Event().wait()\n"
    "    finally:\n"
    "        print('finally')\n"
    "loop = asyncio.new_event_loop()\n"
    "loop.run_until_complete(main())\n";
static const char d1_out[] =
    "finally\n";

static void test_d1(void **state)
{
    run_case("d1.py", d1_src, d1_out, 3, "deadlock at t=0.0: the loop is idle and nothing is scheduled");
}

/* ... but one the policy's open loop still schedules is left alone. */
static const char d2_src[] =
    "import asyncio\n"
    "async def ticker():\n"
    "    try:\n"
    "        while True:\n"
    "            await asyncio.sleep(1)\n"
    "            print('tick')\n"
    "    finally:\n"
    "        print('ticker closed')\n"
    "async def main():\n"
    "    asyncio.ensure_future(ticker())\n"
    "    await asyncio.sleep(2.5)\n"
    "    print('main done')\n"
    "loop = asyncio.get_event_loop()\n"
    "loop.run_until_complete(main())\n"
    "print('end of program')\n";
static const char d2_out[] =
    "tick\n"
    "tick\n"
    "main done\n"
    "end of program\n";

static void test_d2(void **state)
{
    run_case("d2.py", d2_src, d2_out, 0, "");
}

/* A pending task waiting on an Event is closed at exit. */
static const char d4_src[] =
    "import asyncio\n"
    "async def waiter(ev):\n"
    "    try:\n"
    "        await ev.wait()\n"
    "    finally:\n"
    "        print('waiter closed')\n"
    "async def main():\n"
    "    ev = asyncio.Event()\n"
    "    asyncio.ensure_future(waiter(ev))\n"
    "    await asyncio.sleep(1)\n"
    "    print('main done')\n"
    "loop = asyncio.get_event_loop()\n"
    "loop.run_until_complete(main())\n"
    "print('end of program')\n";
static const char d4_out[] =
    "main done\n"
    "end of program\n"
    "waiter closed\n";

static void test_d4(void **state)
{
    run_case("d4.py", d4_src, d4_out, 0, "");
}

/* The loop class is the oracle's VirtualLoop. */
static const char lp_src[] =
    "import asyncio\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    print(loop)\n"
    "    print(type(loop), type(loop).__name__)\n"
    "    print(isinstance(loop, asyncio.AbstractEventLoop), isinstance(loop, asyncio.BaseEventLoop))\n"
    "asyncio.run(main())\n";
static const char lp_out[] =
    "<VirtualLoop running=True closed=False debug=False>\n"
    "<class '__main__.VirtualLoop'> VirtualLoop\n"
    "True True\n";

static void test_lp(void **state)
{
    run_case("lp.py", lp_src, lp_out, 0, "");
}

/* Old style: loop.run_until_complete(asyncio.wait(...)) and wait_for/as_completed with no running loop. */
static const char w1_src[] =
    "import asyncio\n"
    "async def f(i):\n"
    "    await asyncio.sleep(i)\n"
    "    return i\n"
    "loop = asyncio.get_event_loop()\n"
    "tasks = [loop.create_task(f(i)) for i in range(3)]\n"
    "done, pending = loop.run_until_complete(asyncio.wait(tasks, timeout=1.5))\n"
    "print(len(done), len(pending), loop.time())\n"
    "print(loop.run_until_complete(asyncio.wait_for(f(1), 2)))\n"
    "print(loop.run_until_complete(asyncio.gather(f(1), f(2))))\n"
    "for c in asyncio.as_completed([f(0.5), f(0.2)]):\n"
    "    print(loop.run_until_complete(c))\n"
    "loop.close()\n";
static const char w1_out[] =
    "2 1 1.5\n"
    "1\n"
    "[1, 2]\n"
    "0.2\n"
    "0.5\n";

static void test_w1(void **state)
{
    run_case("w1.py", w1_src, w1_out, 0, "");
}

/* Handle and future reprs: native methods, partials, reprlib, _GatheringFuture, the source line of sleep, int deadlines. */
static const char h1_src[] =
    "import asyncio, functools\n"
    "class C:\n"
    "    def m(self, x): pass\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    fut = loop.create_future()\n"
    "    print(loop.call_later(1, fut.set_result, 1))\n"
    "    print(loop.call_soon(print, 'x', 'y'))\n"
    "    print(loop.call_soon(C().m, [1, 2, 3, 4, 5, 6, 7, 8]))\n"
    "    print(loop.call_soon(lambda: None))\n"
    "    print(loop.call_soon(functools.partial(print, 1, sep='-'), 2))\n"
    "    f2 = loop.create_future()\n"
    "    f2.add_done_callback(print)\n"
    "    f2.add_done_callback(lambda f: None)\n"
    "    f2.add_done_callback(C().m)\n"
    "    print(f2)\n"
    "    t = asyncio.create_task(asyncio.sleep(1))\n"
    "    await asyncio.sleep(0)\n"
    "    print(t)\n"
    "    g = asyncio.gather(asyncio.sleep(1))\n"
    "    await asyncio.sleep(0)\n"
    "    print(g)\n"
    "    print(loop.call_soon(fut.cancel, 'msg'))\n"
    "    x = loop.call_at(5, print, {'a': 1, 'b': 'x' * 50}, 1.5, (1,), None)\n"
    "    print(x)\n"
    "    x.cancel()\n"
    "    print(x)\n"
    "    await asyncio.sleep(2)\n"
    "asyncio.run(main())\n";
static const char h1_out[] =
    "<TimerHandle when=1.0 Future.set_result(1)>\n"
    "<Handle print('x', 'y')>\n"
    "<Handle C.m([1, 2, 3, 4, 5, 6, ...])>\n"
    "<Handle main.<locals>.<lambda>() at h1.py:10>\n"
    "<Handle print(1, sep='-')(2)>\n"
    "<Future pending cb=[print(), <1 more>, C.m()]>\n"
    "x y\n"
    "1-2\n"
    "<Task pending name='Task-2' coro=<sleep() running at /root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/tasks.py:649> wait_for=<Future pending cb=[Task.task_wakeup()]>>\n"
    "<_GatheringFuture pending>\n"
    "<Handle Future.cancel('msg')>\n"
    "<TimerHandle when=5 print({'a': 1, 'b': 'xxxxxxxxxxxx...xxxxxxxxxxxxx'}, 1.5, (1,), None)>\n"
    "<TimerHandle cancelled when=5>\n";

static void test_h1(void **state)
{
    run_case("h1.py", h1_src, h1_out, 0, "");
}

/* What async with binds: None for Lock, Semaphore and Condition; the Timeout; the TaskGroup. */
static const char ae_src[] =
    "import asyncio\n"
    "async def main():\n"
    "    l = asyncio.Lock(); s = asyncio.Semaphore(); c = asyncio.Condition()\n"
    "    async with l as a:\n"
    "        async with s as b:\n"
    "            async with c as d:\n"
    "                print(a, b, d)\n"
    "    async with asyncio.timeout(5) as t:\n"
    "        print(type(t).__name__)\n"
    "    async with asyncio.TaskGroup() as tg:\n"
    "        print(type(tg).__name__)\n"
    "asyncio.run(main())\n";
static const char ae_out[] =
    "None None None\n"
    "Timeout\n"
    "TaskGroup\n";

static void test_ae(void **state)
{
    run_case("ae.py", ae_src, ae_out, 0, "");
}

/* TaskGroup: errors collected in an ExceptionGroup, siblings cancelled, the body error. */
static const char tg2_src[] =
    "import asyncio\n"
    "async def ok(n):\n"
    "    await asyncio.sleep(n)\n"
    "    print('ok', n)\n"
    "    return n\n"
    "async def bad(n, exc):\n"
    "    await asyncio.sleep(n)\n"
    "    raise exc\n"
    "async def main():\n"
    "    try:\n"
    "        async with asyncio.TaskGroup() as tg:\n"
    "            tg.create_task(ok(1))\n"
    "            tg.create_task(bad(0.5, ValueError('v')))\n"
    "            tg.create_task(bad(0.5, KeyError('k')))\n"
    "            tg.create_task(ok(3))\n"
    "    except ExceptionGroup as eg:\n"
    "        print(type(eg).__name__, eg.message, [repr(e) for e in eg.exceptions], asyncio.get_running_loop().time())\n"
    "    async with asyncio.TaskGroup() as tg:\n"
    "        t = tg.create_task(ok(0.1))\n"
    "    print(t.result())\n"
    "    try:\n"
    "        async with asyncio.TaskGroup() as tg:\n"
    "            tg.create_task(ok(2))\n"
    "            raise RuntimeError('body')\n"
    "    except ExceptionGroup as e:\n"
    "        print('body error', e.exceptions)\n"
    "    except RuntimeError as e:\n"
    "        print('plain', e)\n"
    "asyncio.run(main())\n";
static const char tg2_out[] =
    "ExceptionGroup unhandled errors in a TaskGroup [\"ValueError('v')\", \"KeyError('k')\"] 0.5\n"
    "ok 0.1\n"
    "0.1\n"
    "body error (RuntimeError('body'),)\n";

static void test_tg2(void **state)
{
    run_case("tg2.py", tg2_src, tg2_out, 0, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c1),
        cmocka_unit_test(test_c2),
        cmocka_unit_test(test_c3),
        cmocka_unit_test(test_c4),
        cmocka_unit_test(test_c5),
        cmocka_unit_test(test_p1),
        cmocka_unit_test(test_p2),
        cmocka_unit_test(test_p3),
        cmocka_unit_test(test_p4),
        cmocka_unit_test(test_p5),
        cmocka_unit_test(test_p6),
        cmocka_unit_test(test_q2),
        cmocka_unit_test(test_q5),
        cmocka_unit_test(test_q6),
        cmocka_unit_test(test_cv),
        cmocka_unit_test(test_r1),
        cmocka_unit_test(test_t1),
        cmocka_unit_test(test_t2),
        cmocka_unit_test(test_u2),
        cmocka_unit_test(test_m1),
        cmocka_unit_test(test_d1),
        cmocka_unit_test(test_d2),
        cmocka_unit_test(test_d4),
        cmocka_unit_test(test_lp),
        cmocka_unit_test(test_w1),
        cmocka_unit_test(test_h1),
        cmocka_unit_test(test_ae),
        cmocka_unit_test(test_tg2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
