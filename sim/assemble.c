/* assemble.c — a unit's instruction list into the final code object.
 *
 * 1. Labels become instruction indexes.
 * 2. A flow analysis walks every path from instruction 0 carrying (stack depth,
 *    handler stack): SETUP_FINALLY / SETUP_WITH push a handler, POP_BLOCK pops one,
 *    a handler's own code runs under the enclosing handler (as CPython's
 *    label_exception_targets). It yields the max stack depth and, for each
 *    instruction, the innermost handler.
 * 3. The pseudo-ops and unreachable code are dropped (jumps re-targeted) and runs of
 * instructions with
 *    the same handler become exception-table entries.
 * Unreachable instructions have no handler.
 */
#include "compile_int.h"

#include <string.h>

/* Net stack effect of an instruction on its fall-through path. */
static int stack_effect(sim_opcode op, uint32_t arg)
{
    int n = (int)arg;
    switch (op) {
    case SIM_OP_NOP: case SIM_OP_SWAP: case SIM_OP_DELETE_FAST: case SIM_OP_DELETE_DEREF:
    case SIM_OP_DELETE_NAME: case SIM_OP_DELETE_GLOBAL: case SIM_OP_LOAD_ATTR:
    case SIM_OP_UNARY_NEGATIVE: case SIM_OP_UNARY_POSITIVE: case SIM_OP_UNARY_NOT:
    case SIM_OP_UNARY_INVERT: case SIM_OP_LIST_TO_TUPLE: case SIM_OP_JUMP: case SIM_OP_GET_ITER:
    case SIM_OP_YIELD_VALUE: case SIM_OP_GET_AWAITABLE: case SIM_OP_GET_YIELD_FROM_ITER:
    case SIM_OP_GET_AITER: case SIM_OP_CHECK_EXC_MATCH: case SIM_OP_IMPORT_NAME:
    case SIM_OP_SETUP_FINALLY: case SIM_OP_SETUP_WITH: case SIM_OP_POP_BLOCK:
    case SIM_OP_ASYNC_GEN_WRAP: case SIM_OP_CHECK_EG_MATCH:
        return 0;
    case SIM_OP_COPY: case SIM_OP_LOAD_CONST: case SIM_OP_LOAD_FAST: case SIM_OP_LOAD_DEREF:
    case SIM_OP_LOAD_CLOSURE: case SIM_OP_LOAD_CLASSDEREF: case SIM_OP_LOAD_NAME:
    case SIM_OP_LOAD_GLOBAL: case SIM_OP_LOAD_METHOD: case SIM_OP_GET_ANEXT:
    case SIM_OP_BEFORE_WITH: case SIM_OP_BEFORE_ASYNC_WITH: case SIM_OP_WITH_EXCEPT_START:
    case SIM_OP_PUSH_EXC_INFO: case SIM_OP_LOAD_ASSERTION_ERROR: case SIM_OP_LOAD_BUILD_CLASS:
    case SIM_OP_IMPORT_FROM:
        return 1;
    case SIM_OP_POP_TOP: case SIM_OP_STORE_FAST: case SIM_OP_STORE_DEREF: case SIM_OP_STORE_NAME:
    case SIM_OP_STORE_GLOBAL: case SIM_OP_DELETE_ATTR: case SIM_OP_BINARY_SUBSCR:
    case SIM_OP_BINARY_OP: case SIM_OP_COMPARE_OP: case SIM_OP_IS_OP: case SIM_OP_CONTAINS_OP:
    case SIM_OP_LIST_APPEND: case SIM_OP_SET_ADD: case SIM_OP_LIST_EXTEND: case SIM_OP_SET_UPDATE:
    case SIM_OP_DICT_UPDATE: case SIM_OP_DICT_MERGE: case SIM_OP_POP_JUMP_IF_FALSE:
    case SIM_OP_POP_JUMP_IF_TRUE: case SIM_OP_POP_JUMP_IF_NONE: case SIM_OP_POP_JUMP_IF_NOT_NONE:
    case SIM_OP_JUMP_IF_FALSE_OR_POP: case SIM_OP_JUMP_IF_TRUE_OR_POP: case SIM_OP_RETURN_VALUE:
    case SIM_OP_YIELD_FROM: case SIM_OP_POP_EXCEPT: case SIM_OP_RERAISE: case SIM_OP_IMPORT_STAR:
    case SIM_OP_PREP_RERAISE_STAR:
        return -1;
    case SIM_OP_STORE_ATTR: case SIM_OP_DELETE_SUBSCR: case SIM_OP_MAP_ADD: case SIM_OP_END_ASYNC_FOR:
        return -2;
    case SIM_OP_STORE_SUBSCR: return -3;
    case SIM_OP_BUILD_SLICE: return 1 - n;
    case SIM_OP_BUILD_TUPLE: case SIM_OP_BUILD_LIST: case SIM_OP_BUILD_SET:
    case SIM_OP_BUILD_STRING: return 1 - n;
    case SIM_OP_BUILD_MAP: return 1 - 2 * n;
    case SIM_OP_FORMAT_VALUE: return (arg & SIM_FMT_HAS_SPEC) ? -1 : 0;
    case SIM_OP_UNPACK_SEQUENCE: return n - 1;
    case SIM_OP_UNPACK_EX: return (n & 0xFF) + (n >> 8);
    case SIM_OP_FOR_ITER: return 1;
    case SIM_OP_CALL: return -n;
    case SIM_OP_CALL_KW: case SIM_OP_CALL_METHOD: return -n - 1;
    case SIM_OP_CALL_EX: return -1 - (n & 1);
    case SIM_OP_MAKE_FUNCTION:
        return -!!(arg & SIM_MKFN_DEFAULTS) - !!(arg & SIM_MKFN_KWDEFAULTS) - !!(arg & SIM_MKFN_CLOSURE);
    case SIM_OP_RAISE_VARARGS: return -n;
    default: return 0;
    }
}

typedef struct hnode { uint32_t target, depth; int parent; } hnode;

typedef struct flow {
    compiler *c;
    int *depth;         /* per instruction, -1: not reached */
    int *handler;       /* per instruction: hnode index or -1 */
    int *node_of;       /* per SETUP instruction: its hnode */
    hnode *nodes;
    int nnodes;
    int *work;
    int nwork;
    int maxdepth;
} flow;

static int reach(flow *f, uint32_t i, int d, int h)
{
    cunit *u = f->c->u;
    if (i >= u->ninstrs) return 0;     /* falls off the end: only after a return */
    if (d < 0) {
        sim__c_error(f->c, u->scope->node, "internal compiler error: negative stack depth at %u", i);
        return -1;
    }
    if (f->depth[i] >= 0) {
        if (f->depth[i] != d || f->handler[i] != h) {
            sim__c_error(f->c, u->scope->node, "internal compiler error: inconsistent stack at %u (%d vs %d)",
                         i, f->depth[i], d);
            return -1;
        }
        return 0;
    }
    f->depth[i] = d;
    f->handler[i] = h;
    if (d > f->maxdepth) f->maxdepth = d;
    f->work[f->nwork++] = (int)i;
    return 0;
}

static int step(flow *f, uint32_t i)
{
    cinstr *in = &f->c->u->instrs[i];
    sim_opcode op = (sim_opcode)in->op;
    int d = f->depth[i], h = f->handler[i];
    uint32_t t = in->arg;
    switch (op) {
    case SIM_OP_SETUP_FINALLY: case SIM_OP_SETUP_WITH: {
        int k = f->node_of[i];
        if (k < 0) {
            k = f->node_of[i] = f->nnodes++;
            f->nodes[k].target = t;
            f->nodes[k].depth = (uint32_t)(d - (op == SIM_OP_SETUP_WITH));
            f->nodes[k].parent = h;
        }
        if (reach(f, i + 1, d, k) < 0) return -1;
        return reach(f, t, (int)f->nodes[k].depth + 1, h);
    }
    case SIM_OP_POP_BLOCK:
        if (h < 0) {
            sim__c_error(f->c, f->c->u->scope->node, "internal compiler error: POP_BLOCK without a block");
            return -1;
        }
        return reach(f, i + 1, d, f->nodes[h].parent);
    case SIM_OP_JUMP:
        return reach(f, t, d, h);
    case SIM_OP_POP_JUMP_IF_FALSE: case SIM_OP_POP_JUMP_IF_TRUE:
    case SIM_OP_POP_JUMP_IF_NONE: case SIM_OP_POP_JUMP_IF_NOT_NONE:
        if (reach(f, t, d - 1, h) < 0) return -1;
        return reach(f, i + 1, d - 1, h);
    case SIM_OP_JUMP_IF_FALSE_OR_POP: case SIM_OP_JUMP_IF_TRUE_OR_POP:
        if (reach(f, t, d, h) < 0) return -1;
        return reach(f, i + 1, d - 1, h);
    case SIM_OP_FOR_ITER:
        if (reach(f, t, d - 1, h) < 0) return -1;
        return reach(f, i + 1, d + 1, h);
    case SIM_OP_RETURN_VALUE: case SIM_OP_RERAISE: case SIM_OP_RAISE_VARARGS:
        return 0;
    default:
        return reach(f, i + 1, d + stack_effect(op, t), h);
    }
}

/* Labels -> indexes, then the flow analysis. */
static int analyze(flow *f)
{
    cunit *u = f->c->u;
    for (uint32_t i = 0; i < u->ninstrs; i++) {
        cinstr *in = &u->instrs[i];
        if (sim_opcode_is_jump((sim_opcode)in->op)) {
            int target = in->arg < (uint32_t)u->nlabels ? u->labels[in->arg] : -1;
            if (target < 0) {
                sim__c_error(f->c, u->scope->node, "internal compiler error: unplaced label");
                return -1;
            }
            in->arg = (uint32_t)target;
        }
        f->depth[i] = -1;
        f->handler[i] = -1;
        f->node_of[i] = -1;
    }
    if (reach(f, 0, 0, -1) < 0) return -1;
    while (f->nwork > 0)
        if (step(f, (uint32_t)f->work[--f->nwork]) < 0) return -1;
    return 0;
}

static int is_pseudo(uint8_t op)
{
    return op == SIM_OP_SETUP_FINALLY || op == SIM_OP_SETUP_WITH || op == SIM_OP_POP_BLOCK;
}

/* Pseudo-ops and unreachable instructions (the implicit `return None` after an
 * explicit return, code after raise/break) are not kept. */
static int dropped(const flow *f, uint32_t i)
{
    return is_pseudo(f->c->u->instrs[i].op) || f->depth[i] < 0;
}

/* Real instructions, re-targeted jumps, lines and positions. */
static int emit_code(flow *f, int *newidx)
{
    cunit *u = f->c->u;
    sim_code *code = u->code;
    uint32_t n = 0;
    for (uint32_t i = 0; i < u->ninstrs; i++) {
        newidx[i] = (int)n;
        if (!dropped(f, i)) n++;
    }
    newidx[u->ninstrs] = (int)n;
    code->code = sim_code__realloc(NULL, (n ? n : 1) * sizeof *code->code);
    code->lines = sim_code__realloc(NULL, (n ? n : 1) * sizeof *code->lines);
    code->positions = sim_code__realloc(NULL, (n ? n : 1) * sizeof *code->positions);
    if (!code->code || !code->lines || !code->positions) return sim__c_oom(f->c);
    for (uint32_t i = 0, k = 0; i < u->ninstrs; i++) {
        cinstr *in = &u->instrs[i];
        if (dropped(f, i)) continue;
        uint32_t arg = in->arg;
        if (sim_opcode_is_jump((sim_opcode)in->op)) arg = (uint32_t)newidx[arg];
        code->code[k] = SIM_INSTR(in->op, arg);
        code->lines[k] = in->pos.line;
        code->positions[k] = in->pos;
        k++;
    }
    code->ncode = n;
    return 0;
}

/* Runs of real instructions with the same innermost handler -> entries. */
static int emit_exctable(flow *f, const int *newidx)
{
    cunit *u = f->c->u;
    sim_code *code = u->code;
    uint32_t cap = 0;
    int cur = -1;
    for (uint32_t i = 0; i < u->ninstrs; i++) {
        if (dropped(f, i)) continue;
        int h = f->handler[i];
        uint32_t at = (uint32_t)newidx[i];
        if (h >= 0 && cur >= 0 && code->nexc &&
            code->exctable[code->nexc - 1].target == (uint32_t)newidx[f->nodes[h].target] &&
            code->exctable[code->nexc - 1].depth == f->nodes[h].depth &&
            code->exctable[code->nexc - 1].end == at) {
            code->exctable[code->nexc - 1].end = at + 1;
        } else if (h >= 0) {
            if (code->nexc == cap) {
                cap = cap ? cap * 2 : 8;
                sim_exc_entry *v = sim_code__realloc(code->exctable, cap * sizeof *v);
                if (!v) return sim__c_oom(f->c);
                code->exctable = v;
            }
            sim_exc_entry *e = &code->exctable[code->nexc++];
            e->start = at;
            e->end = at + 1;
            e->target = (uint32_t)newidx[f->nodes[h].target];
            e->depth = f->nodes[h].depth;
        }
        cur = h;
    }
    return 0;
}

int sim__assemble(compiler *c)
{
    cunit *u = c->u;
    size_t n = u->ninstrs + 1;
    flow f;
    memset(&f, 0, sizeof f);
    f.c = c;
    f.depth = sim_code__realloc(NULL, n * sizeof(int));
    f.handler = sim_code__realloc(NULL, n * sizeof(int));
    f.node_of = sim_code__realloc(NULL, n * sizeof(int));
    f.work = sim_code__realloc(NULL, n * sizeof(int));
    f.nodes = sim_code__realloc(NULL, n * sizeof(hnode));
    int *newidx = sim_code__realloc(NULL, n * sizeof(int));
    int rc = -1;
    if (!f.depth || !f.handler || !f.node_of || !f.work || !f.nodes || !newidx) {
        sim__c_oom(c);
    } else if (analyze(&f) == 0 && emit_code(&f, newidx) == 0 && emit_exctable(&f, newidx) == 0) {
        sim_code *code = u->code;
        code->stacksize = (uint32_t)f.maxdepth;
        code->consts = u->consts;
        code->nconsts = u->nconsts;
        code->names = u->names;
        code->nnames = u->nnames;
        u->consts = NULL;
        u->nconsts = 0;
        u->names = NULL;
        u->nnames = 0;
        rc = 0;
    }
    sim_code__realloc(f.depth, 0);
    sim_code__realloc(f.handler, 0);
    sim_code__realloc(f.node_of, 0);
    sim_code__realloc(f.work, 0);
    sim_code__realloc(f.nodes, 0);
    sim_code__realloc(newidx, 0);
    return rc;
}
