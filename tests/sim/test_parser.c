/* test_parser.c — sim/parser: one AST per construct (parser_cases.h), node
 * positions, and the parser's own error records before they become diagnostics. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parser.h"
#include "parser_cases.h"

static void test_every_construct(void **state)
{
    (void)state;
    size_t n = sizeof parse_cases / sizeof parse_cases[0];
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        sim_arena A = {0};
        sim_perr err;
        const char *src = parse_cases[i].src;
        sim_node *m = sim_parse(&A, src, strlen(src), &err);
        if (!m) {
            fprintf(stderr, "%s: %s (line %d)\n", parse_cases[i].name, err.msg, err.line);
            bad++;
        } else {
            char *d = sim_ast_dump(m);
            if (strcmp(d, parse_cases[i].dump) != 0) {
                fprintf(stderr, "%s:\n want %s\n got  %s\n", parse_cases[i].name, parse_cases[i].dump, d);
                bad++;
            }
            free(d);
        }
        sim_arena_free(&A);
    }
    assert_int_equal(bad, 0);
}

/* Parses src (which must succeed); the arena is the caller's to free. */
static sim_node *parse(sim_arena *A, const char *src)
{
    sim_perr err;
    memset(A, 0, sizeof *A);
    sim_node *m = sim_parse(A, src, strlen(src), &err);
    if (!m) fprintf(stderr, "parse error: %s\n", err.msg);
    assert_non_null(m);
    return m;
}

static void test_positions(void **state)
{
    (void)state;
    sim_arena A;
    sim_node *m = parse(&A, "async def main():\n    x = await asyncio.sleep(1,\n        2)\n");
    sim_node *def = m->body.v[0];
    assert_int_equal(def->kind, S_FUNCDEF);
    assert_int_equal(def->line, 1);
    assert_int_equal(def->end_line, 3);
    sim_node *assign = def->body.v[0];
    sim_node *aw = assign->a;
    assert_int_equal(aw->kind, E_AWAIT);
    assert_int_equal(aw->line, 2);
    assert_int_equal(aw->col, 8);
    assert_int_equal(aw->end_line, 3);
    assert_int_equal(aw->end_col, 10);
    sim_node *call = aw->a;
    assert_int_equal(call->kind, E_CALL);
    assert_int_equal(call->col, 14);               /* a call starts at its callee */
    assert_int_equal(call->a->kind, E_ATTRIBUTE);
    assert_int_equal(call->a->end_col, 27);
    sim_arena_free(&A);
}

static void test_fstring_expression_positions(void **state)
{
    (void)state;
    sim_arena A;
    sim_node *m = parse(&A, "x = 1\ny = f'a{b + c}d'\n");
    sim_node *js = m->body.v[1]->a;
    assert_int_equal(js->kind, E_JOINEDSTR);
    sim_node *fv = js->elts.v[1];
    assert_int_equal(fv->kind, E_FORMATTED);
    assert_int_equal(fv->a->kind, E_BINOP);
    assert_int_equal(fv->a->line, 2);              /* positions inside the file */
    assert_int_equal(fv->a->col, 8);
    assert_int_equal(fv->a->end_col, 13);
    sim_arena_free(&A);
}

static void test_string_values(void **state)
{
    (void)state;
    sim_arena A;
    sim_node *m = parse(&A, "s = 'a\\x41\\u4e2d\\101\\\nb' \"\\q\" r'\\n'\n");
    sim_node *c = m->body.v[0]->a;
    assert_int_equal(c->kind, E_CONST);
    assert_int_equal(c->cval, SIM_CONST_STR);
    assert_string_equal(c->str, "aA\xe4\xb8\xad" "Ab\\q\\n");
    assert_int_equal(c->len, 11);
    sim_arena_free(&A);
}

static void test_numbers(void **state)
{
    (void)state;
    sim_arena A;
    sim_node *m = parse(&A, "a = 0x_FF\nb = 1_000_000\nc = 1.5e3\nd = 9223372036854775807\ne = .5\n");
    assert_int_equal(m->body.v[0]->a->ival, 255);
    assert_int_equal(m->body.v[1]->a->ival, 1000000);
    assert_int_equal(m->body.v[2]->a->cval, SIM_CONST_FLOAT);
    assert_true(m->body.v[2]->a->dval == 1500.0);
    assert_true(m->body.v[3]->a->ival == INT64_MAX);
    assert_true(m->body.v[4]->a->dval == 0.5);
    sim_arena_free(&A);
}

/* The error record: kind, message and 0-based byte columns. */
static void expect_perr(const char *src, sim_diag_kind kind, const char *msg, int line, int col,
                        int end_col)
{
    sim_arena A = {0};
    sim_perr err;
    assert_null(sim_parse(&A, src, strlen(src), &err));
    if (err.kind != kind || strcmp(err.msg, msg) || err.line != line || err.col != col ||
        err.end_col != end_col)
        fprintf(stderr, "%s -> %d '%s' %d:%d-%d\n", src, err.kind, err.msg, err.line, err.col, err.end_col);
    assert_int_equal(err.kind, kind);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_int_equal(err.end_col, end_col);
    sim_arena_free(&A);
}

static void test_parser_errors(void **state)
{
    (void)state;
    expect_perr("x = 1\n  y = 2\n", SIM_DIAG_INDENTATION, "unexpected indent", 2, -1, -1);
    expect_perr("def f():\nreturn 1\n", SIM_DIAG_INDENTATION,
                "expected an indented block after function definition on line 1", 2, 0, -1);
    expect_perr("f(a b)\n", SIM_DIAG_SYNTAX, "invalid syntax. Perhaps you forgot a comma?", 1, 2, 5);
    expect_perr("foo bar\n", SIM_DIAG_SYNTAX, "invalid syntax", 1, 4, 7);
    expect_perr("while x\n", SIM_DIAG_SYNTAX, "expected ':'", 1, 7, 8);
    expect_perr("f() = 1\n", SIM_DIAG_SYNTAX,
                "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 0, 3);
    expect_perr("x = f'{a!x}'\n", SIM_DIAG_SYNTAX,
                "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 12, -1);
    /* except* (PEP 654): CPython's invalid_except_stmt / invalid_try_stmt */
    expect_perr("try:\n    pass\nexcept* :\n    pass\n", SIM_DIAG_SYNTAX,
                "expected one or more exception types", 3, 8, 9);
    expect_perr("try:\n    pass\nexcept E:\n    pass\nexcept *F:\n    pass\n", SIM_DIAG_SYNTAX,
                "cannot have both 'except' and 'except*' on the same 'try'", 5, 0, 8);
    expect_perr("try:\n    pass\nexcept* E:\n    pass\nexcept F:\n    pass\n", SIM_DIAG_SYNTAX,
                "cannot have both 'except' and 'except*' on the same 'try'", 5, 0, 6);
    expect_perr("try:\n    pass\nexcept* E:\npass\n", SIM_DIAG_INDENTATION,
                "expected an indented block after 'except*' statement on line 3", 4, 0, -1);
    /* a tokenizer error later in the file wins over an earlier syntax error */
    expect_perr("x = = 1\ny = 'abc\n", SIM_DIAG_SYNTAX, "unterminated string literal (detected at line 2)",
                2, 4, -1);
}

static void test_unsupported(void **state)
{
    (void)state;
    expect_perr("match cmd:\n    case 1:\n        pass\n", SIM_DIAG_UNSUPPORTED,
                "aiosim does not support match statements yet", 1, 0, -1);
    expect_perr("x = b''\n", SIM_DIAG_UNSUPPORTED, "aiosim does not support bytes literals yet", 1, 4, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_construct),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_fstring_expression_positions),
        cmocka_unit_test(test_string_values),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_parser_errors),
        cmocka_unit_test(test_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
