/* test_compile.c — sim_compile end to end: CPython's exact compile-time error text
 * (syntax_cases.h, generated under python3.11), "unsupported" diagnostics, the
 * disassembly of small functions, code-object invariants, and every seed scenario. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "compile.h"
#include "sim.h"
#include "frontend_programs.h"
#include "syntax_cases.h"

static int has_instr(const sim_code *c, const char *text);

static sim_code *compile_ok(const char *src)
{
    sim_diag d;
    sim_code *c = sim_compile("prog.py", src, strlen(src), &d);
    if (!c) {
        char *s = sim_diag_format(&d);
        fprintf(stderr, "unexpected error for:\n%s---\n%s", src, s ? s : "(oom)");
        free(s);
    }
    sim_diag_clear(&d);
    assert_non_null(c);
    char why[200];
    if (!sim_code_check(c, why, sizeof why)) fprintf(stderr, "check: %s\n", why);
    assert_true(sim_code_check(c, why, sizeof why));
    return c;
}

/* The diagnostic text for src (which must fail). */
static char *compile_err(const char *src)
{
    sim_diag d;
    sim_code *c = sim_compile("prog.py", src, strlen(src), &d);
    assert_null(c);
    char *s = sim_diag_format(&d);
    sim_diag_clear(&d);
    assert_non_null(s);
    return s;
}

/* Every case of syntax_cases.h prints exactly what python3 prints. */
static void test_cpython_error_text(void **state)
{
    (void)state;
    size_t n = sizeof syntax_cases / sizeof syntax_cases[0], bad = 0;
    for (size_t i = 0; i < n; i++) {
        char *got = compile_err(syntax_cases[i].src);
        if (strcmp(got, syntax_cases[i].want) != 0) {
            fprintf(stderr, "case %zu:\n%s--- want:\n%s--- got:\n%s\n", i, syntax_cases[i].src,
                    syntax_cases[i].want, got);
            bad++;
        }
        free(got);
    }
    fprintf(stderr, "%zu of %zu error cases match CPython\n", n - bad, n);
    assert_int_equal(bad, 0);
}

static void test_seed_000_indentation(void **state)
{
    (void)state;
    char *s = compile_err("import asyncio\nasync def main():\n     print('hello')\n"
                          "     await asyncio.sleep(1)\n    print('world')\nasyncio.run(main())\n");
    assert_string_equal(s, "  File \"prog.py\", line 5\n    print('world')\n                  ^\n"
                           "IndentationError: unindent does not match any outer indentation level\n");
    free(s);
}

static void test_seed_001_await_outside_async(void **state)
{
    (void)state;
    sim_diag d;
    const char *src = "def print_double(x): print(await async_double(x))\n";
    assert_null(sim_compile("prog.py", src, strlen(src), &d));
    assert_int_equal(d.kind, SIM_DIAG_SYNTAX);
    assert_string_equal(d.message, "'await' outside async function");
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 28);        /* 1-based, as SyntaxError.offset */
    assert_int_equal(d.end_col, 49);
    assert_string_equal(d.text, "def print_double(x): print(await async_double(x))");
    sim_diag_clear(&d);
}

static void test_unsupported_format(void **state)
{
    (void)state;
    char *s = compile_err("x = 1\nmatch x:\n    case 1: pass\n");
    assert_string_equal(s, "prog.py:2:1: aiosim does not support match statements yet\n");
    free(s);
    s = compile_err("x = b'abc'\n");
    assert_string_equal(s, "prog.py:1:5: aiosim does not support bytes literals yet\n");
    free(s);
    s = compile_err("x = 1j\n");
    assert_string_equal(s, "prog.py:1:5: aiosim does not support complex numbers yet\n");
    free(s);
    s = compile_err("x = 99999999999999999999\n");
    assert_string_equal(s, "prog.py:1:5: aiosim does not support integers larger than 64 bits yet\n");
    free(s);
    s = compile_err("from . import x\n");
    assert_string_equal(s, "prog.py:1:1: aiosim does not support relative imports yet\n");
    free(s);
}

/* PEP 263: bytes that are not UTF-8 without a coding comment; legacy encodings. */
static void test_source_encoding(void **state)
{
    (void)state;
    char *s = compile_err("x = 1\n# \xd6\xd0\xce\xc4\n");     /* GBK bytes */
    assert_string_equal(s, "SyntaxError: Non-UTF-8 code starting with '\\xd6' in file prog.py on "
                           "line 2, but no encoding declared; see https://peps.python.org/pep-0263/ "
                           "for details\n");
    free(s);
    s = compile_err("# -*- coding: gbk -*-\nprint('\xd6\xd0')\n");
    assert_string_equal(s, "prog.py:1:1: aiosim does not support source encodings other than "
                           "UTF-8 (gbk) yet\n");
    free(s);
    sim_code_free(compile_ok("# -*- coding: utf-8 -*-\nprint('\xe4\xb8\xad')\n"));
    sim_code_free(compile_ok("#!/usr/bin/env python3\n# coding=latin-1\nx = 1\n"));
    sim_code_free(compile_ok("\xef\xbb\xbfprint(1)\n"));                  /* a BOM */
}

/* Deep nesting is bounded like CPython's (1000 unary minuses compile, a 100000-term
 * sum does not), with its RecursionError, and never overflows the C stack. */
static void test_nesting_limits(void **state)
{
    (void)state;
    size_t n = 200000;
    char *src = malloc(n * 4 + 64);
    strcpy(src, "x = ");
    size_t k = 4;
    for (int i = 0; i < 1000; i++) src[k++] = '-';
    strcpy(src + k, "1\n");
    sim_code_free(compile_ok(src));
    for (size_t len = 0, i = 0; i < 3; i++) {      /* unary, not, sum: all too deep */
        static const char *const heads[] = {"-", "not ", "1 + "};
        k = 4;
        len = strlen(heads[i]);
        for (int j = 0; j < 50000; j++, k += len) memcpy(src + k, heads[i], len);
        strcpy(src + k, "1\n");
        char *s = compile_err(src);
        assert_string_equal(s, "RecursionError: maximum recursion depth exceeded during compilation\n");
        free(s);
    }
    free(src);
}

static void test_future_and_annotations(void **state)
{
    (void)state;
    sim_code *m = compile_ok("'''doc'''\nfrom __future__ import annotations\n"
                             "x: int = 1\ny: 'str'\ndef f(a: int, *b: str) -> None:\n    z: list = []\n");
    assert_false(has_instr(m, "IMPORT_NAME"));               /* a directive, not an import */
    sim_code_free(m);
}

/* ---- disassembly ------------------------------------------------------------ */

static void expect_disasm(const char *src, int recursive, const char *want)
{
    sim_code *c = compile_ok(src);
    char *got = sim_disasm(c, recursive);
    if (strcmp(got, want) != 0) fprintf(stderr, "--- want:\n%s--- got:\n%s", want, got);
    assert_string_equal(got, want);
    free(got);
    sim_code_free(c);
}

static void test_disasm_module(void **state)
{
    (void)state;
    expect_disasm("import asyncio\nx = 1 + 2\nprint(x, sep='')\n", 0,
        "Disassembly of <code <module>, flags 0x1, args 0+0 kw, locals 0, stack 4>:\n"
        "   1     0 LOAD_CONST 0 (None)\n"
        "         1 IMPORT_NAME 0 (asyncio)\n"
        "         2 STORE_NAME 0 (asyncio)\n"
        "   2     3 LOAD_CONST 1 (1)\n"
        "         4 LOAD_CONST 2 (2)\n"
        "         5 BINARY_OP 0 (+)\n"
        "         6 STORE_NAME 1 (x)\n"
        "   3     7 LOAD_NAME 2 (print)\n"
        "         8 LOAD_NAME 1 (x)\n"
        "         9 LOAD_CONST 3 ('')\n"
        "        10 LOAD_CONST 4 (('sep',))\n"
        "        11 CALL_KW 2\n"
        "        12 POP_TOP\n"
        "        13 LOAD_CONST 0 (None)\n"
        "        14 RETURN_VALUE\n");
}

static void test_disasm_await(void **state)
{
    (void)state;
    expect_disasm("async def main(d):\n    await asyncio.sleep(d)\n    return d\n", 1,
        "Disassembly of <code <module>, flags 0x1, args 0+0 kw, locals 0, stack 1>:\n"
        "   1     0 LOAD_CONST 0 (<code main>)\n"
        "         1 MAKE_FUNCTION 0\n"
        "         2 STORE_NAME 0 (main)\n"
        "         3 LOAD_CONST 1 (None)\n"
        "         4 RETURN_VALUE\n"
        "\n"
        "Disassembly of <code main, flags 0x104, args 1+0 kw, locals 1, stack 3>:\n"
        "   2     0 LOAD_GLOBAL 1 (asyncio)\n"
        "         1 LOAD_METHOD 0 (sleep)\n"
        "         2 LOAD_FAST 0 (d)\n"
        "         3 CALL_METHOD 1\n"
        "         4 GET_AWAITABLE 0\n"
        "         5 LOAD_CONST 0 (None)\n"
        "         6 YIELD_FROM\n"
        "         7 POP_TOP\n"
        "   3     8 LOAD_FAST 0 (d)\n"
        "         9 RETURN_VALUE\n");  /* the implicit return None is unreachable: dropped */
}

static void test_disasm_closure(void **state)
{
    (void)state;
    expect_disasm("def outer():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n"
                  "        return n\n    return inc\n", 1,
        "Disassembly of <code <module>, flags 0x1, args 0+0 kw, locals 0, stack 1>:\n"
        "   1     0 LOAD_CONST 0 (<code outer>)\n"
        "         1 MAKE_FUNCTION 0\n"
        "         2 STORE_NAME 0 (outer)\n"
        "         3 LOAD_CONST 1 (None)\n"
        "         4 RETURN_VALUE\n"
        "\n"
        "Disassembly of <code outer, flags 0x4, args 0+0 kw, locals 1, stack 2>:\n"
        "   2     0 LOAD_CONST 0 (0)\n"
        "         1 STORE_DEREF 0 (n)\n"
        "   3     2 LOAD_CLOSURE 0 (n)\n"
        "         3 BUILD_TUPLE 1\n"
        "         4 LOAD_CONST 1 (<code outer.<locals>.inc>)\n"
        "         5 MAKE_FUNCTION 8\n"
        "         6 STORE_FAST 0 (inc)\n"
        "   7     7 LOAD_FAST 0 (inc)\n"
        "         8 RETURN_VALUE\n"
        "\n"
        "Disassembly of <code outer.<locals>.inc, flags 0x404, args 0+0 kw, locals 0, stack 2>:\n"
        "   5     0 LOAD_DEREF 0 (n)\n"
        "         1 LOAD_CONST 0 (1)\n"
        "         2 BINARY_OP 16 (+=)\n"
        "         3 STORE_DEREF 0 (n)\n"
        "   6     4 LOAD_DEREF 0 (n)\n"
        "         5 RETURN_VALUE\n");
}

static void test_disasm_try_except(void **state)
{
    (void)state;
    expect_disasm("try:\n    f()\nexcept ValueError as e:\n    g(e)\n", 0,
        "Disassembly of <code <module>, flags 0x1, args 0+0 kw, locals 0, stack 3>:\n"
        "   2     0 LOAD_NAME 0 (f)\n"
        "         1 CALL 0\n"
        "         2 POP_TOP\n"
        "         3 JUMP 26 (to 26)\n"
        "         4 PUSH_EXC_INFO\n"
        "   3     5 LOAD_NAME 1 (ValueError)\n"
        "         6 CHECK_EXC_MATCH\n"
        "         7 POP_JUMP_IF_FALSE 22 (to 22)\n"
        "         8 STORE_NAME 2 (e)\n"
        "   4     9 LOAD_NAME 3 (g)\n"
        "        10 LOAD_NAME 2 (e)\n"
        "        11 CALL 1\n"
        "        12 POP_TOP\n"
        "        13 POP_EXCEPT\n"
        "        14 LOAD_CONST 0 (None)\n"
        "        15 STORE_NAME 2 (e)\n"
        "        16 DELETE_NAME 2 (e)\n"
        "        17 JUMP 26 (to 26)\n"
        "        18 LOAD_CONST 0 (None)\n"
        "        19 STORE_NAME 2 (e)\n"
        "        20 DELETE_NAME 2 (e)\n"
        "        21 RERAISE\n"
        "        22 RERAISE\n"
        "        23 SWAP 2\n"
        "        24 POP_EXCEPT\n"
        "        25 RERAISE\n"
        "        26 LOAD_CONST 0 (None)\n"
        "        27 RETURN_VALUE\n"
        "ExceptionTable:\n"
        "  0 to 3 -> 4 [0]\n"
        "  4 to 9 -> 23 [1]\n"
        "  9 to 13 -> 18 [1]\n"
        "  18 to 23 -> 23 [1]\n");
}

/* ---- structure ---------------------------------------------------------------- */

static const sim_code *child(const sim_code *c, const char *name)
{
    for (uint32_t i = 0; i < c->nconsts; i++)
        if (c->consts[i].kind == SIM_CONST_CODE && strcmp(c->consts[i].u.code->name, name) == 0)
            return c->consts[i].u.code;
    return NULL;
}

static void test_code_layout(void **state)
{
    (void)state;
    sim_code *m = compile_ok("def f(a, b=1, *args, c, d=2, **kw):\n    def g():\n        return a + x\n"
                             "    x = 1\n    return g\n");
    const sim_code *f = child(m, "f");
    assert_non_null(f);
    assert_int_equal(f->argcount, 2);
    assert_int_equal(f->kwonlyargcount, 2);
    assert_true(f->flags & SIM_CO_VARARGS);
    assert_true(f->flags & SIM_CO_VARKEYWORDS);
    assert_string_equal(f->varnames[0], "a");
    assert_string_equal(f->varnames[2], "c");
    assert_string_equal(f->varnames[4], "args");
    assert_string_equal(f->varnames[5], "kw");
    assert_int_equal(f->ncellvars, 2);               /* a (a parameter) and x */
    assert_string_equal(f->cellvars[0], "a");
    assert_non_null(f->cell2arg);
    assert_int_equal(f->cell2arg[0], 0);
    assert_int_equal(f->cell2arg[1], -1);
    const sim_code *g = child(f, "g");
    assert_non_null(g);
    assert_int_equal(g->nfreevars, 2);
    assert_string_equal(g->qualname, "f.<locals>.g");
    sim_code_free(m);
}

static void test_class_cell(void **state)
{
    (void)state;
    sim_code *m = compile_ok("class A(B, metaclass=M):\n    x = 1\n    def f(self):\n"
                             "        return super().f()\n    @staticmethod\n    def s(): pass\n");
    const sim_code *a = child(m, "A");
    assert_non_null(a);
    assert_true(a->flags & SIM_CO_CLASS);
    assert_int_equal(a->ncellvars, 1);
    assert_string_equal(a->cellvars[0], "__class__");
    const sim_code *f = child(a, "f");
    assert_string_equal(f->qualname, "A.f");
    assert_int_equal(f->nfreevars, 1);
    assert_string_equal(f->freevars[0], "__class__");
    char *d = sim_disasm(a, 0);
    assert_non_null(strstr(d, "STORE_NAME 1 (__module__)"));
    assert_non_null(strstr(d, "STORE_NAME 2 (__qualname__)"));
    assert_non_null(strstr(d, "__classcell__"));
    free(d);
    d = sim_disasm(m, 0);
    assert_non_null(strstr(d, "LOAD_BUILD_CLASS"));
    assert_non_null(strstr(d, "(('metaclass',))"));
    assert_non_null(strstr(d, "CALL_KW 4"));
    free(d);
    sim_code_free(m);
}

static void test_generators_and_flags(void **state)
{
    (void)state;
    sim_code *m = compile_ok("def gen():\n    x = yield 1\n    yield from range(x)\n"
                             "async def agen():\n    yield 2\n"
                             "async def co():\n    return [await f(i) for i in range(3)]\n"
                             "s = sum(x * x for x in range(10))\nl = lambda a, *, b=2: a + b\n");
    assert_true(child(m, "gen")->flags & SIM_CO_GENERATOR);
    const sim_code *ag = child(m, "agen");
    assert_true(ag->flags & SIM_CO_ASYNC_GENERATOR);
    assert_false(ag->flags & SIM_CO_COROUTINE);
    char *d = sim_disasm(ag, 0);
    assert_non_null(strstr(d, "ASYNC_GEN_WRAP\n"));
    free(d);
    const sim_code *co = child(m, "co");
    assert_true(co->flags & SIM_CO_COROUTINE);
    const sim_code *lc = child(co, "<listcomp>");
    assert_non_null(lc);
    assert_true(lc->flags & SIM_CO_COROUTINE);       /* an awaiting comprehension */
    assert_true(lc->flags & SIM_CO_COMPREHENSION);
    const sim_code *ge = child(m, "<genexpr>");
    assert_true(ge->flags & SIM_CO_GENERATOR);
    assert_int_equal(ge->argcount, 1);
    assert_string_equal(ge->varnames[0], ".0");
    const sim_code *l = child(m, "<lambda>");
    assert_true(l->flags & SIM_CO_LAMBDA);
    assert_int_equal(l->kwonlyargcount, 1);
    sim_code_free(m);
}

static int has_instr(const sim_code *c, const char *text)
{
    char *d = sim_disasm(c, 0);
    int found = strstr(d, text) != NULL;
    free(d);
    return found;
}

static void test_name_mangling(void **state)
{
    (void)state;
    sim_code *m = compile_ok("class _Counter:\n    __n = 0\n    def __bump(self, __by):\n"
                             "        self.__n += __by\n        return self.__dict__\n");
    const sim_code *cls = child(m, "_Counter");
    assert_true(has_instr(cls, "STORE_NAME 3 (_Counter__n)"));
    assert_true(has_instr(cls, "(_Counter__bump)"));
    const sim_code *f = child(cls, "__bump");
    assert_string_equal(f->qualname, "_Counter.__bump");   /* qualnames are not mangled */
    assert_string_equal(f->varnames[1], "_Counter__by");
    assert_true(has_instr(f, "LOAD_ATTR 0 (_Counter__n)"));
    assert_true(has_instr(f, "(__dict__)"));                /* dunders are left alone */
    sim_code_free(m);
}

static void test_async_comprehension_and_walrus(void **state)
{
    (void)state;
    sim_code *m = compile_ok("async def f():\n    xs = [x async for x in agen() if x]\n"
                             "    ys = [y for v in xs if (y := v)]\n    return xs, y\n");
    const sim_code *f = child(m, "f");
    const sim_code *lc = child(f, "<listcomp>");
    assert_true(lc->flags & SIM_CO_COROUTINE);
    assert_true(has_instr(lc, "GET_ANEXT"));
    assert_true(has_instr(lc, "END_ASYNC_FOR"));
    assert_int_equal(lc->nexc, 1);
    assert_true(has_instr(f, "GET_AITER"));
    assert_int_equal(f->ncellvars, 1);                      /* y, bound by := */
    assert_string_equal(f->cellvars[0], "y");
    sim_code_free(m);
}

/* Out of memory at every allocation in turn: a NOMEM diagnostic (or a syntax error
 * found before the failure mattered), never a crash or a leak (ASan/valgrind runs). */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *src = "import asyncio\nclass A(B):\n    def m(self, *a, k=1):\n"
                      "        return [x for x in a if x], super().m()\n"
                      "async def main():\n    try:\n        async with L() as l:\n"
                      "            await asyncio.sleep(f'{l!r:>{w}}')\n"
                      "    except (E, F) as e:\n        raise G from e\n    finally:\n"
                      "        print('done', sep='')\n";
    int failures = 0;
    for (long n = 1; n < 100000; n++) {
        sim_diag d;
        sim_code__fail_countdown = n;
        sim_code *c = sim_compile("prog.py", src, strlen(src), &d);
        long left = sim_code__fail_countdown;
        sim_code__fail_countdown = 0;
        if (c) {
            sim_code_free(c);
            sim_diag_clear(&d);
            if (left > 0) break;                      /* no allocation failed: done */
            continue;                                 /* failed, but was not needed */
        }
        if (d.kind != SIM_DIAG_NOMEM)
            fprintf(stderr, "allocation %ld: kind %d '%s'\n", n, d.kind, d.message ? d.message : "");
        assert_int_equal(d.kind, SIM_DIAG_NOMEM);
        sim_diag_clear(&d);
        failures++;
    }
    fprintf(stderr, "%d injected allocation failures handled\n", failures);
    assert_true(failures > 100);
}

/* Programs whose meaning rests on the compiler run as under CPython (through the
 * VM): stdout, exit status, and the last line of stderr. */
static void test_programs_run_like_cpython(void **state)
{
    (void)state;
    size_t n = sizeof program_cases / sizeof program_cases[0];
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct program_case *pc = &program_cases[i];
        char *out = NULL, *err = NULL;
        size_t outlen = 0, errlen = 0;
        FILE *fo = open_memstream(&out, &outlen), *fe = open_memstream(&err, &errlen);
        assert_non_null(fo);
        assert_non_null(fe);
        sim_options o;
        sim_options_init(&o);
        o.out = fo;
        o.err = fe;
        o.max_steps = 10000000;
        sim_vm *vm = sim_vm_new(&o);
        assert_non_null(vm);
        int status = sim_run_source(vm, pc->src, strlen(pc->src), "prog.py", 0, NULL);
        sim_vm_free(vm);
        fclose(fo);
        fclose(fe);
        while (errlen && err[errlen - 1] == '\n') err[--errlen] = 0;
        const char *last = strrchr(err, '\n') ? strrchr(err, '\n') + 1 : err;
        if (strcmp(out, pc->out) || status != pc->status || strcmp(last, pc->err_last)) {
            fprintf(stderr, "%s: status %d (want %d)\n--- stdout:\n%s--- want:\n%s--- stderr:\n%s\n",
                    pc->name, status, pc->status, out, pc->out, err);
            bad++;
        }
        free(out);
        free(err);
    }
    assert_int_equal(bad, 0);
}

/* Every scenario extracted from the seeds compiles, except those CPython rejects
 * (their expected output is a SyntaxError: a .status file and an .err file). */
static void test_seed_scenarios(void **state)
{
    (void)state;
    const char *dirs[] = {"scenarios/seed", "../scenarios/seed", "../../scenarios/seed"};
    DIR *dir = NULL;
    const char *path = NULL;
    for (size_t i = 0; i < 3 && !dir; i++)
        if ((dir = opendir(dirs[i]))) path = dirs[i];
    if (!dir) skip();
    struct dirent *e;
    int n = 0, bad = 0;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".py") != 0) continue;
        char file[1024], errfile[1024];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        snprintf(errfile, sizeof errfile, "%s/%.*s.err", path, (int)(len - 3), e->d_name);
        FILE *fp = fopen(file, "rb");
        if (!fp) continue;
        static char buf[1 << 20];
        size_t sz = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        FILE *ef = fopen(errfile, "rb");
        char want[512] = "";
        if (ef) {                                 /* its last line: the error */
            char line[512];
            while (fgets(line, sizeof line, ef)) memcpy(want, line, sizeof line);
            fclose(ef);
        }
        int expect_error = strstr(want, "SyntaxError") || strstr(want, "IndentationError") ||
                           strstr(want, "TabError");
        sim_diag d;
        sim_code *c = sim_compile(e->d_name, buf, sz, &d);
        if ((c == NULL) != (expect_error != 0)) {
            fprintf(stderr, "%s: %s\n", e->d_name, c ? "compiled, CPython rejects it" : d.message);
            bad++;
        } else if (!c) {
            char *s = sim_diag_format(&d);
            if (!strstr(s, want)) { fprintf(stderr, "%s: got\n%swant %s", e->d_name, s, want); bad++; }
            free(s);
        }
        sim_code_free(c);
        sim_diag_clear(&d);
        n++;
    }
    closedir(dir);
    fprintf(stderr, "%d seed scenarios compiled, %d unexpected\n", n, bad);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpython_error_text),
        cmocka_unit_test(test_seed_000_indentation),
        cmocka_unit_test(test_seed_001_await_outside_async),
        cmocka_unit_test(test_unsupported_format),
        cmocka_unit_test(test_source_encoding),
        cmocka_unit_test(test_future_and_annotations),
        cmocka_unit_test(test_nesting_limits),
        cmocka_unit_test(test_disasm_module),
        cmocka_unit_test(test_disasm_await),
        cmocka_unit_test(test_disasm_closure),
        cmocka_unit_test(test_disasm_try_except),
        cmocka_unit_test(test_code_layout),
        cmocka_unit_test(test_class_cell),
        cmocka_unit_test(test_generators_and_flags),
        cmocka_unit_test(test_name_mangling),
        cmocka_unit_test(test_async_comprehension_and_walrus),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_programs_run_like_cpython),
        cmocka_unit_test(test_seed_scenarios),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
