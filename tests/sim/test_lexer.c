/* test_lexer.c — sim/lexer: tokens, the line structure (NEWLINE / INDENT / DEDENT
 * as CPython's tokenizer makes them), positions in bytes, and tokenizer errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lexer.h"

/* The tokens of src as one line of text: "NAME(x) OP(=) NUMBER(1) NEWLINE ...". */
static char *tokens(const char *src, int fexpr, sim_lexer *out)
{
    sim_lexer L;
    assert_int_equal(sim_lex(&L, src, strlen(src), 0, 0, fexpr), 0);
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    s[0] = 0;
    static const char *const kinds[] = {"END", "NAME", "NUMBER", "STRING", "NEWLINE",
                                        "INDENT", "DEDENT", "OP", "ERROR"};
    for (size_t i = 0; i < L.ntoks; i++) {
        const sim_token *t = &L.toks[i];
        if (t->kind == TOK_NAME || t->kind == TOK_NUMBER || t->kind == TOK_STRING || t->kind == TOK_OP)
            len += (size_t)snprintf(s + len, cap - len, "%s%s(%.*s)", i ? " " : "", kinds[t->kind],
                                    (int)t->len, t->start);
        else
            len += (size_t)snprintf(s + len, cap - len, "%s%s", i ? " " : "", kinds[t->kind]);
    }
    if (out) *out = L;
    else sim_lex_free(&L);
    return s;
}

static void expect_tokens(const char *src, const char *want)
{
    char *got = tokens(src, 0, NULL);
    assert_string_equal(got, want);
    free(got);
}

static void test_simple_statement(void **state)
{
    (void)state;
    expect_tokens("x = 1\n", "NAME(x) OP(=) NUMBER(1) NEWLINE END");
    expect_tokens("x = 1", "NAME(x) OP(=) NUMBER(1) NEWLINE END");   /* no final newline */
}

static void test_indent_dedent(void **state)
{
    (void)state;
    expect_tokens("if a:\n    if b:\n        c\nd\n",
                  "NAME(if) NAME(a) OP(:) NEWLINE INDENT NAME(if) NAME(b) OP(:) NEWLINE INDENT "
                  "NAME(c) NEWLINE DEDENT DEDENT NAME(d) NEWLINE END");
    expect_tokens("def f():\n    pass", "NAME(def) NAME(f) OP(() OP()) OP(:) NEWLINE INDENT "
                                        "NAME(pass) NEWLINE DEDENT END");
}

static void test_blank_lines_and_comments(void **state)
{
    (void)state;
    /* blank and comment-only lines make no tokens, whatever their indentation */
    expect_tokens("a\n\n   # note\n        \nb  # tail\n", "NAME(a) NEWLINE NAME(b) NEWLINE END");
    /* brackets join lines; no NEWLINE / INDENT inside them */
    expect_tokens("f(1,\n      2)\n", "NAME(f) OP(() NUMBER(1) OP(,) NUMBER(2) OP()) NEWLINE END");
    /* an explicit continuation */
    expect_tokens("x = 1 + \\\n  2\n", "NAME(x) OP(=) NUMBER(1) OP(+) NUMBER(2) NEWLINE END");
}

static void test_operators_longest_match(void **state)
{
    (void)state;
    expect_tokens("a **= b // c -> d ... e := f != g",
                  "NAME(a) OP(**=) NAME(b) OP(//) NAME(c) OP(->) NAME(d) OP(...) NAME(e) OP(:=) "
                  "NAME(f) OP(!=) NAME(g) NEWLINE END");
    expect_tokens("x<<=y>>z", "NAME(x) OP(<<=) NAME(y) OP(>>) NAME(z) NEWLINE END");
}

static void test_numbers(void **state)
{
    (void)state;
    expect_tokens("0x_ff 1_000 3.14 1e-3 .5 5. 0o17 0b1010 0",
                  "NUMBER(0x_ff) NUMBER(1_000) NUMBER(3.14) NUMBER(1e-3) NUMBER(.5) NUMBER(5.) "
                  "NUMBER(0o17) NUMBER(0b1010) NUMBER(0) NEWLINE END");
}

static void test_strings_are_one_token(void **state)
{
    (void)state;
    expect_tokens("f\"{a['k']!r:>{w}}\" r'\\d' '''a\nb''' rb\"x\"",
                  "STRING(f\"{a['k']!r:>{w}}\") STRING(r'\\d') STRING('''a\nb''') STRING(rb\"x\") "
                  "NEWLINE END");
}

static void test_keywords_and_unicode_names(void **state)
{
    (void)state;
    sim_lexer L;
    char *s = tokens("async def 任务(参数): await x  # 注释\n", 0, &L);
    assert_string_equal(s, "NAME(async) NAME(def) NAME(任务) OP(() NAME(参数) OP()) OP(:) "
                           "NAME(await) NAME(x) NEWLINE END");
    assert_int_equal(L.toks[0].kw, KW_ASYNC);
    assert_int_equal(L.toks[1].kw, KW_DEF);
    assert_int_equal(L.toks[2].kw, 0);
    assert_int_equal(L.toks[7].kw, KW_AWAIT);
    /* columns are UTF-8 byte offsets, like CPython's col_offset */
    assert_int_equal(L.toks[2].col, 10);
    assert_int_equal(L.toks[3].col, 16);      /* 任务 is 6 bytes */
    assert_int_equal(L.toks[4].col, 17);
    free(s);
    sim_lex_free(&L);
}

static void test_positions(void **state)
{
    (void)state;
    sim_lexer L;
    char *s = tokens("a = (1,\n     2)\n", 0, &L);
    free(s);
    assert_int_equal(L.toks[5].line, 2);      /* the 2 */
    assert_int_equal(L.toks[5].col, 5);
    assert_int_equal(L.toks[5].end_col, 6);
    assert_int_equal(L.toks[7].kind, TOK_NEWLINE);
    assert_int_equal(L.toks[7].line, 2);
    assert_int_equal(L.toks[7].col, 7);
    sim_lex_free(&L);
}

/* A tokenizer error ends the stream with an ERROR token and keeps the message. */
static void expect_error(const char *src, sim_diag_kind kind, const char *msg, int line, int col)
{
    sim_lexer L;
    char *s = tokens(src, 0, &L);
    free(s);
    assert_int_equal(L.toks[L.ntoks - 1].kind, TOK_ERROR);
    if (L.err.kind != kind || strcmp(L.err.msg, msg) || L.err.line != line || L.err.col != col)
        fprintf(stderr, "%s: %d %s %d:%d\n", src, L.err.kind, L.err.msg, L.err.line, L.err.col);
    assert_int_equal(L.err.kind, kind);
    assert_string_equal(L.err.msg, msg);
    assert_int_equal(L.err.line, line);
    assert_int_equal(L.err.col, col);
    sim_lex_free(&L);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("x = 'abc\n", SIM_DIAG_SYNTAX, "unterminated string literal (detected at line 1)", 1, 5);
    expect_error("x = \"\"\"abc\n\ny\n", SIM_DIAG_SYNTAX,
                 "unterminated triple-quoted string literal (detected at line 3)", 1, 5);
    expect_error("if a:\n     b\n    c\n", SIM_DIAG_INDENTATION,
                 "unindent does not match any outer indentation level", 3, 6);
    expect_error("if a:\n\tif b:\n        c\n", SIM_DIAG_TAB,
                 "inconsistent use of tabs and spaces in indentation", 3, 0);
    expect_error("x = 1\xef\xbc\x8c" "2\n", SIM_DIAG_SYNTAX, "invalid character '\xef\xbc\x8c' (U+FF0C)", 1, 6);
    expect_error("f(1,\n", SIM_DIAG_SYNTAX, "'(' was never closed", 1, 2);
    expect_error("x = ]\n", SIM_DIAG_SYNTAX, "unmatched ']'", 1, 5);
    expect_error("x = 0b2\n", SIM_DIAG_SYNTAX, "invalid digit '2' in binary literal", 1, 7);
    expect_error("x = 12abc\n", SIM_DIAG_SYNTAX, "invalid decimal literal", 1, 6);  /* at the 2 */
}

static void test_fstring_expression_mode(void **state)
{
    (void)state;
    /* f-string sub-expressions: no line structure, positions shifted by the base */
    sim_lexer L;
    assert_int_equal(sim_lex(&L, "a +\n b", 6, 4, 10, 1), 0);
    assert_int_equal(L.ntoks, 4);
    assert_int_equal(L.toks[0].line, 5);
    assert_int_equal(L.toks[0].col, 10);
    assert_int_equal(L.toks[2].line, 6);
    assert_int_equal(L.toks[2].col, 1);
    assert_int_equal(L.toks[3].kind, TOK_ENDMARKER);
    sim_lex_free(&L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_statement),
        cmocka_unit_test(test_indent_dedent),
        cmocka_unit_test(test_blank_lines_and_comments),
        cmocka_unit_test(test_operators_longest_match),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings_are_one_token),
        cmocka_unit_test(test_keywords_and_unicode_names),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fstring_expression_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
