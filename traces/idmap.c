/* idmap.c — maps from trace ids to what traces/ remembers of them: the writer thread's
 * handles' callbacks, task names and task rows, the reader's rows of handles and
 * futures (trace_int.h).
 *
 * Ids below 2^28 live in pages of PAGE_SIZE entries indexed by the id itself: a run's
 * ids are dense and its objects are touched roughly in creation order, so lookups walk
 * memory forwards instead of missing the cache at every step (fanout.py has 200k live
 * tasks). Larger ids (only a damaged or hand-made trace has them) go to a hash.
 */
#include <stdlib.h>

#include "trace_int.h"

#define PAGE_BITS TRACE__PAGE_BITS
#define PAGE_SIZE (1u << PAGE_BITS)
#define PAGED_LIMIT (1ull << 28)

#define MAX_SPARE 16   /* emptied pages kept for reuse */

/* ---- the hash of large ids ---------------------------------------------------------- */

/* Fibonacci hashing (the product's top bits) spreads ids evenly. */
static size_t slot(uint64_t id, size_t cap)
{
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> (64 - __builtin_ctzll(cap)));
}

/* A value's desc, if the map owns it. */
static void free_desc(const trace__idval *v)
{
    if (!v->borrowed)
        free(v->desc);
}

static trace__idmap_entry *hfind(const trace__idmap *m, uint64_t id)
{
    if (!m->cap)
        return NULL;
    for (size_t i = slot(id, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->e[i].id)
            return NULL;
        if (m->e[i].id == id)
            return &m->e[i];
    }
}

static int hgrow(trace__idmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    trace__idmap_entry *n = calloc(cap, sizeof *n);
    if (!n)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->e[i].id)
            continue;
        size_t j = slot(m->e[i].id, cap);
        while (n[j].id)
            j = (j + 1) & (cap - 1);
        n[j] = m->e[i];
    }
    free(m->e);
    m->e = n;
    m->cap = cap;
    return 0;
}

static trace__idmap_entry *hadd(trace__idmap *m, uint64_t id)
{
    if (2 * (m->n + 1) > m->cap && hgrow(m) < 0)
        return NULL;
    size_t j = slot(id, m->cap);
    while (m->e[j].id)
        j = (j + 1) & (m->cap - 1);
    m->n++;
    return &m->e[j];
}

static void hdel(trace__idmap *m, trace__idmap_entry *e)
{
    size_t mask = m->cap - 1, i = (size_t)(e - m->e);
    e->id = 0;
    m->n--;
    /* move later entries of the probe run back into the hole when their home allows */
    for (size_t j = (i + 1) & mask; m->e[j].id; j = (j + 1) & mask) {
        size_t home = slot(m->e[j].id, m->cap);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->e[i] = m->e[j];
            m->e[j].id = 0;
            i = j;
        }
    }
}

/* ---- pages ----------------------------------------------------------------------------- */

trace__idmap_entry *trace__idmap_find_large(const trace__idmap *m, uint64_t id)
{
    return id >= PAGED_LIMIT ? hfind(m, id) : NULL;
}

/* The page for id, made if needed; NULL when out of memory. */
static trace__idmap_page *page_for(trace__idmap *m, uint64_t id)
{
    size_t pg = (size_t)(id >> PAGE_BITS);
    if (pg >= m->npages) {
        size_t n = m->npages ? m->npages : 64;
        while (n <= pg)
            n *= 2;
        trace__idmap_page **p = realloc(m->pages, n * sizeof *p);
        if (!p)
            return NULL;
        for (size_t i = m->npages; i < n; i++)
            p[i] = NULL;
        m->pages = p;
        m->npages = n;
    }
    if (!m->pages[pg]) {
        trace__idmap_page *p = m->spare;
        if (p) {
            m->spare = p->next;
            m->nspare--;
        } else {
            if (!(p = calloc(1, sizeof *p)))
                return NULL;
            /* each memory page written first: put() reads an entry before writing
             * it, and a read of untouched memory maps the shared zero page, whose
             * replacement at the write costs a TLB flush on the program's core too */
            for (size_t b = 0; b < sizeof *p; b += 4096)
                ((volatile char *)p)[b] = 0;
        }
        m->pages[pg] = p;
        m->npages_live++;
    }
    return m->pages[pg];
}

int trace__idmap_put(trace__idmap *m, uint64_t id, trace__idval v)
{
    trace__idmap_entry *e = NULL;
    if (id >= PAGED_LIMIT) {
        if ((e = hfind(m, id))) {
            free_desc(&e->v);
            e->v = v;
            return 0;
        }
        e = hadd(m, id);
    } else if (id) {
        /* one look at the page: id's entry holds id, or 0 when it is free */
        size_t pg = (size_t)(id >> PAGE_BITS);
        trace__idmap_page *p = pg < m->npages && m->pages[pg] ? m->pages[pg] : page_for(m, id);
        if (p) {
            e = &p->e[id & (PAGE_SIZE - 1)];
            if (e->id == id) {
                free_desc(&e->v);
                e->v = v;
                return 0;
            }
            p->live++;
        }
    }
    if (!e) {
        free_desc(&v);
        return -1;
    }
    *e = (trace__idmap_entry){ id, v };
    return 0;
}

void trace__idmap_del(trace__idmap *m, uint64_t id)
{
    trace__idmap_entry *e = trace__idmap_entry_of(m, id);
    if (!e)
        return;
    free_desc(&e->v);
    if (id >= PAGED_LIMIT) {
        hdel(m, e);
        return;
    }
    e->id = 0;
    size_t pg = (size_t)(id >> PAGE_BITS);
    trace__idmap_page *p = m->pages[pg];
    if (--p->live == 0) {
        /* every id in it is 0 again: the page can be reused as it is */
        m->pages[pg] = NULL;
        m->npages_live--;
        if (m->nspare == MAX_SPARE) {
            free(p);
        } else {
            /* kept: freed, the heap would shrink and the next page fault in afresh */
            p->next = m->spare;
            m->spare = p;
            m->nspare++;
        }
    }
}

void trace__idmap_free(trace__idmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].id)
            free_desc(&m->e[i].v);
    free(m->e);
    for (size_t pg = 0; pg < m->npages; pg++) {
        trace__idmap_page *p = m->pages[pg];
        if (!p)
            continue;
        for (size_t i = 0; i < PAGE_SIZE; i++)
            if (p->e[i].id)
                free_desc(&p->e[i].v);
        free(p);
    }
    free(m->pages);
    while (m->spare) {
        trace__idmap_page *next = m->spare->next;
        free(m->spare);
        m->spare = next;
    }
    *m = (trace__idmap){ 0 };
}
