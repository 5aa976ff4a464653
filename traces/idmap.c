/* idmap.c — maps from trace ids to what traces/ remembers of them: the writer thread's
 * handles' callbacks, task names and task rows, the reader's rows of handles and
 * futures (trace_int.h). */
#include <stdlib.h>

#include "trace_int.h"

/* Fibonacci hashing (the product's top bits): dense ids, which wrap around the table
 * many times, still spread evenly (the low bits alone would pile them into clusters). */
static size_t slot(uint64_t id, size_t cap)
{
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> (64 - __builtin_ctzll(cap)));
}

static trace__idmap_entry *find(const trace__idmap *m, uint64_t id)
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

trace__idval *trace__idmap_find(const trace__idmap *m, uint64_t id)
{
    trace__idmap_entry *e = find(m, id);
    return e ? &e->v : NULL;
}

static int grow(trace__idmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
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

int trace__idmap_put(trace__idmap *m, uint64_t id, trace__idval v)
{
    trace__idmap_entry *e = find(m, id);
    if (e) {
        free(e->v.desc);
        e->v = v;
        return 0;
    }
    if (2 * (m->n + 1) > m->cap && grow(m) < 0) {
        free(v.desc);
        return -1;
    }
    size_t j = slot(id, m->cap);
    while (m->e[j].id)
        j = (j + 1) & (m->cap - 1);
    m->e[j] = (trace__idmap_entry){ id, v };
    m->n++;
    return 0;
}

void trace__idmap_del(trace__idmap *m, uint64_t id)
{
    trace__idmap_entry *e = find(m, id);
    if (!e)
        return;
    size_t mask = m->cap - 1, i = (size_t)(e - m->e);
    free(e->v.desc);
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

void trace__idmap_free(trace__idmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].id)
            free(m->e[i].v.desc);
    free(m->e);
    *m = (trace__idmap){ 0 };
}
