/* compile.c — the compiler's driver: sim_compile, units, constants, names, and the
 * function objects of nested scopes. */
#include "compile_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *d = sim_code__realloc(NULL, n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

int sim__c_failed(compiler *c)
{
    return c->err->kind != SIM_DIAG_NONE;
}

int sim__c_oom(compiler *c)
{
    if (c->err->kind == SIM_DIAG_NONE) {
        c->err->kind = SIM_DIAG_NOMEM;
        snprintf(c->err->msg, sizeof c->err->msg, "out of memory");
    }
    return -1;
}

void sim__c_error(compiler *c, const sim_node *n, const char *fmt, ...)
{
    sim_perr *e = c->err;
    if (e->kind != SIM_DIAG_NONE) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->kind = SIM_DIAG_SYNTAX;
    e->line = n->line;
    e->col = n->col;
    e->end_line = n->end_line;
    e->end_col = n->end_col;
}

void sim__c_unsupported(compiler *c, const sim_node *n, const char *what)
{
    sim__c_error(c, n, "aiosim does not support %s yet", what);
    c->err->kind = SIM_DIAG_UNSUPPORTED;
    c->err->end_col = -1;
}

void sim__set_loc(compiler *c, const sim_node *n)
{
    c->u->loc.line = n->line;
    c->u->loc.col = n->col;
    c->u->loc.end_line = n->end_line;
    c->u->loc.end_col = n->end_col;
}

/* ---- instructions and labels ----------------------------------------------- */

int sim__emit(compiler *c, sim_opcode op, uint32_t arg)
{
    cunit *u = c->u;
    if (arg > SIM_ARG_MAX) {
        sim__c_error(c, u->scope->node, "code too large for aiosim");
        return -1;
    }
    if (u->ninstrs == u->capinstrs) {
        uint32_t cap = u->capinstrs ? u->capinstrs * 2 : 64;
        cinstr *v = sim_code__realloc(u->instrs, cap * sizeof *v);
        if (!v) return sim__c_oom(c);
        u->instrs = v;
        u->capinstrs = cap;
    }
    cinstr *i = &u->instrs[u->ninstrs++];
    i->op = (uint8_t)op;
    i->arg = arg;
    i->pos = u->loc;
    return 0;
}

int sim__new_label(compiler *c)
{
    cunit *u = c->u;
    if (u->nlabels == u->caplabels) {
        int cap = u->caplabels ? u->caplabels * 2 : 32;
        int *v = sim_code__realloc(u->labels, (size_t)cap * sizeof *v);
        if (!v) return sim__c_oom(c);
        u->labels = v;
        u->caplabels = cap;
    }
    u->labels[u->nlabels] = -1;
    return u->nlabels++;
}

int sim__use_label(compiler *c, int label)
{
    if (label < 0) return -1;
    c->u->labels[label] = (int)c->u->ninstrs;
    return 0;
}

/* ---- constants and names --------------------------------------------------- */

static int const_equal(const sim_const *a, const sim_const *b)
{
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case SIM_CONST_INT: return a->u.i == b->u.i;
    case SIM_CONST_FLOAT: return memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0;
    case SIM_CONST_STR:
        return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case SIM_CONST_TUPLE:
        if (a->u.tuple.n != b->u.tuple.n) return 0;
        for (uint32_t i = 0; i < a->u.tuple.n; i++)
            if (!const_equal(&a->u.tuple.items[i], &b->u.tuple.items[i])) return 0;
        return 1;
    case SIM_CONST_CODE: return a->u.code == b->u.code;
    default: return 1;
    }
}

int sim__const_index(compiler *c, const sim_const *k)
{
    cunit *u = c->u;
    for (uint32_t i = 0; i < u->nconsts; i++)
        if (const_equal(&u->consts[i], k)) {
            sim_const tmp = *k;
            sim_const_clear(&tmp);
            return (int)i;
        }
    if (u->nconsts == u->capconsts) {
        uint32_t cap = u->capconsts ? u->capconsts * 2 : 16;
        sim_const *v = sim_code__realloc(u->consts, cap * sizeof *v);
        if (!v) {
            sim_const tmp = *k;
            sim_const_clear(&tmp);
            return sim__c_oom(c);
        }
        u->consts = v;
        u->capconsts = cap;
    }
    u->consts[u->nconsts] = *k;
    return (int)u->nconsts++;
}

static int load_const(compiler *c, sim_const *k)
{
    int i = sim__const_index(c, k);
    return i < 0 ? -1 : sim__emit(c, SIM_OP_LOAD_CONST, (uint32_t)i);
}

int sim__load_const_none(compiler *c)
{
    sim_const k = {.kind = SIM_CONST_NONE};
    return load_const(c, &k);
}

int sim__load_const_int(compiler *c, int64_t v)
{
    sim_const k = {.kind = SIM_CONST_INT, .u.i = v};
    return load_const(c, &k);
}

int sim__load_const_str(compiler *c, const char *s, size_t len)
{
    sim_const k = {.kind = SIM_CONST_STR};
    k.u.str.s = sim_code__realloc(NULL, len + 1);
    if (!k.u.str.s) return sim__c_oom(c);
    memcpy(k.u.str.s, s, len);
    k.u.str.s[len] = 0;
    k.u.str.len = len;
    return load_const(c, &k);
}

int sim__name_index(compiler *c, const char *name)
{
    cunit *u = c->u;
    for (uint32_t i = 0; i < u->nnames; i++)
        if (strcmp(u->names[i], name) == 0) return (int)i;
    if (u->nnames == u->capnames) {
        uint32_t cap = u->capnames ? u->capnames * 2 : 16;
        char **v = sim_code__realloc(u->names, cap * sizeof *v);
        if (!v) return sim__c_oom(c);
        u->names = v;
        u->capnames = cap;
    }
    if (!(u->names[u->nnames] = xstrdup(name))) return sim__c_oom(c);
    return (int)u->nnames++;
}

/* ---- names ----------------------------------------------------------------- */

static int index_of(char **v, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(v[i], name) == 0) return (int)i;
    return -1;
}

/* The load/store/delete of a name, by where the symbol table put it. */
int sim__attr_index(compiler *c, const char *name)
{
    const char *m = sim_mangle(c->A, c->u->private_name, name);
    return m ? sim__name_index(c, m) : sim__c_oom(c);
}

int sim__nameop(compiler *c, const char *name, sim_ctx ctx)
{
    cunit *u = c->u;
    if (!(name = sim_mangle(c->A, u->private_name, name))) return sim__c_oom(c);
    sim_symbol *y = sim_scope_lookup(u->scope, name);
    sim_where w = y ? y->where : WHERE_GLOBAL_IMPLICIT;
    static const sim_opcode fast[] = {SIM_OP_LOAD_FAST, SIM_OP_STORE_FAST, SIM_OP_DELETE_FAST};
    static const sim_opcode deref[] = {SIM_OP_LOAD_DEREF, SIM_OP_STORE_DEREF, SIM_OP_DELETE_DEREF};
    static const sim_opcode glob[] = {SIM_OP_LOAD_GLOBAL, SIM_OP_STORE_GLOBAL, SIM_OP_DELETE_GLOBAL};
    static const sim_opcode byname[] = {SIM_OP_LOAD_NAME, SIM_OP_STORE_NAME, SIM_OP_DELETE_NAME};
    if (w == WHERE_CELL || w == WHERE_FREE) {
        if (u->scope->kind == SCOPE_CLASS && w == WHERE_FREE && ctx == CTX_LOAD) {
            int i = sim_code_cell_index(u->code, name);
            return sim__emit(c, SIM_OP_LOAD_CLASSDEREF, (uint32_t)i);
        }
        int i = sim_code_cell_index(u->code, name);
        if (i < 0) { sim__c_error(c, u->scope->node, "internal error: no cell for '%s'", name); return -1; }
        return sim__emit(c, deref[ctx], (uint32_t)i);
    }
    if (w == WHERE_GLOBAL_EXPLICIT && u->scope->kind != SCOPE_MODULE) {
        int i = sim__name_index(c, name);
        return i < 0 ? -1 : sim__emit(c, glob[ctx], (uint32_t)i);
    }
    if (u->scope->kind == SCOPE_FUNCTION) {
        if (w == WHERE_LOCAL) {
            int i = index_of(u->code->varnames, u->code->nlocals, name);
            return i < 0 ? -1 : sim__emit(c, fast[ctx], (uint32_t)i);
        }
        int i = sim__name_index(c, name);
        return i < 0 ? -1 : sim__emit(c, glob[ctx], (uint32_t)i);
    }
    int i = sim__name_index(c, name);
    return i < 0 ? -1 : sim__emit(c, byname[ctx], (uint32_t)i);
}

/* ---- fblocks --------------------------------------------------------------- */

int sim__push_fblock(compiler *c, fblock_kind kind, int start, int exit, const sim_node *datum)
{
    cunit *u = c->u;
    if (u->nfblocks >= MAX_FBLOCKS) {
        sim__c_error(c, datum ? datum : u->scope->node, "too many statically nested blocks");
        return -1;
    }
    fblock *f = &u->fblocks[u->nfblocks++];
    f->kind = kind;
    f->start = start;
    f->exit = exit;
    f->datum = datum;
    return 0;
}

void sim__pop_fblock(compiler *c)
{
    c->u->nfblocks--;
}

/* ---- units ----------------------------------------------------------------- */

static int push_str(char ***v, uint32_t *n, const char *s)
{
    char **nv = sim_code__realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) return -1;
    *v = nv;
    if (!(nv[*n] = xstrdup(s))) return -1;
    (*n)++;
    return 0;
}

/* varnames (parameters first, then plain locals), cellvars, freevars, cell2arg. */
static int layout_variables(sim_code *code, sim_scope *s)
{
    if (s->kind == SCOPE_FUNCTION) {
        for (int i = 0; i < s->nparams; i++)
            if (push_str(&code->varnames, &code->nlocals, s->params[i]) < 0) return -1;
        for (int i = 0; i < s->nsyms; i++)
            if (s->syms[i].where == WHERE_LOCAL && !(s->syms[i].flags & SYM_PARAM) &&
                push_str(&code->varnames, &code->nlocals, s->syms[i].name) < 0)
                return -1;
    }
    for (int i = 0; i < s->nsyms; i++)
        if (s->syms[i].where == WHERE_CELL &&
            push_str(&code->cellvars, &code->ncellvars, s->syms[i].name) < 0)
            return -1;
    if (s->needs_class_cell && push_str(&code->cellvars, &code->ncellvars, "__class__") < 0)
        return -1;
    for (int i = 0; i < s->nsyms; i++)
        if ((s->syms[i].where == WHERE_FREE || (s->syms[i].flags & SYM_FREE_CLASS)) &&
            push_str(&code->freevars, &code->nfreevars, s->syms[i].name) < 0)
            return -1;
    if (code->ncellvars) {
        int any = 0;
        if (!(code->cell2arg = sim_code__realloc(NULL, code->ncellvars * sizeof(int32_t)))) return -1;
        for (uint32_t i = 0; i < code->ncellvars; i++) {
            code->cell2arg[i] = -1;
            for (int a = 0; a < s->nparams; a++)
                if (strcmp(code->cellvars[i], s->params[a]) == 0) { code->cell2arg[i] = a; any = 1; }
        }
        if (!any) {
            sim_code__realloc(code->cell2arg, 0);
            code->cell2arg = NULL;
        }
    }
    return 0;
}

static void free_unit(cunit *u)
{
    sim_code_free(u->code);
    sim_code__realloc(u->instrs, 0);
    sim_code__realloc(u->labels, 0);
    for (uint32_t i = 0; i < u->nconsts; i++) sim_const_clear(&u->consts[i]);
    sim_code__realloc(u->consts, 0);
    for (uint32_t i = 0; i < u->nnames; i++) sim_code__realloc(u->names[i], 0);
    sim_code__realloc(u->names, 0);
    sim_code__realloc(u, 0);
}

/* CPython's qualname: "outer.<locals>.inner", "Class.method", or the bare name of
 * something at module level or declared global in its parent. */
static char *make_qualname(compiler *c, sim_scope *s)
{
    cunit *p = c->u;
    if (!p || p->scope->kind == SCOPE_MODULE) return xstrdup(s->name);
    sim_symbol *y = sim_scope_lookup(p->scope, s->name);
    if (y && y->where == WHERE_GLOBAL_EXPLICIT) return xstrdup(s->name);
    const char *base = p->code->qualname;
    const char *mid = p->scope->kind == SCOPE_FUNCTION ? ".<locals>." : ".";
    size_t n = strlen(base) + strlen(mid) + strlen(s->name) + 1;
    char *q = sim_code__realloc(NULL, n);
    if (q) snprintf(q, n, "%s%s%s", base, mid, s->name);
    return q;
}

static int enter_unit(compiler *c, sim_scope *s, int firstline)
{
    cunit *u = sim_code__realloc(NULL, sizeof *u);
    if (!u) return sim__c_oom(c);
    memset(u, 0, sizeof *u);
    u->scope = s;
    if (!(u->code = sim_code_new())) { sim_code__realloc(u, 0); return sim__c_oom(c); }
    sim_code *code = u->code;
    code->name = xstrdup(s->name);
    code->qualname = make_qualname(c, s);
    code->filename = xstrdup(c->filename);
    code->firstline = firstline;
    u->parent = c->u;
    u->private_name = s->kind == SCOPE_CLASS ? s->name : u->parent ? u->parent->private_name : NULL;
    c->u = u;
    if (!code->name || !code->qualname || !code->filename || layout_variables(code, s) < 0)
        return sim__c_oom(c);
    u->loc.line = u->loc.end_line = firstline;
    return 0;
}

/* Pops the current unit; returns its assembled code (owned by the caller). */
static sim_code *leave_unit(compiler *c)
{
    cunit *u = c->u;
    sim_code *code = NULL;
    if (!sim__c_failed(c) && sim__assemble(c) == 0) {
        code = u->code;
        u->code = NULL;
    }
    c->u = u->parent;
    free_unit(u);
    return code;
}

/* Flags and argument counts of a function-like scope. */
static int function_flags(compiler *c, sim_node *n, sim_scope *s)
{
    sim_code *code = c->u->code;
    uint32_t f = SIM_CO_FUNCTION;
    if (s->is_lambda) f |= SIM_CO_LAMBDA;
    if (s->is_comprehension) f |= SIM_CO_COMPREHENSION;
    if (s->is_generator) f |= SIM_CO_GENERATOR;
    if (s->is_async && s->is_generator) f = (f & ~(uint32_t)SIM_CO_GENERATOR) | SIM_CO_ASYNC_GENERATOR;
    else if (s->is_async || (s->is_comprehension && s->has_await)) f |= SIM_CO_COROUTINE;
    if (s->parent && s->parent->kind == SCOPE_FUNCTION) f |= SIM_CO_NESTED;
    if (n->args) {
        sim_args *a = n->args;
        code->posonlyargcount = (uint32_t)a->posonly.n;
        code->argcount = (uint32_t)(a->posonly.n + a->args.n);
        code->kwonlyargcount = (uint32_t)a->kwonly.n;
        if (a->vararg) f |= SIM_CO_VARARGS;
        if (a->kwarg) f |= SIM_CO_VARKEYWORDS;
    } else if (s->is_comprehension) {
        code->argcount = 1;
    }
    code->flags = f;
    return 0;
}

/* The class body: __module__ and __qualname__, the statements, and the
 * __classcell__ handshake with __build_class__ when a method needs __class__. */
static int class_body(compiler *c, sim_node *n)
{
    if (sim__nameop(c, "__name__", CTX_LOAD) < 0 || sim__nameop(c, "__module__", CTX_STORE) < 0)
        return -1;
    const char *q = c->u->code->qualname;
    if (sim__load_const_str(c, q, strlen(q)) < 0 || sim__nameop(c, "__qualname__", CTX_STORE) < 0)
        return -1;
    if (sim__stmts(c, &n->body) < 0) return -1;
    if (c->u->scope->needs_class_cell) {
        int i = sim_code_cell_index(c->u->code, "__class__");
        int k = sim__name_index(c, "__classcell__");
        if (k < 0 || sim__emit(c, SIM_OP_LOAD_CLOSURE, (uint32_t)i) < 0 ||
            sim__emit(c, SIM_OP_COPY, 1) < 0 || sim__emit(c, SIM_OP_STORE_NAME, (uint32_t)k) < 0)
            return -1;
        return sim__emit(c, SIM_OP_RETURN_VALUE, 0);
    }
    if (sim__load_const_none(c) < 0) return -1;
    return sim__emit(c, SIM_OP_RETURN_VALUE, 0);
}

/* Compiles the scope of n (def, lambda, class, comprehension) into a new code. */
static sim_code *compile_scope(compiler *c, sim_node *n)
{
    sim_scope *s = n->scope;
    int firstline = n->line;
    if ((n->kind == S_FUNCDEF || n->kind == S_CLASSDEF) && n->elts.n)
        firstline = n->elts.v[0]->line;
    if (enter_unit(c, s, firstline) < 0) {
        if (c->u && c->u->scope == s) leave_unit(c);
        return NULL;
    }
    sim__set_loc(c, n);
    int rc = 0;
    if (n->kind == S_CLASSDEF) {
        c->u->code->flags = SIM_CO_CLASS;
        rc = class_body(c, n);
    } else if (function_flags(c, n, s) < 0) {
        rc = -1;
    } else if (n->kind == S_FUNCDEF) {
        rc = sim__stmts(c, &n->body);
        if (rc == 0) rc = sim__load_const_none(c);
        if (rc == 0) rc = sim__emit(c, SIM_OP_RETURN_VALUE, 0);
    } else if (n->kind == E_LAMBDA) {
        rc = sim__expr(c, n->a);
        if (rc == 0) rc = sim__emit(c, SIM_OP_RETURN_VALUE, 0);
    } else {
        rc = sim__body_of_comprehension(c, n);
    }
    (void)rc;
    return leave_unit(c);
}

int sim__make_function(compiler *c, sim_node *n, uint32_t flags)
{
    sim_code *code = compile_scope(c, n);
    if (!code) return -1;
    for (uint32_t i = 0; i < code->nfreevars; i++) {
        int k = sim_code_cell_index(c->u->code, code->freevars[i]);
        if (k < 0) {
            sim_code_free(code);
            sim__c_error(c, n, "internal error: no cell for free variable '%s'", code->freevars[i]);
            return -1;
        }
        if (sim__emit(c, SIM_OP_LOAD_CLOSURE, (uint32_t)k) < 0) { sim_code_free(code); return -1; }
    }
    if (code->nfreevars) {
        if (sim__emit(c, SIM_OP_BUILD_TUPLE, code->nfreevars) < 0) { sim_code_free(code); return -1; }
        flags |= SIM_MKFN_CLOSURE;
    }
    sim__set_loc(c, n);
    sim_const k = {.kind = SIM_CONST_CODE, .u.code = code};
    int i = sim__const_index(c, &k);
    if (i < 0 || sim__emit(c, SIM_OP_LOAD_CONST, (uint32_t)i) < 0) return -1;
    return sim__emit(c, SIM_OP_MAKE_FUNCTION, flags);
}

/* ---- the entry point ------------------------------------------------------- */

static sim_code *compile_module(compiler *c, sim_node *m, sim_scope *s)
{
    if (enter_unit(c, s, 1) < 0) {
        if (c->u) leave_unit(c);
        return NULL;
    }
    c->u->code->flags = SIM_CO_MODULE;
    if (sim__stmts(c, &m->body) == 0) {
        if (sim__load_const_none(c) == 0) sim__emit(c, SIM_OP_RETURN_VALUE, 0);
    }
    return leave_unit(c);
}

/* PEP 263: undeclared non-UTF-8 bytes are CPython's position-less SyntaxError; a
 * declared legacy encoding is beyond aiosim. Returns 0 when the text is usable. */
static int check_encoding(const char *filename, const char *src, size_t len, sim_perr *err)
{
    int line;
    unsigned char bad = 0;
    char enc[64];
    int r = sim_lex_check_encoding(src, len, &line, &bad, enc, sizeof enc);
    if (r == 1) {
        err->kind = SIM_DIAG_SYNTAX;
        snprintf(err->msg, sizeof err->msg, "Non-UTF-8 code starting with '\\x%02x' in file %.40s "
                 "on line %d, but no encoding declared; see https://peps.python.org/pep-0263/ for "
                 "details", bad, filename, line);
        err->line = 0;
    } else if (r == 2) {
        err->kind = SIM_DIAG_UNSUPPORTED;
        snprintf(err->msg, sizeof err->msg, "aiosim does not support source encodings other "
                 "than UTF-8 (%.40s) yet", enc);
        err->line = 1;
        err->col = 0;
        err->end_col = -1;
    }
    return r;
}

sim_code *sim_compile(const char *filename, const char *source, size_t len, sim_diag *diag)
{
    sim_arena A = {0};
    sim_perr err;
    memset(&err, 0, sizeof err);
    sim_code *code = NULL;
    sim_node *m = check_encoding(filename, source, len, &err) ? NULL : sim_parse(&A, source, len, &err);
    sim_scope *s = m ? sim_symtable(&A, m, &err) : NULL;
    if (m && !s && err.kind == SIM_DIAG_NONE) A.failed = 1;
    if (s) {
        compiler c = {&A, filename, &err, NULL, 0, 1, 0};
        code = compile_module(&c, m, s);
        if (A.failed || !code) sim__c_oom(&c);     /* no-op when an error is recorded */
        if (err.kind != SIM_DIAG_NONE) {
            sim_code_free(code);
            code = NULL;
        }
    } else if (A.failed && err.kind == SIM_DIAG_NONE) {
        err.kind = SIM_DIAG_NOMEM;
        snprintf(err.msg, sizeof err.msg, "out of memory");
    }
    if (diag) {
        memset(diag, 0, sizeof *diag);
        if (!code && sim__diag_from_error(diag, filename, source, len, &err) < 0)
            diag->kind = SIM_DIAG_NOMEM;
    }
    sim_arena_free(&A);
    return code;
}
