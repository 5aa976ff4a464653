/* symtable.c — scopes and name resolution (see symtable.h). */
#include "symtable.h"

#include <stdio.h>
#include <string.h>

typedef struct st {
    sim_arena *A;
    sim_perr *err;
    sim_scope *cur;
    const char *private_name;   /* the innermost class around us: names are mangled */
    int depth;                  /* expression nesting (1 + 1 + ... is a deep tree) */
} st;

static int visit_stmts(st *t, sim_nlist *l);
static int visit_expr(st *t, sim_node *e);

static int failed(st *t) { return t->err->kind != SIM_DIAG_NONE || t->A->failed; }

static void st_error(st *t, const sim_node *n, const char *fmt, const char *name)
{
    if (t->err->kind != SIM_DIAG_NONE) return;
    sim_perr *e = t->err;
    e->kind = SIM_DIAG_SYNTAX;
    snprintf(e->msg, sizeof e->msg, fmt, name);
    e->line = n->line;
    e->col = n->col;
    e->end_line = n->end_line;
    e->end_col = n->end_col;
}

const char *sim_mangle(sim_arena *A, const char *priv, const char *name)
{
    size_t n = strlen(name);
    if (!priv || n < 3 || name[0] != '_' || name[1] != '_' || strchr(name, '.') ||
        (name[n - 1] == '_' && name[n - 2] == '_'))
        return name;
    while (*priv == '_') priv++;
    if (!*priv) return name;
    size_t pn = strlen(priv);
    char *m = sim_arena_alloc(A, 1 + pn + n + 1);
    if (m) {
        m[0] = '_';
        memcpy(m + 1, priv, pn);
        memcpy(m + 1 + pn, name, n + 1);
    }
    return m;
}

sim_symbol *sim_scope_lookup(sim_scope *s, const char *name)
{
    for (int i = 0; i < s->nsyms; i++)
        if (strcmp(s->syms[i].name, name) == 0) return &s->syms[i];
    return NULL;
}

/* Arena arrays grow by copying (the old block stays in the arena until the end). */
static void *grow(st *t, void *v, int n, int *cap, size_t elem)
{
    if (n < *cap) return v;
    int nc = *cap ? *cap * 2 : 8;
    void *nv = sim_arena_alloc(t->A, (size_t)nc * elem);
    if (!nv) return NULL;
    if (n) memcpy(nv, v, (size_t)n * elem);
    *cap = nc;
    return nv;
}

static sim_symbol *add_sym(st *t, sim_scope *s, const char *name, int flags)
{
    if (!(name = sim_mangle(t->A, t->private_name, name))) return NULL;
    sim_symbol *y = sim_scope_lookup(s, name);
    if (!y) {
        sim_symbol *v = grow(t, s->syms, s->nsyms, &s->capsyms, sizeof *v);
        if (!v) return NULL;
        s->syms = v;
        y = &s->syms[s->nsyms++];
        memset(y, 0, sizeof *y);
        y->name = name;
    }
    y->flags |= flags;
    return y;
}

static sim_scope *new_scope(st *t, sim_scope_kind kind, const char *name, sim_node *node)
{
    sim_scope *s = sim_arena_alloc(t->A, sizeof *s);
    if (!s) return NULL;
    s->kind = kind;
    s->name = name;
    s->node = node;
    s->parent = t->cur;
    if (node) node->scope = s;
    if (t->cur) {
        sim_scope **v = grow(t, t->cur->children, t->cur->nchildren, &t->cur->capchildren, sizeof *v);
        if (!v) return NULL;
        t->cur->children = v;
        v[t->cur->nchildren++] = s;
        s->in_class = t->cur->kind == SCOPE_CLASS;
    }
    return s;
}

static int add_param(st *t, sim_node *arg)
{
    sim_scope *s = t->cur;
    const char *name = sim_mangle(t->A, t->private_name, arg->name);
    if (!name) return -1;
    sim_symbol *y = sim_scope_lookup(s, name);
    if (y && (y->flags & SYM_PARAM)) {
        st_error(t, arg, "duplicate argument '%s' in function definition", arg->name);
        return -1;
    }
    const char **v = sim_arena_alloc(t->A, (size_t)(s->nparams + 1) * sizeof *v);
    if (!v || !add_sym(t, s, name, SYM_PARAM)) return -1;
    if (s->nparams) memcpy(v, s->params, (size_t)s->nparams * sizeof *v);
    v[s->nparams++] = name;
    s->params = v;
    return 0;
}

/* Parameters in the locals order of code.h: positional, kw-only, *args, **kwargs. */
static int add_params(st *t, sim_args *a)
{
    for (int i = 0; i < a->posonly.n; i++) if (add_param(t, a->posonly.v[i]) < 0) return -1;
    for (int i = 0; i < a->args.n; i++) if (add_param(t, a->args.v[i]) < 0) return -1;
    for (int i = 0; i < a->kwonly.n; i++) if (add_param(t, a->kwonly.v[i]) < 0) return -1;
    if (a->vararg && add_param(t, a->vararg) < 0) return -1;
    if (a->kwarg && add_param(t, a->kwarg) < 0) return -1;
    return 0;
}

static int visit_list(st *t, sim_nlist *l)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i] && visit_expr(t, l->v[i]) < 0) return -1;
    return 0;
}

static int visit_defaults(st *t, sim_args *a)
{
    if (visit_list(t, &a->defaults) < 0) return -1;
    return visit_list(t, &a->kw_defaults);
}

/* A def, lambda: a new function scope holding the parameters and the body. */
static int function_scope(st *t, sim_node *n, const char *name, int is_lambda)
{
    sim_scope *outer = t->cur;
    sim_scope *s = new_scope(t, SCOPE_FUNCTION, name, n);
    if (!s) return -1;
    s->is_async = n->kind == S_FUNCDEF && n->op;
    s->is_lambda = is_lambda;
    t->cur = s;
    int rc = add_params(t, n->args);
    if (rc == 0)
        rc = is_lambda ? visit_expr(t, n->a) : visit_stmts(t, &n->body);
    t->cur = outer;
    return rc;
}

/* A comprehension: the first iterable is evaluated outside, the rest inside a
 * function scope whose only parameter is ".0". */
static int comprehension_scope(st *t, sim_node *n)
{
    sim_node *g0 = n->elts.v[0];
    if (visit_expr(t, g0->b) < 0) return -1;
    const char *name = n->kind == E_LISTCOMP ? "<listcomp>" : n->kind == E_SETCOMP ? "<setcomp>"
                     : n->kind == E_DICTCOMP ? "<dictcomp>" : "<genexpr>";
    sim_scope *outer = t->cur;
    sim_scope *s = new_scope(t, SCOPE_FUNCTION, name, n);
    if (!s) return -1;
    s->is_comprehension = 1;
    s->is_generator = n->kind == E_GENEXP;
    t->cur = s;
    sim_node dot0 = {0};
    dot0.name = ".0";
    int rc = add_param(t, &dot0);
    for (int i = 0; rc == 0 && i < n->elts.n; i++) {
        sim_node *g = n->elts.v[i];
        if (g->op)                        /* async for: the comprehension awaits */
            for (sim_scope *a = s; a; a = a->is_comprehension ? a->parent : NULL)
                a->has_await = 1;
        if (i > 0 && visit_expr(t, g->b) < 0) rc = -1;
        if (rc == 0 && visit_expr(t, g->a) < 0) rc = -1;
        if (rc == 0 && visit_list(t, &g->elts) < 0) rc = -1;
    }
    if (rc == 0 && visit_expr(t, n->a) < 0) rc = -1;
    if (rc == 0 && n->b && visit_expr(t, n->b) < 0) rc = -1;
    t->cur = outer;
    return rc;
}

static int visit_name(st *t, sim_node *e)
{
    sim_scope *s = t->cur;
    if (!add_sym(t, s, e->name, e->ctx == CTX_LOAD ? SYM_USED : SYM_ASSIGNED)) return -1;
    /* super() needs the class cell; CPython adds the implicit use here too */
    if (e->ctx == CTX_LOAD && s->kind == SCOPE_FUNCTION &&
        (strcmp(e->name, "super") == 0 || strcmp(e->name, "__class__") == 0))
        if (!add_sym(t, s, "__class__", SYM_USED)) return -1;
    return 0;
}

/* PEP 572: `(y := v)` in a comprehension binds y in the scope around the
 * comprehension(s): nonlocal (or global at module level) in each comprehension. */
static int walrus_in_comprehension(st *t, sim_node *e)
{
    sim_scope *outer = t->cur;
    while (outer->is_comprehension) outer = outer->parent;
    if (outer->kind == SCOPE_CLASS) {
        st_error(t, e, "assignment expression within a comprehension cannot be used in a class body", NULL);
        return -1;
    }
    const char *name = sim_mangle(t->A, t->private_name, e->a->name);
    if (!name) return -1;
    sim_symbol *o = sim_scope_lookup(outer, name);
    int flag = outer->kind == SCOPE_MODULE || (o && (o->flags & SYM_GLOBAL)) ? SYM_GLOBAL
                                                                             : SYM_NONLOCAL;
    for (sim_scope *s = t->cur; s != outer; s = s->parent) {
        sim_symbol *y = add_sym(t, s, name, flag);
        if (!y) return -1;
        y->decl = e;
    }
    return add_sym(t, outer, name, SYM_ASSIGNED) ? 0 : -1;
}

static int visit_expr1(st *t, sim_node *e);

/* CPython's compiler stops at 3000 nested expressions ("RecursionError: maximum
 * recursion depth exceeded during compilation"); so do we, before C's stack does. */
#define MAX_AST_DEPTH 3000

static int visit_expr(st *t, sim_node *e)
{
    if (failed(t)) return -1;
    if (++t->depth > MAX_AST_DEPTH) {
        sim_perr *er = t->err;
        er->kind = SIM_DIAG_RECURSION;
        snprintf(er->msg, sizeof er->msg, "maximum recursion depth exceeded during compilation");
        er->line = er->end_line = 0;
        er->col = er->end_col = -1;
        return -1;
    }
    int rc = visit_expr1(t, e);
    t->depth--;
    return rc;
}

static int visit_expr1(st *t, sim_node *e)
{
    switch (e->kind) {
    case E_NAME:
        return visit_name(t, e);
    case E_LAMBDA:
        if (visit_defaults(t, e->args) < 0) return -1;
        return function_scope(t, e, "<lambda>", 1);
    case E_LISTCOMP: case E_SETCOMP: case E_DICTCOMP: case E_GENEXP:
        return comprehension_scope(t, e);
    case E_YIELD: case E_YIELDFROM:
        if (t->cur->kind != SCOPE_FUNCTION) {
            st_error(t, e, "'yield' outside function", NULL);
            return -1;
        }
        if (t->cur->is_comprehension && !t->cur->is_generator) {
            st_error(t, e, t->cur->name[1] == 'l' ? "'yield' inside list comprehension"
                         : t->cur->name[1] == 's' ? "'yield' inside set comprehension"
                                                  : "'yield' inside dict comprehension", NULL);
            return -1;
        }
        if (e->kind == E_YIELDFROM && t->cur->is_async) {
            st_error(t, e, "'yield from' inside async function", NULL);
            return -1;
        }
        t->cur->is_generator = 1;
        break;
    case E_AWAIT:
        /* an awaiting comprehension is a coroutine, and so are those around it */
        for (sim_scope *s = t->cur; s; s = s->is_comprehension ? s->parent : NULL)
            s->has_await = 1;
        break;
    case E_NAMEDEXPR:
        if (t->cur->is_comprehension) {
            if (walrus_in_comprehension(t, e) < 0) return -1;
            return visit_expr(t, e->b);
        }
        break;
    default:
        break;
    }
    if (e->a && visit_expr(t, e->a) < 0) return -1;
    if (e->b && visit_expr(t, e->b) < 0) return -1;
    if (e->c && visit_expr(t, e->c) < 0) return -1;
    if (visit_list(t, &e->elts) < 0 || visit_list(t, &e->elts2) < 0) return -1;
    return 0;
}

/* global / nonlocal: CPython's symtable checks of the declaration's order. */
static int declare(st *t, sim_node *s, int global)
{
    const char *what = global ? "global" : "nonlocal";
    if (!global && t->cur->kind == SCOPE_MODULE) {
        st_error(t, s, "nonlocal declaration not allowed at module level", NULL);
        return -1;
    }
    for (int i = 0; i < s->elts.n; i++) {
        const char *name = sim_mangle(t->A, t->private_name, s->elts.v[i]->name);
        if (!name) return -1;
        sim_symbol *y = sim_scope_lookup(t->cur, name);
        char fmt[100];
        if (y && (y->flags & SYM_PARAM)) snprintf(fmt, sizeof fmt, "name '%%s' is parameter and %s", what);
        else if (y && (y->flags & SYM_ASSIGNED)) snprintf(fmt, sizeof fmt, "name '%%s' is assigned to before %s declaration", what);
        else if (y && (y->flags & SYM_USED)) snprintf(fmt, sizeof fmt, "name '%%s' is used prior to %s declaration", what);
        else if (y && (y->flags & (global ? SYM_NONLOCAL : SYM_GLOBAL))) snprintf(fmt, sizeof fmt, "name '%%s' is nonlocal and global");
        else fmt[0] = 0;
        if (fmt[0]) {
            st_error(t, s, fmt, name);
            return -1;
        }
        if (!(y = add_sym(t, t->cur, name, global ? SYM_GLOBAL : SYM_NONLOCAL))) return -1;
        y->decl = s;
    }
    return 0;
}

static int visit_alias_names(st *t, sim_node *s)
{
    for (int i = 0; i < s->elts.n; i++) {
        sim_node *a = s->elts.v[i];
        const char *name = a->name2;
        if (!name) {
            if (strcmp(a->name, "*") == 0) {
                if (t->cur->kind != SCOPE_MODULE) {
                    st_error(t, s, "import * only allowed at module level", NULL);
                    return -1;
                }
                continue;
            }
            const char *dot = strchr(a->name, '.');
            name = dot ? sim_arena_strndup(t->A, a->name, (size_t)(dot - a->name)) : a->name;
        }
        if (!name || !add_sym(t, t->cur, name, SYM_ASSIGNED)) return -1;
    }
    return 0;
}

static int visit_stmt(st *t, sim_node *s)
{
    if (failed(t)) return -1;
    switch (s->kind) {
    case S_FUNCDEF:
        if (visit_list(t, &s->elts) < 0 || visit_defaults(t, s->args) < 0) return -1;
        if (!add_sym(t, t->cur, s->name, SYM_ASSIGNED)) return -1;
        return function_scope(t, s, s->name, 0);
    case S_CLASSDEF: {
        if (visit_list(t, &s->elts) < 0 || visit_list(t, &s->elts2) < 0 ||
            visit_list(t, &s->orelse) < 0)
            return -1;
        if (!add_sym(t, t->cur, s->name, SYM_ASSIGNED)) return -1;
        sim_scope *outer = t->cur;
        const char *outer_private = t->private_name;
        if (!(t->cur = new_scope(t, SCOPE_CLASS, s->name, s))) return -1;
        t->private_name = s->name;
        int rc = visit_stmts(t, &s->body);
        t->cur = outer;
        t->private_name = outer_private;
        return rc;
    }
    case S_GLOBAL: case S_NONLOCAL:
        return declare(t, s, s->kind == S_GLOBAL);
    case S_IMPORT: case S_IMPORTFROM:
        return visit_alias_names(t, s);
    case S_TRY:
        if (visit_stmts(t, &s->body) < 0) return -1;
        for (int i = 0; i < s->elts.n; i++) {
            sim_node *h = s->elts.v[i];
            if (h->a && visit_expr(t, h->a) < 0) return -1;
            if (h->name && !add_sym(t, t->cur, h->name, SYM_ASSIGNED)) return -1;
            if (visit_stmts(t, &h->body) < 0) return -1;
        }
        if (visit_stmts(t, &s->orelse) < 0 || visit_stmts(t, &s->finalbody) < 0) return -1;
        return 0;
    case S_AUGASSIGN:
        if (s->a->kind == E_NAME && !add_sym(t, t->cur, s->a->name, SYM_USED)) return -1;
        break;
    default:
        break;
    }
    if (s->a && visit_expr(t, s->a) < 0) return -1;
    if (s->b && visit_expr(t, s->b) < 0) return -1;
    if (s->c && visit_expr(t, s->c) < 0) return -1;
    if (s->kind == S_WITH) {
        for (int i = 0; i < s->elts.n; i++) {
            sim_node *w = s->elts.v[i];
            if (visit_expr(t, w->a) < 0 || (w->b && visit_expr(t, w->b) < 0)) return -1;
        }
    } else if (visit_list(t, &s->elts) < 0) {
        return -1;
    }
    if (visit_stmts(t, &s->body) < 0 || visit_stmts(t, &s->orelse) < 0) return -1;
    return 0;
}

static int visit_stmts(st *t, sim_nlist *l)
{
    for (int i = 0; i < l->n; i++)
        if (visit_stmt(t, l->v[i]) < 0) return -1;
    return 0;
}

/* ---- analysis -------------------------------------------------------------- */

/* A set of names visible from enclosing functions (a short array: scopes are small). */
typedef struct nameset { const char **v; int n; } nameset;

static int in_set(const nameset *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->v[i], name) == 0) return 1;
    return 0;
}

static int set_add(st *t, nameset *s, int *cap, const char *name)
{
    if (in_set(s, name)) return 0;
    const char **v = grow(t, s->v, s->n, cap, sizeof *v);
    if (!v) return -1;
    s->v = v;
    v[s->n++] = name;
    return 0;
}

/* What the children of s can see: for a function, what s sees (minus its globals)
 * plus its own locals and free variables; for a class, what it sees plus its
 * implicit __class__; for the module, nothing. */
static int child_visible(st *t, sim_scope *s, const nameset *visible, nameset *out)
{
    int cap = 0;
    memset(out, 0, sizeof *out);
    if (s->kind == SCOPE_MODULE) return 0;
    for (int i = 0; i < visible->n; i++) {
        sim_symbol *y = sim_scope_lookup(s, visible->v[i]);
        if (s->kind == SCOPE_FUNCTION && y && y->where == WHERE_GLOBAL_EXPLICIT) continue;
        if (set_add(t, out, &cap, visible->v[i]) < 0) return -1;
    }
    if (s->kind == SCOPE_CLASS) return set_add(t, out, &cap, "__class__");
    for (int i = 0; i < s->nsyms; i++) {
        sim_where w = s->syms[i].where;
        if ((w == WHERE_LOCAL || w == WHERE_CELL || w == WHERE_FREE) &&
            set_add(t, out, &cap, s->syms[i].name) < 0)
            return -1;
    }
    return 0;
}

/* A child's free variable reaches s: s holds it (CELL), or passes it on (FREE). */
static int capture(st *t, sim_scope *s, const char *name)
{
    sim_symbol *y = sim_scope_lookup(s, name);
    if (s->kind == SCOPE_CLASS) {
        if (strcmp(name, "__class__") == 0) {
            s->needs_class_cell = 1;
            return 0;
        }
        if (y && y->where != WHERE_FREE) {
            y->flags |= SYM_FREE_CLASS;
            return 0;
        }
    } else if (y && y->where == WHERE_LOCAL) {
        y->where = WHERE_CELL;
        return 0;
    } else if (y && (y->where == WHERE_CELL || y->where == WHERE_FREE)) {
        return 0;
    }
    if (!(y = add_sym(t, s, name, 0))) return -1;
    y->where = WHERE_FREE;
    return 0;
}

static int analyze(st *t, sim_scope *s, const nameset *visible)
{
    for (int i = 0; i < s->nsyms; i++) {
        sim_symbol *y = &s->syms[i];
        if (y->flags & SYM_GLOBAL) {
            y->where = WHERE_GLOBAL_EXPLICIT;
        } else if (y->flags & SYM_NONLOCAL) {
            if (!in_set(visible, y->name)) {
                st_error(t, y->decl, "no binding for nonlocal '%s' found", y->name);
                return -1;
            }
            y->where = WHERE_FREE;
        } else if (y->flags & (SYM_ASSIGNED | SYM_PARAM)) {
            y->where = WHERE_LOCAL;
        } else if (s->kind != SCOPE_MODULE && in_set(visible, y->name)) {
            y->where = WHERE_FREE;
        } else {
            y->where = WHERE_GLOBAL_IMPLICIT;
        }
    }
    nameset cv;
    if (child_visible(t, s, visible, &cv) < 0) return -1;
    for (int c = 0; c < s->nchildren; c++) {
        sim_scope *ch = s->children[c];
        if (analyze(t, ch, &cv) < 0) return -1;
        for (int i = 0; i < ch->nsyms; i++) {
            sim_symbol *y = &ch->syms[i];
            if ((y->where == WHERE_FREE || (y->flags & SYM_FREE_CLASS)) && s->kind != SCOPE_MODULE &&
                capture(t, s, y->name) < 0)
                return -1;
        }
    }
    return 0;
}

sim_scope *sim_symtable(sim_arena *A, sim_node *module, sim_perr *err)
{
    st t = {A, err, NULL, NULL, 0};
    sim_scope *m = new_scope(&t, SCOPE_MODULE, "<module>", module);
    if (!m) return NULL;
    t.cur = m;
    if (visit_stmts(&t, &module->body) < 0) return NULL;
    nameset none = {0};
    if (analyze(&t, m, &none) < 0) return NULL;
    return failed(&t) ? NULL : m;
}
