/* compile.h — the front end's public entry: Python source text to a code object.
 *
 *     sim_diag d;
 *     sim_code *c = sim_compile("prog.py", src, len, &d);
 *     if (!c) { char *s = sim_diag_format(&d); fputs(s, stderr); free(s); }
 *     ...
 *     sim_diag_clear(&d); sim_code_free(c);
 *
 * On failure the diagnostic says what CPython 3.11 would say (SyntaxError,
 * IndentationError, TabError with the same message and position), or names a
 * construct aiosim does not support ("aiosim does not support match statements yet").
 */
#ifndef SIM_COMPILE_H
#define SIM_COMPILE_H

#include <stddef.h>

#include "code.h"

#define SIM_DIAG_KIND_LIST(X)          \
    X(NONE, "")                        \
    X(SYNTAX, "SyntaxError")           \
    X(INDENTATION, "IndentationError") \
    X(TAB, "TabError")                 \
    X(UNSUPPORTED, "NotImplementedError") \
    X(NOMEM, "MemoryError")            \
    X(RECURSION, "RecursionError")

typedef enum sim_diag_kind {
#define SIM_DIAG_ENUM(k, s) SIM_DIAG_##k,
    SIM_DIAG_KIND_LIST(SIM_DIAG_ENUM)
#undef SIM_DIAG_ENUM
} sim_diag_kind;

typedef struct sim_diag {
    sim_diag_kind kind;
    char *message;      /* "invalid syntax", "aiosim does not support ... yet" */
    char *filename;     /* as given */
    int line;           /* 1-based; 0 when the error has no position (source encoding) */
    int col;            /* 1-based, as CPython 3.11's SyntaxError.offset when it runs a
                           script: UTF-8 bytes for parser errors, characters for
                           tokenizer errors (this is what places the caret); characters
                           for SIM_DIAG_UNSUPPORTED; 0: no column */
    int end_line;       /* as SyntaxError.end_lineno (0: same as line) */
    int end_col;        /* as SyntaxError.end_offset, same units as col (0: none) */
    char *text;         /* the source line (without newline), or NULL */
} sim_diag;

/* Compiles a whole module. `source` need not be NUL-terminated. Returns the module's
 * code, or NULL with *diag filled (diag may be NULL). */
sim_code *sim_compile(const char *filename, const char *source, size_t len, sim_diag *diag);

/* Frees the strings of a diagnostic and zeroes it. */
void sim_diag_clear(sim_diag *diag);

/* The diagnostic as CPython prints it for an uncaught SyntaxError, e.g.
 *   File "prog.py", line 4
 *     print("world")
 *                   ^
 *   IndentationError: unindent does not match any outer indentation level
 * For SIM_DIAG_UNSUPPORTED the one-line form "prog.py:LINE:COL: MESSAGE\n".
 * Returns a malloc'd string (caller frees) or NULL on out-of-memory. */
char *sim_diag_format(const sim_diag *diag);

/* Kind name: "SyntaxError", "IndentationError", ... */
const char *sim_diag_kind_name(sim_diag_kind kind);

#endif
