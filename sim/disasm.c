/* disasm.c — opcode names and a disassembler in the spirit of Python's dis module.
 *
 * Output, one line per instruction:
 *     "%4d %5u %-20s %u (meaning)"   line (only where it changes), index, op, arg
 * followed by the exception table and, when recursive, the nested code objects.
 * Tests compare this text, so its format is part of the test contract.
 */
#include "code.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const opnames[] = {
#define SIM_OPCODE_NAME(name) #name,
    SIM_OPCODE_LIST(SIM_OPCODE_NAME)
#undef SIM_OPCODE_NAME
};

const char *sim_opcode_name(sim_opcode op)
{
    return (unsigned)op < SIM_OP__COUNT ? opnames[op] : "<bad>";
}

const char *sim_binop_symbol(unsigned arg)
{
    static const char *const syms[] = {
#define SIM_BINOP_SYM(name, sym) sym,
        SIM_BINOP_LIST(SIM_BINOP_SYM)
#undef SIM_BINOP_SYM
    };
    static const char *const isyms[] = {
#define SIM_BINOP_ISYM(name, sym) sym "=",
        SIM_BINOP_LIST(SIM_BINOP_ISYM)
#undef SIM_BINOP_ISYM
    };
    if (arg < SIM_BINOP__COUNT)
        return syms[arg];
    if (arg >= SIM_BINOP_INPLACE && arg - SIM_BINOP_INPLACE < SIM_BINOP__COUNT)
        return isyms[arg - SIM_BINOP_INPLACE];
    return "?";
}

const char *sim_cmpop_symbol(unsigned arg)
{
    static const char *const syms[] = {
#define SIM_CMP_SYM(name, sym) sym,
        SIM_CMPOP_LIST(SIM_CMP_SYM)
#undef SIM_CMP_SYM
    };
    return arg < SIM_CMP__COUNT ? syms[arg] : "?";
}

int sim_opcode_is_jump(sim_opcode op)
{
    switch (op) {
    case SIM_OP_JUMP: case SIM_OP_POP_JUMP_IF_FALSE: case SIM_OP_POP_JUMP_IF_TRUE:
    case SIM_OP_POP_JUMP_IF_NONE: case SIM_OP_POP_JUMP_IF_NOT_NONE:
    case SIM_OP_JUMP_IF_FALSE_OR_POP: case SIM_OP_JUMP_IF_TRUE_OR_POP:
    case SIM_OP_FOR_ITER: case SIM_OP_SETUP_FINALLY: case SIM_OP_SETUP_WITH:
        return 1;
    default:
        return 0;
    }
}

/* A growing string; `failed` sticks after the first out-of-memory. */
typedef struct sbuf { char *s; size_t len, cap; int failed; } sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        if (b->failed)
            return;
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) { b->failed = 1; return; }
        if (b->s && (size_t)n < room) { b->len += (size_t)n; return; }
        size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)n;
        char *s = sim_code__realloc(b->s, cap);
        if (!s) { b->failed = 1; return; }
        b->s = s;
        b->cap = cap;
    }
}

/* A constant in repr-like form (strings shortened to 40 bytes). */
static void put_const(sbuf *b, const sim_const *k)
{
    switch (k->kind) {
    case SIM_CONST_NONE: sb_printf(b, "None"); break;
    case SIM_CONST_TRUE: sb_printf(b, "True"); break;
    case SIM_CONST_FALSE: sb_printf(b, "False"); break;
    case SIM_CONST_ELLIPSIS: sb_printf(b, "Ellipsis"); break;
    case SIM_CONST_INT: sb_printf(b, "%lld", (long long)k->u.i); break;
    case SIM_CONST_FLOAT: sb_printf(b, "%.17g", k->u.d); break;
    case SIM_CONST_STR: {
        sb_printf(b, "'");
        for (size_t i = 0; i < k->u.str.len && i < 40; i++) {
            unsigned char ch = (unsigned char)k->u.str.s[i];
            if (ch == '\n') sb_printf(b, "\\n");
            else if (ch == '\'' || ch == '\\') sb_printf(b, "\\%c", ch);
            else if (ch < 32) sb_printf(b, "\\x%02x", ch);
            else sb_printf(b, "%c", ch);
        }
        sb_printf(b, k->u.str.len > 40 ? "...'" : "'");
        break;
    }
    case SIM_CONST_TUPLE:
        sb_printf(b, "(");
        for (uint32_t i = 0; i < k->u.tuple.n; i++) {
            if (i) sb_printf(b, ", ");
            put_const(b, &k->u.tuple.items[i]);
        }
        sb_printf(b, k->u.tuple.n == 1 ? ",)" : ")");
        break;
    case SIM_CONST_CODE: sb_printf(b, "<code %s>", k->u.code->qualname); break;
    }
}

/* The meaning of an operand, in parentheses, where it has one. */
static void put_meaning(sbuf *b, const sim_code *c, sim_opcode op, uint32_t a)
{
    switch (op) {
    case SIM_OP_LOAD_CONST:
        if (a < c->nconsts) { sb_printf(b, " ("); put_const(b, &c->consts[a]); sb_printf(b, ")"); }
        break;
    case SIM_OP_LOAD_FAST: case SIM_OP_STORE_FAST: case SIM_OP_DELETE_FAST:
        if (a < c->nlocals) sb_printf(b, " (%s)", c->varnames[a]);
        break;
    case SIM_OP_LOAD_DEREF: case SIM_OP_STORE_DEREF: case SIM_OP_DELETE_DEREF:
    case SIM_OP_LOAD_CLOSURE: case SIM_OP_LOAD_CLASSDEREF: {
        const char *n = sim_code_cell_name(c, a);
        if (n) sb_printf(b, " (%s)", n);
        break;
    }
    case SIM_OP_LOAD_NAME: case SIM_OP_STORE_NAME: case SIM_OP_DELETE_NAME:
    case SIM_OP_LOAD_GLOBAL: case SIM_OP_STORE_GLOBAL: case SIM_OP_DELETE_GLOBAL:
    case SIM_OP_LOAD_ATTR: case SIM_OP_STORE_ATTR: case SIM_OP_DELETE_ATTR:
    case SIM_OP_LOAD_METHOD: case SIM_OP_IMPORT_NAME: case SIM_OP_IMPORT_FROM:
        if (a < c->nnames) sb_printf(b, " (%s)", c->names[a]);
        break;
    case SIM_OP_BINARY_OP: sb_printf(b, " (%s)", sim_binop_symbol(a)); break;
    case SIM_OP_COMPARE_OP: sb_printf(b, " (%s)", sim_cmpop_symbol(a)); break;
    default:
        if (sim_opcode_is_jump(op)) sb_printf(b, " (to %u)", a);
        break;
    }
}

/* Ops whose operand means nothing; their arg is not printed. */
static int takes_arg(sim_opcode op)
{
    switch (op) {
    case SIM_OP_NOP: case SIM_OP_POP_TOP: case SIM_OP_BINARY_SUBSCR: case SIM_OP_STORE_SUBSCR:
    case SIM_OP_DELETE_SUBSCR: case SIM_OP_UNARY_NEGATIVE: case SIM_OP_UNARY_POSITIVE:
    case SIM_OP_UNARY_NOT: case SIM_OP_UNARY_INVERT: case SIM_OP_LIST_TO_TUPLE:
    case SIM_OP_GET_ITER: case SIM_OP_RETURN_VALUE: case SIM_OP_YIELD_VALUE:
    case SIM_OP_GET_YIELD_FROM_ITER: case SIM_OP_YIELD_FROM: case SIM_OP_GET_AITER:
    case SIM_OP_GET_ANEXT: case SIM_OP_END_ASYNC_FOR: case SIM_OP_BEFORE_WITH:
    case SIM_OP_BEFORE_ASYNC_WITH: case SIM_OP_WITH_EXCEPT_START: case SIM_OP_PUSH_EXC_INFO:
    case SIM_OP_POP_EXCEPT: case SIM_OP_CHECK_EXC_MATCH: case SIM_OP_RERAISE:
    case SIM_OP_LOAD_ASSERTION_ERROR: case SIM_OP_LOAD_BUILD_CLASS: case SIM_OP_IMPORT_STAR:
    case SIM_OP_POP_BLOCK: case SIM_OP_ASYNC_GEN_WRAP: case SIM_OP_CHECK_EG_MATCH:
    case SIM_OP_PREP_RERAISE_STAR:
        return 0;
    default:
        return 1;
    }
}

static void disasm_one(sbuf *b, const sim_code *c, int recursive)
{
    sb_printf(b, "Disassembly of <code %s, flags 0x%x, args %u+%u kw, locals %u, stack %u>:\n",
              c->qualname, c->flags, c->argcount, c->kwonlyargcount, c->nlocals, c->stacksize);
    int32_t last = -1;
    for (uint32_t i = 0; i < c->ncode; i++) {
        sim_opcode op = SIM_OP(c->code[i]);
        uint32_t a = SIM_ARG(c->code[i]);
        if (c->lines[i] != last)
            sb_printf(b, "%4d %5u %s", c->lines[i], i, sim_opcode_name(op));
        else
            sb_printf(b, "     %5u %s", i, sim_opcode_name(op));
        last = c->lines[i];
        if (takes_arg(op)) {
            sb_printf(b, " %u", a);
            put_meaning(b, c, op, a);
        }
        sb_printf(b, "\n");
    }
    if (c->nexc) {
        sb_printf(b, "ExceptionTable:\n");
        for (uint32_t i = 0; i < c->nexc; i++)
            sb_printf(b, "  %u to %u -> %u [%u]\n", c->exctable[i].start, c->exctable[i].end,
                      c->exctable[i].target, c->exctable[i].depth);
    }
    if (!recursive)
        return;
    for (uint32_t i = 0; i < c->nconsts; i++)
        if (c->consts[i].kind == SIM_CONST_CODE) {
            sb_printf(b, "\n");
            disasm_one(b, c->consts[i].u.code, 1);
        }
}

char *sim_disasm(const sim_code *c, int recursive)
{
    sbuf b = {0};
    disasm_one(&b, c, recursive);
    if (b.failed) {
        sim_code__realloc(b.s, 0);
        return NULL;
    }
    return b.s;
}
