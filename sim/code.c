/* code.c — code objects: creation, freeing, lookups, invariant checks. */
#include "code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long sim_code__fail_countdown;

/* The single allocation path of the front end (lexer, parser, compiler, code). */
void *sim_code__realloc(void *p, size_t size)
{
    if (size == 0) {
        free(p);
        return NULL;
    }
    if (sim_code__fail_countdown > 0 && --sim_code__fail_countdown == 0)
        return NULL;                      /* injected failure (tests) */
    return realloc(p, size);
}

sim_code *sim_code_new(void)
{
    sim_code *c = sim_code__realloc(NULL, sizeof *c);
    if (c)
        memset(c, 0, sizeof *c);
    return c;
}

void sim_const_clear(sim_const *c)
{
    switch (c->kind) {
    case SIM_CONST_STR:
        sim_code__realloc(c->u.str.s, 0);
        break;
    case SIM_CONST_TUPLE:
        for (uint32_t i = 0; i < c->u.tuple.n; i++)
            sim_const_clear(&c->u.tuple.items[i]);
        sim_code__realloc(c->u.tuple.items, 0);
        break;
    case SIM_CONST_CODE:
        sim_code_free(c->u.code);
        break;
    default:
        break;
    }
    c->kind = SIM_CONST_NONE;
}

static void free_strings(char **v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        sim_code__realloc(v[i], 0);
    sim_code__realloc(v, 0);
}

void sim_code_free(sim_code *c)
{
    if (!c)
        return;
    sim_code__realloc(c->name, 0);
    sim_code__realloc(c->qualname, 0);
    sim_code__realloc(c->filename, 0);
    free_strings(c->varnames, c->nlocals);
    free_strings(c->cellvars, c->ncellvars);
    free_strings(c->freevars, c->nfreevars);
    free_strings(c->names, c->nnames);
    sim_code__realloc(c->cell2arg, 0);
    for (uint32_t i = 0; i < c->nconsts; i++)
        sim_const_clear(&c->consts[i]);
    sim_code__realloc(c->consts, 0);
    sim_code__realloc(c->code, 0);
    sim_code__realloc(c->lines, 0);
    sim_code__realloc(c->positions, 0);
    sim_code__realloc(c->exctable, 0);
    sim_code__realloc(c, 0);
}

static int find_name(char **v, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(v[i], name) == 0)
            return (int)i;
    return -1;
}

int sim_code_local_index(const sim_code *c, const char *name)
{
    return find_name(c->varnames, c->nlocals, name);
}

int sim_code_cell_index(const sim_code *c, const char *name)
{
    int i = find_name(c->cellvars, c->ncellvars, name);
    if (i >= 0)
        return i;
    i = find_name(c->freevars, c->nfreevars, name);
    return i < 0 ? -1 : (int)c->ncellvars + i;
}

const char *sim_code_cell_name(const sim_code *c, uint32_t i)
{
    if (i < c->ncellvars)
        return c->cellvars[i];
    i -= c->ncellvars;
    return i < c->nfreevars ? c->freevars[i] : NULL;
}

const sim_exc_entry *sim_code_find_handler(const sim_code *c, uint32_t index)
{
    uint32_t lo = 0, hi = c->nexc;
    while (lo < hi) {           /* first entry with end > index */
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->exctable[mid].end <= index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->nexc && c->exctable[lo].start <= index)
        return &c->exctable[lo];
    return NULL;
}

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            if (why)                                       \
                snprintf(why, whylen, __VA_ARGS__);        \
            return 0;                                      \
        }                                                  \
    } while (0)

/* Range of each op's operand, for sim_code_check. */
static int check_operand(const sim_code *c, uint32_t w, char *why, size_t whylen, uint32_t i)
{
    sim_opcode op = SIM_OP(w);
    uint32_t a = SIM_ARG(w);
    CHECK(op < SIM_OP__COUNT, "bad opcode %u at %u", (unsigned)op, i);
    switch (op) {
    case SIM_OP_LOAD_CONST:
        CHECK(a < c->nconsts, "const %u out of range at %u", a, i); break;
    case SIM_OP_LOAD_FAST: case SIM_OP_STORE_FAST: case SIM_OP_DELETE_FAST:
        CHECK(a < c->nlocals, "local %u out of range at %u", a, i); break;
    case SIM_OP_LOAD_DEREF: case SIM_OP_STORE_DEREF: case SIM_OP_DELETE_DEREF:
    case SIM_OP_LOAD_CLOSURE: case SIM_OP_LOAD_CLASSDEREF:
        CHECK(a < c->ncellvars + c->nfreevars, "cell %u out of range at %u", a, i); break;
    case SIM_OP_LOAD_NAME: case SIM_OP_STORE_NAME: case SIM_OP_DELETE_NAME:
    case SIM_OP_LOAD_GLOBAL: case SIM_OP_STORE_GLOBAL: case SIM_OP_DELETE_GLOBAL:
    case SIM_OP_LOAD_ATTR: case SIM_OP_STORE_ATTR: case SIM_OP_DELETE_ATTR:
    case SIM_OP_LOAD_METHOD: case SIM_OP_IMPORT_NAME: case SIM_OP_IMPORT_FROM:
        CHECK(a < c->nnames, "name %u out of range at %u", a, i); break;
    case SIM_OP_SETUP_FINALLY: case SIM_OP_SETUP_WITH: case SIM_OP_POP_BLOCK:
        CHECK(0, "pseudo-op left at %u", i); break;
    default:
        if (sim_opcode_is_jump(op))
            CHECK(a < c->ncode, "jump target %u out of range at %u", a, i);
        break;
    }
    return 1;
}

int sim_code_check(const sim_code *c, char *why, size_t whylen)
{
    uint32_t params = c->argcount + c->kwonlyargcount + !!(c->flags & SIM_CO_VARARGS) +
                      !!(c->flags & SIM_CO_VARKEYWORDS);
    CHECK(params <= c->nlocals, "%u parameters but %u locals", params, c->nlocals);
    CHECK(c->ncode > 0, "empty code");
    for (uint32_t i = 0; i < c->ncode; i++) {
        if (!check_operand(c, c->code[i], why, whylen, i))
            return 0;
        CHECK(c->lines[i] >= 0, "no line at %u", i);
    }
    for (uint32_t i = 0; i < c->nexc; i++) {
        const sim_exc_entry *e = &c->exctable[i];
        CHECK(e->start < e->end && e->end <= c->ncode && e->target < c->ncode,
              "bad exception entry %u", i);
        CHECK(e->depth <= c->stacksize, "handler depth %u > stacksize", e->depth);
        CHECK(i == 0 || c->exctable[i - 1].end <= e->start, "overlapping entries at %u", i);
    }
    for (uint32_t i = 0; i < c->nconsts; i++)
        if (c->consts[i].kind == SIM_CONST_CODE && !sim_code_check(c->consts[i].u.code, why, whylen))
            return 0;
    return 1;
}
