/* int.c — 64-bit ints. aiosim's ints are 64-bit: a result that does not fit raises
 * OverflowError instead of growing (or wrapping). Float arithmetic is in float.c. */
#include <math.h>

#include "vm.h"

sim_obj *sim_raise_overflow(sim_vm *vm) {
    return sim_raise_msg(vm, SIM_E_OverflowError,
                         "integer overflow: aiosim ints are 64-bit (result out of range)");
}

static int64_t floordiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static int64_t floormod(int64_t a, int64_t b) {
    int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    return m;
}

static sim_obj *int_pow(sim_vm *vm, int64_t a, int64_t b) {
    if (b < 0) {
        if (a == 0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return sim_float_new(vm, pow((double)a, (double)b));
    }
    int64_t r = 1;
    while (b) {
        if (b & 1 && __builtin_mul_overflow(r, a, &r)) return sim_raise_overflow(vm);
        b >>= 1;
        if (b && __builtin_mul_overflow(a, a, &a)) return sim_raise_overflow(vm);
    }
    return sim_int_new(vm, r);
}

sim_obj *sim__int_binop(sim_vm *vm, int op, int64_t a, int64_t b) {
    int64_t r;
    switch (op) {
    case SIM_BINOP_ADD:
        if (__builtin_add_overflow(a, b, &r)) return sim_raise_overflow(vm);
        return sim_int_new(vm, r);
    case SIM_BINOP_SUB:
        if (__builtin_sub_overflow(a, b, &r)) return sim_raise_overflow(vm);
        return sim_int_new(vm, r);
    case SIM_BINOP_MUL:
        if (__builtin_mul_overflow(a, b, &r)) return sim_raise_overflow(vm);
        return sim_int_new(vm, r);
    case SIM_BINOP_TRUEDIV:
        if (b == 0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "division by zero");
        return sim_float_new(vm, (double)a / (double)b);
    case SIM_BINOP_FLOORDIV:
        if (b == 0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "integer division or modulo by zero");
        if (a == INT64_MIN && b == -1) return sim_raise_overflow(vm);
        return sim_int_new(vm, floordiv(a, b));
    case SIM_BINOP_MOD:
        if (b == 0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "integer modulo by zero");
        if (b == -1) return sim_int_new(vm, 0);
        return sim_int_new(vm, floormod(a, b));
    case SIM_BINOP_POW: return int_pow(vm, a, b);
    case SIM_BINOP_LSHIFT:
        if (b < 0) return sim_raise_msg(vm, SIM_E_ValueError, "negative shift count");
        if (a == 0) return sim_int_new(vm, 0);
        if (b >= 63 || (a > 0 ? a > (INT64_MAX >> b) : a < (INT64_MIN >> b))) return sim_raise_overflow(vm);
        return sim_int_new(vm, (int64_t)((uint64_t)a << b));
    case SIM_BINOP_RSHIFT:
        if (b < 0) return sim_raise_msg(vm, SIM_E_ValueError, "negative shift count");
        if (b >= 64) return sim_int_new(vm, a < 0 ? -1 : 0);
        return sim_int_new(vm, a >> b);
    case SIM_BINOP_AND: return sim_int_new(vm, a & b);
    case SIM_BINOP_OR: return sim_int_new(vm, a | b);
    case SIM_BINOP_XOR: return sim_int_new(vm, a ^ b);
    default:
        return sim_raise_msg(vm, SIM_E_TypeError, "unsupported operand type(s) for @: 'int' and 'int'");
    }
}

/* divmod for ints, used by builtins.divmod */
sim_obj *sim__int_divmod(sim_vm *vm, int64_t a, int64_t b) {
    if (b == 0) return sim_raise_msg(vm, SIM_E_ZeroDivisionError, "integer division or modulo by zero");
    if (a == INT64_MIN && b == -1) return sim_raise_overflow(vm);
    sim_obj *q = sim_int_new(vm, floordiv(a, b));
    sim_push(vm, q);
    sim_obj *m = sim_int_new(vm, floormod(a, b));
    sim_push(vm, m);
    sim_obj *items[2] = {q, m};
    sim_obj *t = sim_tuple_new(vm, 2, items);
    sim_pop(vm, 2);
    return t;
}

/* int(s, base) */
sim_obj *sim__int_from_str(sim_vm *vm, sim_obj *s, int base) {
    long long v;
    pyfmt_err err = {0};
    int rc = pyfmt_parse_int(SIM_CSTR(s), SIM_STR(s)->len, base, &v, NULL, &err);
    if (rc == PYFMT_EOVERFLOW) return sim_raise_overflow(vm);
    if (rc != PYFMT_OK) return sim__raise_pyfmt(vm, &err);
    return sim_int_new(vm, (int64_t)v);
}
