/* vm_loop.c — GC support for loop objects (loop.h) living inside VM objects.
 *
 * A loop object (handle, future, task, ...) is allocated by host->alloc. The binding
 * makes it the payload of a native-typed VM object: the payload starts
 * SIM_LOOP_PAYLOAD_OFFSET bytes into the object, so either pointer gives the other
 * (sim_loop_payload / sim_loop_box). A type made with sim_loop_type_hooks() traces
 * the payload with loop_obj_trace and finalizes it with loop_obj_finalize; the
 * tracer from sim_loop_tracer() marks host values and the boxes of loop objects.
 * The binding registers a GC tracer calling loop_trace_roots(l, sim_loop_tracer(vm)). */
#include "loop.h"
#include "vm.h"

_Static_assert(sizeof(sim_obj) <= SIM_LOOP_PAYLOAD_OFFSET, "the payload must follow the header");

static void trace_val(void *ud, loop_val v) { sim_mark((sim_vm *)ud, (sim_obj *)v); }

static void trace_obj(void *ud, loop_obj *o) {
    if (o) sim_mark((sim_vm *)ud, sim_loop_box(o));
}

const loop_tracer *sim_loop_tracer(sim_vm *vm) {
    vm->loop_tracer.ud = vm;
    vm->loop_tracer.val = trace_val;
    vm->loop_tracer.obj = trace_obj;
    return &vm->loop_tracer;
}

static void box_trace(sim_vm *vm, sim_obj *self) {
    loop_obj *o = sim_loop_payload(self);
    if (o->owner || o->kind) loop_obj_trace(o, sim_loop_tracer(vm));
}

static void box_finalize(sim_vm *vm, sim_obj *self) {
    (void)vm;
    loop_obj *o = sim_loop_payload(self);
    if (o->owner) loop_obj_finalize(o);
}

sim_type_hooks sim_loop_type_hooks(void) {
    sim_type_hooks h = {0};
    h.trace = box_trace;
    h.finalize = box_finalize;
    return h;
}

/* A zeroed box of type t for a loop object of `size` bytes; returns the payload. The
 * type's instance size must be at least SIM_LOOP_PAYLOAD_OFFSET + size (or 0: this
 * call sizes the object itself). */
void *sim_loop_alloc(sim_vm *vm, sim_type *t, size_t size) {
    size_t need = SIM_LOOP_PAYLOAD_OFFSET + size;
    sim_push(vm, (sim_obj *)t);
    sim_obj *o = sim__alloc_obj(vm, t, t->size > need ? t->size : need);
    sim_pop(vm, 1);
    return sim_loop_payload(o);
}
