/* test_gc.c — the collector: garbage is reclaimed, reachable objects survive, sim_push
 * protects temporaries, native types' trace/finalize hooks run, and a program with
 * closures and containers gives the same output under GC stress (a collection at
 * every allocation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm.h"
#include "sim/vm_cases.h"

static sim_vm *new_vm(bool stress) {
    sim_options o;
    sim_options_init(&o);
    o.gc_stress = stress;
    return sim_vm_new(&o);
}

static void test_garbage_is_freed(void **state) {
    (void)state;
    sim_vm *vm = new_vm(false);
    sim_collect(vm);
    size_t base = vm->bytes;
    for (int i = 0; i < 1000; i++) sim_list_new(vm, 10, NULL);
    assert_true(vm->bytes > base);
    sim_collect(vm);
    assert_int_equal(vm->bytes, base);
    sim_vm_free(vm);
}

static void test_push_protects(void **state) {
    (void)state;
    sim_vm *vm = new_vm(true);
    sim_obj *l = sim_list_new(vm, 0, NULL);
    sim_push(vm, l);
    for (int i = 0; i < 200; i++) {
        sim_obj *s = sim_str_fmt(vm, "item-%d", i);
        sim_list_append(vm, l, s);
    }
    sim_collect(vm);
    assert_int_equal(SIM_LIST(l)->len, 200);
    assert_string_equal(SIM_CSTR(SIM_LIST(l)->items[199]), "item-199");
    sim_pop(vm, 1);
    sim_vm_free(vm);
}

static void test_dict_survives_collections(void **state) {
    (void)state;
    sim_vm *vm = new_vm(true);
    sim_obj *d = sim_dict_new(vm);
    sim_push(vm, d);
    for (int i = 0; i < 300; i++) {
        sim_obj *k = sim_str_fmt(vm, "k%d", i);
        sim_push(vm, k);
        sim_obj *v = sim_int_new(vm, (int64_t)i * 1000);
        sim_dict_set(vm, d, k, v);
        sim_pop(vm, 1);
    }
    sim_collect(vm);
    sim_obj *k = sim_str_cstr(vm, "k277"), *v = NULL;
    assert_int_equal(sim_dict_get(vm, d, k, &v), 1);
    assert_int_equal(SIM_INT(v), 277000);
    sim_pop(vm, 1);
    sim_vm_free(vm);
}

/* A native type holding one object: its trace hook must keep the object alive, and
 * its finalizer runs once the holder is garbage. */
typedef struct holder { sim_obj hdr; sim_obj *held; } holder;
static int finalized;
static void holder_trace(sim_vm *vm, sim_obj *self) { sim_mark(vm, ((holder *)self)->held); }
static void holder_final(sim_vm *vm, sim_obj *self) { (void)vm; (void)self; finalized++; }

static void test_native_hooks(void **state) {
    (void)state;
    sim_vm *vm = new_vm(false);
    sim_type_hooks h = {0};
    h.trace = holder_trace;
    h.finalize = holder_final;
    sim_type *t = sim_type_new_native(vm, "Holder", "test", NULL, sizeof(holder), &h, NULL);
    sim_obj *o = sim_cobj_new(vm, t);
    sim_push(vm, o);
    ((holder *)o)->held = sim_str_cstr(vm, "kept alive by the trace hook");
    sim_collect(vm);
    assert_string_equal(SIM_CSTR(((holder *)o)->held), "kept alive by the trace hook");
    finalized = 0;
    sim_pop(vm, 1);
    sim_collect(vm);
    assert_int_equal(finalized, 1);
    sim_vm_free(vm);
}

static void test_extra_root(void **state) {
    (void)state;
    sim_vm *vm = new_vm(false);
    static sim_obj *slot;
    slot = sim_str_cstr(vm, "rooted through sim_gc_add_root");
    sim_gc_add_root(vm, &slot);
    sim_collect(vm);
    assert_string_equal(SIM_CSTR(slot), "rooted through sim_gc_add_root");
    sim_vm_free(vm);
}

static int run_src(const char *src, bool stress, char **out) {
    size_t len;
    FILE *f = open_memstream(out, &len);
    FILE *err = fopen("/dev/null", "w");
    sim_options o;
    sim_options_init(&o);
    o.out = f;
    o.err = err;
    o.gc_stress = stress;
    sim_vm *vm = sim_vm_new(&o);
    int st = sim_run_source(vm, src, strlen(src), "prog.py", 0, NULL);
    sim_stats s;
    sim_get_stats(vm, &s);
    if (stress) assert_true(s.collections > 100);
    if (getenv("GC_VERBOSE")) fprintf(stderr, "collections %llu allocations %llu\n", (unsigned long long)s.collections, (unsigned long long)s.allocations);
    sim_vm_free(vm);
    fclose(f);
    fclose(err);
    return st;
}

static const vm_case *find_case(const char *name) {
    for (size_t i = 0; i < sizeof VM_CASES / sizeof VM_CASES[0]; i++)
        if (strcmp(VM_CASES[i].name, name) == 0) return &VM_CASES[i];
    return NULL;
}

/* The required stress test: closures, containers, cycles, classes. */
static void test_stress_closures(void **state) {
    (void)state;
    const vm_case *c = find_case("gc_closures.py");
    assert_non_null(c);
    char *out = NULL;
    int st = run_src(c->src, true, &out);
    assert_int_equal(st, 0);
    assert_string_equal(out, c->out);
    free(out);
}

static void test_stress_classes_and_coroutines(void **state) {
    (void)state;
    static const char *const names[] = {"classes.py", "async_manual.py", "containers.py", "strings.py",
                                        "mini_loop.py", "syntax_mix.py", "contextvars_basic.py", "sets_order.py", "error_paths.py",
                                        "exception_groups.py", "gc_audit.py", "class_protocols.py",
                                        "builtin_subclasses.py", "stdlib_python_modules.py"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const vm_case *c = find_case(names[i]);
        assert_non_null(c);
        char *out = NULL;
        int st = run_src(c->src, true, &out);
        assert_int_equal(st, c->status);
        assert_string_equal(out, c->out);
        free(out);
    }
}

static void test_stress_exceptions(void **state) {
    (void)state;
    char *out = NULL;
    int st = run_src("def f(i):\n    try:\n        raise ValueError(str(i) * 3)\n    except ValueError as e:\n"
                     "        return [e.args, {i: str(e)}]\nprint([f(i) for i in range(5)][-1])\n", true, &out);
    assert_int_equal(st, 0);
    assert_string_equal(out, "[('444',), {4: '444'}]\n");
    free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbage_is_freed),
        cmocka_unit_test(test_push_protects),
        cmocka_unit_test(test_dict_survives_collections),
        cmocka_unit_test(test_native_hooks),
        cmocka_unit_test(test_extra_root),
        cmocka_unit_test(test_stress_closures),
        cmocka_unit_test(test_stress_classes_and_coroutines),
        cmocka_unit_test(test_stress_exceptions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
