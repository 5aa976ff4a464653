/* vm_eval.c — the bytecode interpreter (opcodes.h is the contract).
 *
 * One C call of sim__eval runs one frame until it returns, raises or yields. The
 * frame's value stack lives in the frame (f->slots after locals and cells) and f->sp
 * is kept exact at every instruction, so a collection in the middle of any operation
 * sees every value the frame holds: operands are popped only after the operation. */
#include <string.h>

#include "code.h"
#include "vm.h"

#define STACK (f->slots + f->nlocals + f->ncells)
#define PUSH(v) (stack[f->sp++] = (v))
#define POP() (stack[--f->sp])
#define TOP() (stack[f->sp - 1])
#define PEEK(n) (stack[f->sp - (n)])
#define DROP(n) (f->sp -= (n))

sim_obj *sim__eval_helper_unpack(sim_vm *vm, sim_frame *f, uint32_t arg, bool ex);
int sim__format_value(sim_vm *vm, sim_frame *f, uint32_t flags);
int sim__do_raise(sim_vm *vm, sim_frame *f, uint32_t arg, bool *reraise);
sim_obj *sim__get_awaitable(sim_vm *vm, sim_obj *o, uint32_t where);
int sim__yield_from(sim_vm *vm, sim_frame *f, sim_obj *exc, sim_obj **yielded_value);
int sim__build_map(sim_vm *vm, sim_frame *f, uint32_t n);
int sim__call_ex(sim_vm *vm, sim_frame *f, uint32_t flags);
sim_obj *sim__op_make_function(sim_vm *vm, sim_frame *f, uint32_t flags);
int sim__dict_merge(sim_vm *vm, sim_obj *d, sim_obj *m, sim_obj *callable);
sim_obj *sim__import_from(sim_vm *vm, sim_obj *mod, sim_obj *name);
int sim__import_star(sim_vm *vm, sim_frame *f, sim_obj *mod);
int sim__check_exc_match(sim_vm *vm, sim_obj *exc, sim_obj *t);
int sim__before_with(sim_vm *vm, sim_frame *f, bool async);

/* NameError with .name set; the frame's globals ride along (in `value`) for the
 * traceback's "Did you mean" suggestion. */
static sim_obj *name_error(sim_vm *vm, sim_obj *name) {
    sim_raise_msg(vm, SIM_E_NameError, "name '%s' is not defined", SIM_CSTR(name));
    sim_exc *e = (sim_exc *)vm->ts->exc;
    e->dict = sim_dict_new(vm);
    sim_dict_setstr(vm, e->dict, "name", name);
    if (vm->ts->frame) e->value = vm->ts->frame->globals;
    return NULL;
}

static sim_obj *load_global(sim_vm *vm, sim_frame *f, sim_obj *name) {
    sim_obj *v = sim_dict_getstr(vm, f->globals, name);
    if (!v) v = sim_dict_getstr(vm, f->builtins, name);
    if (!v) return name_error(vm, name);
    return v;
}

static sim_obj *load_name(sim_vm *vm, sim_frame *f, sim_obj *name) {
    sim_obj *v;
    if (f->locals && f->locals != f->globals) {
        if (SIM_IS_DICT(f->locals)) {
            v = sim_dict_getstr(vm, f->locals, name);
        } else {
            v = sim_getitem(vm, f->locals, name);
            if (!v && sim_exc_matches(vm, SIM_E_KeyError)) sim_exc_fetch(vm);
            else if (!v) return NULL;
        }
        if (v) return v;
    }
    return load_global(vm, f, name);
}

static sim_obj *unbound_local(sim_vm *vm, sim_obj *name) {
    return sim_raise_msg(vm, SIM_E_UnboundLocalError,
                         "cannot access local variable '%s' where it is not associated with a value", SIM_CSTR(name));
}

static sim_obj *unbound_deref(sim_vm *vm, sim_frame *f, uint32_t i) {
    const sim_code *c = f->co->code;
    sim_obj *name = SIM_TUPLE(f->co->cellnames)->items[i];
    if (i < c->ncellvars) return unbound_local(vm, name);
    return sim_raise_msg(vm, SIM_E_NameError,
                         "cannot access free variable '%s' where it is not associated with a value in enclosing scope",
                         SIM_CSTR(name));
}

bool sim__step_limit(sim_vm *vm) {
    if (vm->opt.max_steps && vm->steps > vm->opt.max_steps) vm->limit_hit = true;
    if (!vm->limit_hit) return false;
    if (!vm->ts->exc)
        sim_raise_msg(vm, SIM_E_SystemError, vm->opt.max_steps && vm->steps > vm->opt.max_steps
                      ? "aiosim: step limit reached" : "aiosim: memory limit reached");
    return true;
}

static void frame_enter(sim_vm *vm, sim_frame *f) {
    f->back = vm->ts->frame;
    vm->ts->frame = f;
    vm->ts->depth++;
}

static void frame_leave(sim_vm *vm, sim_frame *f) {
    vm->ts->frame = f->back;
    f->back = NULL;
    vm->ts->depth--;
}

static sim_obj *compare(sim_vm *vm, uint32_t arg, sim_obj *a, sim_obj *b) {
    if (SIM_KIND(a) == SIM_K_INT && SIM_KIND(b) == SIM_K_INT) {
        int64_t x = SIM_INT(a), y = SIM_INT(b);
        bool r;
        switch (arg) {
        case SIM_CMP_LT: r = x < y; break;
        case SIM_CMP_LE: r = x <= y; break;
        case SIM_CMP_EQ: r = x == y; break;
        case SIM_CMP_NE: r = x != y; break;
        case SIM_CMP_GT: r = x > y; break;
        default: r = x >= y; break;
        }
        return r ? vm->true_ : vm->false_;
    }
    return sim_richcompare(vm, a, b, (int)arg);
}

/* FOR_ITER's next: inline for lists and ranges. NULL with no exception: exhausted. */
static sim_obj *for_next(sim_vm *vm, sim_obj *it) {
    if (SIM_KIND(it) == SIM_K_ITER) {
        sim_iterobj *i = (sim_iterobj *)it;
        if (it->type == vm->types[SIM_T_range_iterator]) {
            if (i->n <= 0) return NULL;
            i->n--;
            int64_t v = i->i;
            i->i += i->step;
            return sim_int_new(vm, v);
        }
        if (it->type == vm->types[SIM_T_list_iterator]) {
            if (!i->src || (size_t)i->i >= SIM_LIST(i->src)->len) { i->src = NULL; return NULL; }
            return SIM_LIST(i->src)->items[i->i++];
        }
        return sim__iter_next(vm, it);
    }
    return sim_next(vm, it);
}

/* Calls stack[-n-1](stack[-n..]) with kwnames; pops them and pushes the result. */
static int do_call(sim_vm *vm, sim_frame *f, sim_obj **stack, uint32_t n, sim_obj *kwnames, uint32_t extra) {
    size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
    sim_obj **args = &stack[f->sp - n];
    sim_obj *fn = args[-1];
    vm->steps++;
    sim_obj *r = sim_call(vm, fn, args, (int)(n - nkw), kwnames);
    if (!r) return -1;
    DROP(n + 1 + extra);
    PUSH(r);
    return 0;
}

/* The interpreter. `sent`/`thrown` resume a suspended generator frame; *yielded says
 * whether the returned value was yielded (the frame stays suspended) or returned. */
sim_obj *sim__eval(sim_vm *vm, sim_frame *f, sim_obj *sent, sim_obj *thrown, bool *yielded) {
    *yielded = false;
    if (vm->ts->depth >= vm->recursion_limit) {
        return sim_raise_msg(vm, SIM_E_RecursionError, "maximum recursion depth exceeded");
    }
    frame_enter(vm, f);
    const sim_code *code = f->co->code;
    const uint32_t *ins = code->code;
    sim_obj **consts = SIM_TUPLE(f->co->consts)->items;
    sim_obj **names = SIM_TUPLE(f->co->names)->items;
    sim_obj **locals = f->slots;
    sim_obj **cells = f->slots + f->nlocals;
    sim_obj **stack = STACK;
    uint32_t pc = f->pc;
    bool reraise = false;

    if (!f->started) {
        f->started = true;
    } else if (thrown) {
        f->lasti = f->in_yield_from ? pc : (pc ? pc - 1 : 0);
        if (f->in_yield_from) {
            f->in_yield_from = false;
            sim_obj *yv;
            int r = sim__yield_from(vm, f, thrown, &yv);
            if (r == 1) goto do_yield_from_suspend;
            if (r < 0) goto error;
            pc++;
        } else {
            sim_raise(vm, thrown);
            goto error;
        }
    } else {
        PUSH(sent);
    }

    for (;;) {
        uint32_t w = ins[pc];
        uint32_t arg = SIM_ARG(w);
        f->lasti = pc++;
        switch (SIM_OP(w)) {
        case SIM_OP_NOP:
            break;
        case SIM_OP_ASYNC_GEN_WRAP:
            /* nothing to wrap: a `yield` suspends at YIELD_VALUE, an `await` at
             * YIELD_FROM (f->in_yield_from), and asend tells them apart by that */
            break;
        case SIM_OP_POP_TOP:
            DROP(1);
            break;
        case SIM_OP_COPY: {
            sim_obj *v = PEEK(arg);
            PUSH(v);
            break;
        }
        case SIM_OP_SWAP: {
            sim_obj *t = TOP();
            TOP() = PEEK(arg);
            PEEK(arg) = t;
            break;
        }
        case SIM_OP_LOAD_CONST:
            PUSH(consts[arg]);
            break;
        case SIM_OP_LOAD_FAST: {
            sim_obj *v = locals[arg];
            if (!v) { unbound_local(vm, SIM_TUPLE(f->co->varnames)->items[arg]); goto error; }
            PUSH(v);
            break;
        }
        case SIM_OP_STORE_FAST:
            locals[arg] = POP();
            break;
        case SIM_OP_DELETE_FAST:
            if (!locals[arg]) { unbound_local(vm, SIM_TUPLE(f->co->varnames)->items[arg]); goto error; }
            locals[arg] = NULL;
            break;
        case SIM_OP_LOAD_DEREF: {
            sim_obj *v = ((sim_cell *)cells[arg])->v;
            if (!v) { unbound_deref(vm, f, arg); goto error; }
            PUSH(v);
            break;
        }
        case SIM_OP_STORE_DEREF:
            ((sim_cell *)cells[arg])->v = POP();
            break;
        case SIM_OP_DELETE_DEREF:
            if (!((sim_cell *)cells[arg])->v) { unbound_deref(vm, f, arg); goto error; }
            ((sim_cell *)cells[arg])->v = NULL;
            break;
        case SIM_OP_LOAD_CLOSURE:
            PUSH(cells[arg]);
            break;
        case SIM_OP_LOAD_CLASSDEREF: {
            sim_obj *name = SIM_TUPLE(f->co->cellnames)->items[arg];
            sim_obj *v = f->locals ? sim_dict_getstr(vm, f->locals, name) : NULL;
            if (!v) v = ((sim_cell *)cells[arg])->v;
            if (!v) { unbound_deref(vm, f, arg); goto error; }
            PUSH(v);
            break;
        }
        case SIM_OP_LOAD_NAME: {
            sim_obj *v = load_name(vm, f, names[arg]);
            if (!v) goto error;
            PUSH(v);
            break;
        }
        case SIM_OP_STORE_NAME: {
            sim_obj *d = f->locals ? f->locals : f->globals;
            if (SIM_IS_DICT(d) ? sim_dict_set(vm, d, names[arg], TOP()) < 0
                               : sim_setitem(vm, d, names[arg], TOP()) < 0)
                goto error;
            DROP(1);
            break;
        }
        case SIM_OP_DELETE_NAME: {
            sim_obj *d = f->locals ? f->locals : f->globals;
            int r = sim_dict_del(vm, d, names[arg]);
            if (r < 0) goto error;
            if (r == 0) { name_error(vm, names[arg]); goto error; }
            break;
        }
        case SIM_OP_LOAD_GLOBAL: {
            sim_gcache *gc = &f->co->gcache[arg];
            sim_dict *gd = SIM_DICT(f->globals), *bd = SIM_DICT(f->builtins);
            if (gc->value && gc->globals == f->globals && gc->gver == gd->version && gc->builtins == f->builtins &&
                gc->bver == bd->version) {
                PUSH(gc->value);
                break;
            }
            sim_obj *v = load_global(vm, f, names[arg]);
            if (!v) goto error;
            gc->globals = f->globals;
            gc->builtins = f->builtins;
            gc->gver = gd->version;
            gc->bver = bd->version;
            gc->value = v;
            PUSH(v);
            break;
        }
        case SIM_OP_STORE_GLOBAL:
            if (sim_dict_set(vm, f->globals, names[arg], TOP()) < 0) goto error;
            DROP(1);
            break;
        case SIM_OP_DELETE_GLOBAL: {
            int r = sim_dict_del(vm, f->globals, names[arg]);
            if (r < 0) goto error;
            if (r == 0) { name_error(vm, names[arg]); goto error; }
            break;
        }
        case SIM_OP_LOAD_ATTR: {
            sim_obj *v = sim_getattr(vm, TOP(), names[arg]);
            if (!v) goto error;
            TOP() = v;
            break;
        }
        case SIM_OP_STORE_ATTR:
            if (sim_setattr(vm, TOP(), names[arg], PEEK(2)) < 0) goto error;
            DROP(2);
            break;
        case SIM_OP_DELETE_ATTR:
            if (sim_setattr(vm, TOP(), names[arg], NULL) < 0) goto error;
            DROP(1);
            break;
        case SIM_OP_LOAD_METHOD: {
            sim_obj *o = TOP();
            sim_mcache *mc = &f->co->mcache[arg];
            if (mc->type == o->type && mc->epoch == vm->type_epoch) {
                sim_obj *d = SIM_KIND(o) == SIM_K_OBJECT ? ((sim_instance *)o)->dict : NULL;
                if (SIM_KIND(o) == SIM_K_CNATIVE || (SIM_KIND(o) == SIM_K_OBJECT && (!d || !sim_dict_getstr(vm, d, names[arg])))) {
                    TOP() = mc->attr;
                    PUSH(o);
                    break;
                }
            }
            sim_obj *self;
            sim_obj *m = sim__getmethod(vm, o, names[arg], &self);
            if (!m) goto error;
            if (self && (SIM_KIND(o) == SIM_K_OBJECT || SIM_KIND(o) == SIM_K_CNATIVE)) {
                mc->type = o->type;
                mc->epoch = vm->type_epoch;
                mc->attr = m;
            }
            if (self) {
                TOP() = m;
                PUSH(self);
            } else {
                TOP() = NULL;
                PUSH(m);
            }
            break;
        }
        case SIM_OP_BINARY_SUBSCR: {
            sim_obj *c = PEEK(2), *k = TOP(), *v;
            if (c->type == vm->types[SIM_T_list] && SIM_KIND(k) == SIM_K_INT) {
                int64_t i = SIM_INT(k), n = (int64_t)SIM_LIST(c)->len;
                if (i < 0) i += n;
                if (i < 0 || i >= n) { sim_raise_msg(vm, SIM_E_IndexError, "list index out of range"); goto error; }
                v = SIM_LIST(c)->items[i];
            } else {
                v = sim_getitem(vm, c, k);
                if (!v) goto error;
            }
            DROP(1);
            TOP() = v;
            break;
        }
        case SIM_OP_STORE_SUBSCR:
            if (sim_setitem(vm, PEEK(2), TOP(), PEEK(3)) < 0) goto error;
            DROP(3);
            break;
        case SIM_OP_DELETE_SUBSCR:
            if (sim_setitem(vm, PEEK(2), TOP(), NULL) < 0) goto error;
            DROP(2);
            break;
        case SIM_OP_BUILD_SLICE: {
            sim_obj *s = arg == 3 ? sim_slice_new(vm, PEEK(3), PEEK(2), TOP())
                                  : sim_slice_new(vm, PEEK(2), TOP(), vm->none);
            DROP(arg);
            PUSH(s);
            break;
        }
        case SIM_OP_UNARY_NEGATIVE: case SIM_OP_UNARY_POSITIVE: case SIM_OP_UNARY_INVERT: {
            int op = SIM_OP(w) == SIM_OP_UNARY_NEGATIVE ? SIM_U_NEG : SIM_OP(w) == SIM_OP_UNARY_POSITIVE ? SIM_U_POS : SIM_U_INVERT;
            sim_obj *v = sim_unary(vm, op, TOP());
            if (!v) goto error;
            TOP() = v;
            break;
        }
        case SIM_OP_UNARY_NOT: {
            sim_obj *v = TOP();
            int t = v == vm->true_ ? 1 : v == vm->false_ || v == vm->none ? 0 : sim_truthy(vm, v);
            if (t < 0) goto error;
            TOP() = t ? vm->false_ : vm->true_;
            break;
        }
        case SIM_OP_BINARY_OP: {
            sim_obj *a = PEEK(2), *b = TOP(), *v;
            int op = (int)(arg & (SIM_BINOP_INPLACE - 1));
            if (SIM_KIND(a) == SIM_K_INT && SIM_KIND(b) == SIM_K_INT && a->type == b->type &&
                a->type == vm->types[SIM_T_int]) {
                v = sim__int_binop(vm, op, SIM_INT(a), SIM_INT(b));
            } else {
                v = sim_binary_op(vm, op, a, b, arg >= SIM_BINOP_INPLACE);
            }
            if (!v) goto error;
            DROP(1);
            TOP() = v;
            break;
        }
        case SIM_OP_COMPARE_OP: {
            sim_obj *v = compare(vm, arg, PEEK(2), TOP());
            if (!v) goto error;
            DROP(1);
            TOP() = v;
            break;
        }
        case SIM_OP_IS_OP: {
            bool r = (PEEK(2) == TOP()) != (arg == 1);
            DROP(1);
            TOP() = r ? vm->true_ : vm->false_;
            break;
        }
        case SIM_OP_CONTAINS_OP: {
            int r = sim_contains(vm, TOP(), PEEK(2));
            if (r < 0) goto error;
            DROP(1);
            TOP() = (r == 1) != (arg == 1) ? vm->true_ : vm->false_;
            break;
        }
        case SIM_OP_BUILD_TUPLE: {
            sim_obj *t = sim_tuple_new(vm, arg, &stack[f->sp - arg]);
            DROP(arg);
            PUSH(t);
            break;
        }
        case SIM_OP_BUILD_LIST: {
            sim_obj *l = sim_list_new(vm, arg, &stack[f->sp - arg]);
            DROP(arg);
            PUSH(l);
            break;
        }
        case SIM_OP_BUILD_SET: {
            if (arg > 2 && pc > arg) {
                /* a display of constants: CPython folds it (see sim__set_from_consts) */
                uint32_t k = 0;
                while (k < arg && SIM_OP(ins[pc - 2 - k]) == SIM_OP_LOAD_CONST) k++;
                if (k == arg) {
                    sim_obj *s = sim__set_from_consts(vm, &stack[f->sp - arg], arg);
                    if (!s) goto error;
                    DROP(arg);
                    PUSH(s);
                    break;
                }
            }
            sim_obj *s = sim_set_new(vm, false);
            PUSH(s);
            for (uint32_t i = 0; i < arg; i++)
                if (sim_set_add(vm, s, stack[f->sp - 1 - arg + i]) < 0) goto error;
            DROP(arg + 1);
            PUSH(s);
            break;
        }
        case SIM_OP_BUILD_MAP:
            if (sim__build_map(vm, f, arg) < 0) goto error;
            break;
        case SIM_OP_BUILD_STRING: {
            pyfmt_buf b;
            pyfmt_buf_init(&b);
            for (uint32_t i = 0; i < arg; i++) {
                sim_obj *s = stack[f->sp - arg + i];
                pyfmt_buf_append(&b, SIM_CSTR(s), SIM_STR(s)->len);
            }
            sim_obj *s = sim__str_from_buf(vm, &b);
            DROP(arg);
            PUSH(s);
            break;
        }
        case SIM_OP_LIST_APPEND:
            sim_list_append(vm, PEEK(arg + 1), TOP());
            DROP(1);
            break;
        case SIM_OP_SET_ADD:
            if (sim_set_add(vm, PEEK(arg + 1), TOP()) < 0) goto error;
            DROP(1);
            break;
        case SIM_OP_MAP_ADD:
            if (sim_dict_set(vm, PEEK(arg + 2), PEEK(2), TOP()) < 0) goto error;
            DROP(2);
            break;
        case SIM_OP_LIST_EXTEND:
            if (sim__list_extend(vm, PEEK(arg + 1), TOP()) < 0) {
                if (sim_exc_matches(vm, SIM_E_TypeError) && !sim__type_lookup(TOP()->type, vm->n.__iter__) &&
                    SIM_KIND(TOP()) != SIM_K_GEN && SIM_KIND(TOP()) != SIM_K_ITER) {
                    sim_exc_fetch(vm);
                    sim_raise_msg(vm, SIM_E_TypeError, "Value after * must be an iterable, not %s", sim_type_name(TOP()));
                }
                goto error;
            }
            DROP(1);
            break;
        case SIM_OP_SET_UPDATE:
            if (sim__set_update(vm, PEEK(arg + 1), TOP()) < 0) goto error;
            DROP(1);
            break;
        case SIM_OP_DICT_UPDATE:
            if (!SIM_IS_DICT(TOP()) && !sim__type_lookup(TOP()->type, vm->n.keys)) {
                sim_raise_msg(vm, SIM_E_TypeError, "'%s' object is not a mapping", sim_type_name(TOP()));
                goto error;
            }
            if (sim__dict_update(vm, PEEK(arg + 1), TOP()) < 0) goto error;
            DROP(1);
            break;
        case SIM_OP_DICT_MERGE:
            if (sim__dict_merge(vm, PEEK(arg + 1), TOP(), PEEK(arg + 3)) < 0) goto error;
            DROP(1);
            break;
        case SIM_OP_LIST_TO_TUPLE: {
            sim_obj *t = sim_tuple_new(vm, SIM_LIST(TOP())->len, SIM_LIST(TOP())->items);
            TOP() = t;
            break;
        }
        case SIM_OP_FORMAT_VALUE:
            if (sim__format_value(vm, f, arg) < 0) goto error;
            break;
        case SIM_OP_UNPACK_SEQUENCE: case SIM_OP_UNPACK_EX:
            if (!sim__eval_helper_unpack(vm, f, arg, SIM_OP(w) == SIM_OP_UNPACK_EX)) goto error;
            break;
        case SIM_OP_JUMP:
            if (arg < pc) {
                vm->steps++;
                if ((vm->opt.max_steps || vm->limit_hit) && sim__step_limit(vm)) goto error;
            }
            pc = arg;
            break;
        case SIM_OP_POP_JUMP_IF_FALSE: case SIM_OP_POP_JUMP_IF_TRUE: {
            sim_obj *v = TOP();
            int t = v == vm->true_ ? 1 : v == vm->false_ || v == vm->none ? 0 : sim_truthy(vm, v);
            if (t < 0) goto error;
            DROP(1);
            if (t == (SIM_OP(w) == SIM_OP_POP_JUMP_IF_TRUE)) pc = arg;
            break;
        }
        case SIM_OP_POP_JUMP_IF_NONE:
            if (POP() == vm->none) pc = arg;
            break;
        case SIM_OP_POP_JUMP_IF_NOT_NONE:
            if (POP() != vm->none) pc = arg;
            break;
        case SIM_OP_JUMP_IF_FALSE_OR_POP: case SIM_OP_JUMP_IF_TRUE_OR_POP: {
            int t = sim_truthy(vm, TOP());
            if (t < 0) goto error;
            if (t == (SIM_OP(w) == SIM_OP_JUMP_IF_TRUE_OR_POP)) pc = arg;
            else DROP(1);
            break;
        }
        case SIM_OP_GET_ITER: {
            sim_obj *it = sim_iter(vm, TOP());
            if (!it) goto error;
            TOP() = it;
            break;
        }
        case SIM_OP_FOR_ITER: {
            sim_obj *v = for_next(vm, TOP());
            if (!v) {
                if (sim_exc_occurred(vm)) goto error;
                DROP(1);
                pc = arg;
            } else {
                PUSH(v);
            }
            break;
        }
        case SIM_OP_CALL:
            if (do_call(vm, f, stack, arg, NULL, 0) < 0) goto error;
            break;
        case SIM_OP_CALL_KW: {
            sim_obj *kw = TOP();
            size_t nkw = SIM_TUPLE(kw)->len;
            sim_obj **args = &stack[f->sp - 1 - arg];
            vm->steps++;
            sim_obj *r = sim_call(vm, args[-1], args, (int)(arg - nkw), kw);
            if (!r) goto error;
            DROP(arg + 2);
            PUSH(r);
            break;
        }
        case SIM_OP_CALL_METHOD: {
            sim_obj **args = &stack[f->sp - arg];
            sim_obj *m = args[-2], *r;
            vm->steps++;
            if (m) r = sim_call(vm, m, args - 1, (int)arg + 1, NULL);
            else r = sim_call(vm, args[-1], args, (int)arg, NULL);
            if (!r) goto error;
            DROP(arg + 2);
            PUSH(r);
            break;
        }
        case SIM_OP_CALL_EX:
            if (sim__call_ex(vm, f, arg) < 0) goto error;
            break;
        case SIM_OP_MAKE_FUNCTION:
            if (!sim__op_make_function(vm, f, arg)) goto error;
            break;
        case SIM_OP_RETURN_VALUE: {
            sim_obj *v = POP();
            f->finished = true;
            f->pc = pc;
            frame_leave(vm, f);
            return v;
        }
        case SIM_OP_YIELD_VALUE: {
            sim_obj *v = POP();
            f->pc = pc;
            f->in_yield_from = false;
            *yielded = true;
            frame_leave(vm, f);
            return v;
        }
        case SIM_OP_GET_AWAITABLE: {
            sim_obj *a = sim__get_awaitable(vm, TOP(), arg);
            if (!a) goto error;
            TOP() = a;
            break;
        }
        case SIM_OP_GET_YIELD_FROM_ITER: {
            sim_obj *o = TOP();
            if (SIM_KIND(o) != SIM_K_GEN) {
                sim_obj *it = sim_iter(vm, o);
                if (!it) goto error;
                TOP() = it;
            }
            break;
        }
        case SIM_OP_YIELD_FROM: {
            sim_obj *yv;
            int r = sim__yield_from(vm, f, NULL, &yv);
            if (r < 0) goto error;
            if (r == 1) {
                pc--;
                goto do_yield_from_suspend;
            }
            break;
        }
        case SIM_OP_GET_AITER: {
            sim_obj *o = TOP(), *r;
            if (o->type == vm->types[SIM_T_async_generator]) break;
            bool found;
            r = sim_call_dunder(vm, o, vm->n.__aiter__, NULL, 0, &found);
            if (!found) {
                sim_raise_msg(vm, SIM_E_TypeError, "'async for' requires an object with __aiter__ method, got %s",
                              sim_type_name(o));
                goto error;
            }
            if (!r) goto error;
            TOP() = r;
            break;
        }
        case SIM_OP_GET_ANEXT: {
            sim_obj *o = TOP(), *r;
            bool found;
            if (o->type == vm->types[SIM_T_async_generator]) {
                r = sim_call_method(vm, o, "__anext__", NULL, 0);
                found = true;
            } else {
                r = sim_call_dunder(vm, o, vm->n.__anext__, NULL, 0, &found);
            }
            if (!found) {
                sim_raise_msg(vm, SIM_E_TypeError, "'async for' requires an iterator with __anext__ method, got %s",
                              sim_type_name(o));
                goto error;
            }
            if (!r) goto error;
            PUSH(r);
            sim_obj *a = sim__get_awaitable(vm, r, 0);
            if (!a) goto error;
            TOP() = a;
            break;
        }
        case SIM_OP_END_ASYNC_FOR: {
            sim_obj *exc = TOP();
            if (sim_isinstance_type(exc, vm->exc_types[SIM_E_StopAsyncIteration])) {
                DROP(2);
                break;
            }
            DROP(1);
            vm->ts->exc = exc;
            reraise = true;
            goto error;
        }
        case SIM_OP_BEFORE_WITH: case SIM_OP_BEFORE_ASYNC_WITH:
            if (sim__before_with(vm, f, SIM_OP(w) == SIM_OP_BEFORE_ASYNC_WITH) < 0) goto error;
            break;
        case SIM_OP_WITH_EXCEPT_START: {
            sim_obj *exc = TOP(), *exit = PEEK(3);
            sim_obj *args[3] = {(sim_obj *)exc->type, exc, vm->none};
            sim_obj *r = sim_call(vm, exit, args, 3, NULL);
            if (!r) goto error;
            PUSH(r);
            break;
        }
        case SIM_OP_PUSH_EXC_INFO: {
            sim_obj *exc = TOP();
            TOP() = f->handled ? f->handled : vm->none;
            PUSH(exc);
            f->handled = exc;
            break;
        }
        case SIM_OP_POP_EXCEPT: {
            sim_obj *prev = POP();
            f->handled = prev == vm->none ? NULL : prev;
            break;
        }
        case SIM_OP_CHECK_EXC_MATCH: {
            int r = sim__check_exc_match(vm, PEEK(2), TOP());
            if (r < 0) goto error;
            TOP() = r ? vm->true_ : vm->false_;
            break;
        }
        case SIM_OP_CHECK_EG_MATCH: {            /* exc T -> exc None | rest match */
            sim_obj *match, *rest;
            if (sim__check_eg_match(vm, PEEK(2), TOP(), &match, &rest) < 0) goto error;
            if (!match) {
                TOP() = vm->none;
                break;
            }
            PEEK(2) = rest ? rest : vm->none;
            TOP() = match;
            f->handled = match;
            break;
        }
        case SIM_OP_PREP_RERAISE_STAR: {         /* orig list -> exc or None */
            sim_obj *r = sim__prep_reraise_star(vm, PEEK(2), TOP());
            if (!r) goto error;
            DROP(1);
            TOP() = r;
            break;
        }
        case SIM_OP_RERAISE:
            vm->ts->exc = POP();
            reraise = true;
            goto error;
        case SIM_OP_RAISE_VARARGS:
            sim__do_raise(vm, f, arg, &reraise);
            goto error;
        case SIM_OP_LOAD_ASSERTION_ERROR:
            PUSH((sim_obj *)vm->exc_types[SIM_E_AssertionError]);
            break;
        case SIM_OP_LOAD_BUILD_CLASS:
            PUSH(vm->build_class);
            break;
        case SIM_OP_IMPORT_NAME: {
            sim_obj *m = sim__import(vm, names[arg], TOP());
            if (!m) goto error;
            TOP() = m;
            break;
        }
        case SIM_OP_IMPORT_FROM: {
            sim_obj *v = sim__import_from(vm, TOP(), names[arg]);
            if (!v) goto error;
            PUSH(v);
            break;
        }
        case SIM_OP_IMPORT_STAR:
            if (sim__import_star(vm, f, TOP()) < 0) goto error;
            DROP(1);
            break;
        default:
            sim_raise_msg(vm, SIM_E_SystemError, "aiosim: unexpected opcode %s", sim_opcode_name(SIM_OP(w)));
            goto error;
        }
        continue;

    do_yield_from_suspend: {
            /* the sub-iterator yielded: suspend at this YIELD_FROM, its value on top */
            sim_obj *v = POP();
            f->pc = pc;
            f->in_yield_from = true;
            *yielded = true;
            frame_leave(vm, f);
            return v;
        }

    error: {
            sim_obj *exc = vm->ts->exc;
            if (!exc) {
                sim_raise_msg(vm, SIM_E_SystemError, "error return without exception set");
                exc = vm->ts->exc;
            }
            if (!reraise) sim__tb_add(vm, exc, f);
            reraise = false;
            const sim_exc_entry *h = vm->limit_hit ? NULL : sim_code_find_handler(code, f->lasti);
            if (!h) {
                f->finished = true;
                frame_leave(vm, f);
                return NULL;
            }
            f->sp = h->depth;
            vm->ts->exc = NULL;
            PUSH(exc);
            pc = h->target;
        }
    }
}
