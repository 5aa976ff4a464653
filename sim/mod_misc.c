/* mod_misc.c — small standard modules programs import in passing: __future__,
 * typing (names for annotations; subscripting returns the form itself), traceback
 * (print_exc / format_exc / print_exception), math (the common functions). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)

/* ---- __future__ ------------------------------------------------------------------------------ */

static int init_future(sim_vm *vm, sim_obj *m) {
    static const char *const names[] = {"annotations", "generator_stop", "division", "absolute_import",
                                        "print_function", "unicode_literals", "with_statement", "nested_scopes",
                                        "generators", "barry_as_FLUFL", NULL};
    for (int i = 0; names[i]; i++) sim_module_set(vm, m, names[i], vm->true_);
    return 0;
}

/* ---- typing ---------------------------------------------------------------------------------- */

typedef struct typing_form { sim_obj hdr; sim_obj *name; } typing_form;

static void form_trace(sim_vm *vm, sim_obj *o) { sim_mark(vm, ((typing_form *)o)->name); }
static sim_obj *form_repr(sim_vm *vm, sim_obj *o) {
    return sim_str_fmt(vm, "typing.%s", SIM_CSTR(((typing_form *)o)->name));
}
FN(form_getitem) { return args[0]; }
FN(form_call) { return nargs > 1 ? args[1] : vm->none; }
static sim_obj *form_call_hook(sim_vm *vm, sim_obj *self, sim_obj **args, int nargs, sim_obj *kwnames) {
    /* TypeVar("T"), NewType("Id", int) -> a form; cast(T, v) -> v */
    if (strcmp(SIM_CSTR(((typing_form *)self)->name), "cast") == 0) return nargs > 1 ? args[1] : vm->none;
    if (strcmp(SIM_CSTR(((typing_form *)self)->name), "NewType") == 0) return nargs > 1 ? args[1] : vm->none;
    typing_form *f = (typing_form *)sim_cobj_new(vm, self->type);
    f->name = nargs && SIM_IS_STR(args[0]) ? args[0] : ((typing_form *)self)->name;
    return &f->hdr;
}

static int init_typing(sim_vm *vm, sim_obj *m) {
    static const char *const names[] = {
        "Any", "Optional", "Union", "List", "Dict", "Tuple", "Set", "FrozenSet", "Callable", "Awaitable",
        "Coroutine", "AsyncIterator", "AsyncIterable", "AsyncGenerator", "Iterator", "Iterable", "Generator",
        "Sequence", "Mapping", "MutableMapping", "Type", "TypeVar", "Generic", "Protocol", "ClassVar", "Final",
        "Literal", "NoReturn", "cast", "NewType", "Deque", "DefaultDict", "Hashable", "Sized", "TypeAlias",
        "ParamSpec", "Concatenate", "Annotated", "Self", "Never", NULL};
    static const sim_method_def methods[] = {
        {"__getitem__", form_getitem, NULL, 0}, {"__class_getitem__", form_getitem, NULL, 0}, {NULL, NULL, NULL, 0},
    };
    sim_type_hooks h = {0};
    h.trace = form_trace;
    h.repr = form_repr;
    h.call = form_call_hook;
    sim_type *t = sim_type_new_native(vm, "_SpecialForm", "typing", NULL, sizeof(typing_form), &h, methods);
    sim_push(vm, (sim_obj *)t);
    for (int i = 0; names[i]; i++) {
        typing_form *f = (typing_form *)sim_cobj_new(vm, t);
        sim_push(vm, &f->hdr);
        f->name = sim_intern(vm, names[i]);
        sim_module_set(vm, m, names[i], &f->hdr);
        sim_pop(vm, 1);
    }
    sim_module_set(vm, m, "TYPE_CHECKING", vm->false_);
    sim_pop(vm, 1);
    (void)form_call;
    return 0;
}

/* ---- traceback ------------------------------------------------------------------------------- */

static sim_obj *handled(sim_vm *vm) {
    for (sim_frame *f = vm->ts->frame; f; f = f->back)
        if (f->handled && f->handled != vm->none) return f->handled;
    return NULL;
}

static sim_obj *format_to_str(sim_vm *vm, sim_obj *exc) {
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m) return sim_raise_msg(vm, SIM_E_MemoryError, "");
    sim__print_exception(vm, exc, m);
    fclose(m);
    sim_obj *s = sim_str_new(vm, buf, n);
    free(buf);
    return s;
}

static sim_obj *write_exc(sim_vm *vm, sim_obj *exc, sim_obj *file) {
    sim_obj *s = format_to_str(vm, exc);
    if (!s) return NULL;
    if (!file || file == vm->none) {
        sim__write(vm, 2, SIM_CSTR(s), SIM_STR(s)->len);
        return vm->none;
    }
    sim_push(vm, s);
    sim_obj *r = sim_call_method(vm, file, "write", &s, 1);
    sim_pop(vm, 1);
    return r ? vm->none : NULL;
}

FN(tb_print_exc) {
    static const char *const names[] = {"limit", "file", "chain", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "print_exc", args, nargs, kwnames, 0, 3, names, a) < 0) return NULL;
    sim_obj *e = handled(vm);
    if (!e) {
        sim__write(vm, 2, "NoneType: None\n", 15);
        return vm->none;
    }
    return write_exc(vm, e, a[1]);
}

FN(tb_format_exc) {
    sim_obj *e = handled(vm);
    if (!e) return sim_str_cstr(vm, "NoneType: None\n");
    return format_to_str(vm, e);
}

/* print_exception(exc) or print_exception(type, value, tb) */
FN(tb_print_exception) {
    static const char *const names[] = {"exc", "value", "tb", "limit", "file", "chain", NULL};
    sim_obj *a[6];
    if (sim_parse_args(vm, "print_exception", args, nargs, kwnames, 1, 3, names, a) < 0) return NULL;
    sim_obj *e = a[1] && SIM_IS_EXC(a[1]) ? a[1] : a[0];
    if (!SIM_IS_EXC(e)) return sim_raise_msg(vm, SIM_E_TypeError, "print_exception() expects an exception");
    return write_exc(vm, e, a[4]);
}

FN(tb_format_exception) {
    sim_obj *e = nargs > 1 && SIM_IS_EXC(args[1]) ? args[1] : nargs ? args[0] : vm->none;
    if (!SIM_IS_EXC(e)) return sim_raise_msg(vm, SIM_E_TypeError, "format_exception() expects an exception");
    sim_obj *s = format_to_str(vm, e);
    if (!s) return NULL;
    return sim_list_new(vm, 1, &s);
}

static int init_traceback(sim_vm *vm, sim_obj *m) {
    static const sim_method_def defs[] = {
        {"print_exc", tb_print_exc, NULL, 0}, {"format_exc", tb_format_exc, NULL, 0},
        {"print_exception", tb_print_exception, NULL, 0}, {"format_exception", tb_format_exception, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    return sim_module_add_functions(vm, m, defs);
}

/* ---- math ------------------------------------------------------------------------------------ */

static bool num_arg(sim_vm *vm, sim_obj *o, double *out) {
    bool ok;
    if (!SIM_IS_INT(o) && !SIM_IS_FLOAT(o)) {
        sim_raise_msg(vm, SIM_E_TypeError, "must be real number, not %s", sim_type_name(o));
        return false;
    }
    *out = sim_obj_as_double(vm, o, &ok);
    return ok;
}

static sim_obj *math1(sim_vm *vm, sim_obj **args, int nargs, const char *name, double (*fn)(double), int domain) {
    double x;
    if (sim_check_nargs(vm, name, nargs, 1, 1) < 0 || !num_arg(vm, args[0], &x)) return NULL;
    if ((domain == 1 && x < 0) || (domain == 2 && x <= 0))
        return sim_raise_msg(vm, SIM_E_ValueError, "math domain error");
    return sim_float_new(vm, fn(x));
}

FN(m_sqrt) { return math1(vm, args, nargs, "sqrt", sqrt, 1); }
FN(m_exp) { return math1(vm, args, nargs, "exp", exp, 0); }
FN(m_sin) { return math1(vm, args, nargs, "sin", sin, 0); }
FN(m_cos) { return math1(vm, args, nargs, "cos", cos, 0); }
FN(m_tan) { return math1(vm, args, nargs, "tan", tan, 0); }
FN(m_fabs) { return math1(vm, args, nargs, "fabs", fabs, 0); }
FN(m_log) {
    double x, b;
    if (sim_check_nargs(vm, "log", nargs, 1, 2) < 0 || !num_arg(vm, args[0], &x)) return NULL;
    if (x <= 0) return sim_raise_msg(vm, SIM_E_ValueError, "math domain error");
    if (nargs == 1) return sim_float_new(vm, log(x));
    if (!num_arg(vm, args[1], &b)) return NULL;
    return sim_float_new(vm, log(x) / log(b));
}
FN(m_log2) { return math1(vm, args, nargs, "log2", log2, 2); }
FN(m_log10) { return math1(vm, args, nargs, "log10", log10, 2); }

static sim_obj *round_to_int(sim_vm *vm, sim_obj **args, int nargs, const char *name, double (*fn)(double)) {
    double x;
    if (sim_check_nargs(vm, name, nargs, 1, 1) < 0) return NULL;
    if (SIM_IS_INT(args[0])) return sim_int_new(vm, SIM_INT(args[0]));
    if (!num_arg(vm, args[0], &x)) return NULL;
    return sim__float_to_int(vm, fn(x));
}
FN(m_floor) { return round_to_int(vm, args, nargs, "floor", floor); }
FN(m_ceil) { return round_to_int(vm, args, nargs, "ceil", ceil); }
FN(m_trunc) { return round_to_int(vm, args, nargs, "trunc", trunc); }

FN(m_pow) {
    double x, y;
    if (sim_check_nargs(vm, "pow", nargs, 2, 2) < 0 || !num_arg(vm, args[0], &x) || !num_arg(vm, args[1], &y)) return NULL;
    return sim_float_new(vm, pow(x, y));
}
FN(m_isclose) {
    double a, b, rel = 1e-09, abs_tol = 0.0;
    if (nargs < 2 || !num_arg(vm, args[0], &a) || !num_arg(vm, args[1], &b)) {
        if (!sim_exc_occurred(vm)) sim_raise_msg(vm, SIM_E_TypeError, "isclose() missing required argument");
        return NULL;
    }
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    for (size_t k = 0; k < nkw; k++) {
        const char *kn = SIM_CSTR(SIM_TUPLE(kwnames)->items[k]);
        double v;
        if (!num_arg(vm, args[nargs + k], &v)) return NULL;
        if (strcmp(kn, "rel_tol") == 0) rel = v;
        else if (strcmp(kn, "abs_tol") == 0) abs_tol = v;
    }
    if (a == b) return vm->true_;
    double diff = fabs(b - a);
    return sim_bool(vm, diff <= fabs(rel * b) || diff <= fabs(rel * a) || diff <= abs_tol);
}
FN(m_isinf) { double x; return num_arg(vm, args[0], &x) ? sim_bool(vm, isinf(x)) : NULL; }
FN(m_isnan) { double x; return num_arg(vm, args[0], &x) ? sim_bool(vm, isnan(x)) : NULL; }
FN(m_gcd) {
    int64_t g = 0;
    for (int i = 0; i < nargs; i++) {
        if (!SIM_IS_INT(args[i])) return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(args[i]));
        int64_t b = SIM_INT(args[i]) < 0 ? -SIM_INT(args[i]) : SIM_INT(args[i]);
        while (b) { int64_t t = g % b; g = b; b = t; }
    }
    return sim_int_new(vm, g);
}
FN(m_factorial) {
    if (sim_check_nargs(vm, "factorial", nargs, 1, 1) < 0) return NULL;
    if (!SIM_IS_INT(args[0])) return sim_raise_msg(vm, SIM_E_TypeError, "'%s' object cannot be interpreted as an integer", sim_type_name(args[0]));
    int64_t n = SIM_INT(args[0]), r = 1;
    if (n < 0) return sim_raise_msg(vm, SIM_E_ValueError, "factorial() not defined for negative values");
    for (int64_t i = 2; i <= n; i++)
        if (__builtin_mul_overflow(r, i, &r)) return sim_raise_overflow(vm);
    return sim_int_new(vm, r);
}

static int init_math(sim_vm *vm, sim_obj *m) {
    static const sim_method_def defs[] = {
        {"sqrt", m_sqrt, NULL, 0}, {"exp", m_exp, NULL, 0}, {"log", m_log, NULL, 0}, {"log2", m_log2, NULL, 0},
        {"log10", m_log10, NULL, 0}, {"sin", m_sin, NULL, 0}, {"cos", m_cos, NULL, 0}, {"tan", m_tan, NULL, 0},
        {"fabs", m_fabs, NULL, 0}, {"floor", m_floor, NULL, 0}, {"ceil", m_ceil, NULL, 0},
        {"trunc", m_trunc, NULL, 0}, {"pow", m_pow, NULL, 0}, {"isclose", m_isclose, NULL, 0},
        {"isinf", m_isinf, NULL, 0}, {"isnan", m_isnan, NULL, 0}, {"gcd", m_gcd, NULL, 0},
        {"factorial", m_factorial, NULL, 0}, {NULL, NULL, NULL, 0},
    };
    if (sim_module_add_functions(vm, m, defs) < 0) return -1;
    sim_module_set(vm, m, "pi", sim_float_new(vm, 3.141592653589793));
    sim_module_set(vm, m, "e", sim_float_new(vm, 2.718281828459045));
    sim_module_set(vm, m, "tau", sim_float_new(vm, 6.283185307179586));
    sim_module_set(vm, m, "inf", sim_float_new(vm, INFINITY));
    sim_module_set(vm, m, "nan", sim_float_new(vm, NAN));
    return 0;
}

void sim__register_misc_modules(sim_vm *vm) {
    sim_register_module(vm, "__future__", init_future);
    sim_register_module(vm, "typing", init_typing);
    sim_register_module(vm, "traceback", init_traceback);
    sim_register_module(vm, "math", init_math);
}
