/* pyfmt.h — CPython 3.11's text formatting, as pure C helpers.
 *
 * Nothing here knows the interpreter's object model: values come in as plain C
 * types (long long, double, UTF-8 bytes), text goes out into a pyfmt_buf, and a
 * failure comes back as a pyfmt_status plus a message in CPython's exact wording,
 * so the caller can raise the matching Python exception.
 *
 * Strings are UTF-8 and lengths, indices and widths count code points, as in
 * Python.  Input is assumed to be valid UTF-8 (the VM only makes valid str);
 * a stray byte is treated as one code point so nothing reads out of bounds.
 *
 * Files: pyfmt_buf.c (buffer, errors, UTF-8), pyfmt_float.c (float <-> text,
 * round), pyfmt_integer.c (int <-> text), pyfmt_spec.c (format-spec
 * mini-language), pyfmt_percent.c (printf-style %), pyfmt_template.c
 * (str.format templates), pyfmt_uni.c (character classes, case, repr),
 * pyfmt_str.c (str methods); pyfmt_unitab.h holds Unicode tables generated
 * from CPython 3.11 by gen_pyfmt_unitab.py.
 *
 * Memory: pyfmt allocates only scratch and pyfmt_buf storage, with
 * malloc/realloc/free; nothing is kept between calls and nothing is global
 * but constant tables, so every function is reentrant.
 */
#ifndef AIOSIM_PYFMT_H
#define AIOSIM_PYFMT_H

#include <stddef.h>
#include <stdint.h>

/* ---- output buffer ------------------------------------------------------ */

/* A growable byte buffer.  Invariant: data is NULL (len == cap == 0) or holds
 * len bytes followed by a NUL, with len < cap.  On allocation failure an append
 * returns -1 and leaves the buffer unchanged. */
typedef struct pyfmt_buf { char *data; size_t len, cap; } pyfmt_buf;

void pyfmt_buf_init(pyfmt_buf *b);
void pyfmt_buf_free(pyfmt_buf *b);                 /* frees and re-inits */
void pyfmt_buf_clear(pyfmt_buf *b);                /* len = 0, keeps memory */
int pyfmt_buf_reserve(pyfmt_buf *b, size_t extra); /* room for extra more bytes */
int pyfmt_buf_append(pyfmt_buf *b, const char *s, size_t n);
int pyfmt_buf_puts(pyfmt_buf *b, const char *s);
int pyfmt_buf_putc(pyfmt_buf *b, char c);
int pyfmt_buf_fill(pyfmt_buf *b, char c, size_t n);
int pyfmt_buf_put_cp(pyfmt_buf *b, uint32_t cp);   /* UTF-8 encode one code point */
int pyfmt_buf_fill_cp(pyfmt_buf *b, uint32_t cp, size_t n);
/* Returns data as a C string ("" for an empty, never-grown buffer). */
const char *pyfmt_buf_cstr(const pyfmt_buf *b);

/* A piece of an input string, in bytes. */
typedef struct pyfmt_span { size_t off, len; } pyfmt_span;

/* ---- errors ------------------------------------------------------------- */

/* The Python exception a failure maps to.  PYFMT_ECALLER means a caller
 * callback failed and already recorded its own exception: pass it through. */
typedef enum pyfmt_status {
    PYFMT_OK = 0,
    PYFMT_EVALUE,     /* ValueError */
    PYFMT_ETYPE,      /* TypeError */
    PYFMT_EOVERFLOW,  /* OverflowError */
    PYFMT_EINDEX,     /* IndexError */
    PYFMT_ENOMEM,     /* MemoryError */
    PYFMT_ECALLER
} pyfmt_status;

typedef struct pyfmt_err { pyfmt_status code; char msg[256]; } pyfmt_err;

/* Records code and a printf-formatted message in err (which may be NULL);
 * returns code, so `return pyfmt_seterr(err, PYFMT_EVALUE, "...")` works. */
int pyfmt_seterr(pyfmt_err *err, pyfmt_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *pyfmt_status_name(pyfmt_status code); /* "ValueError", ... */

/* ---- UTF-8 -------------------------------------------------------------- */

/* Decodes the code point at s[*pos] (pos < n) and advances *pos past it. */
uint32_t pyfmt_utf8_next(const char *s, size_t n, size_t *pos);
/* Number of code points in s[0..n). */
size_t pyfmt_utf8_len(const char *s, size_t n);
/* Byte offset of code point index i (0 <= i; clamped to n). */
size_t pyfmt_utf8_offset(const char *s, size_t n, size_t i);
/* Encodes cp into out (4 bytes of room); returns the byte count. */
int pyfmt_utf8_encode(uint32_t cp, char out[4]);

/* ---- floats ------------------------------------------------------------- */

/* Flags for pyfmt_double_to_string (CPython's Py_DTSF_*). */
enum { PYFMT_DTSF_SIGN = 1, PYFMT_DTSF_ADD_DOT_0 = 2, PYFMT_DTSF_ALT = 4,
       PYFMT_DTSF_NO_NEG_0 = 8 };

/* Mirrors PyOS_double_to_string: code is one of e E f F g G r ('r' is the
 * shortest round-trip repr, precision must be 0).  Appends to out.
 * Returns 0, or -1 on allocation failure or a bad code. */
int pyfmt_double_to_string(double x, char code, int precision, int flags,
                           pyfmt_buf *out);
/* repr(x) == str(x) for a float, e.g. "0.1", "5.0", "1e+16", "-inf", "nan".
 * Writes a NUL-terminated string (at most 25 bytes) and returns its length. */
int pyfmt_float_repr(double x, char out[32]);
/* round(x, ndigits) for a float: correctly rounded, half-even on the exact
 * binary value.  PYFMT_EOVERFLOW "rounded value too large to represent". */
int pyfmt_float_round(double x, long ndigits, double *result, pyfmt_err *err);
/* round(x) with no ndigits as a double (half-even); the caller makes an int
 * and raises for inf/nan (see pyfmt_float_to_int_error). */
double pyfmt_float_round_half_even(double x);
/* For int(x) of a non-finite float: fills err with CPython's OverflowError /
 * ValueError and returns the code; returns PYFMT_OK for finite x. */
int pyfmt_float_to_int_error(double x, pyfmt_err *err);
/* float(s): Python's grammar (whitespace, sign, digits with single
 * underscores between digits, '.', exponent, inf/infinity/nan).  Error:
 * ValueError "could not convert string to float: '...'". */
int pyfmt_parse_float(const char *s, size_t n, double *out, pyfmt_err *err);

/* ---- ints --------------------------------------------------------------- */

/* Appends v in base 2, 8, 10 or 16 (lower-case digits); with prefix, adds
 * 0b/0o/0x after the sign as bin()/oct()/hex() do: -255 -> "-0xff". */
int pyfmt_int_to_base(long long v, int base, int prefix, pyfmt_buf *out);
/* The same for an arbitrary-size int given as sign + decimal magnitude digits
 * (no leading zeros except "0"). */
int pyfmt_digits_to_base(int neg, const char *dec, size_t n, int base,
                         int prefix, pyfmt_buf *out);
/* int(s, base): whitespace, sign, base prefix (base 0/2/8/16), underscores,
 * any Unicode decimal digits, CPython's 4300-digit limit for base 10.  On success returns PYFMT_OK with *out set; a
 * value beyond 64 bits returns PYFMT_EOVERFLOW "int too large" and, if digits
 * is not NULL, appends "-123..." (sign + decimal magnitude) so a big-int
 * capable caller can continue.  Errors as CPython: "invalid literal for int()
 * with base 10: 'abc'", "int() base must be >= 2 and <= 36, or 0". */
int pyfmt_parse_int(const char *s, size_t n, int base, long long *out,
                    pyfmt_buf *digits, pyfmt_err *err);
/* round(v, ndigits) for an int with ndigits < 0: half-even to 10**-ndigits.
 * PYFMT_EOVERFLOW if the result leaves 64 bits. */
int pyfmt_int_round(long long v, long ndigits, long long *out, pyfmt_err *err);

/* ---- format-spec mini-language (format(), f-strings, str.format) -------- */

/* A parsed spec: [[fill]align][sign][z][#][0][width][,|_][.precision][type].
 * width/precision are -1 when absent; type is 0 when absent; grouping is 0,
 * ',', '_' or '4' (underscore every four digits, for b o x X). */
typedef struct pyfmt_spec {
    uint32_t fill, type;
    char align, sign, grouping;
    int alternate, no_neg_0;
    long width, precision;
} pyfmt_spec;

/* Mirrors parse_internal_render_format_spec.  tname is the Python type name
 * used in messages ("Invalid format specifier 'dd' for object of type 'int'"). */
int pyfmt_parse_spec(const char *spec, size_t n, char default_type,
                     char default_align, const char *tname, pyfmt_spec *out,
                     pyfmt_err *err);

/* format(v, spec) for an int (and a bool: pass tname "bool"; note that an
 * empty spec means str(v), which for a bool is "True" -- the caller handles
 * that).  Types b c d o x X n, and e E f F g G % through float(v). */
int pyfmt_format_int(long long v, const char *spec, size_t n,
                     const char *tname, pyfmt_buf *out, pyfmt_err *err);
/* The same for an int of any size: sign + decimal magnitude digits. */
int pyfmt_format_bigint(int neg, const char *dec, size_t decn,
                        const char *spec, size_t n, const char *tname,
                        pyfmt_buf *out, pyfmt_err *err);
/* format(x, spec) for a float: types e E f F g G n % and none. */
int pyfmt_format_float(double x, const char *spec, size_t n,
                       const char *tname, pyfmt_buf *out, pyfmt_err *err);
/* format(s, spec) for a str: type s or none; precision truncates. */
int pyfmt_format_str(const char *s, size_t slen, const char *spec, size_t n,
                     const char *tname, pyfmt_buf *out, pyfmt_err *err);

/* ---- printf-style formatting: fmt % args -------------------------------- */

/* What the caller hands back for one argument.  kind says what the Python
 * object is; fill only the fields that kind needs. */
typedef enum pyfmt_arg_kind {
    PYFMT_ARG_INT,     /* int or bool: i */
    PYFMT_ARG_BIGINT,  /* int beyond 64 bits: neg + decimal digits in s/slen */
    PYFMT_ARG_FLOAT,   /* float: f */
    PYFMT_ARG_STR,     /* str: s/slen is its text */
    PYFMT_ARG_OTHER    /* anything else; see is_number */
} pyfmt_arg_kind;

typedef struct pyfmt_arg {
    pyfmt_arg_kind kind;
    long long i;
    double f;
    int neg;                 /* PYFMT_ARG_BIGINT sign */
    const char *s;           /* see kind and pyfmt_arg_fn */
    size_t slen;
    const char *type_name;   /* Python type name, for error messages */
} pyfmt_arg;

/* Fetches one argument.  key == NULL: the index-th positional argument
 * (index is 0-based and always < nargs; for a non-tuple right operand nargs
 * is 1 and index 0 is the object itself).  key != NULL: the mapping lookup
 * args[key] for %(key)s; index is then -1.  conv is the conversion character
 * that will consume the value ('s', 'r', 'a', 'd', 'x', 'f', 'c', or '*' for
 * a width/precision).  For 's', 'r' and 'a' fill s/slen with str(v),
 * repr(v) or ascii(v) (kind may then be anything); otherwise fill kind and
 * its value (for an int-like object with __int__/__index__, convert it
 * yourself to PYFMT_ARG_INT).  Text must stay valid until the next call or
 * until pyfmt_percent returns.  Return 0, or non-zero after recording a
 * Python exception (KeyError, a failing __repr__, ...) -- pyfmt_percent then
 * returns PYFMT_ECALLER. */
typedef int (*pyfmt_arg_fn)(void *ctx, long index, const char *key,
                            size_t keylen, int conv, pyfmt_arg *out);

/* Mirrors PyUnicode_Format.  nargs: tuple length, or -1 when the right
 * operand is a single non-tuple object.  is_mapping: the right operand is not
 * a tuple or str but has __getitem__ (CPython's PyMapping_Check: dict, list,
 * ...), which enables %(key)s and waives "not all arguments converted". */
int pyfmt_percent(const char *fmt, size_t n, long nargs, int is_mapping,
                  pyfmt_arg_fn get, void *ctx, pyfmt_buf *out, pyfmt_err *err);

/* ---- str.format() templates (pyfmt_template.c) ------------------------- */

/* One piece of a template: literal text (a direct substring: "{{" yields
 * "{"), then, if has_field, a replacement field {name!conversion:spec}. */
typedef struct pyfmt_field {
    pyfmt_span literal;
    int has_field;
    pyfmt_span name;           /* "0", "", "key.attr[3]" */
    uint32_t conversion;       /* 0, or the character after '!' */
    pyfmt_span spec;
    int spec_needs_expanding;  /* the spec holds nested {fields} */
} pyfmt_field;

/* Mirrors MarkupIterator_next: returns 1 with the next piece, 0 at the end,
 * or -code on a template error ("Single '}' encountered in format string",
 * "expected '}' before end of string", ...). */
int pyfmt_template_next(const char *s, size_t n, size_t *pos, pyfmt_field *f,
                        pyfmt_err *err);

/* Auto-numbering state shared by a template and its nested specs. */
typedef struct pyfmt_autonum { int state; long next; } pyfmt_autonum;

/* A split field name: first is the argument (index >= 0 for a positional or
 * auto-numbered argument, -1 for a keyword named by first); the accessors
 * .attr / [key] after it are read with pyfmt_fieldname_next. */
typedef struct pyfmt_fieldref { pyfmt_span first; long index; size_t rest, end; } pyfmt_fieldref;

/* Mirrors field_name_split (an may be NULL: no auto-numbering). */
int pyfmt_fieldname_split(const char *s, pyfmt_span name, pyfmt_autonum *an,
                          pyfmt_fieldref *ref, pyfmt_err *err);
/* Mirrors FieldNameIterator_next: 1 with the next accessor (is_attr, and
 * index >= 0 when an item key is all digits, so x[0] indexes with the int
 * 0), 0 at the end, -code on error ("Missing ']' in format string"). */
int pyfmt_fieldname_next(const char *s, pyfmt_fieldref *ref, int *is_attr,
                         long *index, pyfmt_span *name, pyfmt_err *err);

/* What pyfmt_template_format needs from the object model.  resolve finds the
 * object for ref (keyword lookup for index -1 -- raise KeyError -- then the
 * accessors via pyfmt_fieldname_next on s) and stores a handle in *obj.
 * render applies conversion ('r', 's', 'a' or 0) and appends
 * format(obj, spec) to out.  release (may be NULL) drops the handle; it is
 * called once for every successful resolve.  Each returns 0, or non-zero
 * after recording a Python exception. */
typedef struct pyfmt_template_ops {
    int (*resolve)(void *ctx, const char *s, pyfmt_fieldref *ref, void **obj);
    int (*render)(void *ctx, void *obj, uint32_t conversion, const char *spec,
                  size_t specn, pyfmt_buf *out);
    void (*release)(void *ctx, void *obj);
} pyfmt_template_ops;

/* str.format(*args, **kwargs) with nargs positional arguments (nargs < 0 for
 * format_map: positional fields are an error).  Mirrors build_string: nested
 * specs expand one level deep, auto-numbering, "Replacement index 1 out of
 * range for positional args tuple" (IndexError), "Unknown conversion
 * specifier x".  Caller failures come back as PYFMT_ECALLER. */
int pyfmt_template_format(const char *s, size_t n, long nargs,
                          const pyfmt_template_ops *ops, void *ctx, pyfmt_buf *out,
                          pyfmt_err *err);

/* ---- characters (pyfmt_uni.c) ------------------------------------------- */

/* Python's per-character predicates, from tables generated with CPython
 * 3.11's unicodedata (Unicode 14.0). */
int pyfmt_cp_isspace(uint32_t cp);
int pyfmt_cp_isalpha(uint32_t cp);
int pyfmt_cp_isdecimal(uint32_t cp);
int pyfmt_cp_isdigit(uint32_t cp);
int pyfmt_cp_isnumeric(uint32_t cp);
int pyfmt_cp_isupper(uint32_t cp);
int pyfmt_cp_islower(uint32_t cp);
int pyfmt_cp_isprintable(uint32_t cp);
int pyfmt_cp_islinebreak(uint32_t cp);
int pyfmt_cp_decimal_value(uint32_t cp);    /* 0..9, or -1 */
int pyfmt_cp_istitle(uint32_t cp);          /* category Lt */
int pyfmt_cp_iscased(uint32_t cp);
int pyfmt_cp_iscaseignorable(uint32_t cp);
int pyfmt_cp_isidstart(uint32_t cp);        /* XID_Start or '_' */
int pyfmt_cp_isidcontinue(uint32_t cp);     /* XID_Continue */
uint32_t pyfmt_cp_upper(uint32_t cp);       /* simple case mappings */
uint32_t pyfmt_cp_lower(uint32_t cp);
/* Full case mapping of one code point (which: PYFMT_UPPER, PYFMT_LOWER,
 * PYFMT_TITLE or PYFMT_CASEFOLD), e.g. U+00DF upper -> "SS".  Writes
 * NUL-terminated UTF-8 and returns its length (at most 12). */
int pyfmt_cp_case(uint32_t cp, int which, char out[16]);

/* repr(s): quotes and escapes as CPython.  ascii(s) when ascii_only. */
int pyfmt_str_repr(const char *s, size_t n, int ascii_only, pyfmt_buf *out);

/* ---- str methods (pyfmt_str.c) ------------------------------------------ */

/* A growable list of spans; free with pyfmt_spans_free. */
typedef struct pyfmt_spans { pyfmt_span *v; size_t n, cap; } pyfmt_spans;
void pyfmt_spans_free(pyfmt_spans *l);

/* Optional start/end arguments in code points, as Python passes them:
 * has_x == 0 means None/absent. */
typedef struct pyfmt_range { long start, end; int has_start, has_end; } pyfmt_range;
#define PYFMT_ALL ((pyfmt_range){0, 0, 0, 0})

/* s[i] as a span; PYFMT_EINDEX "string index out of range". */
int pyfmt_str_getitem(const char *s, size_t n, long i, pyfmt_span *out,
                      pyfmt_err *err);
/* Mirrors PySlice_AdjustIndices for a sequence of length len: fills
 * start and stop (has_* 0 = None) and returns the slice length.  step != 0. */
long pyfmt_slice_adjust(long len, long *start, long *stop, long step,
                        int has_start, int has_stop);
/* s[start:stop:step] appended to out (step != 0; the caller raises
 * "slice step cannot be zero"). */
int pyfmt_str_slice(const char *s, size_t n, long start, long stop, long step,
                    int has_start, int has_stop, pyfmt_buf *out);

/* find/rfind return a code-point index or -1; count a count.  (index and
 * rindex are find/rfind plus ValueError "substring not found".) */
long pyfmt_str_find(const char *s, size_t n, const char *sub, size_t subn,
                    pyfmt_range r);
long pyfmt_str_rfind(const char *s, size_t n, const char *sub, size_t subn,
                     pyfmt_range r);
long pyfmt_str_count(const char *s, size_t n, const char *sub, size_t subn,
                     pyfmt_range r);
int pyfmt_str_startswith(const char *s, size_t n, const char *pre, size_t pren,
                         pyfmt_range r);
int pyfmt_str_endswith(const char *s, size_t n, const char *suf, size_t sufn,
                       pyfmt_range r);

/* split/rsplit: sep NULL splits on whitespace runs; maxsplit < 0 = all.
 * PYFMT_EVALUE "empty separator" for sep of length 0. */
int pyfmt_str_split(const char *s, size_t n, const char *sep, size_t sepn,
                    long maxsplit, pyfmt_spans *out, pyfmt_err *err);
int pyfmt_str_rsplit(const char *s, size_t n, const char *sep, size_t sepn,
                     long maxsplit, pyfmt_spans *out, pyfmt_err *err);
int pyfmt_str_splitlines(const char *s, size_t n, int keepends,
                         pyfmt_spans *out);
/* partition/rpartition: three spans (before, sep, after). */
int pyfmt_str_partition(const char *s, size_t n, const char *sep, size_t sepn,
                        pyfmt_span out[3], pyfmt_err *err);
int pyfmt_str_rpartition(const char *s, size_t n, const char *sep, size_t sepn,
                         pyfmt_span out[3], pyfmt_err *err);
/* sep.join(parts). */
int pyfmt_str_join(const char *sep, size_t sepn, const char *const *parts,
                   const size_t *lens, size_t count, pyfmt_buf *out);

/* strip family: chars NULL strips whitespace.  which: 1 left, 2 right, 3 both. */
pyfmt_span pyfmt_str_strip(const char *s, size_t n, const char *chars,
                           size_t charsn, int which);
/* replace(old, new, count); count < 0 = all. */
int pyfmt_str_replace(const char *s, size_t n, const char *old, size_t oldn,
                      const char *new_, size_t newn, long count, pyfmt_buf *out);

/* str.upper() etc. with CPython's full case mappings (and final sigma in
 * lower()).  which is one of: */
enum { PYFMT_UPPER, PYFMT_LOWER, PYFMT_CAPITALIZE, PYFMT_TITLE, PYFMT_SWAPCASE,
       PYFMT_CASEFOLD };
int pyfmt_str_case(const char *s, size_t n, int which, pyfmt_buf *out);

/* center/ljust/rjust with a fill code point (the caller checks "The fill
 * character must be exactly one character long"); zfill; expandtabs. */
int pyfmt_str_center(const char *s, size_t n, long width, uint32_t fill,
                     pyfmt_buf *out);
int pyfmt_str_ljust(const char *s, size_t n, long width, uint32_t fill,
                    pyfmt_buf *out);
int pyfmt_str_rjust(const char *s, size_t n, long width, uint32_t fill,
                    pyfmt_buf *out);
int pyfmt_str_zfill(const char *s, size_t n, long width, pyfmt_buf *out);
int pyfmt_str_expandtabs(const char *s, size_t n, long tabsize, pyfmt_buf *out);

/* Predicates (False for the empty string except isascii, isprintable). */
int pyfmt_str_isdigit(const char *s, size_t n);
int pyfmt_str_isdecimal(const char *s, size_t n);
int pyfmt_str_isnumeric(const char *s, size_t n);
int pyfmt_str_isalpha(const char *s, size_t n);
int pyfmt_str_isalnum(const char *s, size_t n);
int pyfmt_str_isspace(const char *s, size_t n);
int pyfmt_str_isupper(const char *s, size_t n);
int pyfmt_str_islower(const char *s, size_t n);
int pyfmt_str_istitle(const char *s, size_t n);
int pyfmt_str_isidentifier(const char *s, size_t n);
int pyfmt_str_isprintable(const char *s, size_t n);
int pyfmt_str_isascii(const char *s, size_t n);

#endif
