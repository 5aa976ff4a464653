/* ast.h — the abstract syntax tree (module-internal to sim/).
 *
 * One node struct for every kind, in the spirit of CPython's Python.asdl but with
 * generic slots; the table below says what each slot means for each kind. Nodes and
 * everything they point to live in one arena (sim_arena) freed at once after
 * compilation. Positions follow CPython: 1-based lines, 0-based UTF-8 byte columns,
 * end exclusive.
 *
 *  kind            a          b          c        lists / other
 *  ---- expressions ----------------------------------------------------------------
 *  E_NAME          -          -          -        name; ctx
 *  E_CONST         -          -          -        cval (kind NONE/TRUE/FALSE/ELLIPSIS/INT/
 *                                                 FLOAT/STR), str/len for STR
 *  E_JOINEDSTR     -          -          -        elts: E_CONST str | E_FORMATTED
 *  E_FORMATTED     value      spec(JOINEDSTR|NULL) -  op: conversion 0,'s','r','a'
 *  E_BOOLOP        -          -          -        op: KW_AND/KW_OR; elts: values
 *  E_BINOP         left       right      -        op: sim_binop
 *  E_UNARYOP       operand    -          -        op: T_MINUS/T_PLUS/T_TILDE/KW_NOT(+1000)
 *  E_COMPARE       left       -          -        elts: comparators; ops[i]: sim_cmpop,
 *                                                 or CMP_IS/CMP_ISNOT/CMP_IN/CMP_NOTIN
 *  E_LAMBDA        body       -          -        args
 *  E_IFEXP         test       body       orelse
 *  E_DICT          -          -          -        elts: keys (NULL for **v), elts2: values
 *  E_SET/LIST/TUPLE -         -          -        elts; ctx
 *  E_LISTCOMP, E_SETCOMP, E_GENEXP  elt  -  -     elts: E_COMPREHENSION
 *  E_DICTCOMP      key        value      -        elts: E_COMPREHENSION
 *  E_COMPREHENSION target     iter       -        elts: ifs; op: is_async
 *  E_AWAIT/E_YIELD/E_YIELDFROM value(may be NULL for yield)
 *  E_CALL          func       -          -        elts: args (E_STARRED for *a);
 *                                                 elts2: E_KEYWORD
 *  E_KEYWORD       value      -          -        name (NULL for **value)
 *  E_ATTRIBUTE     value      -          -        name; ctx
 *  E_SUBSCRIPT     value      slice      -        ctx
 *  E_SLICE         lower      upper      step     (each may be NULL)
 *  E_STARRED       value      -          -        ctx
 *  E_NAMEDEXPR     target     value      -
 *  E_ARG           -          -          -        name (annotation dropped)
 *  E_ALIAS         -          -          -        name (dotted), name2: asname or NULL
 *  E_WITHITEM      context    vars(or NULL) -
 *  ---- statements -----------------------------------------------------------------
 *  S_FUNCDEF       -          -          -        name, args, body, elts: decorators;
 *                                                 op: is_async
 *  S_CLASSDEF      -          -          -        name, body, elts: decorators,
 *                                                 elts2: bases, orelse: E_KEYWORD
 *  S_RETURN        value(or NULL)
 *  S_DELETE        -          -          -        elts: targets
 *  S_ASSIGN        value      -          -        elts: targets (a = b = value)
 *  S_AUGASSIGN     target     value      -        op: sim_binop
 *  S_ANNASSIGN     target     value(or NULL) -    (the annotation is dropped)
 *  S_FOR           target     iter       -        body, orelse; op: is_async
 *  S_WHILE/S_IF    test       -          -        body, orelse
 *  S_WITH          -          -          -        elts: E_WITHITEM, body; op: is_async
 *  S_RAISE         exc        cause      -
 *  S_TRY           -          -          -        body, elts: S_EXCEPTHANDLER, orelse,
 *                                                 finalbody; op: 1 for try/except*
 *  S_EXCEPTHANDLER type(or NULL) -       -        name (or NULL), body; op: 1 for except*
 *  S_ASSERT        test       msg        -
 *  S_IMPORT        -          -          -        elts: E_ALIAS
 *  S_IMPORTFROM    -          -          -        name: module, elts: E_ALIAS (name "*"
 *                                                 for import *); op: level
 *  S_GLOBAL/S_NONLOCAL -      -          -        elts: E_NAME
 *  S_EXPR          value
 *  S_PASS/S_BREAK/S_CONTINUE
 *  S_MODULE        -          -          -        body
 */
#ifndef SIM_AST_H
#define SIM_AST_H

#include <stddef.h>
#include <stdint.h>

#include "code.h"

#define SIM_NODE_LIST(X)                                                          \
    X(E_NAME) X(E_CONST) X(E_JOINEDSTR) X(E_FORMATTED) X(E_BOOLOP) X(E_BINOP)     \
    X(E_UNARYOP) X(E_COMPARE) X(E_LAMBDA) X(E_IFEXP) X(E_DICT) X(E_SET) X(E_LIST) \
    X(E_TUPLE) X(E_LISTCOMP) X(E_SETCOMP) X(E_GENEXP) X(E_DICTCOMP)              \
    X(E_COMPREHENSION) X(E_AWAIT) X(E_YIELD) X(E_YIELDFROM) X(E_CALL)             \
    X(E_KEYWORD) X(E_ATTRIBUTE) X(E_SUBSCRIPT) X(E_SLICE) X(E_STARRED)            \
    X(E_NAMEDEXPR) X(E_ARG) X(E_ALIAS) X(E_WITHITEM)                              \
    X(S_FUNCDEF) X(S_CLASSDEF) X(S_RETURN) X(S_DELETE) X(S_ASSIGN)                \
    X(S_AUGASSIGN) X(S_ANNASSIGN) X(S_FOR) X(S_WHILE) X(S_IF) X(S_WITH)           \
    X(S_RAISE) X(S_TRY) X(S_EXCEPTHANDLER) X(S_ASSERT) X(S_IMPORT)                \
    X(S_IMPORTFROM) X(S_GLOBAL) X(S_NONLOCAL) X(S_EXPR) X(S_PASS) X(S_BREAK)      \
    X(S_CONTINUE) X(S_MODULE)

typedef enum sim_node_kind {
#define SIM_NODE_ENUM(k) k,
    SIM_NODE_LIST(SIM_NODE_ENUM)
#undef SIM_NODE_ENUM
    SIM_NODE__COUNT
} sim_node_kind;

typedef enum sim_ctx { CTX_LOAD, CTX_STORE, CTX_DEL } sim_ctx;

/* Comparison operators beyond sim_cmpop (E_COMPARE ops). */
enum { CMP_IS = 16, CMP_ISNOT, CMP_IN, CMP_NOTIN };
/* E_UNARYOP op for `not` */
#define UNARY_NOT_OP 1000

typedef struct sim_node sim_node;

typedef struct sim_nlist {
    sim_node **v;
    int n;
} sim_nlist;

/* Parameters of a def or lambda. Lists hold E_ARG nodes. */
typedef struct sim_args {
    sim_nlist posonly;     /* before '/' */
    sim_nlist args;        /* positional-or-keyword */
    sim_nlist defaults;    /* for the last len(defaults) of posonly+args */
    sim_node *vararg;      /* *args or NULL */
    sim_nlist kwonly;
    sim_nlist kw_defaults; /* one per kwonly; NULL entries for none */
    sim_node *kwarg;       /* **kwargs or NULL */
} sim_args;

struct sim_node {
    sim_node_kind kind;
    sim_ctx ctx;
    int op;
    int line, col, end_line, end_col;
    sim_node *a, *b, *c;
    sim_nlist elts, elts2, body, orelse, finalbody;
    const char *name, *name2;
    sim_args *args;
    int *ops;               /* E_COMPARE: one per comparator */
    sim_const_kind cval;    /* E_CONST */
    int64_t ival;
    double dval;
    const char *str;        /* E_CONST STR: UTF-8, NUL-terminated */
    size_t len;
    struct sim_scope *scope;/* S_FUNCDEF/S_CLASSDEF/E_LAMBDA/comprehensions: set by symtable.c */
};

/* The arena: every AST allocation; freed in one go. */
typedef struct sim_arena {
    struct sim_arena_chunk *chunks;
    int failed;             /* an allocation failed (sticky) */
} sim_arena;

void *sim_arena_alloc(sim_arena *A, size_t size);   /* zeroed; NULL on OOM */
char *sim_arena_strndup(sim_arena *A, const char *s, size_t n);
int sim_nlist_push(sim_arena *A, sim_nlist *l, sim_node *n);  /* 0, or -1 on OOM */
void sim_arena_free(sim_arena *A);

sim_node *sim_node_new(sim_arena *A, sim_node_kind kind, int line, int col);
const char *sim_node_kind_name(sim_node_kind kind);

/* An S-expression dump of a tree, for tests: "(Module (Expr (Call (Name print) ...)))".
 * malloc'd; NULL on OOM. */
char *sim_ast_dump(const sim_node *n);

#endif
