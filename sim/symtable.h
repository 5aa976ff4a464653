/* symtable.h — scopes and the resolution of every name (module-internal to sim/).
 *
 * After CPython's Python/symtable.c: a first walk records, per scope, what each name
 * is (parameter, assigned, declared global / nonlocal, used); a second pass decides
 * where it lives:
 *   LOCAL     bound in this function (a fast local), or in a class/module body
 *   CELL      a local of this function that an inner function captures
 *   FREE      captured from an enclosing function (or declared nonlocal)
 *   GLOBAL_EXPLICIT  declared `global`
 *   GLOBAL_IMPLICIT  not bound anywhere visible: module global or builtin
 * Class bodies do not make their names visible to inner functions. A method that
 * uses `super` or `__class__` captures the class's implicit `__class__` cell.
 */
#ifndef SIM_SYMTABLE_H
#define SIM_SYMTABLE_H

#include "ast.h"
#include "parser.h"

typedef enum sim_scope_kind { SCOPE_MODULE, SCOPE_FUNCTION, SCOPE_CLASS } sim_scope_kind;

enum {                       /* sim_symbol.flags: what the source says */
    SYM_ASSIGNED = 1, SYM_PARAM = 2, SYM_GLOBAL = 4, SYM_NONLOCAL = 8, SYM_USED = 16,
    SYM_FREE_CLASS = 32      /* class body: passes this free variable on to its methods */
};
typedef enum sim_where {
    WHERE_NONE, WHERE_LOCAL, WHERE_CELL, WHERE_FREE, WHERE_GLOBAL_EXPLICIT, WHERE_GLOBAL_IMPLICIT
} sim_where;

typedef struct sim_symbol {
    const char *name;
    int flags;
    sim_where where;
    const sim_node *decl;        /* the nonlocal statement, for its error */
} sim_symbol;

typedef struct sim_scope {
    sim_scope_kind kind;
    const char *name;            /* "<module>", function or class name, "<lambda>", "<listcomp>" */
    sim_node *node;
    struct sim_scope *parent;
    sim_symbol *syms;
    int nsyms, capsyms;
    const char **params;         /* in order: positional, kw-only, *args, **kwargs */
    int nparams;
    int is_async, is_generator, is_lambda, is_comprehension, has_await;
    int needs_class_cell;        /* class scope: a method uses super / __class__ */
    int in_class;                /* function directly inside a class body */
    struct sim_scope **children; /* in source order */
    int nchildren, capchildren;
} sim_scope;

/* Builds the scopes of a module (in the arena; node->scope is set for every scope-
 * making node). Returns the module scope, or NULL with *err filled. */
sim_scope *sim_symtable(sim_arena *A, sim_node *module, sim_perr *err);

/* CPython's _Py_Mangle: inside class C, `__x` (not `__x__`) is `_C__x`. Returns
 * name itself when nothing changes, else an arena copy (NULL on OOM). */
const char *sim_mangle(sim_arena *A, const char *private_name, const char *name);

/* The symbol of `name` (already mangled) in scope s, or NULL. */
sim_symbol *sim_scope_lookup(sim_scope *s, const char *name);

#endif
