/* ast.c — the AST arena, node creation, and a dump for tests. */
#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Chunks of at least 16 KiB; an allocation larger than that gets a chunk of its own. */
typedef struct sim_arena_chunk {
    struct sim_arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} sim_arena_chunk;

void *sim_arena_alloc(sim_arena *A, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    sim_arena_chunk *c = A->chunks;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > 16384 ? size : 16384;
        c = sim_code__realloc(NULL, sizeof *c + cap);
        if (!c) {
            A->failed = 1;
            return NULL;
        }
        c->used = 0;
        c->cap = cap;
        c->next = A->chunks;
        A->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *sim_arena_strndup(sim_arena *A, const char *s, size_t n)
{
    char *d = sim_arena_alloc(A, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* Lists grow by doubling inside the arena (the old array is abandoned: the arena
 * frees everything at the end, and lists are short). */
int sim_nlist_push(sim_arena *A, sim_nlist *l, sim_node *n)
{
    int n0 = l->n;
    if (n0 == 0 || (n0 >= 4 && (n0 & (n0 - 1)) == 0)) {
        int cap = n0 < 4 ? 4 : n0 * 2;
        sim_node **v = sim_arena_alloc(A, (size_t)cap * sizeof *v);
        if (!v) return -1;
        if (n0) memcpy(v, l->v, (size_t)n0 * sizeof *v);
        l->v = v;
    }
    l->v[l->n++] = n;
    return 0;
}

void sim_arena_free(sim_arena *A)
{
    sim_arena_chunk *c = A->chunks;
    while (c) {
        sim_arena_chunk *next = c->next;
        sim_code__realloc(c, 0);
        c = next;
    }
    A->chunks = NULL;
}

sim_node *sim_node_new(sim_arena *A, sim_node_kind kind, int line, int col)
{
    sim_node *n = sim_arena_alloc(A, sizeof *n);
    if (n) {
        n->kind = kind;
        n->line = n->end_line = line;
        n->col = n->end_col = col;
    }
    return n;
}

static const char *const kind_names[] = {
#define SIM_NODE_NAME(k) #k,
    SIM_NODE_LIST(SIM_NODE_NAME)
#undef SIM_NODE_NAME
};

const char *sim_node_kind_name(sim_node_kind kind)
{
    return (unsigned)kind < SIM_NODE__COUNT ? kind_names[kind] + 2 : "?";
}

/* ---- dump ------------------------------------------------------------------ */

typedef struct dbuf { char *s; size_t len, cap; int failed; } dbuf;

static void put(dbuf *b, const char *fmt, ...)
{
    va_list ap;
    char tmp[256];
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || b->failed) return;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *s = sim_code__realloc(b->s, cap);
        if (!s) { b->failed = 1; return; }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, tmp, (size_t)n + 1);
    b->len += (size_t)n;
}

static void dump(dbuf *b, const sim_node *n);

static void dump_list(dbuf *b, const char *tag, const sim_nlist *l)
{
    if (!l->n) return;
    put(b, " %s[", tag);
    for (int i = 0; i < l->n; i++) {
        if (i) put(b, " ");
        dump(b, l->v[i]);
    }
    put(b, "]");
}

static void dump_args(dbuf *b, const sim_args *a)
{
    put(b, " (args");
    dump_list(b, "posonly", &a->posonly);
    dump_list(b, "args", &a->args);
    dump_list(b, "defaults", &a->defaults);
    if (a->vararg) put(b, " *%s", a->vararg->name);
    dump_list(b, "kwonly", &a->kwonly);
    dump_list(b, "kwdefaults", &a->kw_defaults);
    if (a->kwarg) put(b, " **%s", a->kwarg->name);
    put(b, ")");
}

static void dump_const(dbuf *b, const sim_node *n)
{
    switch (n->cval) {
    case SIM_CONST_NONE: put(b, "None"); break;
    case SIM_CONST_TRUE: put(b, "True"); break;
    case SIM_CONST_FALSE: put(b, "False"); break;
    case SIM_CONST_ELLIPSIS: put(b, "..."); break;
    case SIM_CONST_INT: put(b, "%lld", (long long)n->ival); break;
    case SIM_CONST_FLOAT: put(b, "%.17g", n->dval); break;
    case SIM_CONST_STR: put(b, "'%.200s'", n->str); break;
    default: put(b, "?"); break;
    }
}

static void dump(dbuf *b, const sim_node *n)
{
    if (!n) { put(b, "-"); return; }
    put(b, "(%s", sim_node_kind_name(n->kind));
    if (n->kind == E_CONST) { put(b, " "); dump_const(b, n); }
    if (n->name) put(b, " %s", n->name);
    if (n->name2) put(b, " as %s", n->name2);
    if (n->op && n->kind != E_CONST) put(b, " op=%d", n->op);
    if (n->kind == E_NAME && n->ctx != CTX_LOAD) put(b, n->ctx == CTX_STORE ? " store" : " del");
    if (n->kind == E_COMPARE)
        for (int i = 0; i < n->elts.n; i++) put(b, " cmp=%d", n->ops[i]);
    if (n->args) dump_args(b, n->args);
    if (n->a) { put(b, " "); dump(b, n->a); }
    if (n->b) { put(b, " "); dump(b, n->b); }
    if (n->c) { put(b, " "); dump(b, n->c); }
    dump_list(b, "", &n->elts);
    dump_list(b, "2", &n->elts2);
    dump_list(b, "body", &n->body);
    dump_list(b, "else", &n->orelse);
    dump_list(b, "finally", &n->finalbody);
    put(b, ")");
}

char *sim_ast_dump(const sim_node *n)
{
    dbuf b = {0};
    dump(&b, n);
    if (b.failed) {
        sim_code__realloc(b.s, 0);
        return NULL;
    }
    return b.s;
}
