/* exc.c — exception classes (CPython's hierarchy), creating and raising exceptions. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

typedef struct exc_info { const char *name; int base; } exc_info;
void sim__exc_group_methods(sim_vm *vm);

static const exc_info EXC_INFO[] = {
#define EXC_INFO_ROW(n, b) {#n, SIM_E_##b},
    SIM_EXC_LIST(EXC_INFO_ROW)
#undef EXC_INFO_ROW
};

sim_type *sim_exc_type_new(sim_vm *vm, const char *name, const char *module, sim_type *base) {
    sim_type *t = (sim_type *)sim__alloc_raw(vm, vm->types[SIM_T_type], SIM_K_TYPE, sizeof(sim_type));
    sim_push(vm, (sim_obj *)t);
    if (vm->extra_types) sim_list_append(vm, vm->extra_types, (sim_obj *)t);
    t->kind = SIM_K_EXC;
    t->flags = SIM_TF_BASETYPE | SIM_TF_EXC;
    t->name = sim_intern(vm, name);
    t->qualname = t->name;
    if (module) t->module = sim_intern(vm, module);
    t->base = base ? base : vm->types[SIM_T_object];
    t->bases = sim_tuple_new(vm, 1, (sim_obj **)&t->base);
    t->dict = sim_dict_new(vm);
    t->mro = sim__linear_mro(vm, t);
    sim_pop(vm, 1);
    return t;
}

void sim__init_exceptions(sim_vm *vm) {
    for (int i = 0; i < SIM_E__COUNT; i++) {
        sim_type *base = i == SIM_E_BaseException ? NULL : vm->exc_types[EXC_INFO[i].base];
        vm->exc_types[i] = sim_exc_type_new(vm, EXC_INFO[i].name, NULL, base);
    }
    /* class ExceptionGroup(BaseExceptionGroup, Exception) */
    sim_type *eg = vm->exc_types[SIM_E_ExceptionGroup];
    sim_obj *bases[2] = {(sim_obj *)vm->exc_types[SIM_E_BaseExceptionGroup], (sim_obj *)vm->exc_types[SIM_E_Exception]};
    eg->bases = sim_tuple_new(vm, 2, bases);
    sim_obj *mro[5] = {(sim_obj *)eg, bases[0], bases[1], (sim_obj *)vm->exc_types[SIM_E_BaseException],
                       (sim_obj *)vm->types[SIM_T_object]};
    eg->mro = sim_tuple_new(vm, 5, mro);
}

sim_type *sim_exc_type(sim_vm *vm, sim_eid eid) { return vm->exc_types[eid]; }

sim_obj *sim_exc_new(sim_vm *vm, sim_type *t, sim_obj *args) {
    sim_push(vm, args);
    sim_exc *e = (sim_exc *)sim_instance_new(vm, t);
    sim_pop(vm, 1);
    e->args = args ? args : vm->empty_tuple;
    return &e->hdr;
}

/* The exception being handled by the innermost frame that handles one (the implicit
 * __context__ of a new exception). */
static sim_obj *handled_exception(sim_vm *vm) {
    for (sim_frame *f = vm->ts->frame; f; f = f->back)
        if (f->handled && f->handled != vm->none) return f->handled;
    return NULL;
}

void sim__set_context(sim_vm *vm, sim_obj *exc, sim_obj *context) {
    if (!context || context == exc || !SIM_IS_EXC(exc)) return;
    /* break a cycle the new link would make (CPython does the same) */
    for (sim_obj *c = context; c && SIM_IS_EXC(c); c = ((sim_exc *)c)->context) {
        if (((sim_exc *)c)->context == exc) { ((sim_exc *)c)->context = NULL; break; }
    }
    ((sim_exc *)exc)->context = context;
}

sim_obj *sim_raise(sim_vm *vm, sim_obj *exc) {
    sim__set_context(vm, exc, handled_exception(vm));
    vm->ts->exc = exc;
    return NULL;
}

static sim_obj *raise_vmsg(sim_vm *vm, sim_type *t, const char *fmt, va_list ap) {
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    sim_obj *msg;
    if (n < (int)sizeof small) {
        msg = sim_str_new(vm, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        msg = sim_str_new(vm, big, (size_t)n);
        free(big);
    }
    va_end(ap2);
    sim_push(vm, msg);
    sim_obj *args = sim_tuple_new(vm, 1, &msg);
    sim_push(vm, args);
    sim_obj *e = sim_exc_new(vm, t, args);
    sim_pop(vm, 2);
    return sim_raise(vm, e);
}

sim_obj *sim_raise_msg(sim_vm *vm, sim_eid eid, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    raise_vmsg(vm, vm->exc_types[eid], fmt, ap);
    va_end(ap);
    return NULL;
}

sim_obj *sim_raise_type(sim_vm *vm, sim_type *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    raise_vmsg(vm, t, fmt, ap);
    va_end(ap);
    return NULL;
}

sim_obj *sim_raise_keyerror(sim_vm *vm, sim_obj *key) {
    sim_obj *args = sim_tuple_new(vm, 1, &key);
    sim_push(vm, args);
    sim_obj *e = sim_exc_new(vm, vm->exc_types[SIM_E_KeyError], args);
    sim_pop(vm, 1);
    return sim_raise(vm, e);
}

sim_obj *sim_exc_occurred(sim_vm *vm) { return vm->ts->exc; }

sim_obj *sim_exc_fetch(sim_vm *vm) {
    sim_obj *e = vm->ts->exc;
    vm->ts->exc = NULL;
    return e;
}

bool sim_exc_matches(sim_vm *vm, sim_eid eid) {
    sim_obj *e = vm->ts->exc;
    return e && sim_isinstance_type(e, vm->exc_types[eid]);
}

/* str(exc): '' / str(arg) / str(args); KeyError shows the repr of its key. */
sim_obj *sim__exc_str(sim_vm *vm, sim_obj *o) {
    sim_exc *e = (sim_exc *)o;
    if (e->value && sim_isinstance_type(o, vm->exc_types[SIM_E_BaseExceptionGroup])) {
        sim_obj *a[1] = {o};
        return sim_call(vm, sim_dict_getstr(vm, vm->exc_types[SIM_E_BaseExceptionGroup]->dict, vm->n.__str__), a, 1, NULL);
    }
    size_t n = SIM_TUPLE(e->args)->len;
    if (n == 0) return vm->empty_str;
    if (n == 1) {
        sim_obj *a = SIM_TUPLE(e->args)->items[0];
        if (sim_isinstance_type(o, vm->exc_types[SIM_E_KeyError])) return sim_repr(vm, a);
        return sim_str(vm, a);
    }
    if (n <= 3 && sim_isinstance_type(o, vm->exc_types[SIM_E_OSError])) {
        /* OSError_str: "[Errno {errno}] {strerror}" (+ ": {filename!r}") */
        sim_obj *en = sim_str(vm, SIM_TUPLE(e->args)->items[0]);
        if (!en) return NULL;
        sim_push(vm, en);
        sim_obj *se = sim_str(vm, SIM_TUPLE(e->args)->items[1]);
        sim_push(vm, se);
        sim_obj *fn = se && n == 3 ? sim_repr(vm, SIM_TUPLE(e->args)->items[2]) : NULL;
        sim_obj *r = !se || (n == 3 && !fn) ? NULL
                     : sim_str_fmt(vm, "[Errno %s] %s%s%s", SIM_CSTR(en), SIM_CSTR(se), fn ? ": " : "",
                                   fn ? SIM_CSTR(fn) : "");
        sim_pop(vm, 2);
        return r;
    }
    return sim_str(vm, e->args);
}

/* StopIteration(value).value; None without args. */
sim_obj *sim__stopiteration_value(sim_vm *vm, sim_obj *exc) {
    sim_exc *e = (sim_exc *)exc;
    if (e->value) return e->value;
    return SIM_TUPLE(e->args)->len ? SIM_TUPLE(e->args)->items[0] : vm->none;
}

/* ---- methods and attributes of BaseException ------------------------------------------ */

static sim_obj *exc_init(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *t = sim_tuple_new(vm, (size_t)(nargs - 1), args + 1);
    ((sim_exc *)args[0])->args = t;
    return vm->none;
}

static sim_obj *exc_str_m(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return sim__exc_str(vm, args[0]);
}

static sim_obj *exc_repr_m(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *o = args[0];
    sim_exc *e = (sim_exc *)o;
    if (SIM_TUPLE(e->args)->len == 1) {
        sim_obj *r = sim_repr(vm, SIM_TUPLE(e->args)->items[0]);
        if (!r) return NULL;
        return sim_str_fmt(vm, "%s(%s)", sim_type_name(o), SIM_CSTR(r));
    }
    sim_obj *r = sim_repr(vm, e->args);
    if (!r) return NULL;
    if (SIM_TUPLE(e->args)->len == 0) return sim_str_fmt(vm, "%s()", sim_type_name(o));
    return sim_str_fmt(vm, "%s%s", sim_type_name(o), SIM_CSTR(r));
}

static sim_obj *exc_with_traceback(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return args[0];
}

static sim_obj *exc_add_note(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return vm->none;
}

void sim__exc_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"__init__", exc_init, NULL, 0},
        {"__str__", exc_str_m, NULL, 0},
        {"__repr__", exc_repr_m, NULL, 0},
        {"with_traceback", exc_with_traceback, NULL, 0},
        {"add_note", exc_add_note, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    sim__add_methods(vm, vm->exc_types[SIM_E_BaseException], defs);
    sim__exc_group_methods(vm);
}

/* Attributes of exceptions that live in the C struct; NULL: not one of them. */
sim_obj *sim__exc_getattr(sim_vm *vm, sim_obj *o, sim_obj *name) {
    sim_exc *e = (sim_exc *)o;
    if (name == vm->n.args) return e->args;
    if (name == vm->n.__cause__) return e->cause ? e->cause : vm->none;
    if (name == vm->n.__context__) return e->context ? e->context : vm->none;
    if (name == vm->n.__suppress_context__) return sim_bool(vm, e->suppress_context);
    if (name == vm->n.__traceback__) return vm->none;
    if (name == vm->n.value && sim_isinstance_type(o, vm->exc_types[SIM_E_StopIteration]))
        return sim__stopiteration_value(vm, o);
    if (name == vm->n.code && sim_isinstance_type(o, vm->exc_types[SIM_E_SystemExit]))
        return SIM_TUPLE(e->args)->len ? SIM_TUPLE(e->args)->items[0] : vm->none;
    return NULL;
}

/* Sets C-struct attributes; returns 1 when handled. */
int sim__exc_setattr(sim_vm *vm, sim_obj *o, sim_obj *name, sim_obj *v) {
    sim_exc *e = (sim_exc *)o;
    if (name == vm->n.args) {
        sim_obj *t = sim_tuple_of(vm, v);
        if (!t) return -1;
        e->args = t;
        return 1;
    }
    if (name == vm->n.__cause__) {
        e->cause = v == vm->none ? NULL : v;
        e->suppress_context = true;
        return 1;
    }
    if (name == vm->n.__context__) { e->context = v == vm->none ? NULL : v; return 1; }
    if (name == vm->n.__suppress_context__) { e->suppress_context = v == vm->true_; return 1; }
    if (name == vm->n.__traceback__) return 1;
    return 0;
}

/* ---- BaseExceptionGroup / ExceptionGroup ---------------------------------------------------
 * args = (message, exceptions as given); `value` holds the exceptions as a tuple. */

static sim_obj *eg_new(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_no_kwargs(vm, "BaseExceptionGroup", kwnames) < 0) return NULL;
    if (nargs != 3)
        return sim_raise_msg(vm, SIM_E_TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (%d given)", nargs - 1);
    sim_type *cls = (sim_type *)args[0];
    if (!SIM_IS_STR(args[1]))
        return sim_raise_msg(vm, SIM_E_TypeError, "argument 1 must be str, not %s", sim_type_name(args[1]));
    if (!SIM_IS_LIST(args[2]) && !SIM_IS_TUPLE(args[2]))
        return sim_raise_msg(vm, SIM_E_TypeError, "second argument (exceptions) must be a sequence");
    sim_obj *excs = sim_tuple_of(vm, args[2]);
    if (!excs) return NULL;
    if (SIM_TUPLE(excs)->len == 0)
        return sim_raise_msg(vm, SIM_E_ValueError, "second argument (exceptions) must be a non-empty sequence");
    sim_push(vm, excs);
    bool all_exc = true;
    for (size_t i = 0; i < SIM_TUPLE(excs)->len; i++) {
        sim_obj *e = SIM_TUPLE(excs)->items[i];
        if (!SIM_IS_EXC(e)) {
            sim_pop(vm, 1);
            return sim_raise_msg(vm, SIM_E_ValueError, "Item %zu of second argument (exceptions) is not an exception", i);
        }
        all_exc &= sim_isinstance_type(e, vm->exc_types[SIM_E_Exception]);
    }
    if (cls == vm->exc_types[SIM_E_BaseExceptionGroup] && all_exc) cls = vm->exc_types[SIM_E_ExceptionGroup];
    else if (sim_issubtype(cls, vm->exc_types[SIM_E_Exception]) && !all_exc) {
        sim_pop(vm, 1);
        return sim_raise_msg(vm, SIM_E_TypeError, cls == vm->exc_types[SIM_E_ExceptionGroup]
                             ? "Cannot nest BaseExceptions in an ExceptionGroup"
                             : "Cannot nest BaseExceptions in '%s'", SIM_CSTR(cls->name));
    }
    sim_obj *a = sim_tuple_new(vm, 2, args + 1);
    sim_push(vm, a);
    sim_obj *eg = sim_exc_new(vm, cls, a);
    sim_pop(vm, 2);
    ((sim_exc *)eg)->value = excs;
    return eg;
}

static sim_obj *eg_excs(sim_obj *eg) { return ((sim_exc *)eg)->value; }

static sim_obj *eg_exceptions(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    return eg_excs(args[0]) ? eg_excs(args[0]) : vm->empty_tuple;
}

static sim_obj *eg_message(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *a = ((sim_exc *)args[0])->args;
    return SIM_TUPLE(a)->len ? SIM_TUPLE(a)->items[0] : vm->empty_str;
}

static sim_obj *eg_str(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *msg = eg_message(vm, args, 1, NULL);
    size_t n = eg_excs(args[0]) ? SIM_TUPLE(eg_excs(args[0]))->len : 0;
    return sim_str_fmt(vm, "%s (%zu sub-exception%s)", SIM_IS_STR(msg) ? SIM_CSTR(msg) : "", n, n == 1 ? "" : "s");
}

static sim_obj *eg_derive(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "derive", nargs - 1, 1, 1) < 0) return NULL;
    sim_obj *a[3] = {(sim_obj *)vm->exc_types[SIM_E_BaseExceptionGroup], eg_message(vm, args, 1, NULL), args[1]};
    return eg_new(vm, a, 3, NULL);
}

/* Does exc match a split/subgroup condition (a type, a tuple of types, a predicate)? */
static int eg_matches(sim_vm *vm, sim_obj *exc, void *cond) {
    if (SIM_IS_TYPE((sim_obj *)cond) || SIM_IS_TUPLE((sim_obj *)cond)) return sim_isinstance(vm, exc, cond);
    sim_obj *r = sim_call1(vm, cond, exc);
    return r ? sim_truthy(vm, r) : -1;
}

/* Is exc one of the objects in the list `ids` (CPython's EXCEPTION_GROUP_MATCH_INSTANCE_IDS)? */
static int eg_in_ids(sim_vm *vm, sim_obj *exc, void *ids) {
    (void)vm;
    for (size_t i = 0; i < SIM_LIST((sim_obj *)ids)->len; i++)
        if (SIM_LIST((sim_obj *)ids)->items[i] == exc) return 1;
    return 0;
}

/* A part of a group made by split(): the traceback, __cause__ and __context__ of the
 * group it came from, as CPython's exceptiongroup_subset copies them. dst is rooted. */
static void eg_copy_metadata(sim_vm *vm, sim_obj *dst, sim_obj *src) {
    sim_exc *d = (sim_exc *)dst, *s = (sim_exc *)src;
    d->cause = s->cause;
    d->context = s->context;
    d->suppress_context = true;     /* PyException_SetCause sets it */
    if (s->ntb && !d->ntb) {
        sim_tbentry *tb = sim_realloc(vm, NULL, 0, s->ntb * sizeof *tb);
        memcpy(tb, s->tb, s->ntb * sizeof *tb);
        d->tb = tb;
        d->ntb = d->captb = s->ntb;
    }
}

/* eg.derive(excs): a subclass may override derive (CPython calls the method). */
static sim_obj *eg_derive_call(sim_vm *vm, sim_obj *eg, sim_obj *excs) {
    if (eg->type == vm->exc_types[SIM_E_ExceptionGroup] || eg->type == vm->exc_types[SIM_E_BaseExceptionGroup]) {
        sim_obj *a[2] = {eg, excs};
        return eg_derive(vm, a, 2, NULL);
    }
    sim_obj *d = sim_call_method(vm, eg, "derive", &excs, 1);
    if (d && !sim_isinstance_type(d, vm->exc_types[SIM_E_BaseExceptionGroup]))
        return sim_raise_msg(vm, SIM_E_TypeError, "derive must return an instance of BaseExceptionGroup");
    return d;
}

typedef int (*eg_matcher)(sim_vm *vm, sim_obj *exc, void *ctx);

/* split by a matcher -> (match or NULL, rest or NULL; the rest only when want_rest);
 * returns -1 on error. Mirrors CPython's exceptiongroup_split_recursive. */
static int eg_split_by(sim_vm *vm, sim_obj *eg, eg_matcher matches, void *ctx, bool want_rest,
                       sim_obj **match, sim_obj **rest) {
    *match = *rest = NULL;
    int m = matches(vm, eg, ctx);
    if (m < 0) return -1;
    if (m) { *match = eg; return 0; }
    if (!sim_isinstance_type(eg, vm->exc_types[SIM_E_BaseExceptionGroup])) {
        if (want_rest) *rest = eg;
        return 0;
    }
    sim_obj *ml = sim_list_new(vm, 0, NULL);
    sim_push(vm, ml);
    sim_obj *rl = sim_list_new(vm, 0, NULL);
    sim_push(vm, rl);
    sim_obj *excs = eg_excs(eg);
    for (size_t i = 0; i < SIM_TUPLE(excs)->len; i++) {
        sim_obj *mm, *rr;
        if (eg_split_by(vm, SIM_TUPLE(excs)->items[i], matches, ctx, want_rest, &mm, &rr) < 0) {
            sim_pop(vm, 2);
            return -1;
        }
        sim_push(vm, mm ? mm : vm->none);       /* both unrooted until appended */
        sim_push(vm, rr ? rr : vm->none);
        if (mm) sim_list_append(vm, ml, mm);
        if (rr) sim_list_append(vm, rl, rr);
        sim_pop(vm, 2);
    }
    sim_obj *lists[2] = {ml, rl}, *outs[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        if (!SIM_LIST(lists[k])->len) continue;
        outs[k] = eg_derive_call(vm, eg, lists[k]);
        if (!outs[k]) { sim_pop(vm, 2 + (outs[0] != NULL)); return -1; }
        sim_push(vm, outs[k]);
        eg_copy_metadata(vm, outs[k], eg);
    }
    sim_pop(vm, 2 + (outs[0] != NULL) + (outs[1] != NULL));
    *match = outs[0];
    *rest = outs[1];
    return 0;
}

static int eg_split(sim_vm *vm, sim_obj *eg, sim_obj *cond, sim_obj **match, sim_obj **rest) {
    return eg_split_by(vm, eg, eg_matches, cond, true, match, rest);
}

static sim_obj *eg_split_m(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "split", nargs - 1, 1, 1) < 0) return NULL;
    sim_obj *m, *r;
    if (eg_split(vm, args[0], args[1], &m, &r) < 0) return NULL;
    sim_obj *items[2] = {m ? m : vm->none, r ? r : vm->none};
    sim_push(vm, items[0]);
    sim_push(vm, items[1]);
    sim_obj *t = sim_tuple_new(vm, 2, items);
    sim_pop(vm, 2);
    return t;
}

static sim_obj *eg_subgroup(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (sim_check_nargs(vm, "subgroup", nargs - 1, 1, 1) < 0) return NULL;
    sim_obj *m, *r;
    if (eg_split(vm, args[0], args[1], &m, &r) < 0) return NULL;
    return m ? m : vm->none;
}

/* ---- except* (CPython's CHECK_EG_MATCH and _PyExc_PrepReraiseStar) ------------------------ */

/* The type check of `except* T`: T a BaseException class or a tuple of them, and no
 * exception group class (CPython's check_except_star_type_valid). */
static int eg_check_star_type(sim_vm *vm, sim_obj *t) {
    sim_obj *one[1] = {t};
    sim_obj **items = SIM_IS_TUPLE(t) ? SIM_TUPLE(t)->items : one;
    size_t n = SIM_IS_TUPLE(t) ? SIM_TUPLE(t)->len : 1;
    for (size_t i = 0; i < n; i++)
        if (!SIM_IS_TYPE(items[i]) || !(((sim_type *)items[i])->flags & SIM_TF_EXC)) {
            sim_raise_msg(vm, SIM_E_TypeError, "catching classes that do not inherit from BaseException is not allowed");
            return -1;
        }
    for (size_t i = 0; i < n; i++)
        if (sim_issubtype((sim_type *)items[i], vm->exc_types[SIM_E_BaseExceptionGroup])) {
            sim_raise_msg(vm, SIM_E_TypeError, "catching ExceptionGroup with except* is not allowed. Use except instead.");
            return -1;
        }
    return 0;
}

/* BaseExceptionGroup('', excs): ExceptionGroup when every item is an Exception. */
static sim_obj *eg_create(sim_vm *vm, sim_obj *excs) {
    sim_obj *a[3] = {(sim_obj *)vm->exc_types[SIM_E_BaseExceptionGroup], vm->empty_str, excs};
    return eg_new(vm, a, 3, NULL);
}

/* CHECK_EG_MATCH: splits exc (None or an exception) by T. *match NULL: no match (the
 * stack keeps exc); else *match is a group and *rest the unmatched part or NULL. */
int sim__check_eg_match(sim_vm *vm, sim_obj *exc, sim_obj *t, sim_obj **match, sim_obj **rest) {
    *match = *rest = NULL;
    if (eg_check_star_type(vm, t) < 0) return -1;
    if (exc == vm->none) return 0;
    int m = sim_isinstance(vm, exc, t);
    if (m < 0) return -1;
    if (m) {
        if (sim_isinstance_type(exc, vm->exc_types[SIM_E_BaseExceptionGroup])) { *match = exc; return 0; }
        sim_obj *one = sim_tuple_new(vm, 1, &exc);      /* a naked exception is wrapped */
        sim_push(vm, one);
        *match = eg_create(vm, one);
        sim_pop(vm, 1);
        return *match ? 0 : -1;
    }
    if (!sim_isinstance_type(exc, vm->exc_types[SIM_E_BaseExceptionGroup])) return 0;
    return eg_split(vm, exc, t, match, rest);
}

/* Appends to ids every leaf (non-group) exception under e. */
static void eg_leaf_ids(sim_vm *vm, sim_obj *e, sim_obj *ids) {
    if (e == vm->none) return;
    if (!sim_isinstance_type(e, vm->exc_types[SIM_E_BaseExceptionGroup])) { sim_list_append(vm, ids, e); return; }
    sim_obj *excs = eg_excs(e);
    for (size_t i = 0; excs && i < SIM_TUPLE(excs)->len; i++) eg_leaf_ids(vm, SIM_TUPLE(excs)->items[i], ids);
}

/* Same traceback, __cause__ and __context__ (CPython compares the objects; a split
 * part holds a copy of its group's traceback entries). */
static bool eg_same_metadata(sim_obj *a, sim_obj *b) {
    sim_exc *x = (sim_exc *)a, *y = (sim_exc *)b;
    return x->cause == y->cause && x->context == y->context && x->ntb == y->ntb &&
           (x->ntb == 0 || memcmp(x->tb, y->tb, x->ntb * sizeof *x->tb) == 0);
}

/* PREP_RERAISE_STAR: what a try/except* re-raises (None: nothing). excs holds what
 * each clause raised or re-raised (None: nothing) and, last, the unhandled rest.
 * Re-raised parts keep orig's structure; new exceptions join them in a new group. */
sim_obj *sim__prep_reraise_star(sim_vm *vm, sim_obj *orig, sim_obj *excs) {
    size_t n = SIM_LIST(excs)->len;
    if (n == 0) return vm->none;
    if (!sim_isinstance_type(orig, vm->exc_types[SIM_E_BaseExceptionGroup]))
        return SIM_LIST(excs)->items[0];        /* a naked exception: one clause ran */
    sim_obj *raised = sim_list_new(vm, 0, NULL);
    sim_push(vm, raised);
    sim_obj *ids = sim_list_new(vm, 0, NULL);
    sim_push(vm, ids);
    for (size_t i = 0; i < n; i++) {
        sim_obj *e = SIM_LIST(excs)->items[i];
        if (e == vm->none) continue;
        if (eg_same_metadata(e, orig)) eg_leaf_ids(vm, e, ids);
        else sim_list_append(vm, raised, e);
    }
    sim_obj *reraised = NULL, *rest;
    if (eg_split_by(vm, orig, eg_in_ids, ids, false, &reraised, &rest) < 0) { sim_pop(vm, 2); return NULL; }
    sim_obj *result = reraised ? reraised : vm->none;
    if (SIM_LIST(raised)->len) {
        if (reraised) {
            sim_push(vm, reraised);
            sim_list_append(vm, raised, reraised);
            sim_pop(vm, 1);
        }
        result = SIM_LIST(raised)->len > 1 ? eg_create(vm, raised) : SIM_LIST(raised)->items[0];
    }
    sim_pop(vm, 2);
    return result;
}

void sim__exc_group_methods(sim_vm *vm) {
    static const sim_method_def defs[] = {
        {"__new__", eg_new, NULL, SIM_METH_STATIC}, {"__str__", eg_str, NULL, 0},
        {"derive", eg_derive, NULL, 0}, {"split", eg_split_m, NULL, 0}, {"subgroup", eg_subgroup, NULL, 0},
        {"exceptions", NULL, eg_exceptions, 0}, {"message", NULL, eg_message, 0},
        {NULL, NULL, NULL, 0},
    };
    sim__add_methods(vm, vm->exc_types[SIM_E_BaseExceptionGroup], defs);
}
