/* test_trace_hooks.c — what the language layer gives a trace writer (sim.h,
 * sim_trace_hooks.c): on_loop for every event loop, the running source line, and
 * descriptions of values that are deterministic (no addresses) and run no program code.
 * An observer attached through on_loop collects them for a small program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loop.h"
#include "sim.h"
#include "object.h"

typedef struct collect {
    sim_vm *vm;
    int loops;
    char *log;                /* one line per event: kind line | value | handle */
    size_t len, cap;
} collect;

static void add(collect *c, const char *s)
{
    size_t n = strlen(s);
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->log = realloc(c->log, c->cap);
        assert_non_null(c->log);
    }
    memcpy(c->log + c->len, s, n + 1);
    c->len += n;
}

static void observe(void *ud, const loop_event *ev)
{
    collect *c = ud;
    char line[2048], v[512] = "", h[512] = "";
    if (ev->val) {
        const char *d = sim_describe(c->vm, ev->val, v, sizeof v);
        if (d != v)   /* a constant */
            snprintf(v, sizeof v, "%s", d);
    }
    if (ev->subject && ev->subject->kind == LOOP_K_HANDLE) {
        const char *d = sim_describe_handle(c->vm, (const loop_handle *)ev->subject, h, sizeof h);
        if (!d)
            strcpy(h, "-");
    }
    snprintf(line, sizeof line, "%s %d | %s | %s\n", loop_event_name(ev->kind), sim_current_line(c->vm), v, h);
    add(c, line);
}

static void on_loop(void *ud, struct loop *l)
{
    collect *c = ud;
    c->loops++;
    loop_set_observer(l, observe, c);
}

static const char prog[] =
    "import asyncio, functools\n"                                    /* 1 */
    "class Loud:\n"                                                  /* 2 */
    "    def __repr__(self):\n"                                      /* 3 */
    "        print('__repr__ ran')\n"                                /* 4 */
    "        return 'Loud()'\n"                                      /* 5 */
    "def cb(*a, **k):\n"                                             /* 6 */
    "    pass\n"                                                     /* 7 */
    "async def child(x):\n"                                          /* 8 */
    "    return x\n"                                                 /* 9 */
    "async def bad():\n"                                             /* 10 */
    "    raise ValueError('坏了 \"q\"')\n"                           /* 11 */
    "async def main():\n"                                            /* 12 */
    "    loop = asyncio.get_running_loop()\n"                        /* 13 */
    "    loop.call_soon(cb, 1, 'two', 3.5, None, True, -42, -2**62*2)\n" /* 14 */
    "    loop.call_soon(functools.partial(cb, 1, k=2))\n"            /* 15 */
    "    r = await asyncio.gather(child([1, (2,), {'a': {3}}]), child(Loud()), child(cb))\n"
    "    try:\n"                                                     /* 17 */
    "        await asyncio.create_task(bad())\n"                    /* 18 */
    "    except ValueError:\n"                                       /* 19 */
    "        pass\n"                                                 /* 20 */
    "    await asyncio.create_task(child(frozenset()))\n"            /* 21 */
    "    return len(r)\n"                                            /* 22 */
    "print(asyncio.run(main()))\n"                                   /* 23 */
    "print(asyncio.new_event_loop().run_until_complete(child(7)))\n";/* 24 */

static char *run(collect *c, char **out)
{
    size_t nout = 0;
    FILE *fo = open_memstream(out, &nout);
    assert_non_null(fo);
    sim_options o;
    sim_options_init(&o);
    o.out = fo;
    o.on_loop = on_loop;
    o.loop_ud = c;
    c->vm = sim_vm_new(&o);
    assert_non_null(c->vm);
    int status = sim_run_source(c->vm, prog, strlen(prog), "hooks.py", 0, NULL);
    assert_int_equal(status, 0);
    sim_vm_free(c->vm);
    fclose(fo);
    return c->log;
}

static void hooks(void **state)
{
    collect c = { 0 };
    char *out = NULL;
    run(&c, &out);
    if (getenv("HOOKS_LOG"))
        fputs(c.log, stderr);
    /* the user's __repr__ never ran: describing runs no program code */
    assert_string_equal(out, "3\n7\n");
    assert_int_equal(c.loops, 2);
    /* no addresses */
    assert_null(strstr(c.log, "0x"));
    /* handles: the callable and its arguments; the line that scheduled them */
    assert_non_null(strstr(c.log, "call_soon 14 |  | cb (1, 'two', 3.5, None, True, -42, -9223372036854775808)\n"));
    assert_non_null(strstr(c.log, "call_soon 15 |  | functools.partial(<function cb>, 1, k=2)\n"));
    /* values: containers, a user instance (its class, not its __repr__), functions */
    assert_non_null(strstr(c.log, "| [1, (2,), {'a': {3}}] |"));
    assert_non_null(strstr(c.log, "| <__main__.Loud object> |"));
    assert_non_null(strstr(c.log, "| <function cb> |"));
    assert_non_null(strstr(c.log, "| frozenset() |"));
    assert_non_null(strstr(c.log, "| ValueError('坏了 \"q\"') |"));
    assert_non_null(strstr(c.log, "| <coroutine object child> |"));
    /* the events of the second loop were seen too */
    assert_non_null(strstr(c.log, "| 7 |"));
    /* the same program describes itself the same way twice */
    collect c2 = { 0 };
    char *out2 = NULL;
    run(&c2, &out2);
    assert_string_equal(c.log, c2.log);
    free(c.log);
    free(c2.log);
    free(out);
    free(out2);
}

/* Descriptions are cut to the buffer, NUL-terminated; a tiny buffer is fine. */
static void truncation(void **state)
{
    sim_options o;
    sim_options_init(&o);
    sim_vm *vm = sim_vm_new(&o);
    assert_non_null(vm);
    char buf[4];
    assert_int_equal(sim_current_line(vm), 0);
    sim_obj *big = sim_int_new(vm, 12345);
    assert_null(sim_describe(vm, big, buf, 0));
    assert_string_equal(sim_describe(vm, big, buf, sizeof buf), "123");
    assert_ptr_equal(sim_describe(vm, big, buf, sizeof buf), buf);
    /* None, True and False are constants, whatever the buffer */
    assert_string_equal(sim_describe(vm, NULL, buf, 0), "None");
    assert_string_equal(sim_describe(vm, NULL, buf, sizeof buf), "None");
    sim_vm_free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hooks),
        cmocka_unit_test(truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
