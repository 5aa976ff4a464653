/* memory.c — allocation accounting and the mark-sweep collector (see memory.h). */
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "vm.h"

/* After a collection the heap may grow to GC_GROW times what survived while it is
 * growing (the collection freed under a tenth of it: collecting again soon would find
 * little), else to GC_GROW_STEADY times: the headroom is garbage kept, which is what a
 * tracing collector pays in peak memory against CPython's reference counting. */
#define GC_GROW 2
#define GC_GROW_STEADY 1.4
#define GC_MIN (2u << 20)

static void oom(void) {
    fputs("aiosim: out of memory\n", stderr);
    exit(4);
}

/* Small blocks (up to SMALL_MAX bytes) come from per-size free lists carved out of
 * 64 KiB chunks: objects are allocated and freed by the million, and malloc would
 * dominate the run time. Sizes are rounded up to 8 bytes (objects hold pointers and
 * 8-byte numbers only; a coarser rounding would waste memory on common sizes). */
#define SMALL_MAX 256
#define SMALL_CLASSES (SMALL_MAX / 8)
#define CHUNK (64u << 10)

typedef struct free_block { struct free_block *next; } free_block;
typedef struct chunk { struct chunk *next; } chunk;

static size_t size_class(size_t n) { return (n + 7) / 8 - 1; }

static void *small_alloc(sim_vm *vm, size_t cls) {
    free_block *b = vm->freelist[cls];
    if (b) {
        /* the next block of the class is cold (freed by a sweep long ago): fetch it
         * now, for the next allocation of this size */
        vm->freelist[cls] = b->next;
        __builtin_prefetch(b->next, 1);
        return b;
    }
    size_t sz = (cls + 1) * 8;
    if (vm->chunk_left < sz) {
        chunk *c = malloc(CHUNK);
        if (!c) oom();
        c->next = vm->chunks;
        vm->chunks = c;
        vm->chunk_pos = (char *)c + 16;
        vm->chunk_left = CHUNK - 16;
    }
    void *r = vm->chunk_pos;
    vm->chunk_pos += sz;
    vm->chunk_left -= sz;
    return r;
}

static void small_free(sim_vm *vm, void *p, size_t cls) {
    free_block *b = p;
    b->next = vm->freelist[cls];
    vm->freelist[cls] = b;
}

void *sim_realloc(sim_vm *vm, void *p, size_t old, size_t new_size) {
    vm->bytes += new_size;
    vm->bytes -= old;
    if (vm->bytes > vm->peak) vm->peak = vm->bytes;
    if (new_size > old && !vm->collecting && !vm->gc_off) {
        if (vm->opt.gc_stress || vm->bytes > vm->next_gc) sim_collect(vm);
        if (vm->opt.max_memory && vm->bytes > vm->opt.max_memory) vm->limit_hit = true;
    }
    bool small_old = p && old && old <= SMALL_MAX, small_new = new_size && new_size <= SMALL_MAX;
    if (small_old && small_new && size_class(old) == size_class(new_size)) return p;
    if (!small_old && !small_new) {
        if (new_size == 0) {
            free(p);
            return NULL;
        }
        void *q = realloc(p, new_size);
        if (!q) oom();
        return q;
    }
    void *q = NULL;
    if (new_size) {
        q = small_new ? small_alloc(vm, size_class(new_size)) : malloc(new_size);
        if (!q) oom();
        if (p) memcpy(q, p, old < new_size ? old : new_size);
    }
    if (p) {
        if (small_old) small_free(vm, p, size_class(old));
        else free(p);
    }
    return q;
}

static void free_chunks(sim_vm *vm) {
    while (vm->chunks) {
        chunk *c = vm->chunks;
        vm->chunks = c->next;
        free(c);
    }
}

sim_obj *sim__alloc_raw(sim_vm *vm, sim_type *t, sim_kind kind, size_t size) {
    sim_obj *o;
    size_t limit = vm->next_gc;
    if (vm->opt.max_memory && vm->opt.max_memory < limit) limit = vm->opt.max_memory;
    if (size <= SMALL_MAX && !vm->opt.gc_stress && vm->bytes + size <= limit) {
        /* the common case, without a collection to consider */
        vm->bytes += size;
        if (vm->bytes > vm->peak) vm->peak = vm->bytes;
        o = small_alloc(vm, size_class(size));
    } else {
        o = sim_realloc(vm, NULL, 0, size);
    }
    memset(o, 0, size);
    o->type = t;
    o->kind = (uint8_t)kind;
    o->extra = (uint32_t)size;
    /* objects needing work when freed go on their own list, so that freeing the
     * whole heap at exit only visits them (the rest is freed chunk by chunk) */
    bool finalize = kind == SIM_K_CNATIVE && t && t->hooks.finalize;
    if (finalize && size <= SMALL_MAX && (t->flags & SIM_TF_PLAIN_FINALIZE)) {
        finalize = false;       /* cheap and self-contained: the plain sweep runs it */
        o->oflags |= SIM_OBJ_FINALIZE;
    }
    sim_obj **list = size > SMALL_MAX || kind == SIM_K_LIST || kind == SIM_K_DICT || kind == SIM_K_SET ||
                     kind == SIM_K_EXC || kind == SIM_K_CODE || finalize
                         ? &vm->special : &vm->objects[vm->nalloc % SIM_GC_LISTS];
    o->next = *list;
    *list = o;
    vm->nalloc++;
    return o;
}

sim_obj *sim__alloc_obj(sim_vm *vm, sim_type *t, size_t size) {
    return sim__alloc_raw(vm, t, (sim_kind)t->kind, size);
}

size_t sim__obj_size(sim_obj *o) { return o->extra; }

void sim__grow_roots(sim_vm *vm, struct sim_tstate *ts) {
    size_t cap = ts->caproots ? ts->caproots * 2 : 64;
    /* Root arrays are malloc'd directly: growing them must not collect while the
     * new root is not yet stored. */
    sim_obj **r = realloc(ts->roots, cap * sizeof *r);
    if (!r) oom();
    ts->roots = r;
    ts->caproots = cap;
}

void sim_gc_add_root(sim_vm *vm, sim_obj **slot) {
    if (vm->nxroots == vm->capxroots) {
        vm->capxroots = vm->capxroots ? vm->capxroots * 2 : 16;
        vm->xroots = realloc(vm->xroots, vm->capxroots * sizeof *vm->xroots);
        if (!vm->xroots) oom();
    }
    vm->xroots[vm->nxroots++] = slot;
}

void sim_gc_add_tracer(sim_vm *vm, void (*fn)(sim_vm *vm, void *ud), void *ud) {
    if (vm->ntracers == vm->captracers) {
        vm->captracers = vm->captracers ? vm->captracers * 2 : 4;
        vm->tracers = realloc(vm->tracers, vm->captracers * sizeof *vm->tracers);
        if (!vm->tracers) oom();
    }
    vm->tracers[vm->ntracers].fn = fn;
    vm->tracers[vm->ntracers].ud = ud;
    vm->ntracers++;
}

/* ---- marking -------------------------------------------------------------------------- */

/* Marking is bound by cache misses on the objects reached. So sim_mark does not look
 * at the object: it starts fetching it and pushes it on the gray stack; the drain
 * (drain_gray) passes what it pops through a short queue before testing and setting
 * the mark, which gives the fetch time to arrive. An object may be pushed more than
 * once; only its first pop blackens it. */
void sim_mark(sim_vm *vm, sim_obj *o) {
    if (!o) return;
    __builtin_prefetch(o, 1);
    if (vm->ngray == vm->capgray) {
        vm->capgray = vm->capgray ? vm->capgray * 2 : 256;
        vm->gray = realloc(vm->gray, vm->capgray * sizeof *vm->gray);
        if (!vm->gray) oom();
    }
    vm->gray[vm->ngray++] = o;
}

static void mark_array(sim_vm *vm, sim_obj *const *a, size_t n) {
    for (size_t i = 0; i < n; i++) sim_mark(vm, a[i]);
}

static void blacken_table(sim_vm *vm, sim_dict *d) {
    for (size_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].key) continue;
        sim_mark(vm, d->entries[i].key);
        sim_mark(vm, d->entries[i].value);
    }
}

static void blacken_frame(sim_vm *vm, sim_frame *f) {
    sim_mark(vm, (sim_obj *)f->back);
    sim_mark(vm, f->func);
    sim_mark(vm, (sim_obj *)f->co);
    sim_mark(vm, f->globals);
    sim_mark(vm, f->builtins);
    sim_mark(vm, f->locals);
    sim_mark(vm, f->handled);
    sim_mark(vm, f->gen);
    mark_array(vm, f->slots, f->nlocals + f->ncells + f->sp);
}

static void blacken_type(sim_vm *vm, sim_type *t) {
    sim_mark(vm, t->name);
    sim_mark(vm, t->qualname);
    sim_mark(vm, t->module);
    sim_mark(vm, (sim_obj *)t->base);
    sim_mark(vm, t->bases);
    sim_mark(vm, t->mro);
    sim_mark(vm, t->dict);
}

static void blacken_exc(sim_vm *vm, sim_exc *e) {
    sim_mark(vm, e->dict);
    sim_mark(vm, e->args);
    sim_mark(vm, e->cause);
    sim_mark(vm, e->context);
    sim_mark(vm, e->value);
    for (size_t i = 0; i < e->ntb; i++) sim_mark(vm, e->tb[i].code);
}

static void blacken_misc(sim_vm *vm, sim_obj *o) {
    switch (SIM_KIND(o)) {
    case SIM_K_FUNCTION: {
        sim_func *f = (sim_func *)o;
        sim_mark(vm, f->code); sim_mark(vm, f->globals); sim_mark(vm, f->name);
        sim_mark(vm, f->qualname); sim_mark(vm, f->module); sim_mark(vm, f->defaults);
        sim_mark(vm, f->kwdefaults); sim_mark(vm, f->closure); sim_mark(vm, f->dict);
        sim_mark(vm, f->doc);
        break;
    }
    case SIM_K_CODE: {
        sim_codeobj *c = (sim_codeobj *)o;
        sim_mark(vm, c->consts); sim_mark(vm, c->names); sim_mark(vm, c->varnames);
        sim_mark(vm, c->cellnames); sim_mark(vm, c->name); sim_mark(vm, c->qualname);
        sim_mark(vm, c->filename); sim_mark(vm, c->parent);
        break;
    }
    case SIM_K_GEN: {
        sim_gen *g = (sim_gen *)o;
        sim_mark(vm, (sim_obj *)g->frame); sim_mark(vm, g->name);
        sim_mark(vm, g->qualname); sim_mark(vm, g->ag_pending);
        break;
    }
    case SIM_K_PROPERTY: {
        sim_property *p = (sim_property *)o;
        sim_mark(vm, p->fget); sim_mark(vm, p->fset); sim_mark(vm, p->fdel); sim_mark(vm, p->doc);
        break;
    }
    case SIM_K_STATICMETHOD: case SIM_K_CLASSMETHOD:
        sim_mark(vm, ((sim_wrapper *)o)->func);
        break;
    case SIM_K_SUPER: {
        sim_super *s = (sim_super *)o;
        sim_mark(vm, (sim_obj *)s->type); sim_mark(vm, s->obj); sim_mark(vm, (sim_obj *)s->objtype);
        break;
    }
    case SIM_K_PARTIAL: {
        sim_partial *p = (sim_partial *)o;
        sim_mark(vm, p->func); sim_mark(vm, p->args); sim_mark(vm, p->kw);
        break;
    }
    case SIM_K_CNATIVE:
        if (o->type->hooks.trace) o->type->hooks.trace(vm, o);
        break;
    default:
        break;
    }
}

static void blacken(sim_vm *vm, sim_obj *o) {
    if (o->type && !o->type->hdr.marked) sim_mark(vm, (sim_obj *)o->type);   /* hot: test now */
    switch (SIM_KIND(o)) {
    case SIM_K_OBJECT: sim_mark(vm, ((sim_instance *)o)->dict); break;
    case SIM_K_TYPE: blacken_type(vm, (sim_type *)o); break;
    case SIM_K_LIST:
        mark_array(vm, SIM_LIST(o)->items, SIM_LIST(o)->len);
        if (o->type->dictoffset) sim_mark(vm, *(sim_obj **)((char *)o + o->type->dictoffset));
        break;
    case SIM_K_TUPLE: mark_array(vm, SIM_TUPLE(o)->items, SIM_TUPLE(o)->len); break;
    case SIM_K_DICT: case SIM_K_SET:
        blacken_table(vm, SIM_DICT(o));
        if (o->type->dictoffset) sim_mark(vm, *(sim_obj **)((char *)o + o->type->dictoffset));
        break;
    case SIM_K_SLICE: {
        sim_slice *s = (sim_slice *)o;
        sim_mark(vm, s->start); sim_mark(vm, s->stop); sim_mark(vm, s->step);
        break;
    }
    case SIM_K_CELL: sim_mark(vm, ((sim_cell *)o)->v); break;
    case SIM_K_METHOD:
        sim_mark(vm, ((sim_method *)o)->func); sim_mark(vm, ((sim_method *)o)->self);
        break;
    case SIM_K_NATIVE: {
        sim_native *n = (sim_native *)o;
        sim_mark(vm, n->self); sim_mark(vm, n->data); sim_mark(vm, (sim_obj *)n->owner);
        break;
    }
    case SIM_K_EXC: blacken_exc(vm, (sim_exc *)o); break;
    case SIM_K_MODULE:
        sim_mark(vm, ((sim_module *)o)->name); sim_mark(vm, ((sim_module *)o)->dict);
        break;
    case SIM_K_FRAME: blacken_frame(vm, (sim_frame *)o); break;
    case SIM_K_ITER: sim_mark(vm, ((sim_iterobj *)o)->src); sim_mark(vm, ((sim_iterobj *)o)->aux); break;
    default: blacken_misc(vm, o); break;
    }
}

static void mark_tstate(sim_vm *vm, sim_tstate *ts) {
    sim_mark(vm, (sim_obj *)ts->frame);
    sim_mark(vm, ts->exc);
    sim_mark(vm, ts->context);
    mark_array(vm, ts->roots, ts->nroots);
}

static void mark_roots(sim_vm *vm) {
    mark_array(vm, (sim_obj **)vm->types, SIM_T__COUNT);
    mark_array(vm, (sim_obj **)vm->exc_types, SIM_E__COUNT);
    sim_mark(vm, vm->none); sim_mark(vm, vm->true_); sim_mark(vm, vm->false_);
    sim_mark(vm, vm->notimpl); sim_mark(vm, vm->ellipsis); sim_mark(vm, vm->empty_tuple);
    sim_mark(vm, vm->empty_str);
    mark_array(vm, vm->small_ints, SIM_SMALLINT_MAX - SIM_SMALLINT_MIN + 1);
    mark_array(vm, vm->chars, 128);
    mark_array(vm, (sim_obj **)&vm->n, sizeof vm->n / sizeof(sim_obj *));
    sim_mark(vm, vm->builtins); sim_mark(vm, vm->modules); sim_mark(vm, vm->main_module);
    sim_mark(vm, vm->build_class); sim_mark(vm, vm->extra_types); sim_mark(vm, vm->argv);
    sim_mark(vm, vm->base_context);
    sim_mark(vm, vm->agen_firstiter); sim_mark(vm, vm->agen_finalizer);
    mark_array(vm, vm->intern, vm->capintern);
    for (sim_tstate *ts = &vm->main_ts; ts; ts = ts->next_ts) mark_tstate(vm, ts);
    if (vm->ts != &vm->main_ts) {
        bool listed = false;
        for (sim_tstate *ts = &vm->main_ts; ts; ts = ts->next_ts) listed |= ts == vm->ts;
        if (!listed) mark_tstate(vm, vm->ts);
    }
    for (size_t i = 0; i < vm->nxroots; i++) sim_mark(vm, *vm->xroots[i]);
    for (size_t i = 0; i < vm->ntracers; i++) vm->tracers[i].fn(vm, vm->tracers[i].ud);
}

#define GRAY_QUEUE 64   /* a power of two */

/* Pops the gray stack through a FIFO of GRAY_QUEUE objects (see sim_mark); the first
 * pop of an object marks it and, unless it is a leaf (whose type is a builtin, hence
 * a root), blackens it. */
static void drain_gray(sim_vm *vm) {
    sim_obj *queue[GRAY_QUEUE];
    unsigned head = 0, n = 0;
    for (;;) {
        if (vm->ngray > 0 && n < GRAY_QUEUE) {
            queue[(head + n++) & (GRAY_QUEUE - 1)] = vm->gray[--vm->ngray];
            continue;
        }
        if (n == 0) break;
        sim_obj *o = queue[head];
        head = (head + 1) & (GRAY_QUEUE - 1);
        n--;
        if (o->marked) continue;
        o->marked = 1;
        sim_kind k = SIM_KIND(o);
        if (k == SIM_K_INT || k == SIM_K_FLOAT || k == SIM_K_STR || k == SIM_K_RANGE) continue;
        blacken(vm, o);
    }
}

/* ---- sweeping ------------------------------------------------------------------------ */

static void free_obj(sim_vm *vm, sim_obj *o) {
    switch (SIM_KIND(o)) {
    case SIM_K_LIST:
        sim_free(vm, SIM_LIST(o)->items, SIM_LIST(o)->cap * sizeof(sim_obj *));
        break;
    case SIM_K_DICT: case SIM_K_SET: {
        sim_dict *d = SIM_DICT(o);
        sim_free(vm, d->entries, d->ecap * sizeof(sim_entry));
        sim_free(vm, d->index, d->icap * sizeof(int32_t));
        break;
    }
    case SIM_K_EXC: {
        sim_exc *e = (sim_exc *)o;
        sim_free(vm, e->tb, e->captb * sizeof(sim_tbentry));
        break;
    }
    case SIM_K_CNATIVE:
        if (o->type && o->type->hooks.finalize) o->type->hooks.finalize(vm, o);
        break;
    case SIM_K_CODE: {
        sim_codeobj *c = (sim_codeobj *)o;
        if (c->gcache) sim_free(vm, c->gcache, c->code->nnames * sizeof(sim_gcache));
        if (c->mcache) sim_free(vm, c->mcache, c->code->nnames * sizeof(sim_mcache));
        sim_code_free(c->owned);
        break;
    }
    case SIM_K_GEN: {
        sim_gen *g = (sim_gen *)o;
        if (g->frame && !g->frame->started && o->type == vm->types[SIM_T_coroutine]) sim__note_unawaited(vm, g);
        break;
    }
    default:
        break;
    }
    sim_free(vm, o, o->extra);
}

static void sweep_list(sim_vm *vm, sim_obj **link) {
    while (*link) {
        sim_obj *o = *link;
        if (o->marked) {
            o->marked = 0;
            link = &o->next;
        } else {
            *link = o->next;
            if (o->oflags & SIM_OBJ_HAS_ID) sim__identity_forget(vm, o);
            free_obj(vm, o);
        }
    }
}

/* The plain lists hold small objects without out-of-line memory: freeing one is
 * pushing it on its size class's free list (inlined: the sweep is the GC's hot loop).
 * The walk is bound by cache misses on `next`; following the SIM_GC_LISTS lists one
 * step each in turn, prefetching each list's next object a round ahead, keeps that
 * many misses in flight at once. */
static void sweep_plain(sim_vm *vm) {
    sim_obj **link[SIM_GC_LISTS];
    int nlive = 0;
    for (int l = 0; l < SIM_GC_LISTS; l++)
        if (vm->objects[l]) link[nlive++] = &vm->objects[l];
    size_t freed = 0;
    sim_type *coro = vm->types[SIM_T_coroutine];
    while (nlive > 0) {
        for (int l = 0; l < nlive;) {
            sim_obj *o = *link[l];
            if (!o) {
                link[l] = link[--nlive];
                continue;
            }
            /* o was prefetched one round ago; fetch its successor for the next round */
            __builtin_prefetch(o->next, 1);
            if (o->marked) {
                o->marked = 0;
                link[l++] = &o->next;
                continue;
            }
            *link[l] = o->next;
            if (o->oflags & (SIM_OBJ_HAS_ID | SIM_OBJ_FINALIZE)) {
                if (o->oflags & SIM_OBJ_HAS_ID) sim__identity_forget(vm, o);
                if ((o->oflags & SIM_OBJ_FINALIZE) && o->type->hooks.finalize) o->type->hooks.finalize(vm, o);
            }
            if (SIM_KIND(o) == SIM_K_GEN && o->type == coro) {
                sim_gen *g = (sim_gen *)o;
                if (g->frame && !g->frame->started) sim__note_unawaited(vm, g);
            }
            freed += o->extra;
            small_free(vm, o, size_class(o->extra));
            l++;
        }
    }
    vm->bytes -= freed;
}

/* Plain objects first: a dead coroutine (small, plain) reads its frame (often large,
 * special) to keep the unstarted-coroutine count, so the frame must still be there. */
static void sweep(sim_vm *vm) {
    sweep_plain(vm);
    sweep_list(vm, &vm->special);
}

void sim_collect(sim_vm *vm) {
    if (vm->collecting) return;
    vm->collecting = true;
    size_t before = vm->bytes;
    mark_roots(vm);
    drain_gray(vm);
    sweep(vm);
    vm->ncollect++;
    bool growing = vm->bytes >= before - before / 10;
    vm->next_gc = growing ? vm->bytes * GC_GROW : (size_t)((double)vm->bytes * GC_GROW_STEADY);
    if (vm->next_gc < GC_MIN) vm->next_gc = GC_MIN;
    vm->collecting = false;
}

/* Frees everything (sim_vm_free). Small objects need no work of their own: their
 * chunks are freed at the end; only out-of-line blocks, large objects and finalizers
 * are visited. */
void sim__free_all(sim_vm *vm) {
    vm->collecting = true;
    /* finalizers first (they may look at other objects), then the memory */
    for (sim_obj *o = vm->special; o; o = o->next)
        if (SIM_KIND(o) == SIM_K_CNATIVE && o->type && o->type->hooks.finalize) {
            o->type->hooks.finalize(vm, o);
            o->kind = SIM_K_OBJECT;
        }
    for (int l = 0; l < SIM_GC_LISTS; l++)
        for (sim_obj *o = vm->objects[l]; o; o = o->next)
            if ((o->oflags & SIM_OBJ_FINALIZE) && o->type->hooks.finalize) o->type->hooks.finalize(vm, o);
    while (vm->special) {
        sim_obj *o = vm->special;
        vm->special = o->next;
        free_obj(vm, o);
    }
    for (int l = 0; l < SIM_GC_LISTS; l++) vm->objects[l] = NULL;   /* all small: they go with their chunks */
    free_chunks(vm);
    free(vm->gray);
    free(vm->xroots);
    free(vm->tracers);
    vm->gray = NULL;
    vm->xroots = NULL;
    vm->tracers = NULL;
}
