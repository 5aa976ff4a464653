/* vm.h — the VM's state, frames, generators, and the runtime API for native code.
 * object.h holds the object model and the generic operations (sim_call, sim_getattr,
 * sim_repr, containers, raising); this header the VM structures and extension points.
 *
 * How to extend the runtime (the asyncio binding does all of this):
 *
 *  - A native module: write `int init(sim_vm *vm, sim_obj *mod)` that fills the module
 *    with sim_module_add_functions / sim_module_set, and call
 *    sim_register_module(vm, "name", init) before the program imports it. `import name`
 *    calls init once; if a name is registered twice the first wins. Dotted names
 *    ("concurrent.futures") make their parent packages on import. The asyncio binding
 *    defines `void sim__register_asyncio(sim_vm *vm)`, called by sim_vm_new.
 *
 *    Modules can also be written in Python: see mod_pysrc.c (collections, heapq,
 *    itertools are compiled from source at first import).
 *
 *  - A native function: sim_native_fn(vm, args, nargs, kwnames); keyword values follow
 *    the positional ones, named by the kwnames tuple. sim_parse_args binds them by name
 *    with CPython's error messages. Return a value, or NULL after sim_raise_msg().
 *
 *  - A native type: sim_type_new_native(vm, "Future", "asyncio", NULL, sizeof(my_obj),
 *    &hooks, methods). Instances (sim_cobj_new) start with a sim_obj header; the rest is
 *    zeroed and yours. hooks.trace must sim_mark() every sim_obj the object holds;
 *    hooks.finalize runs before the memory is freed. Methods are sim_method_def entries:
 *    `fn` gets self in args[0]; `getter` makes a read-only property; a "__new__" entry
 *    with SIM_METH_STATIC is the constructor (args[0] is the class), else calling the
 *    type makes a zeroed instance and calls its "__init__". Python dunders in the
 *    method table (__repr__, __eq__, __hash__, __iter__, __getitem__, ...) are honoured
 *    by the generic operations; hooks.repr/hash/iter/next/call/getattr are faster paths.
 *    A native exception class: sim_exc_type_new(vm, "CancelledError", "asyncio.exceptions",
 *    base) (the module is shown in tracebacks unless builtins or __main__).
 *    Code that changes a type's dict directly (not through sim_setattr or
 *    sim__add_methods) must bump vm->type_epoch: LOAD_METHOD caches lookups by it.
 *
 *  - A native coroutine (an await-able object driven by C): a native type with
 *    hooks.send (value, or exc for throw; returns SIM_SEND_YIELD/RETURN/ERROR with *out)
 *    — `await obj` and sim_resume() drive it directly. hooks.await lets an object return
 *    such an iterator for `await x` (Future.__await__). sim_resume() steps any awaitable
 *    (Python coroutines, generators, native sendables): the loop's host->resume.
 *
 *  - Loop objects inside VM objects: see sim_loop_alloc / sim_loop_type_hooks below.
 *
 *  - Threads of execution: a sim_tstate holds a frame chain, the pending exception and
 *    the sim_push stack; vm->ts is the running one. Link extra states into
 *    vm->main_ts.next_ts so the GC marks them while they are suspended. sim_job_*
 *    (vm_thread.c) run a call on its own C stack (ucontext) so time.sleep() can suspend
 *    it; the asyncio binding may use its own threads instead.
 *
 *  - Time: time.time/monotonic/perf_counter read vm->clock_fn(vm->clock_ud) (else
 *    vm->clock); time.sleep calls vm->sleep_fn (else advances vm->clock), except inside
 *    a sim_job, which suspends.
 *
 *  - Async generators: sys.set_asyncgen_hooks stores vm->agen_firstiter/finalizer; the
 *    first asend/athrow/aclose of a generator calls firstiter (loop.shutdown_asyncgens).
 *
 *  - GC roots: everything reachable from the thread states (frames, pending exception,
 *    sim_push stack, contextvars context), the module table, builtins, interned strings
 *    and registered types is kept. Extra roots: sim_gc_add_root(vm, &slot) for a C slot;
 *    sim_gc_add_tracer(vm, fn, ud) for a callback run at every mark phase (the loop
 *    binding's calls loop_trace_roots). Temporaries: sim_push(vm, o) ... sim_pop(vm, n).
 *    sim_tuple_new/sim_list_new protect up to 8 items given as C locals themselves.
 *
 *  - Memory: sim_alloc / sim_realloc / sim_free (memory.h) count bytes and may collect.
 */
#ifndef SIM_VM_H
#define SIM_VM_H

#include "object.h"
#include "sim.h"
#include "memory.h"
#include "pyfmt.h"
#include "loop.h"

/* A code object as the VM runs it: the compiler's code (code.h) plus constants turned
 * into objects and names interned. */
typedef struct sim_code sim_code;           /* code.h (the compiler's) */
typedef struct sim_codeobj {
    sim_obj hdr;
    const sim_code *code;
    sim_obj *consts;        /* tuple */
    sim_obj *names;         /* tuple of interned str */
    sim_obj *varnames;      /* tuple of interned str: locals */
    sim_obj *cellnames;     /* tuple of interned str: cells then free vars */
    sim_obj *name, *qualname, *filename;
    sim_obj *parent;        /* the enclosing code object (keeps the root alive) */
    sim_code *owned;        /* the root codeobj owns the compiler's tree: freed with it */
    struct sim_gcache *gcache;  /* LOAD_GLOBAL cache, one per name (vm_eval.c) */
    struct sim_mcache *mcache;  /* LOAD_METHOD cache, one per name (vm_eval.c) */
} sim_codeobj;

/* A LOAD_METHOD result: the plain function or native method `attr` found on `type`,
 * valid while no class attribute anywhere changed (vm->type_epoch). Not traced: the
 * type's dict holds it while the epoch is unchanged. */
typedef struct sim_mcache {
    sim_type *type;
    uint64_t epoch;
    sim_obj *attr;
} sim_mcache;

/* A LOAD_GLOBAL result, valid while both dicts are the same and unchanged. The value
 * is not traced: it is reachable from the dict as long as the versions match. */
typedef struct sim_gcache {
    sim_obj *globals, *builtins;
    uint64_t gver, bver;
    sim_obj *value;
} sim_gcache;

/* sys.stdout / sys.stderr */
typedef struct sim_textio { sim_obj hdr; int fd; } sim_textio;

/* A function object. */
typedef struct sim_func {
    sim_obj hdr;
    sim_obj *code;          /* sim_codeobj */
    sim_obj *globals;       /* dict */
    sim_obj *name, *qualname, *module;
    sim_obj *defaults;      /* tuple or NULL */
    sim_obj *kwdefaults;    /* dict or NULL */
    sim_obj *closure;       /* tuple of cells or NULL */
    sim_obj *dict;          /* __dict__ (wraps sets __wrapped__ etc.) or NULL */
    sim_obj *doc;
} sim_func;

/* A frame: locals, cells, then the value stack, inline. */
typedef struct sim_frame {
    sim_obj hdr;
    struct sim_frame *back;     /* the caller while running, NULL while suspended */
    sim_obj *func;              /* sim_func or NULL (module, class body) */
    sim_codeobj *co;
    sim_obj *globals, *builtins;
    sim_obj *locals;            /* dict for module / class bodies, else NULL */
    sim_obj *handled;           /* the current handled exception (PUSH_EXC_INFO) or NULL */
    sim_obj *gen;               /* the generator / coroutine owning it, or NULL */
    uint32_t pc;                /* index of the next instruction */
    uint32_t lasti;             /* index of the instruction being run */
    uint32_t sp;                /* stack depth */
    uint32_t nlocals, ncells, stacksize;
    bool started, finished;
    bool in_yield_from;         /* suspended at a YIELD_FROM (throw delegates) */
    sim_obj *slots[];           /* nlocals locals, ncells cells, stacksize stack */
} sim_frame;

/* Generators, coroutines and async generators (kind GEN). */
typedef struct sim_gen {
    sim_obj hdr;
    sim_frame *frame;           /* NULL once finished */
    sim_obj *name, *qualname;
    bool running;
    bool closed;
    bool awaited;               /* coroutine: has been awaited/sent at least once */
    bool hooks_inited;          /* async generator: firstiter hook called */
    bool await_called;          /* coroutine: __await__() was called (it stands for its coroutine_wrapper) */
    sim_obj *ag_pending;        /* async generators: internal */
    uint64_t serial;            /* coroutines: creation order, for the never-awaited warning */
} sim_gen;

/* Per-thread interpreter state: the frame chain, the pending exception, temporaries.
 * Virtual threads (executor jobs) get their own. */
typedef struct sim_tstate {
    sim_frame *frame;           /* innermost running frame */
    sim_obj *exc;               /* the pending (raised, not yet caught) exception */
    sim_obj **roots;            /* sim_push stack */
    size_t nroots, caproots;
    int depth;                  /* Python call depth (RecursionError) */
    sim_obj *context;           /* the running contextvars.Context (NULL: the base one) */
    struct sim_tstate *next_ts; /* all thread states, for the GC */
} sim_tstate;

typedef struct sim_gc_tracer {
    void (*fn)(sim_vm *vm, void *ud);
    void *ud;
} sim_gc_tracer;

typedef struct sim_native_module { const char *name; sim_module_init init; } sim_native_module;

/* Names the VM looks up often (interned at start-up). */
#define SIM_NAME_LIST(X)                                                             \
    X(__init__) X(__new__) X(__repr__) X(__str__) X(__eq__) X(__ne__) X(__lt__)      \
    X(__le__) X(__gt__) X(__ge__) X(__hash__) X(__len__) X(__bool__) X(__iter__)     \
    X(__next__) X(__getitem__) X(__setitem__) X(__delitem__) X(__contains__)         \
    X(__call__) X(__enter__) X(__exit__) X(__aenter__) X(__aexit__) X(__await__)     \
    X(__aiter__) X(__anext__) X(__name__) X(__qualname__) X(__module__) X(__doc__)   \
    X(__class__) X(__dict__) X(__getattr__) X(__getattribute__) X(__setattr__)       \
    X(__delattr__) X(__classcell__) X(__main__) X(__builtins__) X(__format__)        \
    X(__index__) X(__neg__) X(__pos__) X(__invert__) X(__abs__) X(__int__)           \
    X(__float__) X(__set_name__) X(__init_subclass__) X(__get__) X(__set__)          \
    X(__wrapped__) X(__file__) X(__all__) X(__mro__) X(__bases__) X(__base__)        \
    X(__traceback__) X(__cause__) X(__context__) X(__suppress_context__)             \
    X(__round__) X(__reversed__) X(__missing__) X(__class_getitem__) X(__slots__)   \
    X(args) X(value) X(code) X(send) X(throw) X(close) X(keys) X(items) X(append)    \
    X(__self__) X(__code__) X(__defaults__) X(__kwdefaults__)

typedef struct sim_names {
#define SIM_NAME_FIELD(nm) sim_obj *nm;
    SIM_NAME_LIST(SIM_NAME_FIELD)
#undef SIM_NAME_FIELD
} sim_names;

struct sim_vm {
    sim_options opt;
    /* memory (memory.c) */
    /* the plain small objects, newest first, dealt round-robin over SIM_GC_LISTS lists:
     * the sweep follows them side by side, so their cache misses overlap */
#define SIM_GC_LISTS 16
    sim_obj *objects[SIM_GC_LISTS];
    sim_obj *special;           /* objects with out-of-line memory, a finalizer, or large */
    size_t bytes, next_gc, peak;
    uint64_t nalloc, ncollect;
    sim_obj **gray;
    size_t ngray, capgray;
    void *freelist[32];         /* small blocks by 8-byte size class (memory.c) */
    void *chunks;               /* the chunks they are carved from */
    char *chunk_pos;
    size_t chunk_left;
    bool collecting, gc_off;
    sim_obj ***xroots;          /* sim_gc_add_root slots */
    size_t nxroots, capxroots;
    sim_gc_tracer *tracers;
    size_t ntracers, captracers;
    /* identity serials (identity.c): address -> serial, open addressing */
    struct { sim_obj **keys; uint64_t *vals; size_t cap, fill, live; uint64_t next; } ids;
    /* interned strings: open addressing set (NULL empty) */
    sim_obj **intern;
    size_t nintern, capintern;
    /* shared objects */
    sim_type *types[SIM_T__COUNT];
    sim_type *exc_types[SIM_E__COUNT];
    sim_obj *none, *true_, *false_, *notimpl, *ellipsis, *empty_tuple, *empty_str;
    sim_obj *small_ints[SIM_SMALLINT_MAX - SIM_SMALLINT_MIN + 1];
    sim_obj *chars[128];        /* one-character ASCII strs */
    sim_names n;
    sim_obj *builtins;          /* dict */
    sim_obj *modules;           /* dict name -> module (sys.modules) */
    sim_obj *main_module;
    sim_obj *build_class;       /* builtins.__build_class__ */
    sim_obj *extra_types;       /* list: native types registered at runtime */
    sim_obj *argv;              /* list for sys.argv */
    sim_type *textio;           /* the type of sys.stdout / sys.stderr */
    sim_type *job_type;         /* vm_thread.c */
    sim_type *ctx_types[3];     /* contextvars: Context, ContextVar, Token */
    sim_obj *base_context;      /* the context outside any Context.run */
    loop_tracer loop_tracer;    /* vm_loop.c */
    size_t unstarted_coros;     /* coroutines created and neither started nor closed */
    /* never-awaited coroutines the GC freed before exit (their warning is printed at
     * exit with the live ones, so it does not depend on when collections happen) */
    uint64_t coro_serial;
    struct sim_unawaited { uint64_t serial; char *name; } *unawaited;
    size_t nunawaited, capunawaited;
    uint64_t type_epoch;        /* bumped when any class attribute changes or a class is made */
    sim_obj *agen_firstiter;    /* sys.set_asyncgen_hooks(firstiter=...) or NULL */
    sim_obj *agen_finalizer;    /* sys.set_asyncgen_hooks(finalizer=...) or NULL */
    sim_native_module *natives;
    size_t nnatives, capnatives;
    /* threads */
    sim_tstate main_ts;
    sim_tstate *ts;             /* the running thread's state */
    /* limits and clock */
    uint64_t steps, max_steps;
    bool limit_hit;             /* a step/memory limit stopped the run */
    int exit_status;
    double clock;               /* the virtual clock until the loop binding owns it */
    double (*clock_fn)(void *ud);   /* the loop binding's time() (NULL: `clock`) */
    void (*sleep_fn)(void *ud, double d);   /* time.sleep hook (NULL: clock += d) */
    void *clock_ud;
    uint64_t next_id;
    int recursion_limit;
    void *asyncio;              /* the asyncio binding's state (mod_asyncio*.c) */
    /* program sources, for traceback lines */
    struct sim_source { char *name; char *text; size_t len; } *sources;
    size_t nsources;
};

/* ---- jobs: calls that can be suspended (vm_thread.c) ----------------------------------
 * A job runs fn(*args, **kwargs) on its own C stack. sim_job_resume runs it until it
 * returns (0, *out = value), raises (-1, *out = exception) or calls time.sleep(d)
 * (1, *sleep_for = d; resume it again later). This is what host->resume does for a
 * virtual thread's job. */
sim_obj *sim_job_new(sim_vm *vm, sim_obj *fn, sim_obj *args, sim_obj *kwargs);
int sim_job_resume(sim_vm *vm, sim_obj *job, sim_obj **out, double *sleep_for);
bool sim_in_job(sim_vm *vm);
bool sim__job_sleep(sim_vm *vm, double d);

/* ---- loop objects inside VM objects (vm_loop.c) ------------------------------------------
 * host->alloc(kind, size) can return sim_loop_alloc(vm, type_for_kind, size): the loop
 * object is the payload of a VM object of a native type whose hooks come from
 * sim_loop_type_hooks() (trace -> loop_obj_trace, finalize -> loop_obj_finalize).
 * Register sim_gc_add_tracer(vm, fn, l) with fn calling loop_trace_roots(l,
 * sim_loop_tracer(vm)). host->wrap(o) can simply return sim_loop_box(o). */
#define SIM_LOOP_PAYLOAD_OFFSET sizeof(sim_obj)
static inline void *sim_loop_payload(sim_obj *o) { return (char *)o + SIM_LOOP_PAYLOAD_OFFSET; }
static inline sim_obj *sim_loop_box(void *lo) { return (sim_obj *)((char *)lo - SIM_LOOP_PAYLOAD_OFFSET); }
const loop_tracer *sim_loop_tracer(sim_vm *vm);
sim_type_hooks sim_loop_type_hooks(void);
void *sim_loop_alloc(sim_vm *vm, sim_type *t, size_t size);

/* ---- contextvars (mod_contextvars.c) ----------------------------------------------------
 * A task copies the context when created and runs each step in it:
 *     prev = sim_context_enter(vm, ctx); ...resume...; sim_context_exit(vm, prev); */
sim_obj *sim_context_current(sim_vm *vm);
sim_obj *sim_context_copy(sim_vm *vm);                  /* copy_context() */
sim_obj *sim_context_enter(sim_vm *vm, sim_obj *ctx);   /* returns the previous one */
void sim_context_exit(sim_vm *vm, sim_obj *prev);

/* ---- temporaries and roots ------------------------------------------------------------ */
static inline void sim_push(sim_vm *vm, sim_obj *o) {
    sim_tstate *ts = vm->ts;
    if (ts->nroots == ts->caproots) sim__grow_roots(vm, ts);
    ts->roots[ts->nroots++] = o;
}
static inline void sim_pop(sim_vm *vm, size_t n) { vm->ts->nroots -= n; }

void sim_gc_add_root(sim_vm *vm, sim_obj **slot);
void sim_gc_add_tracer(sim_vm *vm, void (*fn)(sim_vm *vm, void *ud), void *ud);

/* ---- VM internals shared between sim/ files ------------------------------------------- */
void sim__init_types(sim_vm *vm);          /* object.c: the builtin types */
void sim__init_exceptions(sim_vm *vm);     /* exc.c */
void sim__init_builtins(sim_vm *vm);       /* builtins.c */
void sim__init_methods(sim_vm *vm);        /* methods of str, list, dict, ... */
void sim__register_natives(sim_vm *vm);    /* vm.c: time, sys, functools, ... */
void sim__str_methods(sim_vm *vm);
void sim__list_methods(sim_vm *vm);
void sim__dict_methods(sim_vm *vm);
void sim__set_methods(sim_vm *vm);
void sim__tuple_methods(sim_vm *vm);
void sim__int_methods(sim_vm *vm);
void sim__float_methods(sim_vm *vm);
void sim__exc_methods(sim_vm *vm);
void sim__func_methods(sim_vm *vm);
void sim__gen_methods(sim_vm *vm);
void sim__add_methods(sim_vm *vm, sim_type *t, const sim_method_def *defs);

sim_obj *sim__eval(sim_vm *vm, sim_frame *f, sim_obj *sent, sim_obj *thrown, bool *yielded);
sim_obj *sim__call_function(sim_vm *vm, sim_obj *fn, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim__type_call(sim_vm *vm, sim_type *t, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim__type_lookup(sim_type *t, sim_obj *name);    /* MRO lookup, no exc */
sim_obj *sim__build_class(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim__make_type(sim_vm *vm, sim_obj *name, sim_obj *bases, sim_obj *dict);
sim_obj *sim__codeobj_new(sim_vm *vm, const sim_code *code, sim_obj *filename);
sim_obj *sim__func_new(sim_vm *vm, sim_obj *code, sim_obj *globals);
sim_obj *sim__gen_new(sim_vm *vm, sim_frame *f, sim_tid tid);
sim_frame *sim__frame_new(sim_vm *vm, sim_codeobj *co, sim_obj *globals, sim_obj *locals);
sim_obj *sim__import(sim_vm *vm, sim_obj *name, sim_obj *fromlist);
void sim__tb_add(sim_vm *vm, sim_obj *exc, sim_frame *f);
void sim__print_exception(sim_vm *vm, sim_obj *exc, FILE *out);
void sim__set_context(sim_vm *vm, sim_obj *exc, sim_obj *context);
sim_obj *sim__exc_str(sim_vm *vm, sim_obj *exc);
int sim__check_eg_match(sim_vm *vm, sim_obj *exc, sim_obj *t, sim_obj **match, sim_obj **rest);
sim_obj *sim__prep_reraise_star(sim_vm *vm, sim_obj *orig, sim_obj *excs);
sim_obj *sim__repr_default(sim_vm *vm, sim_obj *o);
/* ascii(o): repr(o) with non-ASCII code points escaped (\\x, \\u, \\U). */
sim_obj *sim_ascii(sim_vm *vm, sim_obj *o);
sim_obj *sim__obj_getattr_generic(sim_vm *vm, sim_obj *o, sim_obj *name, bool raise);
sim_obj *sim__str_concat(sim_vm *vm, sim_obj *a, sim_obj *b);
sim_obj *sim__str_join(sim_vm *vm, sim_obj *sep, sim_obj *iterable);
sim_obj *sim__str_getitem(sim_vm *vm, sim_obj *s, sim_obj *key);
sim_obj *sim__str_mod(sim_vm *vm, sim_obj *fmt, sim_obj *args);
sim_obj *sim__str_format_method(sim_vm *vm, sim_obj *fmt, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim__int_binop(sim_vm *vm, int op, int64_t a, int64_t b);
sim_obj *sim__float_binop(sim_vm *vm, int op, double a, double b);
sim_obj *sim__float_repr(sim_vm *vm, double d);
sim_obj *sim__int_repr(sim_vm *vm, int64_t v);
sim_obj *sim__list_getitem(sim_vm *vm, sim_obj *l, sim_obj *key);
int sim__list_setitem(sim_vm *vm, sim_obj *l, sim_obj *key, sim_obj *v);
sim_obj *sim__tuple_getitem(sim_vm *vm, sim_obj *t, sim_obj *key);
int sim__list_extend(sim_vm *vm, sim_obj *list, sim_obj *iterable);
int sim__list_sort(sim_vm *vm, sim_obj *list, sim_obj *key, bool reverse);
sim_obj *sim__seq_repr(sim_vm *vm, sim_obj *o);
sim_obj *sim__dict_repr(sim_vm *vm, sim_obj *o);
sim_obj *sim__set_repr(sim_vm *vm, sim_obj *o);
int sim__dict_update(sim_vm *vm, sim_obj *d, sim_obj *src);
sim_obj *sim__dict_copy(sim_vm *vm, sim_obj *d);
int sim__seq_eq(sim_vm *vm, sim_obj *a, sim_obj *b);
sim_obj *sim__seq_compare(sim_vm *vm, sim_obj *a, sim_obj *b, int op);
int sim__set_eq(sim_vm *vm, sim_obj *a, sim_obj *b);
int sim__dict_eq(sim_vm *vm, sim_obj *a, sim_obj *b);
int sim__set_update(sim_vm *vm, sim_obj *s, sim_obj *iterable);
sim_obj *sim__set_binop(sim_vm *vm, int op, sim_obj *a, sim_obj *b);
int64_t sim__slice_indices(sim_vm *vm, sim_obj *slice, int64_t len, int64_t *start, int64_t *stop, int64_t *step);
sim_obj *sim__iter_next(sim_vm *vm, sim_obj *it);        /* builtin iterators */
bool sim__step_limit(sim_vm *vm);                        /* raises the limit error */
sim_obj *sim__gen_send(sim_vm *vm, sim_obj *gen, sim_obj *v, sim_obj *exc, sim_sendres *res);
sim_obj *sim__new_object(sim_vm *vm, sim_type *t, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim__stopiteration_value(sim_vm *vm, sim_obj *exc);
int sim__write(sim_vm *vm, int fd, const char *s, size_t n);
double sim__clock(sim_vm *vm);
uint64_t sim__hash_double(double d);
uint64_t sim__hash_bytes(const char *s, size_t n);
sim_obj *sim__str_from_codepoint(sim_vm *vm, uint32_t cp);

sim_obj *sim__linear_mro(sim_vm *vm, sim_type *t);
bool sim__str_eq(sim_obj *a, sim_obj *b);
uint64_t sim__str_hash(sim_obj *o);
int sim__str_cmp(sim_obj *a, sim_obj *b);
sim_obj *sim__str_repeat(sim_vm *vm, sim_obj *s, int64_t n);
sim_obj *sim__str_from_buf(sim_vm *vm, pyfmt_buf *b);
sim_obj *sim__str_repr(sim_vm *vm, sim_obj *s);
sim_obj *sim__raise_pyfmt(sim_vm *vm, const pyfmt_err *err);
int64_t sim__range_len(sim_range *r);
void sim__dict_clear(sim_vm *vm, sim_obj *d);
bool sim__table_pop(sim_obj *d, bool last, sim_obj **key, sim_obj **value);
int sim__list_insert(sim_vm *vm, sim_obj *list, int64_t i, sim_obj *v);
sim_obj *sim__getmethod(sim_vm *vm, sim_obj *o, sim_obj *name, sim_obj **self);
sim_obj *sim__exc_getattr(sim_vm *vm, sim_obj *o, sim_obj *name);
int sim__exc_setattr(sim_vm *vm, sim_obj *o, sim_obj *name, sim_obj *v);
sim_obj *sim__special_getattr(sim_vm *vm, sim_obj *o, sim_obj *name);
sim_obj *sim__super_getattr(sim_vm *vm, sim_obj *so, sim_obj *name);
sim_obj *sim__super_zero(sim_vm *vm);
sim_obj *sim__super_new(sim_vm *vm, sim_type *start, sim_obj *obj);
sim_obj *sim__partial_call(sim_vm *vm, sim_obj *p, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim__int_divmod(sim_vm *vm, int64_t a, int64_t b);
sim_obj *sim__float_divmod(sim_vm *vm, double a, double b);
sim_obj *sim__float_to_int(sim_vm *vm, double d);
sim_obj *sim__int_from_str(sim_vm *vm, sim_obj *s, int base);
sim_obj *sim__tuple_concat(sim_vm *vm, sim_obj *a, sim_obj *b);
sim_obj *sim__partial_new(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim__wrapper_new(sim_vm *vm, sim_tid tid, sim_obj *fn);
void sim__make_cells(sim_vm *vm, sim_func *fn, sim_frame *f);
sim_obj *sim__set_copy(sim_vm *vm, sim_obj *so, bool frozen);
sim_obj *sim__set_inplace(sim_vm *vm, int op, sim_obj *a, sim_obj *b);
void sim__set_clear(sim_vm *vm, sim_obj *so);
bool sim__set_pop(sim_obj *so, sim_obj **key);
uint64_t sim__frozenset_hash(sim_obj *so);
sim_obj *sim__set_from_consts(sim_vm *vm, sim_obj **items, size_t n);
sim_obj *sim__getitem_builtin(sim_vm *vm, sim_obj *o, sim_obj *key);
int sim__contains_builtin(sim_vm *vm, sim_obj *c, sim_obj *item);
sim_obj *sim__iter_builtin(sim_vm *vm, sim_obj *o);

/* id(o): a serial-based identity, stable across runs (identity.c); the default
 * hash is sim_identity(o) >> 4 and reprs print it as the object's "address". */
uint64_t sim_identity(sim_vm *vm, sim_obj *o);
void sim__identity_forget(sim_vm *vm, sim_obj *o);
void sim__identity_free(sim_vm *vm);
/* The sweep calls this for a dead coroutine that never started (vm_gen.c). */
void sim__note_unawaited(sim_vm *vm, sim_gen *g);

#endif
