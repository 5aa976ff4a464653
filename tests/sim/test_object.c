/* test_object.c — the object model from C: ints (64-bit overflow), floats' repr,
 * strings (code points, interning), dicts and sets (order, deletion, growth, equal
 * keys of different types), sorting, comparisons and their errors, native types and
 * modules, jobs (suspendable calls). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm.h"

static int setup(void **state) {
    sim_options o;
    sim_options_init(&o);
    o.out = fopen("/dev/null", "w");
    o.err = o.out;
    *state = sim_vm_new(&o);
    return *state ? 0 : -1;
}

static int teardown(void **state) {
    sim_vm *vm = *state;
    FILE *f = vm->opt.out;
    sim_vm_free(vm);
    fclose(f);
    return 0;
}

static const char *repr_of(sim_vm *vm, sim_obj *o) {
    sim_obj *r = sim_repr(vm, o);
    assert_non_null(r);
    return SIM_CSTR(r);
}

static const char *pending_message(sim_vm *vm) {
    sim_obj *e = sim_exc_fetch(vm);
    assert_non_null(e);
    sim_obj *s = sim_str(vm, e);
    return SIM_CSTR(s);
}

static void test_int_overflow(void **state) {
    sim_vm *vm = *state;
    sim_obj *big = sim_int_new(vm, INT64_MAX), *one = sim_int_new(vm, 1);
    assert_null(sim_binary_op(vm, SIM_BINOP_ADD, big, one, false));
    assert_true(sim_exc_matches(vm, SIM_E_OverflowError));
    assert_non_null(strstr(pending_message(vm), "64-bit"));
    sim_obj *r = sim_binary_op(vm, SIM_BINOP_SUB, big, one, false);
    assert_int_equal(SIM_INT(r), INT64_MAX - 1);
    assert_null(sim_binary_op(vm, SIM_BINOP_MUL, big, sim_int_new(vm, 2), false));
    sim_exc_fetch(vm);
}

static void test_int_division_semantics(void **state) {
    sim_vm *vm = *state;
    sim_obj *a = sim_int_new(vm, -7), *b = sim_int_new(vm, 2);
    assert_int_equal(SIM_INT(sim_binary_op(vm, SIM_BINOP_FLOORDIV, a, b, false)), -4);
    assert_int_equal(SIM_INT(sim_binary_op(vm, SIM_BINOP_MOD, a, b, false)), 1);
    assert_null(sim_binary_op(vm, SIM_BINOP_MOD, a, sim_int_new(vm, 0), false));
    assert_string_equal(pending_message(vm), "integer modulo by zero");
    sim_obj *q = sim_binary_op(vm, SIM_BINOP_TRUEDIV, sim_int_new(vm, 1), sim_int_new(vm, 4), false);
    assert_string_equal(repr_of(vm, q), "0.25");
}

static void test_float_repr(void **state) {
    sim_vm *vm = *state;
    assert_string_equal(repr_of(vm, sim_float_new(vm, 0.1 + 0.2)), "0.30000000000000004");
    assert_string_equal(repr_of(vm, sim_float_new(vm, 1e16)), "1e+16");
    assert_string_equal(repr_of(vm, sim_float_new(vm, 5.0)), "5.0");
    assert_string_equal(repr_of(vm, sim_float_new(vm, -0.0)), "-0.0");
}

static void test_str_codepoints(void **state) {
    sim_vm *vm = *state;
    sim_obj *s = sim_str_cstr(vm, "a中文b");
    sim_push(vm, s);
    assert_int_equal(sim_len(vm, s), 4);
    sim_obj *c = sim_getitem(vm, s, sim_int_new(vm, 1));
    assert_string_equal(SIM_CSTR(c), "中");
    c = sim_getitem(vm, s, sim_int_new(vm, -1));
    assert_string_equal(SIM_CSTR(c), "b");
    assert_null(sim_getitem(vm, s, sim_int_new(vm, 4)));
    assert_string_equal(pending_message(vm), "string index out of range");
    assert_string_equal(repr_of(vm, sim_str_cstr(vm, "it's")), "\"it's\"");
    sim_pop(vm, 1);
}

static void test_interning(void **state) {
    sim_vm *vm = *state;
    sim_obj *a = sim_intern(vm, "some_name");
    sim_obj *b = sim_intern_str(vm, sim_str_cstr(vm, "some_name"));
    assert_ptr_equal(a, b);
    assert_ptr_equal(sim_intern(vm, "__init__"), vm->n.__init__);
}

static void test_dict_order_and_delete(void **state) {
    sim_vm *vm = *state;
    sim_obj *d = sim_dict_new(vm);
    sim_push(vm, d);
    for (int i = 0; i < 100; i++) sim_dict_set(vm, d, sim_int_new(vm, 100 - i), sim_int_new(vm, i));
    for (int i = 0; i < 100; i += 2) assert_int_equal(sim_dict_del(vm, d, sim_int_new(vm, 100 - i)), 1);
    assert_int_equal(SIM_DICT(d)->used, 50);
    size_t pos = 0;
    sim_obj *k, *v;
    int expect = 1;
    while (sim_dict_next(d, &pos, &k, &v)) {
        assert_int_equal(SIM_INT(v), expect);
        expect += 2;
    }
    /* 1, 1.0 and True are the same key */
    sim_obj *d2 = sim_dict_new(vm);
    sim_push(vm, d2);
    sim_dict_set(vm, d2, sim_int_new(vm, 1), sim_str_cstr(vm, "int"));
    sim_dict_set(vm, d2, sim_float_new(vm, 1.0), sim_str_cstr(vm, "float"));
    sim_dict_set(vm, d2, vm->true_, sim_str_cstr(vm, "bool"));
    assert_string_equal(repr_of(vm, d2), "{1: 'bool'}");
    sim_pop(vm, 2);
}

static void test_unhashable(void **state) {
    sim_vm *vm = *state;
    sim_obj *d = sim_dict_new(vm);
    sim_push(vm, d);
    assert_int_equal(sim_dict_set(vm, d, sim_list_new(vm, 0, NULL), vm->none), -1);
    assert_string_equal(pending_message(vm), "unhashable type: 'list'");
    sim_pop(vm, 1);
}

static void test_sort_stable_and_errors(void **state) {
    sim_vm *vm = *state;
    sim_obj *l = sim_list_new(vm, 0, NULL);
    sim_push(vm, l);
    int vals[] = {3, 1, 2, 1, 3};
    for (int i = 0; i < 5; i++) {
        sim_obj *pair[2] = {sim_int_new(vm, vals[i]), sim_int_new(vm, i)};
        sim_list_append(vm, l, sim_tuple_new(vm, 2, pair));
    }
    assert_int_equal(sim__list_sort(vm, l, NULL, false), 0);
    assert_string_equal(repr_of(vm, l), "[(1, 1), (1, 3), (2, 2), (3, 0), (3, 4)]");
    sim_list_append(vm, l, sim_str_cstr(vm, "x"));
    assert_int_equal(sim__list_sort(vm, l, NULL, false), -1);
    assert_string_equal(pending_message(vm), "'<' not supported between instances of 'str' and 'tuple'");
    sim_pop(vm, 1);
}

static void test_compare_mixed_numbers(void **state) {
    sim_vm *vm = *state;
    assert_int_equal(sim_eq(vm, sim_int_new(vm, 2), sim_float_new(vm, 2.0)), 1);
    assert_int_equal(sim_lt(vm, sim_int_new(vm, 2), sim_float_new(vm, 2.5)), 1);
    assert_int_equal(sim_eq(vm, sim_int_new(vm, 9007199254740993LL), sim_float_new(vm, 9007199254740992.0)), 0);
    assert_int_equal(sim_eq(vm, sim_str_cstr(vm, "1"), sim_int_new(vm, 1)), 0);
}

static void test_set_ops(void **state) {
    sim_vm *vm = *state;
    sim_obj *a = sim_set_new(vm, false);
    sim_push(vm, a);
    for (int i = 0; i < 5; i++) sim_set_add(vm, a, sim_int_new(vm, i));
    sim_obj *b = sim_set_new(vm, false);
    sim_push(vm, b);
    for (int i = 3; i < 8; i++) sim_set_add(vm, b, sim_int_new(vm, i));
    sim_obj *u = sim_binary_op(vm, SIM_BINOP_AND, a, b, false);
    assert_int_equal(sim_len(vm, u), 2);
    assert_int_equal(sim_set_contains(vm, u, sim_int_new(vm, 4)), 1);
    u = sim_binary_op(vm, SIM_BINOP_OR, a, b, false);
    assert_int_equal(sim_len(vm, u), 8);
    sim_pop(vm, 2);
}

static sim_obj *answer(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    static const char *const names[] = {"x", "y", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "answer", args, nargs, kwnames, 1, 2, names, a) < 0) return NULL;
    return sim_int_new(vm, SIM_INT(a[0]) * 10 + (a[1] ? SIM_INT(a[1]) : 0));
}

static int init_testmod(sim_vm *vm, sim_obj *m) {
    static const sim_method_def defs[] = {{"answer", answer, NULL, 0}, {NULL, NULL, NULL, 0}};
    return sim_module_add_functions(vm, m, defs);
}

static void test_native_module(void **state) {
    sim_vm *vm = *state;
    sim_register_module(vm, "testmod", init_testmod);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    FILE *saved = vm->opt.out;
    vm->opt.out = f;
    const char *src = "import testmod\nfrom testmod import answer\nprint(testmod.answer(4), answer(4, y=2))\n"
                      "try:\n    answer()\nexcept TypeError as e:\n    print(e)\n";
    int st = sim_run_source(vm, src, strlen(src), "prog.py", 0, NULL);
    vm->opt.out = saved;
    fclose(f);
    assert_int_equal(st, 0);
    assert_string_equal(out, "40 42\nanswer() missing required argument 'x' (pos 1)\n");
    free(out);
}

static void test_job_sleeps(void **state) {
    sim_vm *vm = *state;
    const char *src = "import time\ndef work(n, k=1):\n    time.sleep(1.5)\n    x = [n * k]\n    time.sleep(2)\n"
                      "    return x\ndef bad():\n    time.sleep(1)\n    raise ValueError('in job')\n";
    assert_int_equal(sim_run_source(vm, src, strlen(src), "prog.py", 0, NULL), 0);
    sim_obj *g = ((sim_module *)vm->main_module)->dict;
    sim_obj *fn = sim_dict_getstr(vm, g, sim_intern(vm, "work"));
    assert_non_null(fn);
    sim_obj *n = sim_int_new(vm, 21);
    sim_obj *args = sim_tuple_new(vm, 1, &n);
    sim_push(vm, args);
    sim_obj *kw = sim_dict_new(vm);
    sim_push(vm, kw);
    sim_dict_setstr(vm, kw, "k", sim_int_new(vm, 2));
    sim_obj *job = sim_job_new(vm, fn, args, kw);
    sim_push(vm, job);
    sim_obj *out = NULL;
    double d = 0;
    assert_int_equal(sim_job_resume(vm, job, &out, &d), 1);
    assert_true(d == 1.5);
    vm->opt.gc_stress = true;   /* frames of the suspended job must survive */
    sim_collect(vm);
    assert_int_equal(sim_job_resume(vm, job, &out, &d), 1);
    assert_true(d == 2.0);
    assert_int_equal(sim_job_resume(vm, job, &out, &d), 0);
    vm->opt.gc_stress = false;
    assert_string_equal(repr_of(vm, out), "[42]");
    sim_obj *badf = sim_dict_getstr(vm, g, sim_intern(vm, "bad"));
    sim_obj *job2 = sim_job_new(vm, badf, NULL, NULL);
    sim_push(vm, job2);
    assert_int_equal(sim_job_resume(vm, job2, &out, &d), 1);
    assert_int_equal(sim_job_resume(vm, job2, &out, &d), -1);
    assert_string_equal(repr_of(vm, out), "ValueError('in job')");
    assert_false(sim_in_job(vm));
    sim_pop(vm, 4);
}

static void test_call_errors(void **state) {
    sim_vm *vm = *state;
    const char *src = "def main(loop, *, flag):\n    pass\n";
    assert_int_equal(sim_run_source(vm, src, strlen(src), "prog.py", 0, NULL), 0);
    sim_obj *fn = sim_dict_getstr(vm, ((sim_module *)vm->main_module)->dict, sim_intern(vm, "main"));
    assert_null(sim_call(vm, fn, NULL, 0, NULL));
    assert_string_equal(pending_message(vm), "main() missing 1 required positional argument: 'loop'");
    sim_obj *a[3] = {vm->none, vm->none, vm->none};
    assert_null(sim_call(vm, fn, a, 3, NULL));
    assert_string_equal(pending_message(vm), "main() takes 1 positional argument but 3 were given");
    assert_null(sim_call(vm, fn, a, 1, NULL));
    assert_string_equal(pending_message(vm), "main() missing 1 required keyword-only argument: 'flag'");
    assert_null(sim_call(vm, sim_int_new(vm, 5), NULL, 0, NULL));
    assert_string_equal(pending_message(vm), "'int' object is not callable");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_int_overflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_division_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_float_repr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_str_codepoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dict_order_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unhashable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_stable_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_mixed_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_native_module, setup, teardown),
        cmocka_unit_test_setup_teardown(test_job_sleeps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
