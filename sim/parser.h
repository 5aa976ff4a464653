/* parser.h — tokens to AST (module-internal to sim/).
 *
 * A hand-written recursive-descent parser for the Python 3.11 grammar (the subset in
 * DESIGN.md §2). Each parse function is headed by the grammar rule it implements,
 * written as in CPython's Grammar/python.gram. The parser does not backtrack except
 * by saving and restoring `pos` in a few marked places.
 *
 * Errors. The first error wins: p_error() records it and every parse function then
 * returns NULL up to sim_parse(). Messages and locations are CPython's:
 *   - a token that fits no rule: "invalid syntax" over that token;
 *   - rules CPython has an `invalid_*` alternative for: its exact message
 *     ("expected ':'", "expected an indented block after 'if' statement on line 3",
 *     "invalid syntax. Perhaps you forgot a comma?", ...);
 *   - a tokenizer error (TOK_ERROR token) reached: the tokenizer's message. A
 *     tokenizer error later in the file also replaces a parser error, as CPython
 *     does when it re-tokenizes the rest of the file after a syntax error.
 *   - constructs outside aiosim's subset: SIM_DIAG_UNSUPPORTED,
 *     "aiosim does not support <construct> yet".
 */
#ifndef SIM_PARSER_H
#define SIM_PARSER_H

#include "ast.h"
#include "compile.h"
#include "lexer.h"

/* A recorded error (byte columns, 0-based; converted into a sim_diag at the end). */
typedef struct sim_perr {
    sim_diag_kind kind;
    char msg[200];
    int line, col, end_line, end_col;  /* col/end_col: 0-based bytes; end_col -1: none */
    const char *text;       /* shown instead of the source line (f-string errors), or NULL */
    int char_cols;          /* a tokenizer error: CPython gives it character columns */
} sim_perr;

typedef struct sim_parser {
    sim_arena *A;
    const char *src;        /* the whole file (for error text and f-string positions) */
    size_t srclen;
    sim_lexer lex;          /* tokens of the file or of one f-string expression */
    sim_token *toks;
    size_t ntoks, pos;
    size_t furthest;        /* the furthest token index looked at */
    size_t disj_start, disj_end;  /* tokens of the last disjunction parsed (+1; 0: none) */
    int probing;            /* inside a trial parse for an error message */
    int depth;              /* nesting of recursive expression rules (bounded) */
    int fstring_depth;      /* nesting of f-string sub-parsers */
    sim_perr *err;          /* shared with sub-parsers; kind NONE while no error */
} sim_parser;

/* Parses a whole module. Returns its S_MODULE node, or NULL with *err filled. */
sim_node *sim_parse(sim_arena *A, const char *src, size_t len, sim_perr *err);

/* Fills a diagnostic from a parser/compiler error (diag.c). 0, or -1 on OOM. */
int sim__diag_from_error(sim_diag *d, const char *filename, const char *src, size_t len,
                         const sim_perr *e);

/* ---- shared between parser files (sim__ prefix) ---- */

sim_token *sim__tok(sim_parser *p);                 /* current token */
sim_token *sim__peek(sim_parser *p, int k);         /* k tokens ahead */
int sim__is_op(sim_parser *p, int op);
int sim__is_kw(sim_parser *p, int kw);
int sim__accept_op(sim_parser *p, int op);
int sim__accept_kw(sim_parser *p, int kw);
/* Consumes the operator, or reports "invalid syntax" (or the tokenizer's error). */
int sim__expect_op(sim_parser *p, int op);
/* Consumes ':' or reports "expected ':'" at the current token: always when
 * `forced` (CPython's &&':' in def, try, else, finally), else only before a
 * NEWLINE (its invalid_if_stmt & co.); "invalid syntax" otherwise. */
int sim__expect_colon(sim_parser *p, int forced);
int sim__failed(sim_parser *p);

/* Enter / leave a recursive rule; past SIM_MAX_NESTING it is CPython's
 * "RecursionError: maximum recursion depth exceeded during compilation" (CPython
 * accepts 1000 nested unary minuses and fails at 3000). */
#define SIM_MAX_NESTING 1500
int sim__enter(sim_parser *p);
void sim__leave(sim_parser *p);

/* Records the first error; positions 0-based byte columns, end_col -1 for none. */
void sim__error(sim_parser *p, sim_diag_kind kind, int line, int col, int end_line,
                int end_col, const char *fmt, ...);
/* Errors over a token / a node. */
void sim__error_tok(sim_parser *p, sim_diag_kind kind, const sim_token *t, const char *fmt, ...);
void sim__error_node(sim_parser *p, const sim_node *n, const char *fmt, ...);
/* "invalid syntax" at the current token (or the tokenizer's error if it is one). */
void sim__syntax_error(sim_parser *p);
void sim__unsupported(sim_parser *p, int line, int col, const char *what);

/* New node starting at token t; sim__finish sets its end to the previous token's. */
sim_node *sim__node(sim_parser *p, sim_node_kind kind, const sim_token *t);
sim_node *sim__finish(sim_parser *p, sim_node *n);
sim_node *sim__push(sim_parser *p, sim_nlist *l, sim_node *n);  /* NULL on failure */

/* parse_expr.c */
sim_node *sim__expression(sim_parser *p);
sim_node *sim__named_expression(sim_parser *p);
sim_node *sim__star_expressions(sim_parser *p);
sim_node *sim__star_targets(sim_parser *p);
sim_node *sim__bitwise_or(sim_parser *p);
sim_node *sim__yield_expr(sim_parser *p);
sim_args *sim__params(sim_parser *p, int is_lambda);
/* The arguments of a call after its '(' (consumes the ')'): elts / elts2 of call. */
int sim__call_args(sim_parser *p, sim_node *call);
/* Checks that `e` can be assigned to (kind: "assignment", "augmented", "del",
 * "for", "comprehension", "with") and sets its ctx; reports CPython's error. */
int sim__set_store(sim_parser *p, sim_node *e, int ctx, const char *why);

/* Reports an unexpected token inside brackets: "invalid syntax. Perhaps you forgot
 * a comma?" when another expression follows `last`, else "invalid syntax". */
void sim__bracket_error(sim_parser *p, sim_node *last);

/* Reports "Perhaps you forgot a comma?" if it applies at the current token. */
int sim__forgot_comma(sim_parser *p);

/* parse_string.c */
sim_node *sim__strings(sim_parser *p);   /* one or more adjacent STRING tokens */
sim_node *sim__number(sim_parser *p);    /* a NUMBER token */

/* parse_stmt.c */
int sim__statements(sim_parser *p, sim_nlist *body);

#endif
