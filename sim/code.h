/* code.h — the code object: what the compiler produces and the VM executes.
 *
 * A sim_code is plain C data, independent of the runtime: constants are tagged
 * values (sim_const), names are UTF-8 C strings. The VM converts constants to objects
 * as it likes (it may cache them in the `rt` slot, which this module never touches).
 *
 * Ownership. sim_compile() returns the module's code; nested code objects (function
 * bodies, class bodies, lambdas, comprehensions) are constants of their parent
 * (SIM_CONST_CODE) and are owned by it: sim_code_free(root) frees the whole tree.
 * A runtime must therefore keep the root alive as long as any function made from a
 * nested code lives (for example: the module object holds it).
 *
 * Invariants (checked by sim_code_check in tests):
 *   - argcount + kwonlyargcount + (VARARGS) + (VARKEYWORDS) <= nlocals; the locals
 *     layout is: positional params, keyword-only params, *args, **kwargs, other locals
 *     (varnames[i] names local i).
 *   - cells: cellvars[0..ncellvars) then freevars[0..nfreevars); LOAD_DEREF i with
 *     i >= ncellvars reads the function's closure[i - ncellvars]. cell2arg[i] >= 0 when
 *     cell variable i is also parameter cell2arg[i]: at frame creation the VM moves
 *     that argument's value into the fresh cell.
 *   - lines[i] / positions[i] give the source position of instruction i (1-based line,
 *     0-based UTF-8 byte column like CPython's col_offset); every instruction has one.
 *   - exctable entries are sorted by start and do not overlap.
 */
#ifndef SIM_CODE_H
#define SIM_CODE_H

#include <stddef.h>
#include <stdint.h>

#include "opcodes.h"

typedef struct sim_code sim_code;

typedef enum sim_const_kind {
    SIM_CONST_NONE,
    SIM_CONST_TRUE,
    SIM_CONST_FALSE,
    SIM_CONST_ELLIPSIS,
    SIM_CONST_INT,      /* i: a 64-bit int (larger literals are rejected) */
    SIM_CONST_FLOAT,    /* d */
    SIM_CONST_STR,      /* str.s / str.len: UTF-8, NUL-terminated, may hold NULs */
    SIM_CONST_TUPLE,    /* tuple.items[0..n): constants (kwnames of CALL_KW, fromlists) */
    SIM_CONST_CODE      /* code: a nested code object, owned */
} sim_const_kind;

typedef struct sim_const {
    sim_const_kind kind;
    union {
        int64_t i;
        double d;
        struct { char *s; size_t len; } str;
        struct { struct sim_const *items; uint32_t n; } tuple;
        sim_code *code;
    } u;
} sim_const;

/* code flags */
enum {
    SIM_CO_MODULE         = 1 << 0,  /* module body: names via LOAD_NAME, locals == globals */
    SIM_CO_CLASS          = 1 << 1,  /* class body: LOAD_NAME in a fresh dict */
    SIM_CO_FUNCTION       = 1 << 2,  /* def / lambda / comprehension: fast locals */
    SIM_CO_LAMBDA         = 1 << 3,  /* name "<lambda>" */
    SIM_CO_COMPREHENSION  = 1 << 4,  /* <listcomp> <setcomp> <dictcomp> <genexpr> */
    SIM_CO_VARARGS        = 1 << 5,  /* has *args */
    SIM_CO_VARKEYWORDS    = 1 << 6,  /* has **kwargs */
    SIM_CO_GENERATOR      = 1 << 7,  /* contains yield: calling makes a generator */
    SIM_CO_COROUTINE      = 1 << 8,  /* async def: calling makes a coroutine */
    SIM_CO_ASYNC_GENERATOR= 1 << 9,  /* async def with yield: calling makes an async generator */
    SIM_CO_NESTED         = 1 << 10  /* defined inside a function */
};

/* One exception-table entry: an exception raised by an instruction whose index is in
 * [start, end) pops the stack down to `depth` values, pushes the exception and jumps
 * to `target`. */
typedef struct sim_exc_entry {
    uint32_t start, end, target, depth;
} sim_exc_entry;

/* Source span of one instruction (CPython's co_positions). */
typedef struct sim_pos {
    int32_t line, end_line;   /* 1-based */
    int32_t col, end_col;     /* 0-based UTF-8 byte offsets in the line */
} sim_pos;

struct sim_code {
    char *name;              /* "main", "<module>", "<lambda>", "<listcomp>", "Foo" */
    char *qualname;          /* "Foo.bar", "main.<locals>.inner" */
    char *filename;          /* as given to sim_compile ("prog.py") */
    uint32_t flags;          /* SIM_CO_* */
    int32_t firstline;       /* line of the def (of the first decorator: CPython's
                                co_firstlineno), 1 for a module */

    /* arguments */
    uint32_t argcount;       /* positional parameters (incl. ones with defaults) */
    uint32_t posonlyargcount;/* how many of them are positional-only (before /) */
    uint32_t kwonlyargcount; /* keyword-only parameters */

    /* variables */
    char **varnames;  uint32_t nlocals;     /* locals, parameters first */
    char **cellvars;  uint32_t ncellvars;   /* locals captured by inner functions */
    char **freevars;  uint32_t nfreevars;   /* captured from enclosing functions */
    int32_t *cell2arg;                      /* [ncellvars] or NULL when none is a param */
    char **names;     uint32_t nnames;      /* globals, attributes, imported modules */

    /* constants */
    sim_const *consts; uint32_t nconsts;

    /* instructions */
    uint32_t *code;    uint32_t ncode;      /* SIM_INSTR words */
    int32_t *lines;                         /* [ncode] line of each instruction */
    sim_pos *positions;                     /* [ncode] span of each instruction */
    sim_exc_entry *exctable; uint32_t nexc;
    uint32_t stacksize;                     /* max value-stack depth */

    void *rt;                                /* free for the runtime; never touched here */
};

/* Allocation of everything in this module goes through one function, so tests can
 * inject failures. Returns NULL on out-of-memory (callers report it). */
void *sim_code__realloc(void *p, size_t size);
/* Fault injection for tests, SQLite-style: when set to N > 0, the N-th allocation
 * from now fails (then it is 0 again). The only global of the front end. */
extern long sim_code__fail_countdown;

sim_code *sim_code_new(void);
/* Frees the code, its strings, tables and constants, recursively. NULL is fine. */
void sim_code_free(sim_code *code);
void sim_const_clear(sim_const *c);

/* Index of local / cell (cellvars then freevars) named `name`, or -1. */
int sim_code_local_index(const sim_code *code, const char *name);
int sim_code_cell_index(const sim_code *code, const char *name);
/* Name of cell i (cellvars then freevars). */
const char *sim_code_cell_name(const sim_code *code, uint32_t i);

/* Handler for instruction `index`, or NULL. O(log nexc). */
const sim_exc_entry *sim_code_find_handler(const sim_code *code, uint32_t index);

/* Checks the invariants above and that every operand is in range; on failure writes
 * a reason into why (if not NULL) and returns 0. */
int sim_code_check(const sim_code *code, char *why, size_t whylen);

/* Disassembly (disasm.c), in the spirit of Python's dis: one line per instruction,
 * "  LINE  IDX OPNAME ARG (meaning)"; nested code objects follow when recursive.
 * Returns a malloc'd string (caller frees) or NULL on out-of-memory. */
char *sim_disasm(const sim_code *code, int recursive);

#endif
