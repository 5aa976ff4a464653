/* compile_stmt.c — code generation for statements, after CPython 3.11's compile.c
 * (the fblock unwinding of return/break/continue, try/except/finally, with). */
#include "compile_int.h"

#include <string.h>

#define EMIT(op, arg) do { if (sim__emit(c, SIM_OP_##op, (arg)) < 0) return -1; } while (0)
#define EXPR(e) do { if (sim__expr(c, (e)) < 0) return -1; } while (0)
#define STMTS(l) do { if (sim__stmts(c, (l)) < 0) return -1; } while (0)
#define LABEL(l) do { if (sim__use_label(c, (l)) < 0) return -1; } while (0)

static int stmt(compiler *c, sim_node *s);

int sim__stmts(compiler *c, sim_nlist *body)
{
    for (int i = 0; i < body->n; i++)
        if (stmt(c, body->v[i]) < 0) return -1;
    return 0;
}

/* SWAP 2 then POP_TOP when a return value rides on top of what is popped. */
static int pop_under(compiler *c, int preserve_tos)
{
    if (preserve_tos) EMIT(SWAP, 2);
    EMIT(POP_TOP, 0);
    return 0;
}

/* Emits what leaving fblock f early needs (CPython's compiler_unwind_fblock). */
static int unwind_fblock(compiler *c, const fblock *f, int preserve_tos)
{
    switch (f->kind) {
    case FB_WHILE_LOOP: case FB_EXCEPTION_HANDLER: case FB_EXCEPTION_GROUP_HANDLER:
        return 0;
    case FB_FOR_LOOP: case FB_ASYNC_FOR_LOOP: case FB_POP_VALUE:
        return pop_under(c, preserve_tos);            /* the iterator */
    case FB_TRY_EXCEPT:
        EMIT(POP_BLOCK, 0);
        return 0;
    case FB_FINALLY_TRY: {
        EMIT(POP_BLOCK, 0);
        if (preserve_tos && sim__push_fblock(c, FB_POP_VALUE, -1, -1, NULL) < 0) return -1;
        sim_pos saved = c->u->loc;
        int rc = sim__stmts(c, (sim_nlist *)&f->datum->finalbody);
        c->u->loc = saved;
        if (preserve_tos) sim__pop_fblock(c);
        return rc;
    }
    case FB_FINALLY_END:
        if (preserve_tos) EMIT(SWAP, 2);
        EMIT(POP_TOP, 0);                               /* the exception */
        if (preserve_tos) EMIT(SWAP, 2);
        EMIT(POP_BLOCK, 0);
        EMIT(POP_EXCEPT, 0);
        return 0;
    case FB_WITH: case FB_ASYNC_WITH:
        EMIT(POP_BLOCK, 0);
        if (preserve_tos) EMIT(SWAP, 2);
        if (sim__call_exit_with_nones(c, f->kind == FB_ASYNC_WITH) < 0) return -1;
        EMIT(POP_TOP, 0);
        return 0;
    case FB_HANDLER_CLEANUP: {
        const char *name = f->datum ? f->datum->name : NULL;
        if (name) EMIT(POP_BLOCK, 0);
        if (preserve_tos) EMIT(SWAP, 2);
        EMIT(POP_BLOCK, 0);
        EMIT(POP_EXCEPT, 0);
        if (name) {
            if (sim__load_const_none(c) < 0 || sim__nameop(c, name, CTX_STORE) < 0 ||
                sim__nameop(c, name, CTX_DEL) < 0)
                return -1;
        }
        return 0;
    }
    }
    return 0;
}

/* Unwinds every fblock, or up to the innermost loop (*loop set, not unwound). */
static int unwind_stack(compiler *c, int preserve_tos, fblock **loop)
{
    cunit *u = c->u;
    if (u->nfblocks == 0) return 0;
    fblock *top = &u->fblocks[u->nfblocks - 1];
    if (top->kind == FB_EXCEPTION_GROUP_HANDLER) {
        sim_node at = {.line = u->loc.line, .col = u->loc.col, .end_line = u->loc.end_line,
                       .end_col = u->loc.end_col};
        sim__c_error(c, &at, "'break', 'continue' and 'return' cannot appear in an except* block");
        return -1;
    }
    if (loop && (top->kind == FB_WHILE_LOOP || top->kind == FB_FOR_LOOP ||
                 top->kind == FB_ASYNC_FOR_LOOP)) {
        *loop = top;
        return 0;
    }
    fblock copy = *top;
    u->nfblocks--;
    int rc = unwind_fblock(c, &copy, preserve_tos);
    if (rc == 0) rc = unwind_stack(c, preserve_tos, loop);
    u->fblocks[u->nfblocks++] = copy;
    return rc;
}

static int return_stmt(compiler *c, sim_node *s)
{
    sim_scope *sc = c->u->scope;
    if (sc->kind != SCOPE_FUNCTION) {
        sim__c_error(c, s, "'return' outside function");
        return -1;
    }
    if (s->a && sc->is_async && sc->is_generator) {
        sim__c_error(c, s, "'return' with value in async generator");
        return -1;
    }
    if (s->a) EXPR(s->a); else if (sim__load_const_none(c) < 0) return -1;
    /* CPython reports an except* block around `return <constant>` at the constant */
    for (int i = 0; i < c->u->nfblocks; i++)
        if (c->u->fblocks[i].kind == FB_EXCEPTION_GROUP_HANDLER && s->a && s->a->kind == E_CONST &&
            s->a->line == s->line)
            sim__set_loc(c, s->a);
    if (unwind_stack(c, 1, NULL) < 0) return -1;
    sim__set_loc(c, s);
    EMIT(RETURN_VALUE, 0);
    return 0;
}

static int break_continue(compiler *c, sim_node *s)
{
    fblock *loop = NULL;
    if (unwind_stack(c, 0, &loop) < 0) return -1;
    if (!loop) {
        sim__c_error(c, s, s->kind == S_BREAK ? "'break' outside loop"
                                              : "'continue' not properly in loop");
        return -1;
    }
    if (s->kind == S_CONTINUE) {
        EMIT(JUMP, (uint32_t)loop->start);
        return 0;
    }
    if (unwind_fblock(c, loop, 0) < 0) return -1;
    EMIT(JUMP, (uint32_t)loop->exit);
    return 0;
}

/* ---- definitions ----------------------------------------------------------- */

static int decorators(compiler *c, sim_nlist *d)
{
    for (int i = 0; i < d->n; i++) EXPR(d->v[i]);
    return 0;
}

static int apply_decorators(compiler *c, sim_node *s)
{
    for (int i = s->elts.n; i-- > 0;) {
        sim__set_loc(c, s->elts.v[i]);
        EMIT(CALL, 1);
    }
    return 0;
}

static int funcdef(compiler *c, sim_node *s)
{
    if (decorators(c, &s->elts) < 0) return -1;
    sim__set_loc(c, s);
    int flags = sim__push_defaults(c, s->args);
    if (flags < 0 || sim__make_function(c, s, (uint32_t)flags) < 0) return -1;
    if (apply_decorators(c, s) < 0) return -1;
    sim__set_loc(c, s);
    return sim__nameop(c, s->name, CTX_STORE);
}

/* __build_class__(func, name, *bases, **keywords), decorated, stored. */
static int classdef(compiler *c, sim_node *s)
{
    if (decorators(c, &s->elts) < 0) return -1;
    sim__set_loc(c, s);
    EMIT(LOAD_BUILD_CLASS, 0);
    if (sim__make_function(c, s, 0) < 0) return -1;
    sim__set_loc(c, s);
    if (sim__load_const_str(c, s->name, strlen(s->name)) < 0) return -1;
    for (int i = 0; i < s->elts2.n; i++) {
        if (s->elts2.v[i]->kind == E_STARRED) {
            sim__c_unsupported(c, s->elts2.v[i], "starred base classes");
            return -1;
        }
        EXPR(s->elts2.v[i]);
    }
    int nkw = 0;
    for (int i = 0; i < s->orelse.n; i++) {
        if (!s->orelse.v[i]->name) {
            sim__c_unsupported(c, s->orelse.v[i], "**kwargs in a class definition");
            return -1;
        }
        EXPR(s->orelse.v[i]->a);
        nkw++;
    }
    sim__set_loc(c, s);
    uint32_t n = (uint32_t)(2 + s->elts2.n + nkw);
    if (nkw) {
        sim_const k = {.kind = SIM_CONST_TUPLE};
        k.u.tuple.items = sim_code__realloc(NULL, (size_t)nkw * sizeof(sim_const));
        if (!k.u.tuple.items) return sim__c_oom(c);
        for (int i = 0; i < nkw; i++) {
            const char *nm = s->orelse.v[i]->name;
            sim_const *it = &k.u.tuple.items[i];
            it->kind = SIM_CONST_STR;
            it->u.str.len = strlen(nm);
            it->u.str.s = sim_code__realloc(NULL, it->u.str.len + 1);
            k.u.tuple.n = (uint32_t)i + 1;
            if (!it->u.str.s) { it->kind = SIM_CONST_NONE; sim_const_clear(&k); return sim__c_oom(c); }
            memcpy(it->u.str.s, nm, it->u.str.len + 1);
        }
        int ki = sim__const_index(c, &k);
        if (ki < 0) return -1;
        EMIT(LOAD_CONST, (uint32_t)ki);
        EMIT(CALL_KW, n);
    } else {
        EMIT(CALL, n);
    }
    if (apply_decorators(c, s) < 0) return -1;
    sim__set_loc(c, s);
    return sim__nameop(c, s->name, CTX_STORE);
}

/* ---- control flow ---------------------------------------------------------- */

static int if_stmt(compiler *c, sim_node *s)
{
    int orelse = sim__new_label(c), end = sim__new_label(c);
    if (end < 0 || sim__jump_if(c, s->a, 0, s->orelse.n ? orelse : end) < 0) return -1;
    STMTS(&s->body);
    if (s->orelse.n) {
        EMIT(JUMP, (uint32_t)end);
        LABEL(orelse);
        STMTS(&s->orelse);
    }
    LABEL(end);
    return 0;
}

static int while_stmt(compiler *c, sim_node *s)
{
    int loop = sim__new_label(c), orelse = sim__new_label(c), end = sim__new_label(c);
    if (end < 0) return -1;
    LABEL(loop);
    if (sim__jump_if(c, s->a, 0, orelse) < 0) return -1;
    if (sim__push_fblock(c, FB_WHILE_LOOP, loop, end, s) < 0) return -1;
    STMTS(&s->body);
    sim__pop_fblock(c);
    sim__set_loc(c, s);
    EMIT(JUMP, (uint32_t)loop);
    LABEL(orelse);
    STMTS(&s->orelse);
    LABEL(end);
    return 0;
}

static int for_stmt(compiler *c, sim_node *s)
{
    int start = sim__new_label(c), cleanup = sim__new_label(c), end = sim__new_label(c);
    if (end < 0) return -1;
    EXPR(s->b);
    sim__set_loc(c, s);
    EMIT(GET_ITER, 0);
    LABEL(start);
    EMIT(FOR_ITER, (uint32_t)cleanup);
    if (sim__push_fblock(c, FB_FOR_LOOP, start, end, s) < 0) return -1;
    if (sim__store(c, s->a) < 0) return -1;
    STMTS(&s->body);
    sim__pop_fblock(c);
    sim__set_loc(c, s);
    EMIT(JUMP, (uint32_t)start);
    LABEL(cleanup);
    STMTS(&s->orelse);
    LABEL(end);
    return 0;
}

/* async for: __anext__ awaited under a handler that ends the loop on
 * StopAsyncIteration (END_ASYNC_FOR). */
static int async_for_stmt(compiler *c, sim_node *s)
{
    if (!c->u->scope->is_async) {
        sim__c_error(c, s, "'async for' outside async function");
        return -1;
    }
    int start = sim__new_label(c), except = sim__new_label(c), end = sim__new_label(c);
    if (end < 0) return -1;
    EXPR(s->b);
    sim__set_loc(c, s);
    EMIT(GET_AITER, 0);
    LABEL(start);
    if (sim__push_fblock(c, FB_ASYNC_FOR_LOOP, start, end, s) < 0) return -1;
    EMIT(SETUP_FINALLY, (uint32_t)except);
    EMIT(GET_ANEXT, 0);
    if (sim__load_const_none(c) < 0) return -1;
    EMIT(YIELD_FROM, 0);
    EMIT(POP_BLOCK, 0);
    if (sim__store(c, s->a) < 0) return -1;
    STMTS(&s->body);
    sim__set_loc(c, s);
    EMIT(JUMP, (uint32_t)start);
    sim__pop_fblock(c);
    LABEL(except);
    EMIT(END_ASYNC_FOR, 0);
    STMTS(&s->orelse);
    LABEL(end);
    return 0;
}

/* ---- exceptions ------------------------------------------------------------ */

/* The handler's cleanup: restore the previously handled exception, re-raise. */
static int pop_except_and_reraise(compiler *c)
{
    EMIT(SWAP, 2);
    EMIT(POP_EXCEPT, 0);
    EMIT(RERAISE, 0);
    return 0;
}

/* One `except T as name:` clause; `next` is where a non-matching exception goes. */
static int except_clause(compiler *c, sim_node *h, int next, int end)
{
    sim__set_loc(c, h);
    if (h->a) {
        EXPR(h->a);
        EMIT(CHECK_EXC_MATCH, 0);
        EMIT(POP_JUMP_IF_FALSE, (uint32_t)next);
    }
    if (!h->name) {
        EMIT(POP_TOP, 0);
        if (sim__push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, NULL) < 0) return -1;
        STMTS(&h->body);
        sim__pop_fblock(c);
        EMIT(POP_BLOCK, 0);
        EMIT(POP_EXCEPT, 0);
        EMIT(JUMP, (uint32_t)end);
        return 0;
    }
    /* try: body  finally: name = None; del name */
    int cleanup_end = sim__new_label(c);
    if (cleanup_end < 0 || sim__nameop(c, h->name, CTX_STORE) < 0) return -1;
    EMIT(SETUP_FINALLY, (uint32_t)cleanup_end);
    if (sim__push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h) < 0) return -1;
    STMTS(&h->body);
    sim__pop_fblock(c);
    EMIT(POP_BLOCK, 0);
    EMIT(POP_BLOCK, 0);
    EMIT(POP_EXCEPT, 0);
    if (sim__load_const_none(c) < 0 || sim__nameop(c, h->name, CTX_STORE) < 0 ||
        sim__nameop(c, h->name, CTX_DEL) < 0)
        return -1;
    EMIT(JUMP, (uint32_t)end);
    LABEL(cleanup_end);
    if (sim__load_const_none(c) < 0 || sim__nameop(c, h->name, CTX_STORE) < 0 ||
        sim__nameop(c, h->name, CTX_DEL) < 0)
        return -1;
    EMIT(RERAISE, 0);
    return 0;
}

/* CPython's compiler_try_except. */
static int try_except(compiler *c, sim_node *s)
{
    int except = sim__new_label(c), end = sim__new_label(c), cleanup = sim__new_label(c);
    if (cleanup < 0) return -1;
    sim__set_loc(c, s);
    EMIT(SETUP_FINALLY, (uint32_t)except);
    if (sim__push_fblock(c, FB_TRY_EXCEPT, -1, -1, s) < 0) return -1;
    STMTS(&s->body);
    sim__pop_fblock(c);
    EMIT(POP_BLOCK, 0);
    STMTS(&s->orelse);
    EMIT(JUMP, (uint32_t)end);
    LABEL(except);
    EMIT(SETUP_FINALLY, (uint32_t)cleanup);
    EMIT(PUSH_EXC_INFO, 0);
    if (sim__push_fblock(c, FB_EXCEPTION_HANDLER, -1, -1, NULL) < 0) return -1;
    for (int i = 0; i < s->elts.n; i++) {
        sim_node *h = s->elts.v[i];
        if (!h->a && i < s->elts.n - 1) {
            sim__c_error(c, h, "default 'except:' must be last");
            return -1;
        }
        int next = sim__new_label(c);
        if (next < 0 || except_clause(c, h, next, end) < 0) return -1;
        LABEL(next);
    }
    sim__pop_fblock(c);
    EMIT(RERAISE, 0);
    LABEL(cleanup);
    if (pop_except_and_reraise(c) < 0) return -1;
    LABEL(end);
    return 0;
}

/* One `except* T [as name]:` clause of a try/except*, CPython's layout. On entry the
 * stack is `prev orig list exc` (exc: what is still unhandled, or None); the clause
 * leaves `prev orig list rest`, with what its body raised appended to list. */
static int except_star_clause(compiler *c, sim_node *h, int last, int reraise_star)
{
    int no_match = sim__new_label(c), with_error = sim__new_label(c), cleanup_end = sim__new_label(c);
    if (cleanup_end < 0) return -1;
    sim__set_loc(c, h);
    EXPR(h->a);
    sim__set_loc(c, h);
    EMIT(CHECK_EG_MATCH, 0);
    EMIT(COPY, 1);
    EMIT(POP_JUMP_IF_NONE, (uint32_t)no_match);
    if (h->name) {
        if (sim__nameop(c, h->name, CTX_STORE) < 0) return -1;
    } else {
        EMIT(POP_TOP, 0);
    }
    /* try: body  finally: name = None; del name */
    EMIT(SETUP_FINALLY, (uint32_t)cleanup_end);
    if (sim__push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h) < 0) return -1;
    STMTS(&h->body);
    sim__pop_fblock(c);
    EMIT(POP_BLOCK, 0);
    if (h->name && (sim__load_const_none(c) < 0 || sim__nameop(c, h->name, CTX_STORE) < 0 ||
                    sim__nameop(c, h->name, CTX_DEL) < 0))
        return -1;
    EMIT(JUMP, (uint32_t)with_error);
    LABEL(cleanup_end);                 /* prev orig list rest raised */
    if (h->name && (sim__load_const_none(c) < 0 || sim__nameop(c, h->name, CTX_STORE) < 0 ||
                    sim__nameop(c, h->name, CTX_DEL) < 0))
        return -1;
    EMIT(LIST_APPEND, 2);
    EMIT(JUMP, (uint32_t)with_error);
    LABEL(no_match);
    EMIT(POP_TOP, 0);                   /* the None match */
    LABEL(with_error);
    if (last) {
        EMIT(LIST_APPEND, 1);           /* the unhandled rest (or None) */
        EMIT(JUMP, (uint32_t)reraise_star);
    }
    return 0;
}

/* CPython's compiler_try_star_except: each clause splits what is still unhandled;
 * PREP_RERAISE_STAR then combines what the clauses raised with the rest. */
static int try_star_except(compiler *c, sim_node *s)
{
    int except = sim__new_label(c), end = sim__new_label(c), cleanup = sim__new_label(c);
    int reraise_star = sim__new_label(c), reraise = sim__new_label(c);
    if (reraise < 0) return -1;
    sim__set_loc(c, s);
    EMIT(SETUP_FINALLY, (uint32_t)except);
    if (sim__push_fblock(c, FB_TRY_EXCEPT, -1, -1, s) < 0) return -1;
    STMTS(&s->body);
    sim__pop_fblock(c);
    EMIT(POP_BLOCK, 0);
    STMTS(&s->orelse);
    EMIT(JUMP, (uint32_t)end);
    LABEL(except);
    EMIT(SETUP_FINALLY, (uint32_t)cleanup);
    EMIT(PUSH_EXC_INFO, 0);             /* prev exc */
    if (sim__push_fblock(c, FB_EXCEPTION_GROUP_HANDLER, -1, -1, NULL) < 0) return -1;
    EMIT(COPY, 1);
    EMIT(BUILD_LIST, 0);
    EMIT(SWAP, 2);                      /* prev orig [] exc */
    for (int i = 0; i < s->elts.n; i++)
        if (except_star_clause(c, s->elts.v[i], i == s->elts.n - 1, reraise_star) < 0) return -1;
    sim__pop_fblock(c);
    LABEL(reraise_star);
    EMIT(PREP_RERAISE_STAR, 0);
    EMIT(COPY, 1);
    EMIT(POP_JUMP_IF_NOT_NONE, (uint32_t)reraise);
    EMIT(POP_TOP, 0);
    EMIT(POP_BLOCK, 0);
    EMIT(POP_EXCEPT, 0);
    EMIT(JUMP, (uint32_t)end);
    LABEL(reraise);
    EMIT(POP_BLOCK, 0);
    EMIT(SWAP, 2);
    EMIT(POP_EXCEPT, 0);
    EMIT(RERAISE, 0);
    LABEL(cleanup);
    if (pop_except_and_reraise(c) < 0) return -1;
    LABEL(end);
    return 0;
}

/* CPython's compiler_try_finally: the finally body is compiled twice, for the
 * normal exit and for the exception handler (and once more per early exit). */
static int try_finally(compiler *c, sim_node *s)
{
    int end = sim__new_label(c), exit = sim__new_label(c), cleanup = sim__new_label(c);
    if (cleanup < 0) return -1;
    sim__set_loc(c, s);
    EMIT(SETUP_FINALLY, (uint32_t)end);
    if (sim__push_fblock(c, FB_FINALLY_TRY, -1, -1, s) < 0) return -1;
    if (s->elts.n) {
        if ((s->op ? try_star_except(c, s) : try_except(c, s)) < 0) return -1;
    } else {
        STMTS(&s->body);
    }
    sim__pop_fblock(c);
    EMIT(POP_BLOCK, 0);
    STMTS(&s->finalbody);
    EMIT(JUMP, (uint32_t)exit);
    LABEL(end);
    EMIT(SETUP_FINALLY, (uint32_t)cleanup);
    EMIT(PUSH_EXC_INFO, 0);
    if (sim__push_fblock(c, FB_FINALLY_END, -1, -1, s) < 0) return -1;
    STMTS(&s->finalbody);
    sim__pop_fblock(c);
    EMIT(RERAISE, 0);
    LABEL(cleanup);
    if (pop_except_and_reraise(c) < 0) return -1;
    LABEL(exit);
    return 0;
}

static int raise_stmt(compiler *c, sim_node *s)
{
    uint32_t n = 0;
    if (s->a) { EXPR(s->a); n = 1; }
    if (s->b) { EXPR(s->b); n = 2; }
    sim__set_loc(c, s);
    EMIT(RAISE_VARARGS, n);
    return 0;
}

static int assert_stmt(compiler *c, sim_node *s)
{
    int end = sim__new_label(c);
    if (end < 0 || sim__jump_if(c, s->a, 1, end) < 0) return -1;
    sim__set_loc(c, s);
    EMIT(LOAD_ASSERTION_ERROR, 0);
    if (s->b) {
        EXPR(s->b);
        EMIT(CALL, 1);
    }
    EMIT(RAISE_VARARGS, 1);
    LABEL(end);
    return 0;
}

/* ---- with ------------------------------------------------------------------ */

/* After WITH_EXCEPT_START: suppress the exception if exit returned true. */
static int with_except_finish(compiler *c, int cleanup)
{
    int suppress = sim__new_label(c);
    if (suppress < 0) return -1;
    EMIT(POP_JUMP_IF_TRUE, (uint32_t)suppress);
    EMIT(RERAISE, 0);
    LABEL(cleanup);
    if (pop_except_and_reraise(c) < 0) return -1;
    LABEL(suppress);
    EMIT(POP_TOP, 0);            /* the exception */
    EMIT(POP_BLOCK, 0);
    EMIT(POP_EXCEPT, 0);
    EMIT(POP_TOP, 0);            /* __exit__ */
    return 0;
}

/* CPython's compiler_with / compiler_async_with: one item per level. */
static int with_item(compiler *c, sim_node *s, int pos)
{
    int is_async = s->op;
    sim_node *item = s->elts.v[pos];
    int final = sim__new_label(c), exit = sim__new_label(c), cleanup = sim__new_label(c);
    if (cleanup < 0) return -1;
    EXPR(item->a);
    sim__set_loc(c, s);
    if (is_async) {
        EMIT(BEFORE_ASYNC_WITH, 0);
        if (sim__await(c, 1) < 0) return -1;
    } else {
        EMIT(BEFORE_WITH, 0);
    }
    EMIT(SETUP_WITH, (uint32_t)final);
    if (sim__push_fblock(c, is_async ? FB_ASYNC_WITH : FB_WITH, -1, -1, s) < 0) return -1;
    if (item->b) {
        if (sim__store(c, item->b) < 0) return -1;
    } else {
        EMIT(POP_TOP, 0);
    }
    if (pos + 1 < s->elts.n) {
        if (with_item(c, s, pos + 1) < 0) return -1;
    } else {
        STMTS(&s->body);
    }
    sim__pop_fblock(c);
    sim__set_loc(c, s);
    EMIT(POP_BLOCK, 0);
    if (sim__call_exit_with_nones(c, is_async) < 0) return -1;
    EMIT(POP_TOP, 0);
    EMIT(JUMP, (uint32_t)exit);
    LABEL(final);
    EMIT(SETUP_FINALLY, (uint32_t)cleanup);
    EMIT(PUSH_EXC_INFO, 0);
    EMIT(WITH_EXCEPT_START, 0);
    if (is_async && sim__await(c, 2) < 0) return -1;
    if (with_except_finish(c, cleanup) < 0) return -1;
    LABEL(exit);
    return 0;
}

static int with_stmt(compiler *c, sim_node *s)
{
    if (s->op && !c->u->scope->is_async) {
        sim__c_error(c, s, "'async with' outside async function");
        return -1;
    }
    return with_item(c, s, 0);
}

/* ---- imports --------------------------------------------------------------- */

/* import a.b.c [as x]: binds `a`, or with `as` the module a.b.c itself. */
static int import_stmt(compiler *c, sim_node *s)
{
    for (int i = 0; i < s->elts.n; i++) {
        sim_node *a = s->elts.v[i];
        int k = sim__name_index(c, a->name);
        if (k < 0 || sim__load_const_none(c) < 0) return -1;
        EMIT(IMPORT_NAME, (uint32_t)k);
        const char *dot = strchr(a->name, '.');
        if (a->name2) {
            while (dot) {                       /* walk down to the last module */
                const char *next = strchr(dot + 1, '.');
                size_t n = next ? (size_t)(next - dot - 1) : strlen(dot + 1);
                char part[256];
                if (n >= sizeof part) n = sizeof part - 1;
                memcpy(part, dot + 1, n);
                part[n] = 0;
                int pk = sim__name_index(c, part);
                if (pk < 0) return -1;
                EMIT(IMPORT_FROM, (uint32_t)pk);
                EMIT(SWAP, 2);
                EMIT(POP_TOP, 0);
                dot = next;
            }
            if (sim__nameop(c, a->name2, CTX_STORE) < 0) return -1;
        } else {
            char top[256];
            size_t n = dot ? (size_t)(dot - a->name) : strlen(a->name);
            if (n >= sizeof top) n = sizeof top - 1;
            memcpy(top, a->name, n);
            top[n] = 0;
            if (sim__nameop(c, top, CTX_STORE) < 0) return -1;
        }
    }
    return 0;
}

/* `from __future__ import x` is a compiler directive (CPython's future.c): only
 * at the top of the module, only known features. Every feature aiosim's subset
 * needs is already on, so nothing is emitted (the name is not bound). */
static int future_import(compiler *c, sim_node *s)
{
    static const char *const known[] = {"nested_scopes", "generators", "division",
        "absolute_import", "with_statement", "print_function", "unicode_literals",
        "barry_as_FLUFL", "generator_stop", "annotations"};
    if (!c->future_ok) {
        sim__c_error(c, s, "from __future__ imports must occur at the beginning of the file");
        return -1;
    }
    for (int i = 0; i < s->elts.n; i++) {
        const char *name = s->elts.v[i]->name;
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) ok |= !strcmp(name, known[k]);
        if (!ok) {
            sim_node at = *s;
            at.end_line = at.line;
            at.end_col = at.col + 1;
            if (strcmp(name, "braces") == 0) sim__c_error(c, &at, "not a chance");
            else sim__c_error(c, &at, "future feature %s is not defined", name);
            return -1;
        }
    }
    return 0;
}

/* from m import a [as b], ... | from m import * */
static int import_from(compiler *c, sim_node *s)
{
    if (strcmp(s->name, "__future__") == 0) return future_import(c, s);
    sim_const k = {.kind = SIM_CONST_TUPLE};
    k.u.tuple.items = sim_code__realloc(NULL, (size_t)s->elts.n * sizeof(sim_const));
    if (!k.u.tuple.items) return sim__c_oom(c);
    for (int i = 0; i < s->elts.n; i++) {
        const char *nm = s->elts.v[i]->name;
        sim_const *it = &k.u.tuple.items[i];
        it->kind = SIM_CONST_STR;
        it->u.str.len = strlen(nm);
        it->u.str.s = sim_code__realloc(NULL, it->u.str.len + 1);
        k.u.tuple.n = (uint32_t)i + 1;
        if (!it->u.str.s) { it->kind = SIM_CONST_NONE; sim_const_clear(&k); return sim__c_oom(c); }
        memcpy(it->u.str.s, nm, it->u.str.len + 1);
    }
    int ki = sim__const_index(c, &k), mk = sim__name_index(c, s->name);
    if (ki < 0 || mk < 0) return -1;
    EMIT(LOAD_CONST, (uint32_t)ki);
    EMIT(IMPORT_NAME, (uint32_t)mk);
    if (s->elts.n == 1 && strcmp(s->elts.v[0]->name, "*") == 0) {
        EMIT(IMPORT_STAR, 0);
        return 0;
    }
    for (int i = 0; i < s->elts.n; i++) {
        sim_node *a = s->elts.v[i];
        int nk = sim__name_index(c, a->name);
        if (nk < 0) return -1;
        EMIT(IMPORT_FROM, (uint32_t)nk);
        if (sim__nameop(c, a->name2 ? a->name2 : a->name, CTX_STORE) < 0) return -1;
    }
    EMIT(POP_TOP, 0);
    return 0;
}

/* ---- assignments ----------------------------------------------------------- */

static int assign(compiler *c, sim_node *s)
{
    EXPR(s->a);
    for (int i = 0; i < s->elts.n; i++) {
        if (i + 1 < s->elts.n) EMIT(COPY, 1);
        if (sim__store(c, s->elts.v[i]) < 0) return -1;
    }
    return 0;
}

/* x op= v: the target is read once (attribute / subscript operands kept). */
static int augassign(compiler *c, sim_node *s)
{
    sim_node *t = s->a;
    uint32_t op = (uint32_t)s->op + SIM_BINOP_INPLACE;
    switch (t->kind) {
    case E_NAME:
        if (sim__nameop(c, t->name, CTX_LOAD) < 0) return -1;
        EXPR(s->b);
        sim__set_loc(c, s);
        EMIT(BINARY_OP, op);
        return sim__nameop(c, t->name, CTX_STORE);
    case E_ATTRIBUTE: {
        int k = sim__attr_index(c, t->name);
        EXPR(t->a);
        if (k < 0) return -1;
        EMIT(COPY, 1);
        EMIT(LOAD_ATTR, (uint32_t)k);
        EXPR(s->b);
        sim__set_loc(c, s);
        EMIT(BINARY_OP, op);
        EMIT(SWAP, 2);
        EMIT(STORE_ATTR, (uint32_t)k);
        return 0;
    }
    default:                                    /* subscript */
        EXPR(t->a);
        EXPR(t->b);
        EMIT(COPY, 2);
        EMIT(COPY, 2);
        EMIT(BINARY_SUBSCR, 0);
        EXPR(s->b);
        sim__set_loc(c, s);
        EMIT(BINARY_OP, op);
        EMIT(SWAP, 3);
        EMIT(SWAP, 2);
        EMIT(STORE_SUBSCR, 0);
        return 0;
    }
}

/* ---- the dispatcher -------------------------------------------------------- */

static int stmt(compiler *c, sim_node *s)
{
    if (sim__c_failed(c)) return -1;
    sim__set_loc(c, s);
    /* __future__ imports may follow only a docstring and one another */
    int is_future = s->kind == S_IMPORTFROM && strcmp(s->name, "__future__") == 0;
    int is_doc = s->kind == S_EXPR && s->a->kind == E_CONST && s->a->cval == SIM_CONST_STR &&
                 c->u->ninstrs == 0 && c->u->scope->kind == SCOPE_MODULE && !c->seen_stmt;
    if (!is_future && !is_doc) c->future_ok = 0;
    c->seen_stmt = 1;
    switch (s->kind) {
    case S_FUNCDEF: return funcdef(c, s);
    case S_CLASSDEF: return classdef(c, s);
    case S_RETURN: return return_stmt(c, s);
    case S_DELETE:
        for (int i = 0; i < s->elts.n; i++)
            if (sim__delete(c, s->elts.v[i]) < 0) return -1;
        return 0;
    case S_ASSIGN: return assign(c, s);
    case S_AUGASSIGN: return augassign(c, s);
    case S_ANNASSIGN:
        if (!s->b) return 0;             /* annotations are not evaluated or kept */
        EXPR(s->b);
        return sim__store(c, s->a);
    case S_FOR: return s->op ? async_for_stmt(c, s) : for_stmt(c, s);
    case S_WHILE: return while_stmt(c, s);
    case S_IF: return if_stmt(c, s);
    case S_WITH: return with_stmt(c, s);
    case S_RAISE: return raise_stmt(c, s);
    case S_TRY:
        if (s->finalbody.n) return try_finally(c, s);
        return s->op ? try_star_except(c, s) : try_except(c, s);
    case S_ASSERT: return assert_stmt(c, s);
    case S_IMPORT: return import_stmt(c, s);
    case S_IMPORTFROM: return import_from(c, s);
    case S_GLOBAL: case S_NONLOCAL: case S_PASS:
        return 0;
    case S_BREAK: case S_CONTINUE: return break_continue(c, s);
    case S_EXPR:
        if (s->a->kind == E_CONST) return 0;   /* docstrings and other constants */
        EXPR(s->a);
        EMIT(POP_TOP, 0);
        return 0;
    default:
        sim__c_unsupported(c, s, sim_node_kind_name(s->kind));
        return -1;
    }
}
