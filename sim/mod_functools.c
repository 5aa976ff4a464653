/* mod_functools.c — functools: partial (the type), wraps / update_wrapper, reduce,
 * cmp_to_key is not provided. */
#include <string.h>

#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)

/* update_wrapper(wrapper, wrapped): copies __module__, __name__, __qualname__, __doc__,
 * __dict__ and sets __wrapped__. */
static sim_obj *update_wrapper(sim_vm *vm, sim_obj *wrapper, sim_obj *wrapped) {
    static const char *const attrs[] = {"__module__", "__name__", "__qualname__", "__doc__"};
    for (int i = 0; i < 4; i++) {
        sim_obj *name = sim_intern(vm, attrs[i]);
        sim_obj *v = sim_getattr_opt(vm, wrapped, name);
        if (!v) {
            if (sim_exc_occurred(vm)) return NULL;
            continue;
        }
        if (sim_setattr(vm, wrapper, name, v) < 0) return NULL;
    }
    if (SIM_KIND(wrapped) == SIM_K_FUNCTION && ((sim_func *)wrapped)->dict && SIM_KIND(wrapper) == SIM_K_FUNCTION) {
        sim_func *w = (sim_func *)wrapper;
        if (!w->dict) w->dict = sim_dict_new(vm);
        if (sim__dict_update(vm, w->dict, ((sim_func *)wrapped)->dict) < 0) return NULL;
    }
    if (sim_setattr(vm, wrapper, vm->n.__wrapped__, wrapped) < 0) return NULL;
    return wrapper;
}

FN(f_update_wrapper) {
    if (sim_check_nargs(vm, "update_wrapper", nargs, 2, 2) < 0) return NULL;
    return update_wrapper(vm, args[0], args[1]);
}

/* the decorator returned by wraps(f): data holds f */
static sim_obj *wraps_apply(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_native *self = (sim_native *)args[0];
    if (nargs != 2) return sim_raise_msg(vm, SIM_E_TypeError, "wraps decorator takes one argument");
    return update_wrapper(vm, args[1], self->data);
}

FN(f_wraps) {
    if (sim_check_nargs(vm, "wraps", nargs, 1, 1) < 0) return NULL;
    sim_obj *dec = sim_native_new(vm, "wraps", wraps_apply, NULL, args[0]);
    ((sim_native *)dec)->self = dec;    /* bound to itself: args[0] is the decorator */
    return dec;
}

FN(f_reduce) {
    if (sim_check_nargs(vm, "reduce", nargs, 2, 3) < 0) return NULL;
    sim_obj *it = sim_iter(vm, args[1]);
    if (!it) return NULL;
    sim_push(vm, it);
    sim_obj *acc = nargs == 3 ? args[2] : sim_next(vm, it);
    if (!acc) {
        sim_pop(vm, 1);
        if (sim_exc_occurred(vm)) return NULL;
        return sim_raise_msg(vm, SIM_E_TypeError, "reduce() of empty iterable with no initial value");
    }
    sim_push(vm, acc);
    size_t slot = vm->ts->nroots - 1;
    for (;;) {
        sim_obj *v = sim_next(vm, it);
        if (!v) break;
        sim_obj *pair[2] = {vm->ts->roots[slot], v};
        sim_push(vm, v);
        sim_obj *r = sim_call(vm, args[0], pair, 2, NULL);
        sim_pop(vm, 1);
        if (!r) break;
        vm->ts->roots[slot] = r;
    }
    acc = vm->ts->roots[slot];
    sim_pop(vm, 2);
    return sim_exc_occurred(vm) ? NULL : acc;
}

int sim__mod_functools_init(sim_vm *vm, sim_obj *m) {
    static const sim_method_def defs[] = {
        {"update_wrapper", f_update_wrapper, NULL, 0}, {"wraps", f_wraps, NULL, 0},
        {"reduce", f_reduce, NULL, 0}, {NULL, NULL, NULL, 0},
    };
    if (sim_module_add_functions(vm, m, defs) < 0) return -1;
    return sim_module_set(vm, m, "partial", (sim_obj *)vm->types[SIM_T_partial]);
}
