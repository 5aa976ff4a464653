/* mod_time.c — the time module on the virtual clock: time(), monotonic() and
 * perf_counter() read it; sleep() advances it (through the loop binding's hook when
 * one is installed: on a virtual thread it suspends the thread). */
#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)

FN(t_time) { return sim_float_new(vm, sim__clock(vm)); }

FN(t_ns) {
    double t = sim__clock(vm) * 1e9;
    return sim_int_new(vm, (int64_t)t);
}

FN(t_sleep) {
    if (sim_no_kwargs(vm, "sleep", kwnames) < 0 || sim_check_nargs(vm, "sleep", nargs, 1, 1) < 0) return NULL;
    bool ok;
    if (!SIM_IS_INT(args[0]) && !SIM_IS_FLOAT(args[0]))
        return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(args[0]));
    double d = sim_obj_as_double(vm, args[0], &ok);
    if (d < 0) return sim_raise_msg(vm, SIM_E_ValueError, "sleep length must be non-negative");
    if (sim__job_sleep(vm, d)) return vm->none;   /* a virtual thread: it sleeps */
    if (vm->sleep_fn) vm->sleep_fn(vm->clock_ud, d);
    else vm->clock += d;
    return sim_exc_occurred(vm) ? NULL : vm->none;
}

int sim__mod_time_init(sim_vm *vm, sim_obj *m) {
    static const sim_method_def defs[] = {
        {"time", t_time, NULL, 0}, {"monotonic", t_time, NULL, 0}, {"perf_counter", t_time, NULL, 0},
        {"process_time", t_time, NULL, 0}, {"time_ns", t_ns, NULL, 0}, {"monotonic_ns", t_ns, NULL, 0},
        {"perf_counter_ns", t_ns, NULL, 0}, {"sleep", t_sleep, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    return sim_module_add_functions(vm, m, defs);
}
