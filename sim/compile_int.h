/* compile_int.h — the code generator's internals (shared by compile*.c, assemble.c).
 *
 * The pipeline behind sim_compile (compile.c):
 *   lexer.c      source -> tokens (NEWLINE/INDENT/DEDENT; an f-string is one token)
 *   parse_*.c    tokens -> AST (ast.h), CPython's messages for bad input
 *   symtable.c   scopes: every name LOCAL / CELL / FREE / GLOBAL (symtable.h)
 *   compile_stmt.c, compile_expr.c   AST -> instructions with labels and pseudo-ops
 *   assemble.c   labels, stack depths, exception table -> sim_code (code.h)
 *   diag.c       errors -> sim_diag, printed as CPython prints a SyntaxError
 *
 * One `cunit` per code object being compiled (module, class body, function, lambda,
 * comprehension), stacked as the compiler descends into nested scopes. A unit
 * collects instructions whose jump operands are LABEL numbers; assemble.c resolves
 * them, runs the stack-depth / handler flow analysis, builds the exception table
 * from the SETUP_FINALLY / SETUP_WITH / POP_BLOCK pseudo-ops and removes them.
 *
 * The fblock stack mirrors CPython's compiler: each enclosing loop, try, with or
 * exception handler that a `return`, `break` or `continue` must unwind.
 */
#ifndef SIM_COMPILE_INT_H
#define SIM_COMPILE_INT_H

#include "ast.h"
#include "code.h"
#include "compile.h"
#include "parser.h"
#include "symtable.h"

typedef struct cinstr {
    uint8_t op;
    uint32_t arg;                /* a label number for jumps until assembly */
    sim_pos pos;
} cinstr;

typedef enum fblock_kind {
    FB_WHILE_LOOP, FB_FOR_LOOP, FB_ASYNC_FOR_LOOP, FB_TRY_EXCEPT, FB_FINALLY_TRY,
    FB_FINALLY_END, FB_WITH, FB_ASYNC_WITH, FB_HANDLER_CLEANUP, FB_EXCEPTION_HANDLER,
    FB_POP_VALUE, FB_EXCEPTION_GROUP_HANDLER
} fblock_kind;

typedef struct fblock {
    fblock_kind kind;
    int start, exit;             /* labels (loops: continue / break targets) */
    const sim_node *datum;       /* FINALLY_TRY: the try (its finalbody); HANDLER_CLEANUP: handler */
} fblock;

#define MAX_FBLOCKS 40

typedef struct cunit {
    struct cunit *parent;
    sim_scope *scope;
    sim_code *code;              /* names, qualname, flags, arg counts filled as we go */
    cinstr *instrs;
    uint32_t ninstrs, capinstrs;
    int *labels;                 /* label -> instruction index (-1 until placed) */
    int nlabels, caplabels;
    sim_const *consts;
    uint32_t nconsts, capconsts;
    char **names;
    uint32_t nnames, capnames;
    sim_pos loc;                 /* position given to emitted instructions */
    fblock fblocks[MAX_FBLOCKS];
    int nfblocks;
    const char *private_name;    /* the innermost enclosing class: names are mangled */
} cunit;

typedef struct compiler {
    sim_arena *A;
    const char *filename;
    sim_perr *err;
    cunit *u;                    /* the innermost unit */
    int failed_oom;
    int future_ok;               /* a `from __future__` import is still allowed here */
    int seen_stmt;               /* a statement was compiled (docstring detection) */
} compiler;

/* compile.c */
int sim__c_failed(compiler *c);
void sim__c_error(compiler *c, const sim_node *n, const char *fmt, ...);
void sim__c_unsupported(compiler *c, const sim_node *n, const char *what);
int sim__c_oom(compiler *c);                          /* records out-of-memory; returns -1 */
int sim__emit(compiler *c, sim_opcode op, uint32_t arg);
int sim__new_label(compiler *c);
int sim__use_label(compiler *c, int label);
int sim__const_index(compiler *c, const sim_const *k);  /* takes ownership of k's data */
int sim__load_const_none(compiler *c);
int sim__load_const_str(compiler *c, const char *s, size_t len);
int sim__load_const_int(compiler *c, int64_t v);
int sim__name_index(compiler *c, const char *name);
/* The names[] index of an attribute name, mangled inside a class. */
int sim__attr_index(compiler *c, const char *name);
int sim__nameop(compiler *c, const char *name, sim_ctx ctx);
/* Compiles a nested scope into a code object and emits the code that makes the
 * function (closure, MAKE_FUNCTION with `flags` for the defaults already pushed). */
int sim__make_function(compiler *c, sim_node *n, uint32_t flags);
int sim__push_fblock(compiler *c, fblock_kind kind, int start, int exit, const sim_node *datum);
void sim__pop_fblock(compiler *c);
void sim__set_loc(compiler *c, const sim_node *n);

/* compile_expr.c */
int sim__expr(compiler *c, sim_node *e);
int sim__store(compiler *c, sim_node *target);      /* value on TOS -> target */
int sim__delete(compiler *c, sim_node *target);
int sim__body_of_comprehension(compiler *c, sim_node *n);
/* Pushes a def/lambda's defaults; returns the MAKE_FUNCTION flags, or -1. */
int sim__push_defaults(compiler *c, sim_args *a);
int sim__call_exit_with_nones(compiler *c, int is_async);
int sim__await(compiler *c, int where);               /* GET_AWAITABLE where; None; YIELD_FROM */
int sim__jump_if(compiler *c, sim_node *e, int cond, int label);

/* compile_stmt.c */
int sim__stmts(compiler *c, sim_nlist *body);

/* assemble.c: the finished unit's instructions into c->u->code. */
int sim__assemble(compiler *c);

#endif
