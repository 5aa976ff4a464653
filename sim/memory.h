/* memory.h — the one allocation path of the language layer, and the garbage collector.
 *
 * Every byte the VM owns goes through sim_realloc (which counts it). Objects are
 * allocated with sim__alloc_obj, threaded on vm->objects[] or vm->special, and
 * reclaimed by a mark-sweep collector with a gray stack (clox's design):
 *   mark roots -> gray stack; pop gray, blacken (mark its children); sweep unmarked.
 * Invariant: an object is reachable from a root, or it may be freed at the next
 * allocation. Roots: the thread states (frames, pending exception, sim_push stack),
 * the shared objects and types, builtins, sys.modules, interned strings, registered
 * root slots and tracers (the event loop's).
 * A collection runs when live bytes exceed next_gc (twice the survivors while the heap
 * grows, 1.4 times once collections find garbage: see memory.c), or on every
 * allocation with gc_stress (AIOSIM_GC_STRESS=1).
 */
#ifndef SIM_MEMORY_H
#define SIM_MEMORY_H

#include <stddef.h>

#include "object.h"

struct sim_tstate;

/* Resize a block from old to new bytes (new 0 frees). May collect when growing.
 * Out of memory is fatal (a message and exit 4); the soft limit raises MemoryError
 * at the next safe point instead. */
void *sim_realloc(sim_vm *vm, void *p, size_t old, size_t new_size);
#define sim_alloc(vm, n) sim_realloc((vm), NULL, 0, (n))
#define sim_free(vm, p, n) sim_realloc((vm), (p), (n), 0)

/* A zeroed object of `size` bytes of type t (its kind from t). May collect first. */
sim_obj *sim__alloc_obj(sim_vm *vm, sim_type *t, size_t size);
/* A zeroed object with an explicit kind (for types not yet created at boot). */
sim_obj *sim__alloc_raw(sim_vm *vm, sim_type *t, sim_kind kind, size_t size);

void sim_mark(sim_vm *vm, sim_obj *o);        /* NULL is ignored */
void sim_collect(sim_vm *vm);
void sim__grow_roots(sim_vm *vm, struct sim_tstate *ts);
void sim__free_all(sim_vm *vm);               /* at sim_vm_free */
size_t sim__obj_size(sim_obj *o);             /* bytes of an object's own block */

#endif
