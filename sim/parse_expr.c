/* parse_expr.c — expressions, after CPython 3.11's Grammar/python.gram. */
#include "parser.h"

#include <string.h>

#define TOK(p) sim__tok(p)

static sim_node *disjunction(sim_parser *p);
static sim_node *primary(sim_parser *p);
static sim_node *factor(sim_parser *p);
static sim_node *star_named_expression(sim_parser *p);
static int for_if_clauses(sim_parser *p, sim_nlist *gens);
void sim__bracket_error(sim_parser *p, sim_node *last);

/* Tokens that can start an expression (used for "Perhaps you forgot a comma?"). */
static int starts_expression(sim_parser *p)
{
    sim_token *t = TOK(p);
    if (t->kind == TOK_NUMBER || t->kind == TOK_STRING) return 1;
    if (t->kind == TOK_NAME)
        return t->kw == 0 || t->kw == KW_TRUE || t->kw == KW_FALSE || t->kw == KW_NONE ||
               t->kw == KW_NOT || t->kw == KW_LAMBDA || t->kw == KW_AWAIT;
    if (t->kind == TOK_OP)
        return t->op == T_LPAR || t->op == T_LSQB || t->op == T_LBRACE ||
               t->op == T_MINUS || t->op == T_PLUS || t->op == T_TILDE || t->op == T_ELLIPSIS;
    return 0;
}

/* A bracketed display or call found an unexpected token after `last`. CPython's
 * invalid_expression: `!(NAME STRING | SOFT_KEYWORD) a=disjunction
 * b=expression_without_invalid` inside brackets gives "Perhaps you forgot a comma?"
 * over a..b; anything else is "invalid syntax" at the token. */
void sim__bracket_error(sim_parser *p, sim_node *last)
{
    if (last && starts_expression(p) && last->kind != E_IFEXP && last->kind != E_LAMBDA &&
        last->kind != E_STARRED && last->kind != E_NAMEDEXPR &&
        !(last->kind == E_NAME && TOK(p)->kind == TOK_STRING &&
          p->toks[p->pos - 1].kind == TOK_NAME)) {
        size_t save = p->pos;
        sim_perr saved = *p->err;
        sim_node *b = sim__expression(p);
        int ok = b && p->err->kind == SIM_DIAG_NONE;
        *p->err = saved;
        if (ok) {
            sim__error(p, SIM_DIAG_SYNTAX, last->line, last->col, b->end_line, b->end_col,
                       "invalid syntax. Perhaps you forgot a comma?");
            return;
        }
        p->pos = save;
    }
    sim__syntax_error(p);
}

/* ---- atoms ----------------------------------------------------------------- */

/* A list or set display stopped at an unexpected token: CPython's
 * invalid_comprehension for `[a, b for ...]`, else the bracket rules. */
static void display_error(sim_parser *p, const sim_nlist *elts)
{
    sim_node *last = elts->v[elts->n - 1];
    if (elts->n > 1 && (sim__is_kw(p, KW_FOR) ||
                        (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR))) {
        sim_node *first = elts->v[0];
        sim__error(p, SIM_DIAG_SYNTAX, first->line, first->col, last->end_line, last->end_col,
                   "did you forget parentheses around the comprehension target?");
        return;
    }
    sim__bracket_error(p, last);
}

static sim_node *make_const(sim_parser *p, sim_const_kind k)
{
    sim_node *n = sim__node(p, E_CONST, TOK(p));
    if (n) n->cval = k;
    sim__accept_op(p, TOK(p)->op);   /* consumes '...' (ops) */
    return n;
}

/* tuple | group | genexp:
 *   '(' [star_named_expression ',' [star_named_expressions]] ')'
 *   '(' (yield_expr | named_expression) ')'
 *   '(' named_expression for_if_clauses ')' */
static sim_node *paren_atom(sim_parser *p)
{
    sim_token *open = TOK(p);
    sim__accept_op(p, T_LPAR);
    if (sim__accept_op(p, T_RPAR))
        return sim__finish(p, sim__node(p, E_TUPLE, open));
    if (sim__is_kw(p, KW_YIELD)) {
        sim_node *y = sim__yield_expr(p);
        if (!y || !sim__expect_op(p, T_RPAR)) return NULL;
        return y;
    }
    sim_node *first = star_named_expression(p);
    if (!first) return NULL;
    if (sim__is_kw(p, KW_FOR) || (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR)) {
        sim_node *g = sim__node(p, E_GENEXP, open);
        if (!g) return NULL;
        g->a = first;
        if (for_if_clauses(p, &g->elts) < 0) return NULL;
        if (!sim__is_op(p, T_RPAR)) { sim__bracket_error(p, NULL); return NULL; }
        sim__accept_op(p, T_RPAR);
        return sim__finish(p, g);
    }
    if (sim__accept_op(p, T_RPAR)) {
        if (first->kind == E_STARRED) {
            sim__error_node(p, first, "cannot use starred expression here");
            return NULL;
        }
        return first;     /* a group: the node keeps its own position, as CPython's */
    }
    if (!sim__is_op(p, T_COMMA)) { sim__bracket_error(p, first); return NULL; }
    sim_node *t = sim__node(p, E_TUPLE, open);
    if (!sim__push(p, &t->elts, first)) return NULL;
    while (sim__accept_op(p, T_COMMA)) {
        if (sim__is_op(p, T_RPAR)) break;
        if (!sim__push(p, &t->elts, star_named_expression(p))) return NULL;
    }
    if (!sim__is_op(p, T_RPAR)) { sim__bracket_error(p, t->elts.v[t->elts.n - 1]); return NULL; }
    sim__accept_op(p, T_RPAR);
    return sim__finish(p, t);
}

/* list | listcomp:
 *   '[' [star_named_expressions] ']'  |  '[' named_expression for_if_clauses ']' */
static sim_node *list_atom(sim_parser *p)
{
    sim_token *open = TOK(p);
    sim__accept_op(p, T_LSQB);
    sim_node *l = sim__node(p, E_LIST, open);
    if (!l) return NULL;
    if (sim__accept_op(p, T_RSQB)) return sim__finish(p, l);
    sim_node *first = star_named_expression(p);
    if (!first) return NULL;
    if (sim__is_kw(p, KW_FOR) || (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR)) {
        l->kind = E_LISTCOMP;
        l->a = first;
        if (for_if_clauses(p, &l->elts) < 0) return NULL;
        if (!sim__is_op(p, T_RSQB)) { sim__bracket_error(p, NULL); return NULL; }
        sim__accept_op(p, T_RSQB);
        return sim__finish(p, l);
    }
    if (!sim__push(p, &l->elts, first)) return NULL;
    while (sim__accept_op(p, T_COMMA)) {
        if (sim__is_op(p, T_RSQB)) break;
        if (!sim__push(p, &l->elts, star_named_expression(p))) return NULL;
    }
    if (!sim__is_op(p, T_RSQB)) { display_error(p, &l->elts); return NULL; }
    sim__accept_op(p, T_RSQB);
    return sim__finish(p, l);
}

/* One dict item: '**' bitwise_or | expression ':' expression. */
static int dict_item(sim_parser *p, sim_node *d)
{
    if (sim__accept_op(p, T_DOUBLESTAR)) {
        if (sim_nlist_push(p->A, &d->elts, NULL) < 0) return -1;
        return sim__push(p, &d->elts2, sim__bitwise_or(p)) ? 0 : -1;
    }
    sim_node *k = sim__expression(p);
    if (!k) return -1;
    if (!sim__is_op(p, T_COLON)) {
        if (sim__is_op(p, T_COMMA) || sim__is_op(p, T_RBRACE))
            sim__error_tok(p, SIM_DIAG_SYNTAX, &p->toks[p->pos - 1], "':' expected after dictionary key");
        else
            sim__bracket_error(p, k);
        return -1;
    }
    sim__accept_op(p, T_COLON);
    sim_node *v = sim__expression(p);
    if (!v || sim_nlist_push(p->A, &d->elts, k) < 0) return -1;
    return sim__push(p, &d->elts2, v) ? 0 : -1;
}

/* dict | set | dictcomp | setcomp:
 *   '{' [double_starred_kvpairs] '}'  |  '{' star_named_expressions '}'
 *   '{' kvpair for_if_clauses '}'     |  '{' named_expression for_if_clauses '}' */
static sim_node *brace_atom(sim_parser *p)
{
    sim_token *open = TOK(p);
    sim__accept_op(p, T_LBRACE);
    sim_node *d = sim__node(p, E_DICT, open);
    if (!d) return NULL;
    if (sim__accept_op(p, T_RBRACE)) return sim__finish(p, d);
    int is_dict = sim__is_op(p, T_DOUBLESTAR);
    sim_node *first = NULL;
    if (!is_dict) {
        if (!(first = star_named_expression(p))) return NULL;
        is_dict = sim__is_op(p, T_COLON);
    }
    if (is_dict) {
        if (first) {
            sim__accept_op(p, T_COLON);
            sim_node *v = sim__expression(p);
            if (!v || !sim__push(p, &d->elts, first) || !sim__push(p, &d->elts2, v)) return NULL;
            if (sim__is_kw(p, KW_FOR) || (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR)) {
                d->kind = E_DICTCOMP;
                d->a = first;
                d->b = v;
                d->elts.n = d->elts2.n = 0;
                if (for_if_clauses(p, &d->elts) < 0) return NULL;
                if (!sim__expect_op(p, T_RBRACE)) return NULL;
                return sim__finish(p, d);
            }
        } else if (dict_item(p, d) < 0) {
            return NULL;
        }
        while (sim__accept_op(p, T_COMMA)) {
            if (sim__is_op(p, T_RBRACE)) break;
            if (dict_item(p, d) < 0) return NULL;
        }
        if (!sim__is_op(p, T_RBRACE)) { sim__bracket_error(p, d->elts2.v[d->elts2.n - 1]); return NULL; }
        sim__accept_op(p, T_RBRACE);
        return sim__finish(p, d);
    }
    d->kind = E_SET;
    if (sim__is_kw(p, KW_FOR) || (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR)) {
        d->kind = E_SETCOMP;
        d->a = first;
        if (for_if_clauses(p, &d->elts) < 0 || !sim__expect_op(p, T_RBRACE)) return NULL;
        return sim__finish(p, d);
    }
    if (!sim__push(p, &d->elts, first)) return NULL;
    while (sim__accept_op(p, T_COMMA)) {
        if (sim__is_op(p, T_RBRACE)) break;
        if (!sim__push(p, &d->elts, star_named_expression(p))) return NULL;
    }
    if (!sim__is_op(p, T_RBRACE)) { display_error(p, &d->elts); return NULL; }
    sim__accept_op(p, T_RBRACE);
    return sim__finish(p, d);
}

/* atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | (tuple | group | genexp)
 *     | (list | listcomp) | (dict | set | dictcomp | setcomp) | '...' */
static sim_node *atom(sim_parser *p)
{
    sim_token *t = TOK(p);
    switch (t->kind) {
    case TOK_NAME:
        if (t->kw == KW_TRUE || t->kw == KW_FALSE || t->kw == KW_NONE) {
            sim_node *n = sim__node(p, E_CONST, t);
            if (n) n->cval = t->kw == KW_TRUE ? SIM_CONST_TRUE : t->kw == KW_FALSE ? SIM_CONST_FALSE
                                                                               : SIM_CONST_NONE;
            p->pos++;
            return n;
        }
        if (t->kw) break;
        {
            sim_node *n = sim__node(p, E_NAME, t);
            if (n) n->name = sim_arena_strndup(p->A, t->start, t->len);
            p->pos++;
            return n && n->name ? n : NULL;
        }
    case TOK_NUMBER: return sim__number(p);
    case TOK_STRING: return sim__strings(p);
    case TOK_OP:
        switch (t->op) {
        case T_LPAR: return paren_atom(p);
        case T_LSQB: return list_atom(p);
        case T_LBRACE: return brace_atom(p);
        case T_ELLIPSIS: return make_const(p, SIM_CONST_ELLIPSIS);
        default: break;
        }
        break;
    default:
        break;
    }
    sim__syntax_error(p);
    return NULL;
}

/* ---- primaries ------------------------------------------------------------- */

static int has_dstar(const sim_node *call)
{
    for (int i = 0; i < call->elts2.n; i++)
        if (!call->elts2.v[i]->name) return 1;
    return 0;
}

/* kwarg_or_starred: NAME '=' expression | starred_expression
 * kwarg_or_double_starred: NAME '=' expression | '**' expression */
static int keyword_arg(sim_parser *p, sim_node *call)
{
    sim_token *t = TOK(p);
    sim_node *k = sim__node(p, E_KEYWORD, t);
    if (!k) return -1;
    if (sim__accept_op(p, T_DOUBLESTAR)) {
        if (!(k->a = sim__expression(p))) return -1;
    } else {
        k->name = sim_arena_strndup(p->A, t->start, t->len);
        sim_token *eq = sim__peek(p, 1);
        p->pos += 2;
        for (int i = 0; k->name && i < call->elts2.n; i++)
            if (call->elts2.v[i]->name && strcmp(call->elts2.v[i]->name, k->name) == 0) {
                if (!(k->a = sim__expression(p))) return -1;
                sim__error_node(p, sim__finish(p, k), "keyword argument repeated: %s", k->name);
                return -1;
            }
        if (!(k->a = sim__expression(p))) return -1;
        if (sim__is_kw(p, KW_FOR) || (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR)) {
            sim__error(p, SIM_DIAG_SYNTAX, t->line, t->col, eq->end_line, eq->end_col,
                       "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
            return -1;
        }
    }
    return sim__push(p, &call->elts2, sim__finish(p, k)) ? 0 : -1;
}

/* '*' expression — iterable unpacking in a call. */
static sim_node *starred_arg(sim_parser *p, sim_node *call, sim_token *t)
{
    if (has_dstar(call)) {
        sim__error(p, SIM_DIAG_SYNTAX, t->line, t->col, t->line, t->col + 1,
                   "iterable argument unpacking follows keyword argument unpacking");
        return NULL;
    }
    sim_node *a = sim__node(p, E_STARRED, t);
    p->pos++;
    if (!a || !(a->a = sim__expression(p))) return NULL;
    return sim__finish(p, a);
}

/* A positional argument: (assignment_expression | expression !':=') !'=', or the
 * bare generator expression of f(x for x in y), with CPython's invalid_arguments
 * and invalid_kwarg messages. */
static sim_node *positional_arg(sim_parser *p, sim_node *call, sim_token *t)
{
    int walrus = t->kind == TOK_NAME && sim__peek(p, 1)->kind == TOK_OP &&
                 sim__peek(p, 1)->op == T_COLONEQUAL;
    sim_node *a = walrus ? sim__named_expression(p) : sim__expression(p);
    if (!a) return NULL;
    if (sim__is_op(p, T_EQUAL)) {
        sim_token *eq = TOK(p);
        sim__error(p, SIM_DIAG_SYNTAX, a->line, a->col, eq->end_line, eq->end_col,
                   "expression cannot contain assignment, perhaps you meant \"==\"?");
        return NULL;
    }
    if (sim__is_kw(p, KW_FOR) || (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR)) {
        sim_node *g = sim__node(p, E_GENEXP, t);
        if (!g) return NULL;
        g->a = a;
        if (for_if_clauses(p, &g->elts) < 0) return NULL;
        sim__finish(p, g);
        if (call->elts.n || call->elts2.n || sim__is_op(p, T_COMMA)) {
            sim__error_node(p, g, "Generator expression must be parenthesized");
            return NULL;
        }
        g->col = call->a->end_col;          /* CPython: the genexp spans the parens */
        return g;
    }
    if (call->elts2.n) {
        sim_node *kw = call->elts2.v[call->elts2.n - 1];
        sim__error_tok(p, SIM_DIAG_SYNTAX, TOK(p),
                       kw->name ? "positional argument follows keyword argument"
                                : "positional argument follows keyword argument unpacking");
        return NULL;
    }
    return a;
}

/* args: ','.(starred_expression | (assignment_expression | expression !':=') !'=')+
 *       [',' kwargs] | kwargs
 * The call node's elts get the positional arguments, elts2 the keywords. A generator
 * expression is allowed bare when it is the only argument. */
static int call_args(sim_parser *p, sim_node *call)
{
    sim_node *last = NULL;
    while (!sim__is_op(p, T_RPAR)) {
        sim_token *t = TOK(p);
        if (sim__is_op(p, T_DOUBLESTAR) ||
            (t->kind == TOK_NAME && !t->kw && sim__peek(p, 1)->kind == TOK_OP &&
             sim__peek(p, 1)->op == T_EQUAL)) {
            if (keyword_arg(p, call) < 0) return -1;
            last = call->elts2.v[call->elts2.n - 1]->a;
        } else {
            sim_node *a = sim__is_op(p, T_STAR) ? starred_arg(p, call, t) : positional_arg(p, call, t);
            if (!sim__push(p, &call->elts, a)) return -1;
            last = a;
        }
        if (sim__accept_op(p, T_COMMA)) continue;
        if (!sim__is_op(p, T_RPAR)) { sim__bracket_error(p, last); return -1; }
    }
    p->pos++;
    return 0;
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static sim_node *slice(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *lo = NULL;
    if (!sim__is_op(p, T_COLON)) {
        if (sim__is_op(p, T_STAR)) return star_named_expression(p);
        if (!(lo = sim__named_expression(p))) return NULL;
        if (!sim__is_op(p, T_COLON)) return lo;
    }
    sim_node *s = sim__node(p, E_SLICE, t);
    if (!s) return NULL;
    s->a = lo;
    sim__accept_op(p, T_COLON);
    if (!sim__is_op(p, T_COLON) && !sim__is_op(p, T_RSQB) && !sim__is_op(p, T_COMMA) &&
        !(s->b = sim__expression(p)))
        return NULL;
    if (sim__accept_op(p, T_COLON) && !sim__is_op(p, T_RSQB) && !sim__is_op(p, T_COMMA) &&
        !(s->c = sim__expression(p)))
        return NULL;
    return sim__finish(p, s);
}

/* slices: slice !',' | ','.(slice | starred_expression)+ [','] */
static sim_node *slices(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *first = slice(p);
    if (!first || !sim__is_op(p, T_COMMA)) return first;
    sim_node *tup = sim__node(p, E_TUPLE, t);
    if (!sim__push(p, &tup->elts, first)) return NULL;
    while (sim__accept_op(p, T_COMMA)) {
        if (sim__is_op(p, T_RSQB)) break;
        if (!sim__push(p, &tup->elts, slice(p))) return NULL;
    }
    return sim__finish(p, tup);
}

/* primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')'
 *        | primary '[' slices ']' | atom */
static sim_node *primary(sim_parser *p)
{
    sim_token *start = TOK(p);
    sim_node *e = atom(p);
    while (e) {
        sim_node *n;
        if (sim__accept_op(p, T_DOT)) {
            sim_token *name = TOK(p);
            if (name->kind != TOK_NAME || name->kw) { sim__syntax_error(p); return NULL; }
            if (!(n = sim__node(p, E_ATTRIBUTE, start))) return NULL;
            n->a = e;
            n->name = sim_arena_strndup(p->A, name->start, name->len);
            p->pos++;
        } else if (sim__is_op(p, T_LPAR)) {
            if (!(n = sim__node(p, E_CALL, start))) return NULL;
            n->a = e;
            p->pos++;
            if (call_args(p, n) < 0) return NULL;
        } else if (sim__accept_op(p, T_LSQB)) {
            if (!(n = sim__node(p, E_SUBSCRIPT, start))) return NULL;
            n->a = e;
            if (!(n->b = slices(p))) return NULL;
            if (!sim__is_op(p, T_RSQB)) { sim__bracket_error(p, n->b); return NULL; }
            p->pos++;
        } else {
            break;
        }
        n->line = e->line;
        n->col = e->col;
        e = sim__finish(p, n);
    }
    return e;
}

/* await_primary: 'await' primary | primary */
static sim_node *await_primary(sim_parser *p)
{
    if (!sim__is_kw(p, KW_AWAIT)) return primary(p);
    sim_node *n = sim__node(p, E_AWAIT, TOK(p));
    p->pos++;
    if (!n || !(n->a = primary(p))) return NULL;
    return sim__finish(p, n);
}

/* power: await_primary '**' factor | await_primary */
static sim_node *power(sim_parser *p)
{
    sim_node *l = await_primary(p);
    if (!l || !sim__is_op(p, T_DOUBLESTAR)) return l;
    p->pos++;
    sim_node *n = sim__node(p, E_BINOP, TOK(p));
    if (!n || !sim__enter(p)) return NULL;
    n->b = factor(p);
    sim__leave(p);
    if (!n->b) return NULL;
    n->a = l;
    n->op = SIM_BINOP_POW;
    n->line = l->line;
    n->col = l->col;
    return sim__finish(p, n);
}

/* factor: '+' factor | '-' factor | '~' factor | power */
static sim_node *factor(sim_parser *p)
{
    sim_token *t = TOK(p);
    if (t->kind == TOK_OP && (t->op == T_PLUS || t->op == T_MINUS || t->op == T_TILDE)) {
        sim_node *n = sim__node(p, E_UNARYOP, t);
        p->pos++;
        if (!n || !sim__enter(p)) return NULL;
        n->a = factor(p);
        sim__leave(p);
        if (!n->a) return NULL;
        n->op = t->op;
        return sim__finish(p, n);
    }
    return power(p);
}

/* The binary-operator levels, lowest-binding last:
 *   term: term ('*' | '/' | '//' | '%' | '@') factor | factor
 *   sum: sum ('+' | '-') term | term
 *   shift_expr: shift_expr ('<<' | '>>') sum | sum
 *   bitwise_and: bitwise_and '&' shift_expr | shift_expr
 *   bitwise_xor: bitwise_xor '^' bitwise_and | bitwise_and
 *   bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor */
static int binop_of(int level, int op)
{
    switch (level) {
    case 0: return op == T_STAR ? SIM_BINOP_MUL : op == T_SLASH ? SIM_BINOP_TRUEDIV
                 : op == T_DOUBLESLASH ? SIM_BINOP_FLOORDIV : op == T_PERCENT ? SIM_BINOP_MOD
                 : op == T_AT ? SIM_BINOP_MATMUL : -1;
    case 1: return op == T_PLUS ? SIM_BINOP_ADD : op == T_MINUS ? SIM_BINOP_SUB : -1;
    case 2: return op == T_LEFTSHIFT ? SIM_BINOP_LSHIFT : op == T_RIGHTSHIFT ? SIM_BINOP_RSHIFT : -1;
    case 3: return op == T_AMPER ? SIM_BINOP_AND : -1;
    case 4: return op == T_CIRCUMFLEX ? SIM_BINOP_XOR : -1;
    default: return op == T_VBAR ? SIM_BINOP_OR : -1;
    }
}

static sim_node *binary_level(sim_parser *p, int level)
{
    sim_node *l = level == 0 ? factor(p) : binary_level(p, level - 1);
    for (;;) {
        if (!l || TOK(p)->kind != TOK_OP) return l;
        int op = binop_of(level, TOK(p)->op);
        if (op < 0) return l;
        p->pos++;
        sim_node *n = sim__node(p, E_BINOP, TOK(p));
        if (!n) return NULL;
        n->a = l;
        n->op = op;
        if (!(n->b = level == 0 ? factor(p) : binary_level(p, level - 1))) return NULL;
        n->line = l->line;
        n->col = l->col;
        l = sim__finish(p, n);
    }
}

/* Remembers the tokens of the disjunction just parsed, for the comma hint. */
static sim_node *note_disjunction(sim_parser *p, size_t start, sim_node *e)
{
    if (e) {
        p->disj_start = start + 1;
        p->disj_end = p->pos;
    }
    return e;
}

sim_node *sim__bitwise_or(sim_parser *p)
{
    size_t start = p->pos;
    return note_disjunction(p, start, binary_level(p, 5));
}

/* compare_op_bitwise_or_pair: '==' | '!=' | '<=' | '<' | '>=' | '>' | 'not' 'in'
 *                             | 'in' | 'is' 'not' | 'is'   (then bitwise_or) */
static int compare_op(sim_parser *p)
{
    sim_token *t = TOK(p);
    if (t->kind == TOK_OP) {
        int c = t->op == T_EQEQUAL ? SIM_CMP_EQ : t->op == T_NOTEQUAL ? SIM_CMP_NE
              : t->op == T_LESSEQUAL ? SIM_CMP_LE : t->op == T_LESS ? SIM_CMP_LT
              : t->op == T_GREATEREQUAL ? SIM_CMP_GE : t->op == T_GREATER ? SIM_CMP_GT : -1;
        if (c >= 0) p->pos++;
        return c;
    }
    if (t->kind != TOK_NAME) return -1;
    if (t->kw == KW_IN) { p->pos++; return CMP_IN; }
    if (t->kw == KW_NOT && sim__peek(p, 1)->kw == KW_IN) { p->pos += 2; return CMP_NOTIN; }
    if (t->kw == KW_IS) {
        p->pos++;
        if (sim__accept_kw(p, KW_NOT)) return CMP_ISNOT;
        return CMP_IS;
    }
    return -1;
}

/* comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or */
static sim_node *comparison(sim_parser *p)
{
    sim_node *l = sim__bitwise_or(p);
    if (!l) return NULL;
    sim_node *c = NULL;
    int ops[64], n = 0, op;
    while ((op = compare_op(p)) >= 0) {
        if (!c && !(c = sim__node(p, E_COMPARE, TOK(p)))) return NULL;
        if (n == 64) { sim__unsupported(p, l->line, l->col, "chains of more than 64 comparisons"); return NULL; }
        ops[n++] = op;
        if (!sim__push(p, &c->elts, sim__bitwise_or(p))) return NULL;
    }
    if (!c) return l;
    c->a = l;
    c->line = l->line;
    c->col = l->col;
    if (!(c->ops = sim_arena_alloc(p->A, sizeof(int) * (size_t)n))) return NULL;
    memcpy(c->ops, ops, sizeof(int) * (size_t)n);
    return sim__finish(p, c);
}

/* inversion: 'not' inversion | comparison */
static sim_node *inversion(sim_parser *p)
{
    if (!sim__is_kw(p, KW_NOT)) return comparison(p);
    sim_node *n = sim__node(p, E_UNARYOP, TOK(p));
    p->pos++;
    if (!n || !sim__enter(p)) return NULL;
    n->a = inversion(p);
    sim__leave(p);
    if (!n->a) return NULL;
    n->op = UNARY_NOT_OP;
    return sim__finish(p, n);
}

/* conjunction: inversion ('and' inversion)+ | inversion
 * disjunction: conjunction ('or' conjunction)+ | conjunction */
static sim_node *boolop(sim_parser *p, int kw)
{
    sim_node *l = kw == KW_AND ? inversion(p) : boolop(p, KW_AND);
    if (!l || !sim__is_kw(p, kw)) return l;
    sim_node *b = sim__node(p, E_BOOLOP, TOK(p));
    if (!b || !sim__push(p, &b->elts, l)) return NULL;
    b->op = kw;
    b->line = l->line;
    b->col = l->col;
    while (sim__accept_kw(p, kw))
        if (!sim__push(p, &b->elts, kw == KW_AND ? inversion(p) : boolop(p, KW_AND))) return NULL;
    return sim__finish(p, b);
}

static sim_node *disjunction(sim_parser *p)
{
    size_t start = p->pos;
    return note_disjunction(p, start, boolop(p, KW_OR));
}

/* CPython's invalid_expression in general: inside brackets, a disjunction followed
 * by another expression is "invalid syntax. Perhaps you forgot a comma?" over both.
 * Tried where a token fits no rule; returns 1 if it reported. */
int sim__forgot_comma(sim_parser *p)
{
    if (p->probing || !p->disj_end || p->disj_end != p->pos || !starts_expression(p))
        return 0;
    sim_token *a = &p->toks[p->disj_start - 1];
    if (a->kind == TOK_NAME && p->toks[p->disj_start].kind == TOK_STRING)
        return 0;                       /* !(NAME STRING): `print "x"` and prefixes */
    size_t save = p->pos;
    sim_perr saved = *p->err;
    p->probing = 1;
    sim_node *b = sim__expression(p);
    p->probing = 0;
    int ok = b && p->err->kind == SIM_DIAG_NONE &&
             (p->toks[p->pos - 1].level > 0 || p->fstring_depth > 0);
    *p->err = saved;
    p->pos = save;
    if (!ok) return 0;
    sim__error(p, SIM_DIAG_SYNTAX, a->line, a->col, b->end_line, b->end_col,
               "invalid syntax. Perhaps you forgot a comma?");
    return 1;
}

/* ---- parameters ------------------------------------------------------------ */

/* One parameter: NAME [':' expression] (annotation dropped; none for lambdas). */
static sim_node *param(sim_parser *p, int is_lambda)
{
    sim_token *t = TOK(p);
    if (t->kind != TOK_NAME || t->kw) { sim__syntax_error(p); return NULL; }
    sim_node *a = sim__node(p, E_ARG, t);
    if (!a || !(a->name = sim_arena_strndup(p->A, t->start, t->len))) return NULL;
    p->pos++;
    if (!is_lambda && sim__accept_op(p, T_COLON) && !sim__expression(p)) return NULL;
    return sim__finish(p, a);
}

static int params_end(sim_parser *p, int is_lambda)
{
    return is_lambda ? sim__is_op(p, T_COLON) : sim__is_op(p, T_RPAR);
}

/* The '*' [param] (',' param ['=' default])* [',' '**' param] tail. */
static int star_params(sim_parser *p, sim_args *a, int is_lambda)
{
    sim_token *star = TOK(p);
    p->pos++;
    if (params_end(p, is_lambda)) {
        sim__error(p, SIM_DIAG_SYNTAX, star->line, star->col, star->line, star->col + 1,
                   "named arguments must follow bare *");
        return -1;
    }
    if (!sim__is_op(p, T_COMMA)) {
        if (!(a->vararg = param(p, is_lambda))) return -1;
    } else if (params_end(p, is_lambda) || sim__peek(p, 1)->kind != TOK_NAME) {
        sim__error_tok(p, SIM_DIAG_SYNTAX, star, "named arguments must follow bare *");
        return -1;
    }
    while (sim__accept_op(p, T_COMMA)) {
        if (params_end(p, is_lambda) || sim__is_op(p, T_DOUBLESTAR)) break;
        if (sim__is_op(p, T_STAR)) {
            sim__error_tok(p, SIM_DIAG_SYNTAX, TOK(p), "* argument may appear only once");
            return -1;
        }
        sim_node *k = param(p, is_lambda);
        if (!k || !sim__push(p, &a->kwonly, k)) return -1;
        sim_node *d = NULL;
        if (sim__accept_op(p, T_EQUAL) && !(d = sim__expression(p))) return -1;
        if (sim_nlist_push(p->A, &a->kw_defaults, d) < 0) return -1;
    }
    return 0;
}

/* parameters: slash_no_default param_no_default* param_with_default* [star_etc]
 *           | ... (CPython's five alternatives) — here as one loop:
 *   ','.(param ['=' expression] | '/' | '*' [param] | '**' param)+
 * with the ordering rules checked as we go. Ends before ')' (def) or ':' (lambda). */
sim_args *sim__params(sim_parser *p, int is_lambda)
{
    sim_args *a = sim_arena_alloc(p->A, sizeof *a);
    if (!a) return NULL;
    while (!params_end(p, is_lambda)) {
        if (sim__is_op(p, T_DOUBLESTAR)) {
            p->pos++;
            if (!(a->kwarg = param(p, is_lambda))) return NULL;
            if (sim__accept_op(p, T_COMMA) && !params_end(p, is_lambda)) {
                sim__error_tok(p, SIM_DIAG_SYNTAX, TOK(p), "arguments cannot follow var-keyword argument");
                return NULL;
            }
            break;
        }
        if (sim__is_op(p, T_STAR)) {
            if (star_params(p, a, is_lambda) < 0) return NULL;
            if (sim__is_op(p, T_DOUBLESTAR)) continue;
            break;
        }
        if (sim__is_op(p, T_SLASH)) {
            sim_token *t = TOK(p);
            if (a->posonly.n || !a->args.n) {
                sim__error_tok(p, SIM_DIAG_SYNTAX, t, a->posonly.n ? "/ may appear only once"
                                                                   : "at least one argument must precede /");
                return NULL;
            }
            a->posonly = a->args;
            memset(&a->args, 0, sizeof a->args);
            p->pos++;
        } else {
            sim_node *x = param(p, is_lambda);
            if (!x || !sim__push(p, &a->args, x)) return NULL;
            if (sim__accept_op(p, T_EQUAL)) {
                if (!sim__push(p, &a->defaults, sim__expression(p))) return NULL;
            } else if (a->defaults.n) {
                sim__error_node(p, x, "non-default argument follows default argument");
                return NULL;
            }
        }
        if (!sim__accept_op(p, T_COMMA)) break;
    }
    if (!params_end(p, is_lambda)) {
        sim__syntax_error(p);
        return NULL;
    }
    return a;
}

/* lambdef: 'lambda' [lambda_params] ':' expression */
static sim_node *lambdef(sim_parser *p)
{
    sim_node *l = sim__node(p, E_LAMBDA, TOK(p));
    p->pos++;
    if (!l || !(l->args = sim__params(p, 1))) return NULL;
    if (!sim__expect_op(p, T_COLON) || !(l->a = sim__expression(p))) return NULL;
    return sim__finish(p, l);
}

/* ---- expressions ----------------------------------------------------------- */

static sim_node *expression(sim_parser *p);

sim_node *sim__expression(sim_parser *p)
{
    sim_node *e = sim__enter(p) ? expression(p) : NULL;
    sim__leave(p);
    return e;
}

/* expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef */
static sim_node *expression(sim_parser *p)
{
    if (sim__is_kw(p, KW_LAMBDA)) return lambdef(p);
    sim_node *body = disjunction(p);
    if (!body || !sim__is_kw(p, KW_IF)) return body;
    p->pos++;
    sim_node *n = sim__node(p, E_IFEXP, TOK(p));
    if (!n || !(n->a = disjunction(p))) return NULL;
    n->b = body;
    n->line = body->line;
    n->col = body->col;
    if (!sim__accept_kw(p, KW_ELSE)) {
        sim__finish(p, n);
        sim__error(p, SIM_DIAG_SYNTAX, n->line, n->col, n->end_line, n->end_col,
                   "expected 'else' after 'if' expression");
        return NULL;
    }
    if (!(n->c = sim__expression(p))) return NULL;
    return sim__finish(p, n);
}

/* CPython's invalid_named_expression, for `if x = 1:` and `[a=1]`:
 *   a=NAME '=' b=bitwise_or !('='|':=')  -> "Maybe you meant '==' or ':='" over a..b
 *   !(list|tuple|genexp|True|None|False) a=bitwise_or '=' bitwise_or !('='|':=')
 *                                        -> "cannot assign to X here. Maybe ..." at a
 * Called with '=' as the current token; reports nothing when neither applies. */
static void invalid_named_expression(sim_parser *p, sim_node *a)
{
    if (a->kind == E_LIST || a->kind == E_TUPLE || a->kind == E_GENEXP ||
        (a->kind == E_CONST && a->cval != SIM_CONST_INT && a->cval != SIM_CONST_FLOAT &&
         a->cval != SIM_CONST_STR && a->cval != SIM_CONST_ELLIPSIS))
        return;
    size_t save = p->pos;
    sim_perr saved = *p->err;
    p->pos++;
    sim_node *b = sim__bitwise_or(p);
    int ok = b && p->err->kind == SIM_DIAG_NONE && !sim__is_op(p, T_EQUAL) &&
             !sim__is_op(p, T_COLONEQUAL);
    *p->err = saved;
    p->pos = save;
    if (!ok) return;
    if (a->kind == E_NAME)
        sim__error(p, SIM_DIAG_SYNTAX, a->line, a->col, b->end_line, b->end_col,
                   "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    else
        sim__set_store(p, a, CTX_STORE, "assignment here");
}

/* named_expression: NAME ':=' ~ expression | expression !':=' */
sim_node *sim__named_expression(sim_parser *p)
{
    sim_token *t = TOK(p);
    if (t->kind == TOK_NAME && !t->kw && sim__peek(p, 1)->kind == TOK_OP &&
        sim__peek(p, 1)->op == T_COLONEQUAL) {
        sim_node *n = sim__node(p, E_NAMEDEXPR, t);
        sim_node *target = atom(p);
        if (!n || !target) return NULL;
        target->ctx = CTX_STORE;
        p->pos++;
        n->a = target;
        if (!(n->b = sim__expression(p))) return NULL;
        return sim__finish(p, n);
    }
    sim_node *e = sim__expression(p);
    if (e && sim__is_op(p, T_EQUAL)) {
        invalid_named_expression(p, e);
        if (sim__failed(p)) return NULL;
    }
    return e;
}

/* star_named_expression: '*' bitwise_or | named_expression */
static sim_node *star_named_expression(sim_parser *p)
{
    if (!sim__is_op(p, T_STAR)) return sim__named_expression(p);
    sim_node *n = sim__node(p, E_STARRED, TOK(p));
    p->pos++;
    if (!n || !(n->a = sim__bitwise_or(p))) return NULL;
    return sim__finish(p, n);
}

/* Can the current token start an expression after a ',' in a bare tuple? */
static int tuple_continues(sim_parser *p)
{
    return starts_expression(p) || sim__is_op(p, T_STAR);
}

/* star_expressions: star_expression (',' star_expression)+ [','] | star_expression ','
 *                 | star_expression
 * star_expression: '*' bitwise_or | expression */
sim_node *sim__star_expressions(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *first = sim__is_op(p, T_STAR) ? star_named_expression(p) : sim__expression(p);
    if (!first || !sim__is_op(p, T_COMMA)) return first;
    sim_node *tup = sim__node(p, E_TUPLE, t);
    if (!sim__push(p, &tup->elts, first)) return NULL;
    while (sim__accept_op(p, T_COMMA)) {
        if (!tuple_continues(p)) break;
        sim_node *e = sim__is_op(p, T_STAR) ? star_named_expression(p) : sim__expression(p);
        if (!sim__push(p, &tup->elts, e)) return NULL;
    }
    return sim__finish(p, tup);
}

/* star_targets: star_target !',' | star_target (',' star_target)* [','], where a
 * target is parsed at the bitwise_or level (so `for x in y` stops before `in`). */
sim_node *sim__star_targets(sim_parser *p)
{
    sim_token *t = TOK(p);
    sim_node *first = sim__is_op(p, T_STAR) ? star_named_expression(p) : sim__bitwise_or(p);
    if (!first || !sim__is_op(p, T_COMMA)) return first;
    sim_node *tup = sim__node(p, E_TUPLE, t);
    if (!sim__push(p, &tup->elts, first)) return NULL;
    while (sim__accept_op(p, T_COMMA)) {
        if (!tuple_continues(p)) break;
        sim_node *e = sim__is_op(p, T_STAR) ? star_named_expression(p) : sim__bitwise_or(p);
        if (!sim__push(p, &tup->elts, e)) return NULL;
    }
    return sim__finish(p, tup);
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
sim_node *sim__yield_expr(sim_parser *p)
{
    sim_node *y = sim__node(p, E_YIELD, TOK(p));
    p->pos++;
    if (!y) return NULL;
    if (sim__accept_kw(p, KW_FROM)) {
        y->kind = E_YIELDFROM;
        if (!(y->a = sim__expression(p))) return NULL;
    } else if (tuple_continues(p)) {
        if (!(y->a = sim__star_expressions(p))) return NULL;
    }
    return sim__finish(p, y);
}

/* for_if_clauses: (['async'] 'for' star_targets 'in' ~ disjunction ('if' disjunction)*)+ */
static int for_if_clauses(sim_parser *p, sim_nlist *gens)
{
    while (sim__is_kw(p, KW_FOR) || (sim__is_kw(p, KW_ASYNC) && sim__peek(p, 1)->kw == KW_FOR)) {
        sim_node *c = sim__node(p, E_COMPREHENSION, TOK(p));
        if (!c) return -1;
        if (sim__accept_kw(p, KW_ASYNC)) c->op = 1;
        p->pos++;
        if (!(c->a = sim__star_targets(p)) || !sim__set_store(p, c->a, CTX_STORE, "for"))
            return -1;
        if (!sim__accept_kw(p, KW_IN)) { sim__syntax_error(p); return -1; }
        if (!(c->b = disjunction(p))) return -1;
        while (sim__accept_kw(p, KW_IF))
            if (!sim__push(p, &c->elts, disjunction(p))) return -1;
        if (!sim__push(p, gens, sim__finish(p, c))) return -1;
    }
    return 0;
}

/* ---- targets --------------------------------------------------------------- */

/* CPython's _PyPegen_get_expr_name. */
static const char *expr_name(const sim_node *e)
{
    switch (e->kind) {
    case E_ATTRIBUTE: return "attribute";
    case E_SUBSCRIPT: return "subscript";
    case E_STARRED: return "starred";
    case E_NAME: return "name";
    case E_LIST: return "list";
    case E_TUPLE: return "tuple";
    case E_LAMBDA: return "lambda";
    case E_CALL: return "function call";
    case E_BOOLOP: case E_BINOP: case E_UNARYOP: return "expression";
    case E_GENEXP: return "generator expression";
    case E_YIELD: case E_YIELDFROM: return "yield expression";
    case E_AWAIT: return "await expression";
    case E_LISTCOMP: return "list comprehension";
    case E_SETCOMP: return "set comprehension";
    case E_DICTCOMP: return "dict comprehension";
    case E_DICT: return "dict literal";
    case E_SET: return "set display";
    case E_JOINEDSTR: case E_FORMATTED: return "f-string expression";
    case E_CONST:
        return e->cval == SIM_CONST_NONE ? "None" : e->cval == SIM_CONST_TRUE ? "True"
             : e->cval == SIM_CONST_FALSE ? "False" : e->cval == SIM_CONST_ELLIPSIS ? "ellipsis"
             : "literal";
    case E_COMPARE: return "comparison";
    case E_IFEXP: return "conditional expression";
    case E_NAMEDEXPR: return "named expression";
    default: return "expression";
    }
}

/* Sets the store/del context on a target, or reports what CPython reports for it:
 * "cannot assign to literal here. Maybe you meant '==' instead of '='?",
 * "cannot delete function call", "'tuple' is an illegal expression for augmented
 * assignment". */
int sim__set_store(sim_parser *p, sim_node *e, int ctx, const char *why)
{
    int aug = strcmp(why, "augmented") == 0;
    switch (e->kind) {
    case E_NAME: case E_ATTRIBUTE: case E_SUBSCRIPT:
        e->ctx = ctx;
        return 1;
    case E_TUPLE: case E_LIST:
        if (aug) break;
        for (int i = 0; i < e->elts.n; i++)
            if (!sim__set_store(p, e->elts.v[i], ctx, why)) return 0;
        e->ctx = ctx;
        return 1;
    case E_STARRED:
        if (aug || ctx == CTX_DEL) break;
        e->ctx = ctx;
        return sim__set_store(p, e->a, ctx, why);
    default:
        break;
    }
    if (aug)
        sim__error_node(p, e, "'%s' is an illegal expression for augmented assignment", expr_name(e));
    else if (ctx == CTX_DEL)
        sim__error_node(p, e, "cannot delete %s", expr_name(e));
    else if (e->kind == E_YIELD || e->kind == E_YIELDFROM)
        sim__error_node(p, e, "assignment to yield expression not possible");
    else if (strcmp(why, "assignment here") == 0)
        sim__error_node(p, e, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                        expr_name(e));
    else
        sim__error_node(p, e, "cannot assign to %s", expr_name(e));
    return 0;
}

/* The arguments of a call (or of a class's bases) after '(' up to and including ')'. */
int sim__call_args(sim_parser *p, sim_node *call)
{
    return call_args(p, call);
}
