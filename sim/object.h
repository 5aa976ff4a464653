/* object.h — aiosim's object model: the runtime API shared by the VM, the builtins and
 * the native modules (asyncio binding included).
 *
 * Values. Every Python value is a `sim_obj *` (never NULL once valid). None, True,
 * False, NotImplemented, Ellipsis and the small ints (-5..SIM_SMALLINT_MAX) are shared
 * objects owned by the VM. `loop_val` (loop.h) is a `sim_obj *` too.
 *
 * Errors. A function returning `sim_obj *` returns NULL when it raised: the exception
 * is in `vm->ts->exc` (see sim_raise*). Functions returning int return -1 the same way.
 *
 * GC invariant (see memory.h): any allocation may collect. An object held only in a C
 * local across a call that may allocate must be protected with sim_push()/sim_pop()
 * (or live somewhere already reachable: a frame's stack, a container that is itself
 * reachable). Objects are marked through their type's kind (or its `trace` hook for
 * native types).
 */
#ifndef SIM_OBJECT_H
#define SIM_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "opcodes.h"

typedef struct sim_vm sim_vm;
typedef struct sim_obj sim_obj;
typedef struct sim_type sim_type;

/* Layout kinds: how an object of a type is laid out, traced and freed. A user class
 * has the kind of its layout base (OBJECT for plain classes, EXC for exceptions). */
#define SIM_KIND_LIST(X)                                                       \
    X(OBJECT) X(TYPE) X(NONE) X(NOTIMPL) X(ELLIPSIS) X(INT) X(FLOAT) X(STR)   \
    X(LIST) X(TUPLE) X(DICT) X(SET) X(RANGE) X(SLICE) X(CELL) X(FUNCTION)     \
    X(METHOD) X(NATIVE) X(EXC) X(MODULE) X(CODE) X(FRAME) X(GEN) X(ITER)      \
    X(PROPERTY) X(STATICMETHOD) X(CLASSMETHOD) X(SUPER) X(PARTIAL) X(CNATIVE) \
    X(TSTATE)

typedef enum sim_kind {
#define SIM_KIND_ENUM(k) SIM_K_##k,
    SIM_KIND_LIST(SIM_KIND_ENUM)
#undef SIM_KIND_ENUM
    SIM_K__COUNT
} sim_kind;

/* Header of every object. `next` threads the list of all objects (the sweep walks it). */
struct sim_obj {
    sim_type *type;
    sim_obj *next;
    uint8_t marked;
    uint8_t kind;      /* copy of type->kind, for fast dispatch */
    uint16_t oflags;   /* per-object flags (str: interned) */
    uint32_t extra;    /* per-kind small field */
};

/* ---- native functions ---------------------------------------------------------------
 * A native function receives its positional arguments in args[0..nargs) followed by
 * the keyword values, named by the tuple `kwnames` (NULL when there are none). For a
 * method, args[0] is self. It returns a new reference-free value or NULL (raised). */
typedef sim_obj *(*sim_native_fn)(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames);

/* What a generator-like object did when resumed (sim_resume, type->send). */
typedef enum sim_sendres { SIM_SEND_YIELD, SIM_SEND_RETURN, SIM_SEND_ERROR } sim_sendres;

typedef struct sim_tracer sim_tracer;   /* opaque; pass to sim_mark */

/* Hooks of a native type (sim_type_new_native). All optional. */
typedef struct sim_type_hooks {
    void (*trace)(sim_vm *vm, sim_obj *self);            /* sim_mark() every sim_obj held */
    void (*finalize)(sim_vm *vm, sim_obj *self);         /* before the memory is freed */
    sim_obj *(*repr)(sim_vm *vm, sim_obj *self);         /* else __repr__ in methods, else default */
    /* Resume (send/throw): makes objects of this type awaitable iterators: `await x`
     * drives x with send directly. exc != NULL means throw(exc). */
    sim_sendres (*send)(sim_vm *vm, sim_obj *self, sim_obj *value, sim_obj *exc, sim_obj **out);
    /* __await__: returns an object with a send hook (or a coroutine). */
    sim_obj *(*await)(sim_vm *vm, sim_obj *self);
    /* Attribute lookup fallback after the type's dict (NULL without raising: not found). */
    sim_obj *(*getattr)(sim_vm *vm, sim_obj *self, sim_obj *name);
    /* __call__ */
    sim_obj *(*call)(sim_vm *vm, sim_obj *self, sim_obj **args, int nargs, sim_obj *kwnames);
    uint64_t (*hash)(sim_vm *vm, sim_obj *self);
    /* __iter__/__next__ (next returns NULL without an exception set: exhausted) */
    sim_obj *(*iter)(sim_vm *vm, sim_obj *self);
    sim_obj *(*next)(sim_vm *vm, sim_obj *self);
} sim_type_hooks;

/* A method/property table entry for native types. getter set: a property. */
typedef struct sim_method_def {
    const char *name;
    sim_native_fn fn;       /* method: args[0] is self */
    sim_native_fn getter;   /* property getter: args[0] is self, nargs 1 */
    int flags;              /* SIM_METH_STATIC, SIM_METH_CLASS */
} sim_method_def;
#define SIM_METH_STATIC 1
#define SIM_METH_CLASS 2

/* ---- type objects -------------------------------------------------------------------- */
#define SIM_TF_HEAP      0x01   /* a class statement made it */
#define SIM_TF_BASETYPE  0x02   /* may be subclassed */
#define SIM_TF_EXC       0x04   /* a BaseException subclass */
#define SIM_TF_HAS_DUNDER 0x08  /* a heap class defining (somewhere in its MRO) a dunder */
#define SIM_TF_SLOTS     0x20   /* a heap class whose every class defines __slots__ (no __dict__) */
#define SIM_TF_PLAIN_FINALIZE 0x10  /* native type whose finalize only frees the object's own
                                     * malloc'd parts: small instances stay on the plain lists */

struct sim_type {
    sim_obj hdr;
    sim_obj *name;          /* str: __name__ */
    sim_obj *qualname;      /* str */
    sim_obj *module;        /* str or NULL: __module__ ("builtins" when NULL) */
    sim_type *base;         /* first base or NULL (object) */
    sim_obj *bases;         /* tuple */
    sim_obj *mro;           /* tuple of types, self first */
    sim_obj *dict;          /* dict: attributes */
    uint8_t kind;           /* layout kind of instances */
    uint32_t flags;
    size_t size;            /* instance size in bytes (CNATIVE; list/dict/set subclasses) */
    size_t dictoffset;      /* subclasses of list/dict/set: where the instance __dict__ is */
    sim_type_hooks hooks;
    uint32_t version;       /* bumped on class attribute writes (caches) */
};

/* ---- concrete layouts ---------------------------------------------------------------- */
typedef struct sim_int { sim_obj hdr; int64_t v; } sim_int;         /* int and bool */
typedef struct sim_float { sim_obj hdr; double v; } sim_float;

/* str: UTF-8 bytes, NUL-terminated; `len` in bytes, `nchars` in code points. */
typedef struct sim_strobj {
    sim_obj hdr;
    size_t len, nchars;
    uint64_t hash;          /* 0: not computed */
    char data[];
} sim_strobj;
#define SIM_STR_INTERNED 1
#define SIM_OBJ_HAS_ID 0x8000   /* oflags: has an identity serial (identity.c) */
#define SIM_OBJ_FINALIZE 0x4000 /* oflags: a plain object whose type's finalize runs when freed */

typedef struct sim_list { sim_obj hdr; size_t len, cap; sim_obj **items; } sim_list;
typedef struct sim_tuple { sim_obj hdr; size_t len; sim_obj *items[]; } sim_tuple;

/* dict and set: insertion-ordered entries plus an open-addressing index (CPython's
 * compact dict). A deleted entry keeps its slot with key == NULL until the next resize.
 * Invariant: `used` live entries among entries[0..nentries), the index has `icap`
 * slots (a power of two), icap >= 3/2 * nentries. */
typedef struct sim_entry { sim_obj *key, *value; uint64_t hash; } sim_entry;
typedef struct sim_dict {
    sim_obj hdr;
    size_t used, nentries, ecap, icap;
    sim_entry *entries;
    int32_t *index;         /* -1 empty, -2 deleted, else an entry number */
    uint64_t version;       /* bumped on every change (iteration checks) */
    size_t fill, finger;    /* sets only: see set.c */
} sim_dict;
typedef sim_dict sim_set;   /* sets: entries is CPython's set table (set.c) */

typedef struct sim_range { sim_obj hdr; int64_t start, stop, step; } sim_range;
typedef struct sim_slice { sim_obj hdr; sim_obj *start, *stop, *step; } sim_slice;
typedef struct sim_cell { sim_obj hdr; sim_obj *v; } sim_cell;      /* v NULL: empty */

/* A plain instance, an instance of a user class. */
typedef struct sim_instance { sim_obj hdr; sim_obj *dict; } sim_instance;

/* BaseException and subclasses. The traceback is an array of (code, line) pairs,
 * innermost first (printing walks it backwards). */
typedef struct sim_tbentry { sim_obj *code; int line; int lasti; } sim_tbentry;
typedef struct sim_exc {
    sim_obj hdr;
    sim_obj *dict;
    sim_obj *args;          /* tuple */
    sim_obj *cause, *context;   /* NULL: None */
    bool suppress_context;
    sim_tbentry *tb;
    size_t ntb, captb;
    sim_obj *value;         /* StopIteration.value, SystemExit.code, KeyError key ...: NULL */
} sim_exc;

typedef struct sim_method { sim_obj hdr; sim_obj *func, *self; } sim_method;

typedef struct sim_native {
    sim_obj hdr;
    const char *name;
    sim_native_fn fn;
    sim_obj *self;          /* bound self (prepended to args), or NULL */
    sim_obj *data;          /* any traced value the function wants (closures of natives) */
    sim_type *owner;        /* for methods: the type defining it (error messages) */
    int flags;
} sim_native;

typedef struct sim_module { sim_obj hdr; sim_obj *name; sim_obj *dict; } sim_module;

typedef struct sim_property { sim_obj hdr; sim_obj *fget, *fset, *fdel, *doc; } sim_property;
typedef struct sim_wrapper { sim_obj hdr; sim_obj *func; } sim_wrapper;   /* staticmethod/classmethod */
typedef struct sim_super { sim_obj hdr; sim_type *type; sim_obj *obj; sim_type *objtype; } sim_super;
typedef struct sim_partial { sim_obj hdr; sim_obj *func, *args, *kw; } sim_partial;

/* Builtin iterators (list/tuple/str/range/dict iterators, enumerate, zip, map, filter,
 * reversed, dict views): one layout, the type tells which. */
typedef struct sim_iterobj {
    sim_obj hdr;
    sim_obj *src;           /* the iterated object / inner iterator */
    sim_obj *aux;           /* function (map/filter), tuple of iterators (zip), ... */
    int64_t i, n, step;
    uint64_t version;       /* dict version at creation */
} sim_iterobj;

/* A native-typed object: a header, then whatever the type wants (type->size bytes). */
typedef struct sim_cobj { sim_obj hdr; } sim_cobj;

/* ---- interpreter-visible types -------------------------------------------------------- */
#define SIM_TYPE_LIST(X)                                                         \
    X(object) X(type) X(NoneType) X(NotImplementedType) X(ellipsis) X(int)      \
    X(bool) X(float) X(str) X(list) X(tuple) X(dict) X(set) X(frozenset)       \
    X(range) X(slice) X(cell) X(function) X(method) X(builtin_function_or_method) \
    X(module) X(code) X(frame) X(generator) X(coroutine) X(async_generator)   \
    X(property) X(staticmethod) X(classmethod) X(super) X(partial)             \
    X(list_iterator) X(tuple_iterator) X(str_iterator) X(range_iterator)       \
    X(dict_keyiterator) X(dict_valueiterator) X(dict_itemiterator)             \
    X(set_iterator) X(enumerate) X(zip) X(map) X(filter) X(reversed)           \
    X(dict_keys) X(dict_values) X(dict_items) X(callable_iterator)             \
    X(coroutine_wrapper) X(async_gen_asend) X(tstate)

typedef enum sim_tid {
#define SIM_TID_ENUM(t) SIM_T_##t,
    SIM_TYPE_LIST(SIM_TID_ENUM)
#undef SIM_TID_ENUM
    SIM_T__COUNT
} sim_tid;

/* Exception classes: name, base. Kept in CPython's hierarchy order (base first). */
#define SIM_EXC_LIST(X)                                          \
    X(BaseException, BaseException)                              \
    X(Exception, BaseException)                                  \
    X(GeneratorExit, BaseException)                              \
    X(KeyboardInterrupt, BaseException)                          \
    X(SystemExit, BaseException)                                 \
    X(BaseExceptionGroup, BaseException)                         \
    X(ExceptionGroup, BaseExceptionGroup)                        \
    X(ArithmeticError, Exception)                                \
    X(ZeroDivisionError, ArithmeticError)                        \
    X(OverflowError, ArithmeticError)                            \
    X(FloatingPointError, ArithmeticError)                       \
    X(AssertionError, Exception)                                 \
    X(AttributeError, Exception)                                 \
    X(BufferError, Exception)                                    \
    X(EOFError, Exception)                                       \
    X(ImportError, Exception)                                    \
    X(ModuleNotFoundError, ImportError)                          \
    X(LookupError, Exception)                                    \
    X(IndexError, LookupError)                                   \
    X(KeyError, LookupError)                                     \
    X(MemoryError, Exception)                                    \
    X(NameError, Exception)                                      \
    X(UnboundLocalError, NameError)                              \
    X(OSError, Exception)                                        \
    X(ConnectionError, OSError)                                  \
    X(BrokenPipeError, ConnectionError)                          \
    X(ConnectionResetError, ConnectionError)                     \
    X(ConnectionRefusedError, ConnectionError)                   \
    X(FileNotFoundError, OSError)                                \
    X(PermissionError, OSError)                                  \
    X(TimeoutError, OSError)                                     \
    X(InterruptedError, OSError)                                 \
    X(ReferenceError, Exception)                                 \
    X(RuntimeError, Exception)                                   \
    X(NotImplementedError, RuntimeError)                         \
    X(RecursionError, RuntimeError)                              \
    X(StopIteration, Exception)                                  \
    X(StopAsyncIteration, Exception)                             \
    X(SyntaxError, Exception)                                    \
    X(IndentationError, SyntaxError)                             \
    X(SystemError, Exception)                                    \
    X(TypeError, Exception)                                      \
    X(ValueError, Exception)                                     \
    X(UnicodeError, ValueError)                                  \
    X(Warning, Exception)                                        \
    X(UserWarning, Warning)                                      \
    X(DeprecationWarning, Warning)                               \
    X(RuntimeWarning, Warning)

typedef enum sim_eid {
#define SIM_EID_ENUM(n, b) SIM_E_##n,
    SIM_EXC_LIST(SIM_EID_ENUM)
#undef SIM_EID_ENUM
    SIM_E__COUNT
} sim_eid;

#define SIM_SMALLINT_MIN (-5)
#define SIM_SMALLINT_MAX 1024

/* ---- type tests ------------------------------------------------------------------- */
#define SIM_KIND(o) ((sim_kind)((sim_obj *)(o))->kind)
#define SIM_TYPE(o) (((sim_obj *)(o))->type)
#define SIM_IS_INT(o) (SIM_KIND(o) == SIM_K_INT)            /* int or bool (or subclass) */
#define SIM_IS_FLOAT(o) (SIM_KIND(o) == SIM_K_FLOAT)
#define SIM_IS_STR(o) (SIM_KIND(o) == SIM_K_STR)
#define SIM_IS_LIST(o) (SIM_KIND(o) == SIM_K_LIST)
#define SIM_IS_TUPLE(o) (SIM_KIND(o) == SIM_K_TUPLE)
#define SIM_IS_DICT(o) (SIM_KIND(o) == SIM_K_DICT)
#define SIM_IS_SET(o) (SIM_KIND(o) == SIM_K_SET)            /* set or frozenset */
#define SIM_IS_TYPE(o) (SIM_KIND(o) == SIM_K_TYPE)
#define SIM_IS_EXC(o) (SIM_KIND(o) == SIM_K_EXC)
#define SIM_INT(o) (((sim_int *)(o))->v)
#define SIM_FLOAT(o) (((sim_float *)(o))->v)
#define SIM_STR(o) ((sim_strobj *)(o))
#define SIM_CSTR(o) (((sim_strobj *)(o))->data)
#define SIM_LIST(o) ((sim_list *)(o))
#define SIM_TUPLE(o) ((sim_tuple *)(o))
#define SIM_DICT(o) ((sim_dict *)(o))

/* ---- constructors (each may collect) --------------------------------------------------- */
sim_obj *sim_int_new(sim_vm *vm, int64_t v);
sim_obj *sim_float_new(sim_vm *vm, double v);
sim_obj *sim_bool(sim_vm *vm, bool b);                  /* shared True/False, never collects */
sim_obj *sim_str_new(sim_vm *vm, const char *s, size_t len);  /* s must be valid UTF-8 */
sim_obj *sim_str_cstr(sim_vm *vm, const char *s);
sim_obj *sim_str_fmt(sim_vm *vm, const char *fmt, ...);   /* printf-style, %s takes C strings */
sim_obj *sim_intern(sim_vm *vm, const char *s);          /* the shared interned str */
sim_obj *sim_intern_str(sim_vm *vm, sim_obj *s);          /* intern an existing str */
sim_obj *sim_list_new(sim_vm *vm, size_t n, sim_obj *const *items);   /* items may be NULL */
sim_obj *sim_tuple_new(sim_vm *vm, size_t n, sim_obj *const *items);  /* NULL: filled with None */
sim_obj *sim_dict_new(sim_vm *vm);
sim_obj *sim_set_new(sim_vm *vm, bool frozen);
sim_obj *sim_range_new(sim_vm *vm, int64_t start, int64_t stop, int64_t step);
sim_obj *sim_slice_new(sim_vm *vm, sim_obj *start, sim_obj *stop, sim_obj *step);
sim_obj *sim_cell_new(sim_vm *vm, sim_obj *v);
sim_obj *sim_method_new(sim_vm *vm, sim_obj *func, sim_obj *self);
sim_obj *sim_native_new(sim_vm *vm, const char *name, sim_native_fn fn, sim_obj *self, sim_obj *data);
sim_obj *sim_module_new(sim_vm *vm, const char *name);
sim_obj *sim_instance_new(sim_vm *vm, sim_type *t);      /* raw instance, no __init__ */
sim_obj *sim_cobj_new(sim_vm *vm, sim_type *t);          /* zeroed native-typed object */
sim_obj *sim_iter_new(sim_vm *vm, sim_tid tid, sim_obj *src, sim_obj *aux);

/* ---- natives: types and modules ---------------------------------------------------------
 * sim_type_new_native makes a type whose instances are `size` bytes (starting with a
 * sim_obj header) with the given hooks and methods (the table ends with {NULL}).
 * `base` NULL means object; a base exception type makes an exception class (size
 * ignored). The type is registered as a GC root. */
sim_type *sim_type_new_native(sim_vm *vm, const char *name, const char *module, sim_type *base,
                              size_t size, const sim_type_hooks *hooks, const sim_method_def *methods);
/* Define functions of a module (table ends with {NULL}); returns 0 or -1. */
int sim_module_add_functions(sim_vm *vm, sim_obj *module, const sim_method_def *defs);
int sim_module_set(sim_vm *vm, sim_obj *module, const char *name, sim_obj *value);
/* Register a native module under `name`; `init` fills it at first import. */
typedef int (*sim_module_init)(sim_vm *vm, sim_obj *module);
void sim_register_module(sim_vm *vm, const char *name, sim_module_init init);
/* A new exception class `name` (in module `module`) deriving from base. */
sim_type *sim_exc_type_new(sim_vm *vm, const char *name, const char *module, sim_type *base);

/* Argument parsing for natives: names[] lists parameters in order; the first `npos`
 * may be positional, `nreq` are required; out[i] is NULL when absent. Keywords are
 * matched by name. Raises CPython-like TypeErrors. */
int sim_parse_args(sim_vm *vm, const char *fname, sim_obj **args, int nargs, sim_obj *kwnames,
                   int nreq, int npos, const char *const *names, sim_obj **out);
int sim_no_kwargs(sim_vm *vm, const char *fname, sim_obj *kwnames);
int sim_check_nargs(sim_vm *vm, const char *fname, int nargs, int min, int max);

/* ---- generic operations (may run Python code; NULL/-1: raised) ------------------------- */
sim_obj *sim_repr(sim_vm *vm, sim_obj *o);
sim_obj *sim_str(sim_vm *vm, sim_obj *o);
int sim_truthy(sim_vm *vm, sim_obj *o);                  /* 0, 1, -1 */
int sim_hash(sim_vm *vm, sim_obj *o, uint64_t *out);
int sim_eq(sim_vm *vm, sim_obj *a, sim_obj *b);          /* a == b as bool: 0/1/-1 */
int sim_lt(sim_vm *vm, sim_obj *a, sim_obj *b);          /* a < b */
sim_obj *sim_richcompare(sim_vm *vm, sim_obj *a, sim_obj *b, int op);  /* SIM_CMP_* (opcodes.h) */
sim_obj *sim_binary_op(sim_vm *vm, int op, sim_obj *a, sim_obj *b, bool inplace); /* SIM_BINOP_* */
sim_obj *sim_unary(sim_vm *vm, int op, sim_obj *a);      /* SIM_U_* */
sim_obj *sim_getattr(sim_vm *vm, sim_obj *o, sim_obj *name);           /* name interned str */
sim_obj *sim_getattr_opt(sim_vm *vm, sim_obj *o, sim_obj *name);       /* NULL, no exc: missing */
int sim_setattr(sim_vm *vm, sim_obj *o, sim_obj *name, sim_obj *v);    /* v NULL: delete */
sim_obj *sim_getitem(sim_vm *vm, sim_obj *o, sim_obj *key);
int sim_setitem(sim_vm *vm, sim_obj *o, sim_obj *key, sim_obj *v);     /* v NULL: delete */
int sim_contains(sim_vm *vm, sim_obj *container, sim_obj *item);
sim_obj *sim_iter(sim_vm *vm, sim_obj *o);
sim_obj *sim_next(sim_vm *vm, sim_obj *it);   /* NULL, no exc: exhausted */
int64_t sim_len(sim_vm *vm, sim_obj *o);      /* -1: raised */
sim_obj *sim_call(sim_vm *vm, sim_obj *fn, sim_obj **args, int nargs, sim_obj *kwnames);
sim_obj *sim_call0(sim_vm *vm, sim_obj *fn);
sim_obj *sim_call1(sim_vm *vm, sim_obj *fn, sim_obj *a);
sim_obj *sim_call_method(sim_vm *vm, sim_obj *self, const char *name, sim_obj **args, int nargs);
/* Resume a generator/coroutine or any object with a send hook. */
sim_sendres sim_resume(sim_vm *vm, sim_obj *it, sim_obj *value, sim_obj *exc, sim_obj **out);
void sim_coro_close(sim_vm *vm, sim_obj *coro);
bool sim_isinstance_type(sim_obj *o, sim_type *t);
bool sim_issubtype(sim_type *a, sim_type *b);
int sim_isinstance(sim_vm *vm, sim_obj *o, sim_obj *cls);   /* cls: type or tuple */
sim_obj *sim_list_of(sim_vm *vm, sim_obj *iterable);        /* list(iterable) */
sim_obj *sim_tuple_of(sim_vm *vm, sim_obj *iterable);
int sim_format(sim_vm *vm, sim_obj *v, sim_obj *spec, sim_obj **out);  /* format(v, spec) */
const char *sim_type_name(sim_obj *o);                      /* type(o).__name__ as C string */
int64_t sim_index(sim_vm *vm, sim_obj *o, bool *ok);        /* __index__ on ints/bools */
double sim_obj_as_double(sim_vm *vm, sim_obj *o, bool *ok); /* int/float to double */
sim_obj *sim_call_dunder(sim_vm *vm, sim_obj *self, sim_obj *name, sim_obj **args, int nargs, bool *found);

/* comparison and operator codes: sim_cmpop / sim_binop from opcodes.h */
enum { SIM_U_NEG, SIM_U_POS, SIM_U_INVERT, SIM_U_NOT };

/* ---- raising ---------------------------------------------------------------------------- */
sim_obj *sim_raise(sim_vm *vm, sim_obj *exc);                 /* always returns NULL */
sim_obj *sim_raise_msg(sim_vm *vm, sim_eid eid, const char *fmt, ...);  /* NULL */
sim_obj *sim_raise_type(sim_vm *vm, sim_type *t, const char *fmt, ...); /* NULL */
sim_obj *sim_raise_keyerror(sim_vm *vm, sim_obj *key);
sim_obj *sim_raise_overflow(sim_vm *vm);                      /* 64-bit int overflow */
sim_obj *sim_exc_new(sim_vm *vm, sim_type *t, sim_obj *args); /* args tuple or NULL */
sim_obj *sim_exc_occurred(sim_vm *vm);                        /* pending exception or NULL */
sim_obj *sim_exc_fetch(sim_vm *vm);                           /* take (and clear) it */
bool sim_exc_matches(sim_vm *vm, sim_eid eid);                /* pending is instance of eid */
sim_type *sim_exc_type(sim_vm *vm, sim_eid eid);

/* ---- containers -------------------------------------------------------------------------- */
int sim_list_append(sim_vm *vm, sim_obj *list, sim_obj *v);
int sim_dict_get(sim_vm *vm, sim_obj *d, sim_obj *key, sim_obj **out);   /* 1 found, 0 not, -1 */
int sim_dict_set(sim_vm *vm, sim_obj *d, sim_obj *key, sim_obj *v);
int sim_dict_del(sim_vm *vm, sim_obj *d, sim_obj *key);                  /* 1, 0 missing, -1 */
sim_obj *sim_dict_getstr(sim_vm *vm, sim_obj *d, sim_obj *istr);         /* interned key, no exc */
int sim_dict_setstr(sim_vm *vm, sim_obj *d, const char *key, sim_obj *v);
bool sim_dict_next(sim_obj *d, size_t *pos, sim_obj **key, sim_obj **value);
int sim_set_add(sim_vm *vm, sim_obj *s, sim_obj *key);
int sim_set_contains(sim_vm *vm, sim_obj *s, sim_obj *key);
int sim_set_discard(sim_vm *vm, sim_obj *s, sim_obj *key);               /* 1, 0, -1 */

#endif
