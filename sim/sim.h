/* sim.h — the language layer's public entry points (what the `aiosim` command calls).
 *
 *   sim_options o; sim_options_init(&o);
 *   sim_vm *vm = sim_vm_new(&o);
 *   int status = sim_run_file(vm, "prog.py", argc, argv);   // argv[0] == "prog.py"
 *   sim_vm_free(vm);
 *
 * The runtime API for native code (objects, modules, native types and coroutines,
 * GC roots) is in object.h and vm.h; see the comment at the top of vm.h.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sim_vm sim_vm;
struct loop_handle;
struct loop;                                   /* loop/loop.h */

typedef struct sim_options {
    uint64_t max_steps;      /* bytecode instructions before "step limit" (0: none) */
    size_t max_memory;       /* bytes of live heap before MemoryError-style stop (0: none) */
    bool gc_stress;          /* collect on every allocation (also AIOSIM_GC_STRESS=1) */
    int recursion_limit;     /* Python frames (default 1000, as CPython) */
    FILE *out, *err;         /* stdout / stderr (default: the process's) */
    /* Called for every write to sys.stdout/sys.stderr (fd 1 or 2), before the bytes
     * reach the FILE; the trace layer records output lines with it. */
    void (*on_output)(void *ud, int fd, const char *s, size_t n);
    void *output_ud;
    /* Called when the asyncio binding creates an event loop (asyncio.run,
     * new_event_loop, get_event_loop, ...), before it runs anything: a trace writer
     * attaches its observer here (loop_set_observer). Must not call into the VM. */
    void (*on_loop)(void *ud, struct loop *l);
    void *loop_ud;
} sim_options;

void sim_options_init(sim_options *o);
sim_vm *sim_vm_new(const sim_options *o);      /* NULL only when malloc fails */
void sim_vm_free(sim_vm *vm);

/* Run a program as `python3 path args...` would. argc/argv become sys.argv (argv[0] is
 * the script path as the user typed it; argc 0 means sys.argv == [path]). Returns the
 * exit status (0; 1 after an
 * uncaught exception or a SyntaxError, both reported on err CPython-style; the
 * SystemExit code; 2 when the file cannot be read; 3 on an asyncio deadlock; 4 when
 * a step or memory limit stopped it). */
int sim_run_file(sim_vm *vm, const char *path, int argc, char **argv);
/* The same from a buffer; `filename` is what tracebacks show. */
int sim_run_source(sim_vm *vm, const char *src, size_t len, const char *filename,
                   int argc, char **argv);

/* ---- for trace writers (sim_trace_hooks.c) --------------------------------------------
 * None of these runs Python code, allocates on the VM heap or prints, so they may be
 * called from a loop observer. Descriptions are deterministic: no addresses; an
 * instance of a user class reads "<__main__.Foo object>" (its __repr__ is not run). */
/* The source line of the innermost running Python frame (0: none). */
int sim_current_line(sim_vm *vm);
/* repr(v) of a loop_val (a sim object) into buf (n bytes, NUL-terminated, truncated),
 * or a constant string for None, True and False (buf untouched). */
const char *sim_describe(sim_vm *vm, void *v, char *buf, size_t n);
/* str(v) for a str, else sim_describe. */
const char *sim_str_of(sim_vm *vm, void *v, char *buf, size_t n);
/* A handle that calls a Python callable: "cb ('a',)"; NULL for the loop's own. */
const char *sim_describe_handle(sim_vm *vm, const struct loop_handle *h, char *buf, size_t n);
/* The virtual clock (time.monotonic()). */
double sim_time(sim_vm *vm);

/* Statistics for tests and benchmarks. */
typedef struct sim_stats {
    uint64_t steps, collections, allocations;
    size_t bytes_live, bytes_peak;
} sim_stats;
void sim_get_stats(const sim_vm *vm, sim_stats *st);

#endif
