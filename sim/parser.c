/* parser.c — the parser's driver: token access, error recording, sim_parse. */
#include "parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

sim_token *sim__tok(sim_parser *p)
{
    return sim__peek(p, 0);
}

/* Records the furthest token looked at: CPython compares its line with an unclosed
 * bracket's when it decides which error to report. */
sim_token *sim__peek(sim_parser *p, int k)
{
    size_t i = p->pos + (size_t)k;
    if (i >= p->ntoks) i = p->ntoks - 1;
    if (i > p->furthest) p->furthest = i;
    return &p->toks[i];
}

int sim__is_op(sim_parser *p, int op)
{
    sim_token *t = sim__tok(p);
    return t->kind == TOK_OP && t->op == op;
}

int sim__is_kw(sim_parser *p, int kw)
{
    sim_token *t = sim__tok(p);
    return t->kind == TOK_NAME && t->kw == kw;
}

/* The token stream never runs past ENDMARKER or an error token. */
static void advance(sim_parser *p)
{
    sim_tok_kind k = sim__tok(p)->kind;
    if (k != TOK_ENDMARKER && k != TOK_ERROR)
        p->pos++;
}

int sim__accept_op(sim_parser *p, int op)
{
    if (!sim__is_op(p, op)) return 0;
    advance(p);
    return 1;
}

int sim__accept_kw(sim_parser *p, int kw)
{
    if (!sim__is_kw(p, kw)) return 0;
    advance(p);
    return 1;
}

int sim__enter(sim_parser *p)
{
    if (++p->depth <= SIM_MAX_NESTING) return 1;
    sim__error(p, SIM_DIAG_RECURSION, 0, -1, 0, -1, "maximum recursion depth exceeded during compilation");
    return 0;
}

void sim__leave(sim_parser *p)
{
    p->depth--;
}

int sim__failed(sim_parser *p)
{
    return p->err->kind != SIM_DIAG_NONE || p->A->failed;
}

void sim__error(sim_parser *p, sim_diag_kind kind, int line, int col, int end_line,
                int end_col, const char *fmt, ...)
{
    sim_perr *e = p->err;
    if (e->kind != SIM_DIAG_NONE)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->kind = kind;
    e->line = line;
    e->col = col;
    e->end_line = end_line;
    e->end_col = end_col;
}

/* Copies the tokenizer's error (the current token is TOK_ERROR). */
static void lex_error(sim_parser *p)
{
    const sim_lex_error *le = &p->lex.err;
    if (p->err->kind != SIM_DIAG_NONE) return;
    sim__error(p, le->kind, le->line, le->col - 1, le->end_line, le->end_col - 1, "%s", le->msg);
    p->err->char_cols = le->raised;    /* status-code errors are raised by the parser: bytes */
}

void sim__error_tok(sim_parser *p, sim_diag_kind kind, const sim_token *t, const char *fmt, ...)
{
    if (t->kind == TOK_ERROR) {
        lex_error(p);
        return;
    }
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim__error(p, kind, t->line, t->col, t->end_line, t->end_col, "%s", msg);
}

void sim__error_node(sim_parser *p, const sim_node *n, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim__error(p, SIM_DIAG_SYNTAX, n->line, n->col, n->end_line, n->end_col, "%s", msg);
}

/* "invalid syntax" at the current token; an unexpected INDENT is CPython's
 * "unexpected indent" (no caret: INDENT has no column). */
void sim__syntax_error(sim_parser *p)
{
    sim_token *t = sim__tok(p);
    if (t->kind == TOK_ERROR)
        lex_error(p);
    else if (t->kind == TOK_INDENT)
        sim__error(p, SIM_DIAG_INDENTATION, t->line, -1, t->line, -1, "unexpected indent");
    else if (t->kind == TOK_DEDENT)
        sim__error(p, SIM_DIAG_INDENTATION, t->line, -1, t->line, -1, "unexpected unindent");
    else if (t->kind == TOK_ENDMARKER || (t->kind == TOK_NEWLINE && t->len == 0 &&
                                          p->fstring_depth == 0))
        sim__error(p, SIM_DIAG_SYNTAX, t->line, t->col, t->line, t->col + 1,
                   "invalid syntax");
    else if (!sim__forgot_comma(p))
        sim__error_tok(p, SIM_DIAG_SYNTAX, t, "invalid syntax");
}

void sim__unsupported(sim_parser *p, int line, int col, const char *what)
{
    sim__error(p, SIM_DIAG_UNSUPPORTED, line, col, line, -1, "aiosim does not support %s yet", what);
}

int sim__expect_op(sim_parser *p, int op)
{
    if (sim__accept_op(p, op)) return 1;
    sim__syntax_error(p);
    return 0;
}

int sim__expect_colon(sim_parser *p, int forced)
{
    if (sim__accept_op(p, T_COLON)) return 1;
    sim_token *t = sim__tok(p);
    if (t->kind == TOK_ERROR || t->kind == TOK_INDENT || (!forced && t->kind != TOK_NEWLINE))
        sim__syntax_error(p);
    else
        sim__error_tok(p, SIM_DIAG_SYNTAX, t, "expected ':'");
    return 0;
}

sim_node *sim__node(sim_parser *p, sim_node_kind kind, const sim_token *t)
{
    sim_node *n = sim_node_new(p->A, kind, t->line, t->col);
    if (n) {
        n->end_line = t->end_line;
        n->end_col = t->end_col;
    }
    return n;
}

sim_node *sim__finish(sim_parser *p, sim_node *n)
{
    if (n && p->pos > 0) {
        size_t i = p->pos - 1;
        while (i > 0 && (p->toks[i].kind == TOK_DEDENT || p->toks[i].kind == TOK_INDENT ||
                         p->toks[i].kind == TOK_NEWLINE))
            i--;
        sim_token *t = &p->toks[i];
        n->end_line = t->end_line;
        n->end_col = t->end_col;
    }
    return n;
}

sim_node *sim__push(sim_parser *p, sim_nlist *l, sim_node *n)
{
    if (!n || sim_nlist_push(p->A, l, n) < 0) return NULL;
    return n;
}

/* file: [statements] ENDMARKER */
static sim_node *file_rule(sim_parser *p)
{
    sim_node *m = sim__node(p, S_MODULE, sim__tok(p));
    if (!m) return NULL;
    while (sim__tok(p)->kind != TOK_ENDMARKER) {
        if (sim__statements(p, &m->body) < 0) return NULL;
        if (sim__tok(p)->kind != TOK_ENDMARKER) {
            sim__syntax_error(p);
            return NULL;
        }
    }
    return m;
}

/* A syntax error found before the tokenizer's error yields to it, as CPython's
 * _PyPegen_tokenize_full_source_to_check_for_errors does; an unclosed bracket
 * only when the syntax error is on a later line than the bracket. */
static void prefer_tokenizer_error(sim_parser *p)
{
    const sim_lex_error *le = &p->lex.err;
    if (le->kind == SIM_DIAG_NONE || !le->raised || p->err->kind == SIM_DIAG_UNSUPPORTED ||
        p->err->kind == SIM_DIAG_NOMEM || p->err->char_cols)
        return;                        /* (char_cols: it is already the tokenizer's) */
    /* CPython raises "unexpected indent" without looking further */
    if (p->err->kind == SIM_DIAG_INDENTATION && p->err->col < 0 &&
        (!strcmp(p->err->msg, "unexpected indent") || !strcmp(p->err->msg, "unexpected unindent")))
        return;
    if (le->eof_unclosed && !(p->toks[p->furthest].line > le->line))
        return;
    p->err->kind = SIM_DIAG_NONE;
    p->err->text = NULL;
    lex_error(p);
}

sim_node *sim_parse(sim_arena *A, const char *src, size_t len, sim_perr *err)
{
    sim_parser p;
    memset(&p, 0, sizeof p);
    memset(err, 0, sizeof *err);
    p.A = A;
    p.src = src;
    p.srclen = len;
    p.err = err;
    if (sim_lex(&p.lex, src, len, 0, 0, 0) < 0) {
        err->kind = SIM_DIAG_NOMEM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    p.toks = p.lex.toks;
    p.ntoks = p.lex.ntoks;
    sim_node *m = file_rule(&p);
    /* a parse function that fails without an error record ran out of memory */
    if ((A->failed || !m) && err->kind == SIM_DIAG_NONE) {
        err->kind = SIM_DIAG_NOMEM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
    }
    if (err->kind != SIM_DIAG_NONE) {
        prefer_tokenizer_error(&p);
        m = NULL;
    }
    sim_lex_free(&p.lex);
    return m;
}
