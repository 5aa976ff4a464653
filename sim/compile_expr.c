/* compile_expr.c — code generation for expressions and assignment targets. */
#include "compile_int.h"

#include <string.h>

#define EMIT(op, arg) do { if (sim__emit(c, SIM_OP_##op, (arg)) < 0) return -1; } while (0)
#define EXPR(e) do { if (sim__expr(c, (e)) < 0) return -1; } while (0)

static int expr1(compiler *c, sim_node *e);

/* Every expression sets the position of what it emits, then restores its
 * parent's (CPython's compiler_visit_expr). */
int sim__expr(compiler *c, sim_node *e)
{
    if (sim__c_failed(c)) return -1;
    sim_pos saved = c->u->loc;
    sim__set_loc(c, e);
    int rc = expr1(c, e);
    c->u->loc = saved;
    return rc;
}

int sim__await(compiler *c, int where)
{
    EMIT(GET_AWAITABLE, (uint32_t)where);
    if (sim__load_const_none(c) < 0) return -1;
    EMIT(YIELD_FROM, 0);
    return 0;
}

static int has_starred(const sim_nlist *l)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i] && l->v[i]->kind == E_STARRED) return 1;
    return 0;
}

static int constant(compiler *c, sim_node *e)
{
    sim_const k = {.kind = e->cval};
    if (e->cval == SIM_CONST_INT) k.u.i = e->ival;
    if (e->cval == SIM_CONST_FLOAT) k.u.d = e->dval;
    if (e->cval == SIM_CONST_STR) return sim__load_const_str(c, e->str, e->len);
    int i = sim__const_index(c, &k);
    return i < 0 ? -1 : sim__emit(c, SIM_OP_LOAD_CONST, (uint32_t)i);
}

/* [a, *b, c] / (a, *b) / {a, *b}: BUILD_x n, or build a list and extend it. */
static int sequence(compiler *c, sim_node *e)
{
    sim_opcode build = e->kind == E_LIST ? SIM_OP_BUILD_LIST : e->kind == E_SET ? SIM_OP_BUILD_SET
                                                                               : SIM_OP_BUILD_TUPLE;
    if (!has_starred(&e->elts)) {
        for (int i = 0; i < e->elts.n; i++) EXPR(e->elts.v[i]);
        return sim__emit(c, build, (uint32_t)e->elts.n);
    }
    int is_set = e->kind == E_SET;
    if (is_set) EMIT(BUILD_SET, 0); else EMIT(BUILD_LIST, 0);
    for (int i = 0; i < e->elts.n; i++) {
        sim_node *x = e->elts.v[i];
        if (x->kind == E_STARRED) {
            EXPR(x->a);
            if (is_set) EMIT(SET_UPDATE, 1); else EMIT(LIST_EXTEND, 1);
        } else {
            EXPR(x);
            if (is_set) EMIT(SET_ADD, 1); else EMIT(LIST_APPEND, 1);
        }
    }
    if (e->kind == E_TUPLE) EMIT(LIST_TO_TUPLE, 0);
    return 0;
}

/* {k: v, **m}: BUILD_MAP n for the plain case, else an empty dict filled in order. */
static int dict(compiler *c, sim_node *e)
{
    int any_unpack = 0;
    for (int i = 0; i < e->elts.n; i++) any_unpack |= e->elts.v[i] == NULL;
    if (!any_unpack) {
        for (int i = 0; i < e->elts.n; i++) {
            EXPR(e->elts.v[i]);
            EXPR(e->elts2.v[i]);
        }
        return sim__emit(c, SIM_OP_BUILD_MAP, (uint32_t)e->elts.n);
    }
    EMIT(BUILD_MAP, 0);
    for (int i = 0; i < e->elts.n; i++) {
        if (!e->elts.v[i]) {
            EXPR(e->elts2.v[i]);
            EMIT(DICT_UPDATE, 1);
        } else {
            EXPR(e->elts.v[i]);
            EXPR(e->elts2.v[i]);
            EMIT(MAP_ADD, 1);
        }
    }
    return 0;
}

/* f-strings: each part, then BUILD_STRING (a single formatted part needs none). */
static int joined_str(compiler *c, sim_node *e)
{
    if (e->elts.n == 0) return sim__load_const_str(c, "", 0);
    for (int i = 0; i < e->elts.n; i++) {
        sim_node *part = e->elts.v[i];
        if (part->kind == E_CONST) {
            if (constant(c, part) < 0) return -1;
            continue;
        }
        EXPR(part->a);
        uint32_t flags = part->op == 's' ? SIM_FMT_STR : part->op == 'r' ? SIM_FMT_REPR
                       : part->op == 'a' ? SIM_FMT_ASCII : 0;
        if (part->b) {
            EXPR(part->b);
            flags |= SIM_FMT_HAS_SPEC;
        }
        EMIT(FORMAT_VALUE, flags);
    }
    if (e->elts.n > 1) EMIT(BUILD_STRING, (uint32_t)e->elts.n);
    return 0;
}

static int boolop(compiler *c, sim_node *e)
{
    int end = sim__new_label(c);
    if (end < 0) return -1;
    sim_opcode jump = e->op == KW_AND ? SIM_OP_JUMP_IF_FALSE_OR_POP : SIM_OP_JUMP_IF_TRUE_OR_POP;
    for (int i = 0; i < e->elts.n; i++) {
        EXPR(e->elts.v[i]);
        if (i + 1 < e->elts.n && sim__emit(c, jump, (uint32_t)end) < 0) return -1;
    }
    return sim__use_label(c, end);
}

static int compare_one(compiler *c, int op)
{
    switch (op) {
    case CMP_IS: return sim__emit(c, SIM_OP_IS_OP, 0);
    case CMP_ISNOT: return sim__emit(c, SIM_OP_IS_OP, 1);
    case CMP_IN: return sim__emit(c, SIM_OP_CONTAINS_OP, 0);
    case CMP_NOTIN: return sim__emit(c, SIM_OP_CONTAINS_OP, 1);
    default: return sim__emit(c, SIM_OP_COMPARE_OP, (uint32_t)op);
    }
}

/* a < b < c: each middle operand is kept (SWAP/COPY) for the next comparison and
 * the chain stops at the first false, as CPython's compiler_compare. */
static int compare(compiler *c, sim_node *e)
{
    EXPR(e->a);
    int n = e->elts.n;
    if (n == 1) {
        EXPR(e->elts.v[0]);
        return compare_one(c, e->ops[0]);
    }
    int cleanup = sim__new_label(c), end = sim__new_label(c);
    if (end < 0) return -1;
    for (int i = 0; i < n - 1; i++) {
        EXPR(e->elts.v[i]);
        EMIT(SWAP, 2);
        EMIT(COPY, 2);
        if (compare_one(c, e->ops[i]) < 0) return -1;
        EMIT(JUMP_IF_FALSE_OR_POP, (uint32_t)cleanup);
    }
    EXPR(e->elts.v[n - 1]);
    if (compare_one(c, e->ops[n - 1]) < 0) return -1;
    EMIT(JUMP, (uint32_t)end);
    sim__use_label(c, cleanup);
    EMIT(SWAP, 2);
    EMIT(POP_TOP, 0);
    return sim__use_label(c, end);
}

/* Jumps to label when truthiness of e == cond (for if/while/assert/comprehension). */
int sim__jump_if(compiler *c, sim_node *e, int cond, int label)
{
    if (e->kind == E_UNARYOP && e->op == UNARY_NOT_OP)
        return sim__jump_if(c, e->a, !cond, label);
    EXPR(e);
    return sim__emit(c, cond ? SIM_OP_POP_JUMP_IF_TRUE : SIM_OP_POP_JUMP_IF_FALSE, (uint32_t)label);
}

static int ifexp(compiler *c, sim_node *e)
{
    int orelse = sim__new_label(c), end = sim__new_label(c);
    if (end < 0 || sim__jump_if(c, e->a, 0, orelse) < 0) return -1;
    EXPR(e->b);
    EMIT(JUMP, (uint32_t)end);
    sim__use_label(c, orelse);
    EXPR(e->c);
    return sim__use_label(c, end);
}

static int unaryop(compiler *c, sim_node *e)
{
    sim_node *x = e->a;                 /* fold -<number>, as CPython's AST optimizer */
    if (e->op == T_MINUS && x->kind == E_CONST &&
        ((x->cval == SIM_CONST_INT && x->ival != INT64_MIN) || x->cval == SIM_CONST_FLOAT)) {
        sim_const k = {.kind = x->cval};
        if (x->cval == SIM_CONST_INT) k.u.i = -x->ival; else k.u.d = -x->dval;
        int i = sim__const_index(c, &k);
        return i < 0 ? -1 : sim__emit(c, SIM_OP_LOAD_CONST, (uint32_t)i);
    }
    EXPR(e->a);
    switch (e->op) {
    case T_MINUS: return sim__emit(c, SIM_OP_UNARY_NEGATIVE, 0);
    case T_PLUS: return sim__emit(c, SIM_OP_UNARY_POSITIVE, 0);
    case T_TILDE: return sim__emit(c, SIM_OP_UNARY_INVERT, 0);
    default: return sim__emit(c, SIM_OP_UNARY_NOT, 0);
    }
}

static int slice_expr(compiler *c, sim_node *e)
{
    if (e->a) EXPR(e->a); else if (sim__load_const_none(c) < 0) return -1;
    if (e->b) EXPR(e->b); else if (sim__load_const_none(c) < 0) return -1;
    if (e->c) EXPR(e->c);
    return sim__emit(c, SIM_OP_BUILD_SLICE, e->c ? 3 : 2);
}

/* ---- calls ----------------------------------------------------------------- */

static int has_double_star(const sim_nlist *kws)
{
    for (int i = 0; i < kws->n; i++)
        if (!kws->v[i]->name) return 1;
    return 0;
}

/* f(*a, k=v, **m): a tuple of the positionals and a dict of the keywords. */
static int call_ex(compiler *c, sim_node *e)
{
    if (!has_starred(&e->elts)) {
        for (int i = 0; i < e->elts.n; i++) EXPR(e->elts.v[i]);
        EMIT(BUILD_TUPLE, (uint32_t)e->elts.n);
    } else {
        EMIT(BUILD_LIST, 0);
        for (int i = 0; i < e->elts.n; i++) {
            sim_node *x = e->elts.v[i];
            EXPR(x->kind == E_STARRED ? x->a : x);
            if (x->kind == E_STARRED) EMIT(LIST_EXTEND, 1); else EMIT(LIST_APPEND, 1);
        }
        EMIT(LIST_TO_TUPLE, 0);
    }
    if (!e->elts2.n) return sim__emit(c, SIM_OP_CALL_EX, 0);
    EMIT(BUILD_MAP, 0);
    for (int i = 0; i < e->elts2.n; i++) {
        sim_node *k = e->elts2.v[i];
        if (k->name) {
            if (sim__load_const_str(c, k->name, strlen(k->name)) < 0) return -1;
            EXPR(k->a);
            EMIT(MAP_ADD, 1);
        } else {
            EXPR(k->a);
            EMIT(DICT_MERGE, 1);
        }
    }
    return sim__emit(c, SIM_OP_CALL_EX, 1);
}

/* The keyword names of a call as a constant tuple. */
static int kwnames(compiler *c, const sim_nlist *kws)
{
    sim_const k = {.kind = SIM_CONST_TUPLE};
    k.u.tuple.items = sim_code__realloc(NULL, (size_t)kws->n * sizeof(sim_const));
    if (!k.u.tuple.items) return sim__c_oom(c);
    for (int i = 0; i < kws->n; i++) {
        sim_const *it = &k.u.tuple.items[i];
        size_t len = strlen(kws->v[i]->name);
        it->kind = SIM_CONST_STR;
        it->u.str.s = sim_code__realloc(NULL, len + 1);
        if (!it->u.str.s) {
            k.u.tuple.n = (uint32_t)i;
            sim_const_clear(&k);
            return sim__c_oom(c);
        }
        memcpy(it->u.str.s, kws->v[i]->name, len + 1);
        it->u.str.len = len;
        k.u.tuple.n = (uint32_t)i + 1;
    }
    int i = sim__const_index(c, &k);
    return i < 0 ? -1 : sim__emit(c, SIM_OP_LOAD_CONST, (uint32_t)i);
}

/* CPython's update_start_location_to_match_attr: when `.name` is on a later line
 * than the object (a chained call split over lines), the attribute access and its
 * call are placed on the attribute's line. */
static void loc_of_attr(compiler *c, const sim_node *attr)
{
    sim_pos *l = &c->u->loc;
    if (l->line == attr->end_line) return;
    l->line = attr->end_line;
    int len = (int)strlen(attr->name);
    l->col = len <= attr->end_col ? attr->end_col - len : -1;
    if (l->end_line < l->line) l->end_line = l->line;
    if (l->line == l->end_line && l->end_col < l->col) l->end_col = l->col;
}

static int call(compiler *c, sim_node *e)
{
    int simple = !has_starred(&e->elts) && !has_double_star(&e->elts2);
    if (simple && e->a->kind == E_ATTRIBUTE && e->elts2.n == 0) {
        int k = sim__attr_index(c, e->a->name);
        EXPR(e->a->a);
        if (k < 0) return -1;
        loc_of_attr(c, e->a);
        EMIT(LOAD_METHOD, (uint32_t)k);
        for (int i = 0; i < e->elts.n; i++) EXPR(e->elts.v[i]);
        sim__set_loc(c, e);
        loc_of_attr(c, e->a);
        return sim__emit(c, SIM_OP_CALL_METHOD, (uint32_t)e->elts.n);
    }
    EXPR(e->a);
    if (!simple) return call_ex(c, e);
    for (int i = 0; i < e->elts.n; i++) EXPR(e->elts.v[i]);
    for (int i = 0; i < e->elts2.n; i++) EXPR(e->elts2.v[i]->a);
    sim__set_loc(c, e);
    if (!e->elts2.n) return sim__emit(c, SIM_OP_CALL, (uint32_t)e->elts.n);
    if (kwnames(c, &e->elts2) < 0) return -1;
    return sim__emit(c, SIM_OP_CALL_KW, (uint32_t)(e->elts.n + e->elts2.n));
}

/* ---- functions, comprehensions, await -------------------------------------- */

/* Pushes the defaults tuple and the kw-only defaults dict; returns MAKE_FUNCTION flags. */
int sim__push_defaults(compiler *c, sim_args *a)
{
    int flags = 0;
    if (a->defaults.n) {
        for (int i = 0; i < a->defaults.n; i++) EXPR(a->defaults.v[i]);
        EMIT(BUILD_TUPLE, (uint32_t)a->defaults.n);
        flags |= SIM_MKFN_DEFAULTS;
    }
    int nkw = 0;
    for (int i = 0; i < a->kw_defaults.n; i++) {
        if (!a->kw_defaults.v[i]) continue;
        const char *name = a->kwonly.v[i]->name;
        if (sim__load_const_str(c, name, strlen(name)) < 0) return -1;
        EXPR(a->kw_defaults.v[i]);
        nkw++;
    }
    if (nkw) {
        EMIT(BUILD_MAP, (uint32_t)nkw);
        flags |= SIM_MKFN_KWDEFAULTS;
    }
    return flags;
}

static int lambda(compiler *c, sim_node *e)
{
    int flags = sim__push_defaults(c, e->args);
    return flags < 0 ? -1 : sim__make_function(c, e, (uint32_t)flags);
}

/* May this scope await? ('await' in a comprehension belongs to the function around it.) */
static const char *await_error(const sim_scope *s)
{
    while (s->is_comprehension && s->parent) s = s->parent;
    if (s->kind != SCOPE_FUNCTION) return "'await' outside function";
    if (!s->is_async) return "'await' outside async function";
    return NULL;
}

static int await_expr(compiler *c, sim_node *e)
{
    const char *err = await_error(c->u->scope);
    if (err) {
        sim__c_error(c, e, "%s", err);
        return -1;
    }
    if (c->u->scope->is_comprehension && c->u->scope->is_generator) {
        sim__c_unsupported(c, e, "await inside a generator expression");
        return -1;
    }
    EXPR(e->a);
    return sim__await(c, 0);
}

static int comprehension(compiler *c, sim_node *e)
{
    int awaits = e->scope->has_await;
    if (awaits && e->kind == E_GENEXP) {
        sim__c_unsupported(c, e, "asynchronous generator expressions");
        return -1;
    }
    if (awaits && await_error(e->scope)) {
        sim__c_error(c, e, "asynchronous comprehension outside of an asynchronous function");
        return -1;
    }
    if (sim__make_function(c, e, 0) < 0) return -1;
    EXPR(e->elts.v[0]->b);
    if (e->elts.v[0]->op) EMIT(GET_AITER, 0); else EMIT(GET_ITER, 0);
    EMIT(CALL, 1);
    return awaits ? sim__await(c, 0) : 0;
}

/* One `for` clause of a comprehension, the clauses after it, and the element. */
static int comprehension_loop(compiler *c, sim_node *n, int gi)
{
    sim_node *g = n->elts.v[gi];
    int start = sim__new_label(c), anchor = sim__new_label(c);
    if (anchor < 0) return -1;
    if (gi == 0) {
        EMIT(LOAD_FAST, 0);               /* .0: the iterator made by the caller */
    } else {
        EXPR(g->b);
        if (g->op) EMIT(GET_AITER, 0); else EMIT(GET_ITER, 0);
    }
    sim__use_label(c, start);
    if (g->op) {                          /* async for: as async_for_stmt */
        EMIT(SETUP_FINALLY, (uint32_t)anchor);
        EMIT(GET_ANEXT, 0);
        if (sim__load_const_none(c) < 0) return -1;
        EMIT(YIELD_FROM, 0);
        EMIT(POP_BLOCK, 0);
    } else {
        EMIT(FOR_ITER, (uint32_t)anchor);
    }
    if (sim__store(c, g->a) < 0) return -1;
    for (int i = 0; i < g->elts.n; i++)
        if (sim__jump_if(c, g->elts.v[i], 0, start) < 0) return -1;
    if (gi + 1 < n->elts.n) {
        if (comprehension_loop(c, n, gi + 1) < 0) return -1;
    } else {
        uint32_t depth = (uint32_t)n->elts.n + 1;
        switch (n->kind) {
        case E_GENEXP: EXPR(n->a); EMIT(YIELD_VALUE, 0); EMIT(POP_TOP, 0); break;
        case E_LISTCOMP: EXPR(n->a); EMIT(LIST_APPEND, depth); break;
        case E_SETCOMP: EXPR(n->a); EMIT(SET_ADD, depth); break;
        default: EXPR(n->a); EXPR(n->b); EMIT(MAP_ADD, depth); break;
        }
    }
    EMIT(JUMP, (uint32_t)start);
    if (sim__use_label(c, anchor) < 0) return -1;
    if (g->op) EMIT(END_ASYNC_FOR, 0);
    return 0;
}

int sim__body_of_comprehension(compiler *c, sim_node *n)
{
    switch (n->kind) {
    case E_LISTCOMP: EMIT(BUILD_LIST, 0); break;
    case E_SETCOMP: EMIT(BUILD_SET, 0); break;
    case E_DICTCOMP: EMIT(BUILD_MAP, 0); break;
    default: break;
    }
    if (comprehension_loop(c, n, 0) < 0) return -1;
    if (n->kind == E_GENEXP && sim__load_const_none(c) < 0) return -1;
    return sim__emit(c, SIM_OP_RETURN_VALUE, 0);
}

/* ---- the dispatcher -------------------------------------------------------- */

static int expr1(compiler *c, sim_node *e)
{
    switch (e->kind) {
    case E_NAME: return sim__nameop(c, e->name, CTX_LOAD);
    case E_CONST: return constant(c, e);
    case E_JOINEDSTR: return joined_str(c, e);
    case E_BOOLOP: return boolop(c, e);
    case E_BINOP:
        EXPR(e->a);
        EXPR(e->b);
        return sim__emit(c, SIM_OP_BINARY_OP, (uint32_t)e->op);
    case E_UNARYOP: return unaryop(c, e);
    case E_COMPARE: return compare(c, e);
    case E_LAMBDA: return lambda(c, e);
    case E_IFEXP: return ifexp(c, e);
    case E_DICT: return dict(c, e);
    case E_SET: case E_LIST: case E_TUPLE: return sequence(c, e);
    case E_LISTCOMP: case E_SETCOMP: case E_DICTCOMP: case E_GENEXP: return comprehension(c, e);
    case E_AWAIT: return await_expr(c, e);
    case E_YIELD:
        if (e->a) EXPR(e->a); else if (sim__load_const_none(c) < 0) return -1;
        if (c->u->scope->is_async) EMIT(ASYNC_GEN_WRAP, 0);
        return sim__emit(c, SIM_OP_YIELD_VALUE, 0);
    case E_YIELDFROM:
        if (c->u->scope->is_async) {
            sim__c_error(c, e, "'yield from' inside async function");
            return -1;
        }
        EXPR(e->a);
        EMIT(GET_YIELD_FROM_ITER, 0);
        if (sim__load_const_none(c) < 0) return -1;
        return sim__emit(c, SIM_OP_YIELD_FROM, 0);
    case E_CALL: return call(c, e);
    case E_ATTRIBUTE: {
        int k = sim__attr_index(c, e->name);
        EXPR(e->a);
        loc_of_attr(c, e);
        return k < 0 ? -1 : sim__emit(c, SIM_OP_LOAD_ATTR, (uint32_t)k);
    }
    case E_SUBSCRIPT:
        EXPR(e->a);
        EXPR(e->b);
        return sim__emit(c, SIM_OP_BINARY_SUBSCR, 0);
    case E_SLICE: return slice_expr(c, e);
    case E_STARRED:
        sim__c_error(c, e, "can't use starred expression here");
        return -1;
    case E_NAMEDEXPR:
        EXPR(e->b);
        EMIT(COPY, 1);
        return sim__store(c, e->a);
    default:
        sim__c_unsupported(c, e, sim_node_kind_name(e->kind));
        return -1;
    }
}

/* ---- targets --------------------------------------------------------------- */

/* a, *b, c = seq: UNPACK_SEQUENCE or UNPACK_EX, then each target in order. */
static int store_sequence(compiler *c, sim_node *t)
{
    int star = -1;
    for (int i = 0; i < t->elts.n; i++)
        if (t->elts.v[i]->kind == E_STARRED) {
            if (star >= 0) {
                sim__c_error(c, t, "multiple starred expressions in assignment");
                return -1;
            }
            star = i;
        }
    if (star < 0) {
        EMIT(UNPACK_SEQUENCE, (uint32_t)t->elts.n);
    } else {
        int after = t->elts.n - star - 1;
        if (star > 255 || after > 255) {
            sim__c_error(c, t, "too many expressions in star-unpacking assignment");
            return -1;
        }
        EMIT(UNPACK_EX, (uint32_t)(star | after << 8));
    }
    for (int i = 0; i < t->elts.n; i++) {
        sim_node *x = t->elts.v[i];
        if (sim__store(c, x->kind == E_STARRED ? x->a : x) < 0) return -1;
    }
    return 0;
}

int sim__store(compiler *c, sim_node *t)
{
    sim_pos saved = c->u->loc;
    sim__set_loc(c, t);
    int rc;
    switch (t->kind) {
    case E_NAME:
        rc = sim__nameop(c, t->name, CTX_STORE);
        break;
    case E_ATTRIBUTE: {
        int k = sim__attr_index(c, t->name);
        rc = k < 0 || sim__expr(c, t->a) < 0 ? -1 : sim__emit(c, SIM_OP_STORE_ATTR, (uint32_t)k);
        break;
    }
    case E_SUBSCRIPT:
        rc = sim__expr(c, t->a) < 0 || sim__expr(c, t->b) < 0 ? -1
           : sim__emit(c, SIM_OP_STORE_SUBSCR, 0);
        break;
    case E_TUPLE: case E_LIST:
        rc = store_sequence(c, t);
        break;
    case E_STARRED:
        sim__c_error(c, t, "starred assignment target must be in a list or tuple");
        rc = -1;
        break;
    default:
        sim__c_error(c, t, "cannot assign to expression");
        rc = -1;
        break;
    }
    c->u->loc = saved;
    return rc;
}

int sim__delete(compiler *c, sim_node *t)
{
    sim__set_loc(c, t);
    switch (t->kind) {
    case E_NAME:
        return sim__nameop(c, t->name, CTX_DEL);
    case E_ATTRIBUTE: {
        int k = sim__attr_index(c, t->name);
        EXPR(t->a);
        return k < 0 ? -1 : sim__emit(c, SIM_OP_DELETE_ATTR, (uint32_t)k);
    }
    case E_SUBSCRIPT:
        EXPR(t->a);
        EXPR(t->b);
        return sim__emit(c, SIM_OP_DELETE_SUBSCR, 0);
    default:
        for (int i = 0; i < t->elts.n; i++)
            if (sim__delete(c, t->elts.v[i]) < 0) return -1;
        return 0;
    }
}

/* The normal exit of a with block: exit(None, None, None), awaited for async with. */
int sim__call_exit_with_nones(compiler *c, int is_async)
{
    for (int i = 0; i < 3; i++)
        if (sim__load_const_none(c) < 0) return -1;
    EMIT(CALL, 3);
    return is_async ? sim__await(c, 2) : 0;
}
