/* gc_host.h — a collecting test host for loop/ (used by test_gc.c and test_sync_gc.c):
 * host->alloc hands out objects and runs a full mark-and-sweep on every allocation,
 * freeing whatever loop_trace_roots / loop_obj_trace do not reach. A missing root or
 * edge frees a live object, which ASan (make check) and valgrind report as a use after
 * free, and the program's output (from vref.py) changes. Include after test_host.h.
 *
 * Host values are not collected (the test host owns them) but are walked: a wrapper
 * leads to its loop object, a coroutine to its locals, the future or the coroutine it
 * awaits. */
#ifndef GC_HOST_H
#define GC_HOST_H

typedef struct gcstate {
    th *h;
    loop_obj **objs;
    size_t n, cap;
    loop_obj **gray;
    size_t ngray, capgray;
    unsigned epoch;
    size_t collections, freed;
    bool enabled;
} gcstate;

static gcstate G;

static void gray(loop_obj *o)
{
    if (!o || (o->flags & 1))
        return;
    o->flags |= 1;
    if (G.ngray == G.capgray) {
        G.capgray = G.capgray ? 2 * G.capgray : 256;
        G.gray = realloc(G.gray, G.capgray * sizeof *G.gray);
    }
    G.gray[G.ngray++] = o;
}

static void walk_val(void *ud, loop_val v);

static void walk_obj(void *ud, loop_obj *o)
{
    gray(o);
}

/* A host value's references to loop objects. */
static void walk_val(void *ud, loop_val v)
{
    tv *x = v;
    if (!x || x->mark == G.epoch)
        return;
    x->mark = G.epoch;
    if (x->tag == TV_OBJ)
        gray(x->obj);
    for (size_t i = 0; i < x->n; i++)
        walk_val(ud, x->items[i]);
    walk_val(ud, x->arg);
    walk_val(ud, x->cause);
    if (x->coro) {
        tcoro *c = x->coro;
        walk_val(ud, c->sub);
        if (c->awaiting)
            gray(&c->awaiting->hdr);
        for (int i = 0; i < 6; i++)
            walk_val(ud, c->v[i]);
    }
}

static void collect(void)
{
    loop_tracer t = { NULL, walk_val, walk_obj };
    G.epoch++;
    loop_trace_roots(G.h->l, &t);
    while (G.ngray)
        loop_obj_trace(G.gray[--G.ngray], &t);
    size_t k = 0;
    for (size_t i = 0; i < G.n; i++) {
        loop_obj *o = G.objs[i];
        if (o->flags & 1) {
            o->flags &= (uint16_t)~1u;
            G.objs[k++] = o;
        } else {
            loop_obj_finalize(o);
            memset(o, 0xdb, sizeof *o);     /* a later use shows at once */
            free(o);
            G.freed++;
        }
    }
    G.n = k;
    G.collections++;
}

static void *gc_alloc(void *ud, loop_kind kind, size_t size)
{
    if (G.enabled)
        collect();
    if (G.n == G.cap) {
        G.cap = G.cap ? 2 * G.cap : 256;
        G.objs = realloc(G.objs, G.cap * sizeof *G.objs);
    }
    loop_obj *o = calloc(1, size);
    assert_non_null(o);
    G.objs[G.n++] = o;
    return o;
}

static int gc_setup(void **state)
{
    memset(&G, 0, sizeof G);
    G.h = th_new_alloc(gc_alloc);
    G.enabled = true;
    *state = G.h;
    return 0;
}

static int gc_teardown(void **state)
{
    G.enabled = false;
    th *h = *state;
    loop *l = h->l;
    h->l = NULL;
    loop_free(l);
    for (size_t i = 0; i < G.n; i++) {
        loop_obj_finalize(G.objs[i]);
        free(G.objs[i]);
    }
    free(G.objs);
    free(G.gray);
    h->l = loop_new(&h->host);      /* th_free frees a (fresh, empty) loop */
    th_free(h);
    return 0;
}

#endif
