/* identity.c — object identity that does not depend on memory addresses.
 *
 * CPython's id(), default hash and the 0x... in reprs are the object's address. Here
 * they come from a serial number given to an object the first time its identity is
 * asked for, so the same program prints the same thing and writes the same trace on
 * every run (addresses move with ASLR). Sets and dicts keyed by such objects (tasks
 * in wait(), as_completed()) therefore iterate in the same order every run.
 *
 * Invariant: an object has an entry in vm->ids exactly when SIM_OBJ_HAS_ID is set in
 * its oflags; the sweep drops the entry when it frees the object, so a later object
 * at the same address gets a new serial.
 */
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define ID_BASE 0x7f0000000000ull      /* looks like CPython's ids; hash = id >> 4 */
#define TOMB ((sim_obj *)1)

static size_t slot_of(const sim_obj *o, size_t cap) {
    uint64_t h = (uint64_t)(uintptr_t)o * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

/* Rehash into a table of `cap` slots (a power of two), dropping tombstones. */
static void grow(sim_vm *vm, size_t cap) {
    sim_obj **keys = calloc(cap, sizeof *keys);
    uint64_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) { fprintf(stderr, "aiosim: out of memory\n"); exit(1); }
    for (size_t i = 0; i < vm->ids.cap; i++) {
        sim_obj *k = vm->ids.keys[i];
        if (!k || k == TOMB) continue;
        size_t j = slot_of(k, cap);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = k;
        vals[j] = vm->ids.vals[i];
    }
    free(vm->ids.keys);
    free(vm->ids.vals);
    vm->ids.keys = keys;
    vm->ids.vals = vals;
    vm->ids.cap = cap;
    vm->ids.fill = vm->ids.live;
}

uint64_t sim_identity(sim_vm *vm, sim_obj *o) {
    size_t cap = vm->ids.cap;
    if (o->oflags & SIM_OBJ_HAS_ID) {
        for (size_t j = slot_of(o, cap);; j = (j + 1) & (cap - 1))
            if (vm->ids.keys[j] == o) return ID_BASE + vm->ids.vals[j] * 16;
    }
    if ((vm->ids.fill + 1) * 2 > cap) {
        grow(vm, vm->ids.live * 4 > 64 ? vm->ids.live * 4 : 64);
        cap = vm->ids.cap;
    }
    size_t j = slot_of(o, cap);
    while (vm->ids.keys[j]) j = (j + 1) & (cap - 1);
    vm->ids.keys[j] = o;
    vm->ids.vals[j] = ++vm->ids.next;
    vm->ids.fill++;
    vm->ids.live++;
    o->oflags |= SIM_OBJ_HAS_ID;
    return ID_BASE + vm->ids.vals[j] * 16;
}

void sim__identity_forget(sim_vm *vm, sim_obj *o) {
    size_t cap = vm->ids.cap;
    for (size_t j = slot_of(o, cap);; j = (j + 1) & (cap - 1)) {
        if (vm->ids.keys[j] == o) {
            vm->ids.keys[j] = TOMB;
            vm->ids.live--;
            return;
        }
    }
}

void sim__identity_free(sim_vm *vm) {
    free(vm->ids.keys);
    free(vm->ids.vals);
    memset(&vm->ids, 0, sizeof vm->ids);
}
