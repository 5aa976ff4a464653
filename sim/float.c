/* float.c — float arithmetic with Python's semantics (floor division and modulo
 * follow the divisor's sign; CPython's ZeroDivisionError messages), conversion to int. */
#include <math.h>

#include "vm.h"

static double fmod_py(double a, double b) {
    double m = fmod(a, b);
    if (m != 0.0) {
        if ((b < 0) != (m < 0)) m += b;
    } else {
        m = copysign(0.0, b);
    }
    return m;
}

static double floordiv_py(double a, double b) {
    double m = fmod(a, b);
    double div = (a - m) / b;
    if (m != 0.0 && ((b < 0) != (m < 0))) div -= 1.0;
    double fl;
    if (div != 0.0) {
        fl = floor(div);
        if (div - fl > 0.5) fl += 1.0;
    } else {
        fl = copysign(0.0, a / b);
    }
    return fl;
}

sim_obj *sim__float_binop(sim_vm *vm, int op, double a, double b) {
    switch (op) {
    case SIM_BINOP_ADD: return sim_float_new(vm, a + b);
    case SIM_BINOP_SUB: return sim_float_new(vm, a - b);
    case SIM_BINOP_MUL: return sim_float_new(vm, a * b);
    case SIM_BINOP_TRUEDIV:
        if (b == 0.0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "float division by zero");
        return sim_float_new(vm, a / b);
    case SIM_BINOP_FLOORDIV:
        if (b == 0.0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "float floor division by zero");
        return sim_float_new(vm, floordiv_py(a, b));
    case SIM_BINOP_MOD:
        if (b == 0.0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "float modulo");
        return sim_float_new(vm, fmod_py(a, b));
    case SIM_BINOP_POW:
        if (a == 0.0 && b < 0.0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        if (a < 0.0 && b != floor(b))
            return sim_raise_msg(vm, SIM_E_ValueError, "aiosim does not support complex numbers (negative number to a fractional power)");
        {
            double r = pow(a, b);
            if (isinf(r) && isfinite(a) && isfinite(b))
                return sim_raise_msg(vm, SIM_E_OverflowError, "(34, 'Numerical result out of range')");
            return sim_float_new(vm, r);
        }
    default:
        return sim_raise_msg(vm, SIM_E_TypeError, "unsupported operand type(s) for %s: 'float' and 'float'",
                             sim_binop_symbol((unsigned)op));
    }
}

sim_obj *sim__float_divmod(sim_vm *vm, double a, double b) {
    if (b == 0.0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "float divmod()");
    sim_obj *q = sim_float_new(vm, floordiv_py(a, b));
    sim_push(vm, q);
    sim_obj *m = sim_float_new(vm, fmod_py(a, b));
    sim_push(vm, m);
    sim_obj *items[2] = {q, m};
    sim_obj *t = sim_tuple_new(vm, 2, items);
    sim_pop(vm, 2);
    return t;
}

/* int(x) of a float: truncation with CPython's errors for inf and nan. */
sim_obj *sim__float_to_int(sim_vm *vm, double d) {
    pyfmt_err err = {0};
    if (pyfmt_float_to_int_error(d, &err) != PYFMT_OK) return sim__raise_pyfmt(vm, &err);
    double t = trunc(d);
    if (t >= 9223372036854775808.0 || t < -9223372036854775808.0) return sim_raise_overflow(vm);
    return sim_int_new(vm, (int64_t)t);
}

