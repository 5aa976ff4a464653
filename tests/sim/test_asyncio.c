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
#define C1_STATUS 0
#define C1_ERR ""

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
#define C2_STATUS 0
#define C2_ERR ""

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
#define C3_STATUS 0
#define C3_ERR ""

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
#define C4_STATUS 3
#define C4_ERR "deadlock at t=0.0: the loop is idle and nothing is scheduled"

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
#define C5_STATUS 0
#define C5_ERR ""

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

/* Task reprs while pending, waiting and finished; gather's order and the clock. */
static void test_task_reprs(void **state) { run_case("c1.py", c1_src, c1_out, C1_STATUS, C1_ERR); }

/* Handles and futures: call_soon before call_later, call_at, reprlib in reprs. */
static void test_callbacks_futures(void **state) { run_case("c2.py", c2_src, c2_out, C2_STATUS, C2_ERR); }

/* wait_for timeout, Queue hand-off, Lock, and get_event_loop after asyncio.run. */
static void test_primitives(void **state) { run_case("c3.py", c3_src, c3_out, C3_STATUS, C3_ERR); }

/* A deadlock: finally blocks run, then status 3 with vref.py's line. */
static void test_deadlock(void **state) { run_case("c4.py", c4_src, c4_out, C4_STATUS, C4_ERR); }

/* to_thread: time.sleep in a virtual thread runs beside the loop's timers. */
static void test_to_thread(void **state) { run_case("c5.py", c5_src, c5_out, C5_STATUS, C5_ERR); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_reprs),
        cmocka_unit_test(test_callbacks_futures),
        cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_deadlock),
        cmocka_unit_test(test_to_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
