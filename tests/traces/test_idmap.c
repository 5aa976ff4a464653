/* test_idmap.c — the id map of traces/ (idmap.c) against a plain reference: paged ids,
 * hashed large ids, replacement, deletion (with pages emptied and reused), and the
 * descriptions it owns (freed on replace, delete and free: ASan and valgrind check). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "traces/trace_int.h"

#define NREF 4096

/* The reference: ids and values in a plain array, found by linear search. */
typedef struct ref { uint64_t id; uint64_t index; bool live; } ref;

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Ids from all the ranges the map treats differently: first page, later pages, the
 * edge of the paged range and far beyond it. */
static uint64_t pick_id(void)
{
    switch (rnd() % 5) {
    case 0: return 1 + rnd() % 1000;
    case 1: return 1 + rnd() % 200000;
    case 2: return (1ull << 28) - 3 + rnd() % 6;
    case 3: return (1ull << 40) + rnd() % 5000;
    default: return UINT64_MAX - rnd() % 1000;
    }
}

static void check_all(const trace__idmap *m, const ref *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        trace__idval *v = trace__idmap_find(m, r[i].id);
        if (!r[i].live) {
            assert_null(v);
            continue;
        }
        assert_non_null(v);
        assert_int_equal(v->index, r[i].index);
        char want[32];
        snprintf(want, sizeof want, "v%llu", (unsigned long long)r[i].index);
        assert_string_equal(v->desc, want);
    }
}

static void random_operations_match_the_reference(void **state)
{
    (void)state;
    static ref r[NREF];
    size_t n = 0;
    trace__idmap m = { 0 };
    for (int step = 0; step < 200000; step++) {
        uint64_t id = pick_id();
        size_t i = 0;
        while (i < n && r[i].id != id)
            i++;
        if (i == n) {
            if (n == NREF)
                continue;
            r[n++] = (ref){ id, 0, false };
        }
        if (rnd() % 3 == 0) {
            trace__idmap_del(&m, id);
            r[i].live = false;
        } else {
            uint64_t index = rnd();
            char d[32];
            snprintf(d, sizeof d, "v%llu", (unsigned long long)index);
            trace__idval v = { .desc = strdup(d), .index = index };
            assert_int_equal(trace__idmap_put(&m, id, v), 0);
            r[i].index = index;
            r[i].live = true;
        }
        if (step % 20000 == 0)
            check_all(&m, r, n);
    }
    check_all(&m, r, n);
    assert_null(trace__idmap_find(&m, 0));
    /* 0 is never an id: refused, and its description freed all the same */
    assert_int_equal(trace__idmap_put(&m, 0, (trace__idval){ .desc = strdup("zero") }), -1);
    assert_null(trace__idmap_find(&m, 0));
    trace__idmap_free(&m);
}

/* A run's pattern: dense rising ids, each deleted soon after; pages empty, are
 * reused and the map stays small while finding every live id. */
static void rising_ids_reuse_pages(void **state)
{
    (void)state;
    trace__idmap m = { 0 };
    for (uint64_t id = 1; id <= 3000000; id++) {
        assert_int_equal(trace__idmap_put(&m, id, (trace__idval){ .index = id * 7 }), 0);
        if (id > 100) {
            trace__idval *v = trace__idmap_find(&m, id - 100);
            assert_non_null(v);
            assert_int_equal(v->index, (id - 100) * 7);
            trace__idmap_del(&m, id - 100);
            assert_null(trace__idmap_find(&m, id - 100));
        }
    }
    size_t live_pages = 0;
    for (size_t pg = 0; pg < m.npages; pg++)
        live_pages += m.pages[pg] != NULL;
    assert_true(live_pages <= 2);
    for (uint64_t id = 3000000 - 99; id <= 3000000; id++)
        assert_int_equal(trace__idmap_find(&m, id)->index, id * 7);
    trace__idmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_operations_match_the_reference),
        cmocka_unit_test(rising_ids_reuse_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
