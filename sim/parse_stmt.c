/* parse_stmt.c — statements, after CPython 3.11's Grammar/python.gram. */
#include "parser.h"

#include <string.h>

#define TOK(p) sim__tok(p)

static int statement(sim_parser *p, sim_nlist *body);

static int is_name(sim_parser *p, int k, const char *s)
{
    sim_token *t = sim__peek(p, k);
    return t->kind == TOK_NAME && t->len == strlen(s) && memcmp(t->start, s, t->len) == 0;
}

static const char *ident(sim_parser *p)
{
    sim_token *t = TOK(p);
    if (t->kind != TOK_NAME || t->kw) {
        sim__syntax_error(p);
        return NULL;
    }
    p->pos++;
    return sim_arena_strndup(p->A, t->start, t->len);
}

/* block: NEWLINE INDENT statements DEDENT | simple_stmts
 * with CPython's invalid_*: "expected an indented block after <what> on line N". */
static int block(sim_parser *p, sim_nlist *body, const char *what, int line)
{
    if (TOK(p)->kind != TOK_NEWLINE)
        return statement(p, body);      /* simple_stmts on the same line */
    p->pos++;
    sim_token *t = TOK(p);
    if (t->kind != TOK_INDENT) {
        if (t->kind == TOK_ERROR) { sim__syntax_error(p); return -1; }
        int l = t->line, c = t->col;
        /* at the end of the file CPython points at its last line, without a caret */
        sim_token *end = t->kind == TOK_DEDENT ? sim__peek(p, 1) : t;
        if (end->kind == TOK_ENDMARKER) {
            l = end->line - 1;
            c = -1;
        } else if (t->kind == TOK_DEDENT) {
            c = -1;                     /* a DEDENT has no column: no caret */
        }
        sim__error(p, SIM_DIAG_INDENTATION, l, c, l, -1,
                   "expected an indented block after %s on line %d", what, line);
        return -1;
    }
    p->pos++;
    while (TOK(p)->kind != TOK_DEDENT && TOK(p)->kind != TOK_ENDMARKER)
        if (statement(p, body) < 0) return -1;
    if (TOK(p)->kind == TOK_DEDENT) p->pos++;
    return 0;
}

/* "'else' statement": ['else' &&':' block] */
static int else_block(sim_parser *p, sim_nlist *orelse)
{
    if (!sim__is_kw(p, KW_ELSE)) return 0;
    int line = TOK(p)->line;
    p->pos++;
    if (!sim__expect_colon(p, 1)) return -1;
    return block(p, orelse, "'else' statement", line);
}

/* ---- simple statements ----------------------------------------------------- */

/* The right side of an assignment: yield_expr | star_expressions */
static sim_node *rhs(sim_parser *p)
{
    return sim__is_kw(p, KW_YIELD) ? sim__yield_expr(p) : sim__star_expressions(p);
}

static int augassign_op(int op)
{
    switch (op) {
    case T_PLUSEQUAL: return SIM_BINOP_ADD;       case T_MINEQUAL: return SIM_BINOP_SUB;
    case T_STAREQUAL: return SIM_BINOP_MUL;       case T_SLASHEQUAL: return SIM_BINOP_TRUEDIV;
    case T_DOUBLESLASHEQUAL: return SIM_BINOP_FLOORDIV; case T_PERCENTEQUAL: return SIM_BINOP_MOD;
    case T_DOUBLESTAREQUAL: return SIM_BINOP_POW; case T_LEFTSHIFTEQUAL: return SIM_BINOP_LSHIFT;
    case T_RIGHTSHIFTEQUAL: return SIM_BINOP_RSHIFT; case T_AMPEREQUAL: return SIM_BINOP_AND;
    case T_VBAREQUAL: return SIM_BINOP_OR;        case T_CIRCUMFLEXEQUAL: return SIM_BINOP_XOR;
    case T_ATEQUAL: return SIM_BINOP_MATMUL;
    default: return -1;
    }
}

/* assignment: NAME ':' expression ['=' annotated_rhs]
 *           | (star_targets '=')+ (yield_expr | star_expressions)
 *           | single_target augassign ~ (yield_expr | star_expressions)
 * star_expressions (an expression statement) otherwise. */
static sim_node *expr_or_assign(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *e = rhs(p);
    if (!e) return NULL;
    if (sim__is_op(p, T_COLON)) {                    /* annotated assignment */
        sim_node *s = sim__node(p, S_ANNASSIGN, t);
        if (!s) return NULL;
        p->pos++;                                    /* the target is judged only */
        if (!sim__expression(p)) return NULL;        /* with an annotation after it */
        if (e->kind != E_NAME && e->kind != E_ATTRIBUTE && e->kind != E_SUBSCRIPT) {
            sim__error_node(p, e, e->kind == E_TUPLE ? "only single target (not tuple) can be annotated"
                                : e->kind == E_LIST ? "only single target (not list) can be annotated"
                                : "illegal target for annotation");
            return NULL;
        }
        e->ctx = CTX_STORE;
        s->a = e;
        if (sim__accept_op(p, T_EQUAL) && !(s->b = rhs(p))) return NULL;
        return sim__finish(p, s);
    }
    if (TOK(p)->kind == TOK_OP && augassign_op(TOK(p)->op) >= 0) {
        sim_node *s = sim__node(p, S_AUGASSIGN, t);
        if (!s || !sim__set_store(p, e, CTX_STORE, "augmented")) return NULL;
        s->op = augassign_op(TOK(p)->op);
        p->pos++;
        s->a = e;
        if (!(s->b = rhs(p))) return NULL;
        return sim__finish(p, s);
    }
    if (!sim__is_op(p, T_EQUAL)) {
        sim_node *s = sim__node(p, S_EXPR, t);
        if (s) s->a = e;
        return sim__finish(p, s);
    }
    sim_node *s = sim__node(p, S_ASSIGN, t);
    if (!s) return NULL;
    while (sim__accept_op(p, T_EQUAL)) {
        if (!sim__push(p, &s->elts, e) || !(e = rhs(p))) return NULL;
    }
    s->a = e;
    /* CPython words a bad target "here. Maybe you meant '=='" only in `t = v` with
     * one target that is not a display or True/False/None (invalid_named_expression);
     * otherwise plainly (invalid_assignment) */
    for (int i = 0; i < s->elts.n; i++) {
        sim_node *x = s->elts.v[i];
        int here = s->elts.n == 1 && x->kind != E_LIST && x->kind != E_TUPLE &&
                   x->kind != E_GENEXP && !(x->kind == E_CONST && (x->cval == SIM_CONST_TRUE ||
                   x->cval == SIM_CONST_FALSE || x->cval == SIM_CONST_NONE));
        if (!sim__set_store(p, x, CTX_STORE, here ? "assignment here" : "assignment")) return NULL;
    }
    return sim__finish(p, s);
}

/* dotted_name: dotted_name '.' NAME | NAME  (into one arena string) */
static const char *dotted_name(sim_parser *p)
{
    sim_token *t = TOK(p);
    const char *start = t->start, *end;
    if (!ident(p)) return NULL;
    end = t->start + t->len;
    while (sim__is_op(p, T_DOT)) {
        p->pos++;
        t = TOK(p);
        if (!ident(p)) return NULL;
        end = t->start + t->len;
    }
    /* the source text may hold spaces around dots: rebuild without them */
    char *s = sim_arena_strndup(p->A, start, (size_t)(end - start));
    if (s) {
        char *w = s;
        for (char *r = s; *r; r++) if (*r != ' ' && *r != '\t') *w++ = *r;
        *w = 0;
    }
    return s;
}

/* import_name: 'import' dotted_as_names
 * dotted_as_name: dotted_name ['as' NAME] */
static sim_node *import_name(sim_parser *p, sim_node *s)
{
    do {
        sim_node *a = sim__node(p, E_ALIAS, TOK(p));
        if (!a || !(a->name = dotted_name(p))) return NULL;
        if (sim__accept_kw(p, KW_AS) && !(a->name2 = ident(p))) return NULL;
        if (!sim__push(p, &s->elts, sim__finish(p, a))) return NULL;
    } while (sim__accept_op(p, T_COMMA));
    return sim__finish(p, s);
}

/* import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
 * import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names | '*' */
static sim_node *import_from(sim_parser *p, sim_node *s)
{
    if (sim__is_op(p, T_DOT) || sim__is_op(p, T_ELLIPSIS)) {
        sim__unsupported(p, s->line, s->col, "relative imports");
        return NULL;
    }
    if (!(s->name = dotted_name(p))) return NULL;
    if (!sim__accept_kw(p, KW_IMPORT)) { sim__syntax_error(p); return NULL; }
    if (sim__is_op(p, T_STAR)) {
        sim_node *a = sim__node(p, E_ALIAS, TOK(p));
        p->pos++;
        if (!a) return NULL;
        a->name = "*";
        return sim__push(p, &s->elts, a) ? sim__finish(p, s) : NULL;
    }
    int paren = sim__accept_op(p, T_LPAR);
    do {
        if (paren && sim__is_op(p, T_RPAR)) break;
        if (!paren && s->elts.n && TOK(p)->kind == TOK_NEWLINE) {
            sim__error_tok(p, SIM_DIAG_SYNTAX, TOK(p),
                           "trailing comma not allowed without surrounding parentheses");
            return NULL;
        }
        sim_node *a = sim__node(p, E_ALIAS, TOK(p));
        if (!a || !(a->name = ident(p))) return NULL;
        if (sim__accept_kw(p, KW_AS) && !(a->name2 = ident(p))) return NULL;
        if (!sim__push(p, &s->elts, sim__finish(p, a))) return NULL;
    } while (sim__accept_op(p, T_COMMA));
    if (paren && !sim__expect_op(p, T_RPAR)) return NULL;
    return sim__finish(p, s);
}

/* global_stmt: 'global' ','.NAME+ ; nonlocal_stmt: 'nonlocal' ','.NAME+ */
static sim_node *names_stmt(sim_parser *p, sim_node *s)
{
    do {
        sim_node *n = sim__node(p, E_NAME, TOK(p));
        if (!n || !(n->name = ident(p))) return NULL;
        if (!sim__push(p, &s->elts, n)) return NULL;
    } while (sim__accept_op(p, T_COMMA));
    return sim__finish(p, s);
}

/* del_stmt: 'del' del_targets &(';' | NEWLINE) */
static sim_node *del_stmt(sim_parser *p, sim_node *s)
{
    do {
        if (TOK(p)->kind == TOK_NEWLINE || sim__is_op(p, T_SEMI)) break;
        sim_node *e = sim__bitwise_or(p);
        if (!e || !sim__set_store(p, e, CTX_DEL, "del") || !sim__push(p, &s->elts, e)) return NULL;
    } while (sim__accept_op(p, T_COMMA));
    return sim__finish(p, s);
}

/* simple_stmt: assignment | star_expressions | return_stmt | import_stmt
 *            | raise_stmt | 'pass' | del_stmt | yield_stmt | assert_stmt | 'break'
 *            | 'continue' | global_stmt | nonlocal_stmt */
static sim_node *simple_stmt(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *s;
    int kw = t->kind == TOK_NAME ? t->kw : 0;
    switch (kw) {
    case KW_PASS: case KW_BREAK: case KW_CONTINUE:
        s = sim__node(p, kw == KW_PASS ? S_PASS : kw == KW_BREAK ? S_BREAK : S_CONTINUE, t);
        p->pos++;
        return s;
    case KW_RETURN:                  /* return_stmt: 'return' [star_expressions] */
        s = sim__node(p, S_RETURN, t);
        p->pos++;
        if (s && TOK(p)->kind != TOK_NEWLINE && !sim__is_op(p, T_SEMI) &&
            !(s->a = sim__star_expressions(p)))
            return NULL;
        return sim__finish(p, s);
    case KW_RAISE:                   /* raise_stmt: 'raise' expression ['from' expression] | 'raise' */
        s = sim__node(p, S_RAISE, t);
        p->pos++;
        if (s && TOK(p)->kind != TOK_NEWLINE && !sim__is_op(p, T_SEMI)) {
            if (!(s->a = sim__expression(p))) return NULL;
            if (sim__accept_kw(p, KW_FROM) && !(s->b = sim__expression(p))) return NULL;
        }
        return sim__finish(p, s);
    case KW_GLOBAL: case KW_NONLOCAL:
        s = sim__node(p, kw == KW_GLOBAL ? S_GLOBAL : S_NONLOCAL, t);
        p->pos++;
        return s ? names_stmt(p, s) : NULL;
    case KW_DEL:
        s = sim__node(p, S_DELETE, t);
        p->pos++;
        return s ? del_stmt(p, s) : NULL;
    case KW_ASSERT:                  /* assert_stmt: 'assert' expression [',' expression] */
        s = sim__node(p, S_ASSERT, t);
        p->pos++;
        if (!s || !(s->a = sim__expression(p))) return NULL;
        if (sim__accept_op(p, T_COMMA) && !(s->b = sim__expression(p))) return NULL;
        return sim__finish(p, s);
    case KW_IMPORT:
        s = sim__node(p, S_IMPORT, t);
        p->pos++;
        return s ? import_name(p, s) : NULL;
    case KW_FROM:
        s = sim__node(p, S_IMPORTFROM, t);
        p->pos++;
        return s ? import_from(p, s) : NULL;
    default:
        return expr_or_assign(p);
    }
}

/* invalid_legacy_expression: a=NAME !'(' b=star_expressions, for `print "x"` and
 * `exec code`: "Missing parentheses in call to 'print'. Did you mean print(...)?" */
static void legacy_print(sim_parser *p, const sim_node *s)
{
    const sim_node *a = s->kind == S_EXPR ? s->a : NULL;
    if (!a || a->kind != E_NAME || (strcmp(a->name, "print") && strcmp(a->name, "exec")))
        return;
    size_t save = p->pos;
    sim_perr saved = *p->err;
    sim_node *b = sim__star_expressions(p);
    int ok = b && p->err->kind == SIM_DIAG_NONE;
    *p->err = saved;
    p->pos = save;
    if (ok)
        sim__error(p, SIM_DIAG_SYNTAX, a->line, a->col, b->end_line, b->end_col,
                   "Missing parentheses in call to '%s'. Did you mean %s(...)?", a->name, a->name);
}

/* simple_stmts: simple_stmt !';' NEWLINE | ';'.simple_stmt+ [';'] NEWLINE */
static int simple_stmts(sim_parser *p, sim_nlist *body)
{
    for (;;) {
        if (!sim__push(p, body, simple_stmt(p))) return -1;
        if (TOK(p)->kind == TOK_NEWLINE) break;
        if (!sim__is_op(p, T_SEMI)) {
            sim_node *last = body->v[body->n - 1];
            legacy_print(p, last);
            sim__syntax_error(p);
            /* `x = a.b{...`: CPython's second pass tries an expression at the bracket
             * (invalid_expression) and reads on, to the end if it never closes */
            sim_token *t = TOK(p), *prev = &p->toks[p->pos - 1];
            if ((last->kind == S_EXPR || last->kind == S_ASSIGN) && t->kind == TOK_OP &&
                (t->op == T_LPAR || t->op == T_LSQB || t->op == T_LBRACE) &&
                ((prev->kind == TOK_NAME && !prev->kw) || prev->kind == TOK_NUMBER ||
                 prev->kind == TOK_STRING))
                p->furthest = p->ntoks - 1;
            return -1;
        }
        p->pos++;
        if (TOK(p)->kind == TOK_NEWLINE) break;
    }
    p->pos++;
    return 0;
}

/* ---- compound statements --------------------------------------------------- */

/* if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
 * elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block]) */
static sim_node *if_stmt(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *s = sim__node(p, S_IF, t);
    p->pos++;
    if (!s || !(s->a = sim__named_expression(p)) || !sim__expect_colon(p, 0)) return NULL;
    if (block(p, &s->body, t->kw == KW_IF ? "'if' statement" : "'elif' statement", t->line) < 0)
        return NULL;
    if (sim__is_kw(p, KW_ELIF)) {
        if (!sim__push(p, &s->orelse, if_stmt(p))) return NULL;
    } else if (else_block(p, &s->orelse) < 0) {
        return NULL;
    }
    return sim__finish(p, s);
}

/* while_stmt: 'while' named_expression ':' block [else_block] */
static sim_node *while_stmt(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *s = sim__node(p, S_WHILE, t);
    p->pos++;
    if (!s || !(s->a = sim__named_expression(p)) || !sim__expect_colon(p, 0)) return NULL;
    if (block(p, &s->body, "'while' statement", t->line) < 0 || else_block(p, &s->orelse) < 0)
        return NULL;
    return sim__finish(p, s);
}

/* for_stmt: ['async'] 'for' star_targets 'in' ~ star_expressions ':' block [else_block] */
static sim_node *for_stmt(sim_parser *p, sim_token *t, int is_async)
{
    sim_node *s = sim__node(p, S_FOR, t);
    if (!s) return NULL;
    s->op = is_async;
    int line = TOK(p)->line;
    p->pos++;
    if (!(s->a = sim__star_targets(p)) || !sim__set_store(p, s->a, CTX_STORE, "for")) return NULL;
    if (!sim__accept_kw(p, KW_IN)) { sim__syntax_error(p); return NULL; }
    if (!(s->b = sim__star_expressions(p)) || !sim__expect_colon(p, 0)) return NULL;
    if (block(p, &s->body, "'for' statement", line) < 0 || else_block(p, &s->orelse) < 0)
        return NULL;
    return sim__finish(p, s);
}

/* with_item: expression 'as' star_target &(',' | ')' | ':') | expression */
static int with_item(sim_parser *p, sim_node *s)
{
    sim_node *w = sim__node(p, E_WITHITEM, TOK(p));
    if (!w || !(w->a = sim__expression(p))) return -1;
    if (sim__accept_kw(p, KW_AS)) {
        if (!(w->b = sim__bitwise_or(p)) || !sim__set_store(p, w->b, CTX_STORE, "with"))
            return -1;
    }
    return sim__push(p, &s->elts, sim__finish(p, w)) ? 0 : -1;
}

/* The parenthesized form 'with' '(' ','.with_item+ ','? ')' ':' — tried first,
 * without reporting errors; 0 when it does not apply. */
static int with_paren_items(sim_parser *p, sim_node *s)
{
    size_t save = p->pos;
    sim_perr saved = *p->err;
    p->pos++;
    int ok = 1;
    do {
        if (sim__is_op(p, T_RPAR)) break;
        if (with_item(p, s) < 0) { ok = 0; break; }
    } while (sim__accept_op(p, T_COMMA));
    ok = ok && sim__accept_op(p, T_RPAR) && sim__is_op(p, T_COLON) && p->err->kind == SIM_DIAG_NONE;
    if (ok) return 1;
    *p->err = saved;
    p->pos = save;
    s->elts.n = 0;
    return 0;
}

/* with_stmt: ['async'] 'with' ( '(' ','.with_item+ ','? ')' | ','.with_item+ ) ':' block */
static sim_node *with_stmt(sim_parser *p, sim_token *t, int is_async)
{
    sim_node *s = sim__node(p, S_WITH, t);
    if (!s) return NULL;
    s->op = is_async;
    int line = TOK(p)->line;
    p->pos++;
    if (!(sim__is_op(p, T_LPAR) && with_paren_items(p, s))) {
        do {
            if (with_item(p, s) < 0) return NULL;
        } while (sim__accept_op(p, T_COMMA));
    }
    if (!sim__expect_colon(p, 0) || block(p, &s->body, "'with' statement", line) < 0) return NULL;
    return sim__finish(p, s);
}

/* except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
 * except_star_block: 'except' '*' expression ['as' NAME] ':' block  (h->op = 1) */
static sim_node *except_block(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *h = sim__node(p, S_EXCEPTHANDLER, t);
    p->pos++;
    if (!h) return NULL;
    if (sim__accept_op(p, T_STAR)) {
        h->op = 1;
        if (sim__is_op(p, T_COLON) || TOK(p)->kind == TOK_NEWLINE) {
            sim__error_tok(p, SIM_DIAG_SYNTAX, TOK(p), "expected one or more exception types");
            return NULL;
        }
    }
    if (!sim__is_op(p, T_COLON)) {
        if (!(h->a = sim__expression(p))) return NULL;
        if (sim__is_op(p, T_COMMA)) {
            sim_node *first = h->a;
            while (sim__accept_op(p, T_COMMA))
                if (!sim__expression(p)) return NULL;
            sim__error(p, SIM_DIAG_SYNTAX, first->line, first->col, p->toks[p->pos - 1].end_line,
                       p->toks[p->pos - 1].end_col, "multiple exception types must be parenthesized");
            return NULL;
        }
        if (sim__accept_kw(p, KW_AS) && !(h->name = ident(p))) return NULL;
    }
    if (!sim__expect_colon(p, 0) ||
        block(p, &h->body, h->op ? "'except*' statement" : "'except' statement", t->line) < 0)
        return NULL;
    return sim__finish(p, h);
}

/* try_stmt: 'try' &&':' block finally_block
 *         | 'try' &&':' block except_block+ [else_block] [finally_block]
 * finally_block: 'finally' &&':' block */
static sim_node *try_stmt(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *s = sim__node(p, S_TRY, t);
    p->pos++;
    if (!s || !sim__expect_colon(p, 1) || block(p, &s->body, "'try' statement", t->line) < 0)
        return NULL;
    while (sim__is_kw(p, KW_EXCEPT)) {
        sim_token *e = TOK(p);
        sim_node *h = except_block(p);
        if (!sim__push(p, &s->elts, h)) return NULL;
        if (s->elts.n > 1 && h->op != s->op) {     /* invalid_try_stmt */
            sim__error(p, SIM_DIAG_SYNTAX, e->line, e->col, e->line, h->op ? e[1].end_col : e->end_col,
                       "cannot have both 'except' and 'except*' on the same 'try'");
            return NULL;
        }
        s->op = h->op;                              /* S_TRY op: 1 for try/except* */
    }
    if (s->elts.n && else_block(p, &s->orelse) < 0) return NULL;
    if (sim__is_kw(p, KW_FINALLY)) {
        int line = TOK(p)->line;
        p->pos++;
        if (!sim__expect_colon(p, 1) || block(p, &s->finalbody, "'finally' statement", line) < 0)
            return NULL;
    }
    if (!s->elts.n && !s->finalbody.n) {
        sim_token *b = TOK(p);
        if (b->kind == TOK_ERROR || b->kind == TOK_INDENT) sim__syntax_error(p);
        else sim__error_tok(p, SIM_DIAG_SYNTAX, b, "expected 'except' or 'finally' block");
        return NULL;
    }
    return sim__finish(p, s);
}

/* function_def_raw: ['async'] 'def' NAME &&'(' [params] ')' ['->' expression] &&':' block */
static sim_node *funcdef(sim_parser *p, sim_token *t, int is_async)
{
    sim_node *s = sim__node(p, S_FUNCDEF, t);
    if (!s) return NULL;
    s->op = is_async;
    int line = TOK(p)->line;
    p->pos++;
    if (!(s->name = ident(p))) return NULL;
    if (!sim__is_op(p, T_LPAR)) {
        sim__error_tok(p, SIM_DIAG_SYNTAX, TOK(p), "expected '('");
        return NULL;
    }
    p->pos++;
    if (!(s->args = sim__params(p, 0)) || !sim__expect_op(p, T_RPAR)) return NULL;
    if (sim__accept_op(p, T_RARROW) && !sim__expression(p)) return NULL;
    if (!sim__expect_colon(p, 1) || block(p, &s->body, "function definition", line) < 0) return NULL;
    return sim__finish(p, s);
}

/* class_def_raw: 'class' NAME ['(' [arguments] ')'] &&':' block */
static sim_node *classdef(sim_parser *p, sim_token *t)
{
    sim_node *s = sim__node(p, S_CLASSDEF, t);
    if (!s) return NULL;
    int line = TOK(p)->line;
    p->pos++;
    if (!(s->name = ident(p))) return NULL;
    if (sim__is_op(p, T_LPAR)) {
        sim_node *call = sim__node(p, E_CALL, TOK(p));
        if (!call) return NULL;
        call->a = call;
        p->pos++;
        if (sim__call_args(p, call) < 0) return NULL;
        s->elts2 = call->elts;
        s->orelse = call->elts2;
    }
    if (!sim__expect_colon(p, 0) || block(p, &s->body, "class definition", line) < 0) return NULL;
    return sim__finish(p, s);
}

/* decorators: ('@' f=named_expression NEWLINE)+ ; then a def or class */
static sim_node *decorated(sim_parser *p)
{
    sim_nlist decos = {0};
    while (sim__accept_op(p, T_AT)) {
        if (!sim__push(p, &decos, sim__named_expression(p))) return NULL;
        if (TOK(p)->kind != TOK_NEWLINE) { sim__syntax_error(p); return NULL; }
        p->pos++;
    }
    sim_token *t = TOK(p);
    sim_node *s = NULL;
    if (sim__is_kw(p, KW_DEF)) s = funcdef(p, t, 0);
    else if (sim__is_kw(p, KW_CLASS)) s = classdef(p, t);
    else if (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_DEF) {
        p->pos++;
        s = funcdef(p, t, 1);
    } else {
        sim__syntax_error(p);
        return NULL;
    }
    if (s) s->elts = decos;
    return s;
}

/* `match` is a soft keyword: a line `match <subject>:` is a match statement. */
static int is_match_stmt(sim_parser *p)
{
    if (!is_name(p, 0, "match")) return 0;
    sim_token *n = sim__peek(p, 1);
    if (n->kind == TOK_NEWLINE || (n->kind == TOK_OP && n->op != T_LPAR && n->op != T_LSQB &&
                                   n->op != T_LBRACE && n->op != T_MINUS && n->op != T_STAR))
        return 0;
    size_t i = p->pos + 1;
    while (i < p->ntoks && p->toks[i].kind != TOK_NEWLINE && p->toks[i].kind != TOK_ERROR &&
           p->toks[i].kind != TOK_ENDMARKER)
        i++;
    return i < p->ntoks && p->toks[i].kind == TOK_NEWLINE && i > 0 &&
           p->toks[i - 1].kind == TOK_OP && p->toks[i - 1].op == T_COLON;
}

/* statement: compound_stmt | simple_stmts
 * compound_stmt: function_def | if_stmt | class_def | with_stmt | for_stmt
 *              | try_stmt | while_stmt | match_stmt */
static int statement(sim_parser *p, sim_nlist *body)
{
    sim_token *t = TOK(p);
    sim_node *s;
    if (t->kind == TOK_OP && t->op == T_AT) {
        s = decorated(p);
    } else if (t->kind == TOK_NAME && t->kw) {
        switch (t->kw) {
        case KW_DEF: s = funcdef(p, t, 0); break;
        case KW_CLASS: s = classdef(p, t); break;
        case KW_IF: s = if_stmt(p); break;
        case KW_WHILE: s = while_stmt(p); break;
        case KW_FOR: s = for_stmt(p, t, 0); break;
        case KW_WITH: s = with_stmt(p, t, 0); break;
        case KW_TRY: s = try_stmt(p); break;
        case KW_ASYNC: {
            int next = sim__peek(p, 1)->kw;
            if (next != KW_DEF && next != KW_FOR && next != KW_WITH) {
                p->pos++;
                sim__syntax_error(p);
                return -1;
            }
            p->pos++;
            s = next == KW_DEF ? funcdef(p, t, 1) : next == KW_FOR ? for_stmt(p, t, 1)
                                                                   : with_stmt(p, t, 1);
            break;
        }
        default:
            return simple_stmts(p, body);
        }
    } else if (is_match_stmt(p)) {
        sim__unsupported(p, t->line, t->col, "match statements");
        return -1;
    } else if (t->kind == TOK_NEWLINE || t->kind == TOK_INDENT || t->kind == TOK_ERROR) {
        sim__syntax_error(p);
        return -1;
    } else {
        return simple_stmts(p, body);
    }
    return sim__push(p, body, s) ? 0 : -1;
}

/* statements: statement+ (until a DEDENT or the end of the file) */
int sim__statements(sim_parser *p, sim_nlist *body)
{
    while (TOK(p)->kind != TOK_ENDMARKER && TOK(p)->kind != TOK_DEDENT)
        if (statement(p, body) < 0) return -1;
    return 0;
}
