/* object.c — boot of the builtin types, shared objects, and small constructors. */
#include <stdarg.h>
#include <string.h>

#include "vm.h"

typedef struct type_info {
    const char *name;
    sim_kind kind;
    int base;          /* a sim_tid, or -1 for object itself */
    bool basetype;
} type_info;

static const type_info TYPE_INFO[SIM_T__COUNT] = {
    [SIM_T_object] = {"object", SIM_K_OBJECT, -1, true},
    [SIM_T_type] = {"type", SIM_K_TYPE, SIM_T_object, true},
    [SIM_T_NoneType] = {"NoneType", SIM_K_NONE, SIM_T_object, false},
    [SIM_T_NotImplementedType] = {"NotImplementedType", SIM_K_NOTIMPL, SIM_T_object, false},
    [SIM_T_ellipsis] = {"ellipsis", SIM_K_ELLIPSIS, SIM_T_object, false},
    [SIM_T_int] = {"int", SIM_K_INT, SIM_T_object, false},
    [SIM_T_bool] = {"bool", SIM_K_INT, SIM_T_int, false},
    [SIM_T_float] = {"float", SIM_K_FLOAT, SIM_T_object, false},
    [SIM_T_str] = {"str", SIM_K_STR, SIM_T_object, false},
    [SIM_T_list] = {"list", SIM_K_LIST, SIM_T_object, true},
    [SIM_T_tuple] = {"tuple", SIM_K_TUPLE, SIM_T_object, false},
    [SIM_T_dict] = {"dict", SIM_K_DICT, SIM_T_object, true},
    [SIM_T_set] = {"set", SIM_K_SET, SIM_T_object, true},
    [SIM_T_frozenset] = {"frozenset", SIM_K_SET, SIM_T_object, false},
    [SIM_T_range] = {"range", SIM_K_RANGE, SIM_T_object, false},
    [SIM_T_slice] = {"slice", SIM_K_SLICE, SIM_T_object, false},
    [SIM_T_cell] = {"cell", SIM_K_CELL, SIM_T_object, false},
    [SIM_T_function] = {"function", SIM_K_FUNCTION, SIM_T_object, false},
    [SIM_T_method] = {"method", SIM_K_METHOD, SIM_T_object, false},
    [SIM_T_builtin_function_or_method] = {"builtin_function_or_method", SIM_K_NATIVE, SIM_T_object, false},
    [SIM_T_module] = {"module", SIM_K_MODULE, SIM_T_object, false},
    [SIM_T_code] = {"code", SIM_K_CODE, SIM_T_object, false},
    [SIM_T_frame] = {"frame", SIM_K_FRAME, SIM_T_object, false},
    [SIM_T_generator] = {"generator", SIM_K_GEN, SIM_T_object, false},
    [SIM_T_coroutine] = {"coroutine", SIM_K_GEN, SIM_T_object, false},
    [SIM_T_async_generator] = {"async_generator", SIM_K_GEN, SIM_T_object, false},
    [SIM_T_property] = {"property", SIM_K_PROPERTY, SIM_T_object, false},
    [SIM_T_staticmethod] = {"staticmethod", SIM_K_STATICMETHOD, SIM_T_object, false},
    [SIM_T_classmethod] = {"classmethod", SIM_K_CLASSMETHOD, SIM_T_object, false},
    [SIM_T_super] = {"super", SIM_K_SUPER, SIM_T_object, false},
    [SIM_T_partial] = {"partial", SIM_K_PARTIAL, SIM_T_object, false},
    [SIM_T_list_iterator] = {"list_iterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_tuple_iterator] = {"tuple_iterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_str_iterator] = {"str_ascii_iterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_range_iterator] = {"range_iterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_dict_keyiterator] = {"dict_keyiterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_dict_valueiterator] = {"dict_valueiterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_dict_itemiterator] = {"dict_itemiterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_set_iterator] = {"set_iterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_enumerate] = {"enumerate", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_zip] = {"zip", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_map] = {"map", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_filter] = {"filter", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_reversed] = {"reversed", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_dict_keys] = {"dict_keys", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_dict_values] = {"dict_values", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_dict_items] = {"dict_items", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_callable_iterator] = {"callable_iterator", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_coroutine_wrapper] = {"coroutine_wrapper", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_async_gen_asend] = {"async_generator_asend", SIM_K_ITER, SIM_T_object, false},
    [SIM_T_tstate] = {"tstate", SIM_K_OBJECT, SIM_T_object, false},
};

/* The MRO of a single-inheritance chain: t, t->base, ..., object. */
sim_obj *sim__linear_mro(sim_vm *vm, sim_type *t) {
    size_t n = 0;
    for (sim_type *b = t; b; b = b->base) n++;
    sim_obj *mro = sim_tuple_new(vm, n, NULL);
    size_t i = 0;
    for (sim_type *b = t; b; b = b->base) SIM_TUPLE(mro)->items[i++] = (sim_obj *)b;
    return mro;
}

static void fill_type(sim_vm *vm, sim_type *t, const char *name, sim_type *base) {
    t->name = sim_intern(vm, name);
    t->qualname = t->name;
    t->base = base;
    t->bases = base ? sim_tuple_new(vm, 1, (sim_obj **)&base) : vm->empty_tuple;
    t->dict = sim_dict_new(vm);
    t->mro = sim__linear_mro(vm, t);
}

static void make_shared(sim_vm *vm) {
    vm->none = sim__alloc_raw(vm, vm->types[SIM_T_NoneType], SIM_K_NONE, sizeof(sim_obj));
    vm->notimpl = sim__alloc_raw(vm, vm->types[SIM_T_NotImplementedType], SIM_K_NOTIMPL, sizeof(sim_obj));
    vm->ellipsis = sim__alloc_raw(vm, vm->types[SIM_T_ellipsis], SIM_K_ELLIPSIS, sizeof(sim_obj));
    vm->false_ = sim__alloc_raw(vm, vm->types[SIM_T_bool], SIM_K_INT, sizeof(sim_int));
    vm->true_ = sim__alloc_raw(vm, vm->types[SIM_T_bool], SIM_K_INT, sizeof(sim_int));
    ((sim_int *)vm->true_)->v = 1;
    for (int i = SIM_SMALLINT_MIN; i <= SIM_SMALLINT_MAX; i++) {
        sim_obj *o = sim__alloc_raw(vm, vm->types[SIM_T_int], SIM_K_INT, sizeof(sim_int));
        ((sim_int *)o)->v = i;
        vm->small_ints[i - SIM_SMALLINT_MIN] = o;
    }
    vm->empty_tuple = sim__alloc_raw(vm, vm->types[SIM_T_tuple], SIM_K_TUPLE, sizeof(sim_tuple));
}

/* Creates every builtin type. Runs with the GC off. */
void sim__init_types(sim_vm *vm) {
    for (int i = 0; i < SIM_T__COUNT; i++)
        vm->types[i] = (sim_type *)sim__alloc_raw(vm, NULL, SIM_K_TYPE, sizeof(sim_type));
    for (int i = 0; i < SIM_T__COUNT; i++) {
        vm->types[i]->hdr.type = vm->types[SIM_T_type];
        vm->types[i]->kind = (uint8_t)TYPE_INFO[i].kind;
        vm->types[i]->flags = TYPE_INFO[i].basetype ? SIM_TF_BASETYPE : 0;
    }
    make_shared(vm);
    vm->empty_str = sim_str_new(vm, "", 0);
    for (int c = 0; c < 128; c++) {
        char ch = (char)c;
        vm->chars[c] = sim_intern_str(vm, sim_str_new(vm, &ch, 1));
    }
#define SIM_NAME_INIT(nm) vm->n.nm = sim_intern(vm, #nm);
    SIM_NAME_LIST(SIM_NAME_INIT)
#undef SIM_NAME_INIT
    for (int i = 0; i < SIM_T__COUNT; i++) {
        const type_info *ti = &TYPE_INFO[i];
        fill_type(vm, vm->types[i], ti->name, ti->base < 0 ? NULL : vm->types[ti->base]);
    }
    vm->types[SIM_T_partial]->module = sim_intern(vm, "functools");
    vm->extra_types = sim_list_new(vm, 0, NULL);
}

/* ---- constructors -------------------------------------------------------------------- */

sim_obj *sim_int_new(sim_vm *vm, int64_t v) {
    if (v >= SIM_SMALLINT_MIN && v <= SIM_SMALLINT_MAX) return vm->small_ints[v - SIM_SMALLINT_MIN];
    sim_int *o = (sim_int *)sim__alloc_raw(vm, vm->types[SIM_T_int], SIM_K_INT, sizeof(sim_int));
    o->v = v;
    return &o->hdr;
}

sim_obj *sim_float_new(sim_vm *vm, double v) {
    sim_float *o = (sim_float *)sim__alloc_raw(vm, vm->types[SIM_T_float], SIM_K_FLOAT, sizeof(sim_float));
    o->v = v;
    return &o->hdr;
}

sim_obj *sim_bool(sim_vm *vm, bool b) { return b ? vm->true_ : vm->false_; }

sim_obj *sim_range_new(sim_vm *vm, int64_t start, int64_t stop, int64_t step) {
    sim_range *r = (sim_range *)sim__alloc_obj(vm, vm->types[SIM_T_range], sizeof(sim_range));
    r->start = start;
    r->stop = stop;
    r->step = step;
    return &r->hdr;
}

sim_obj *sim_slice_new(sim_vm *vm, sim_obj *start, sim_obj *stop, sim_obj *step) {
    sim_push(vm, start); sim_push(vm, stop); sim_push(vm, step);
    sim_slice *s = (sim_slice *)sim__alloc_obj(vm, vm->types[SIM_T_slice], sizeof(sim_slice));
    sim_pop(vm, 3);
    s->start = start;
    s->stop = stop;
    s->step = step;
    return &s->hdr;
}

sim_obj *sim_cell_new(sim_vm *vm, sim_obj *v) {
    sim_push(vm, v);
    sim_cell *c = (sim_cell *)sim__alloc_obj(vm, vm->types[SIM_T_cell], sizeof(sim_cell));
    sim_pop(vm, 1);
    c->v = v;
    return &c->hdr;
}

sim_obj *sim_method_new(sim_vm *vm, sim_obj *func, sim_obj *self) {
    sim_push(vm, func); sim_push(vm, self);
    sim_method *m = (sim_method *)sim__alloc_obj(vm, vm->types[SIM_T_method], sizeof(sim_method));
    sim_pop(vm, 2);
    m->func = func;
    m->self = self;
    return &m->hdr;
}

sim_obj *sim_native_new(sim_vm *vm, const char *name, sim_native_fn fn, sim_obj *self, sim_obj *data) {
    sim_push(vm, self); sim_push(vm, data);
    sim_native *n = (sim_native *)sim__alloc_obj(vm, vm->types[SIM_T_builtin_function_or_method], sizeof(sim_native));
    sim_pop(vm, 2);
    n->name = name;
    n->fn = fn;
    n->self = self;
    n->data = data;
    return &n->hdr;
}

sim_obj *sim_module_new(sim_vm *vm, const char *name) {
    sim_obj *nm = sim_intern(vm, name);
    sim_push(vm, nm);
    sim_obj *d = sim_dict_new(vm);
    sim_push(vm, d);
    sim_module *m = (sim_module *)sim__alloc_obj(vm, vm->types[SIM_T_module], sizeof(sim_module));
    sim_pop(vm, 2);
    m->name = nm;
    m->dict = d;
    sim_push(vm, &m->hdr);
    sim_dict_set(vm, d, vm->n.__name__, nm);
    sim_pop(vm, 1);
    return &m->hdr;
}

sim_obj *sim_instance_new(sim_vm *vm, sim_type *t) {
    sim_push(vm, (sim_obj *)t);
    sim_obj *o;
    if (t->kind == SIM_K_EXC) {
        o = sim__alloc_obj(vm, t, sizeof(sim_exc));
        ((sim_exc *)o)->args = vm->empty_tuple;
    } else if (t->kind == SIM_K_CNATIVE || t->kind == SIM_K_LIST || t->kind == SIM_K_DICT || t->kind == SIM_K_SET) {
        o = sim__alloc_obj(vm, t, t->size);   /* an empty container, then the __dict__ slot */
    } else {
        o = sim__alloc_obj(vm, t, sizeof(sim_instance));
    }
    sim_pop(vm, 1);
    return o;
}

sim_obj *sim_cobj_new(sim_vm *vm, sim_type *t) {
    sim_push(vm, (sim_obj *)t);
    sim_obj *o = sim__alloc_obj(vm, t, t->size < sizeof(sim_obj) ? sizeof(sim_obj) : t->size);
    sim_pop(vm, 1);
    return o;
}

sim_obj *sim_iter_new(sim_vm *vm, sim_tid tid, sim_obj *src, sim_obj *aux) {
    sim_push(vm, src); sim_push(vm, aux);
    sim_iterobj *it = (sim_iterobj *)sim__alloc_obj(vm, vm->types[tid], sizeof(sim_iterobj));
    sim_pop(vm, 2);
    it->src = src;
    it->aux = aux;
    return &it->hdr;
}

/* ---- native types and modules ------------------------------------------------------------ */

void sim__add_methods(sim_vm *vm, sim_type *t, const sim_method_def *defs) {
    vm->type_epoch++;
    sim_push(vm, (sim_obj *)t);
    for (const sim_method_def *d = defs; d && d->name; d++) {
        sim_obj *v;
        if (d->getter) {
            v = sim_native_new(vm, d->name, d->getter, NULL, NULL);
            ((sim_native *)v)->owner = t;
            sim_push(vm, v);
            sim_property *p = (sim_property *)sim__alloc_obj(vm, vm->types[SIM_T_property], sizeof(sim_property));
            sim_pop(vm, 1);
            p->fget = v;
            v = &p->hdr;
        } else {
            v = sim_native_new(vm, d->name, d->fn, NULL, NULL);
            ((sim_native *)v)->owner = t;
            ((sim_native *)v)->flags = d->flags;
            if (d->flags & (SIM_METH_STATIC | SIM_METH_CLASS)) {
                sim_push(vm, v);
                sim_wrapper *w = (sim_wrapper *)sim__alloc_obj(vm,
                    vm->types[d->flags & SIM_METH_STATIC ? SIM_T_staticmethod : SIM_T_classmethod],
                    sizeof(sim_wrapper));
                sim_pop(vm, 1);
                w->func = v;
                v = &w->hdr;
            }
        }
        sim_push(vm, v);
        sim_dict_setstr(vm, t->dict, d->name, v);
        sim_pop(vm, 1);
    }
    sim_pop(vm, 1);
}

sim_type *sim_type_new_native(sim_vm *vm, const char *name, const char *module, sim_type *base,
                              size_t size, const sim_type_hooks *hooks, const sim_method_def *methods) {
    if (base && (base->flags & SIM_TF_EXC)) {
        sim_type *t = sim_exc_type_new(vm, name, module, base);
        sim_push(vm, (sim_obj *)t);
        if (methods) sim__add_methods(vm, t, methods);
        sim_pop(vm, 1);
        return t;
    }
    sim_type *t = (sim_type *)sim__alloc_raw(vm, vm->types[SIM_T_type], SIM_K_TYPE, sizeof(sim_type));
    vm->type_epoch++;
    sim_list_append(vm, vm->extra_types, (sim_obj *)t);   /* a root from now on */
    t->kind = SIM_K_CNATIVE;
    t->size = size;
    if (hooks) t->hooks = *hooks;
    fill_type(vm, t, name, base ? base : vm->types[SIM_T_object]);
    if (module) t->module = sim_intern(vm, module);
    if (methods) sim__add_methods(vm, t, methods);
    return t;
}

int sim_module_set(sim_vm *vm, sim_obj *module, const char *name, sim_obj *value) {
    return sim_dict_setstr(vm, ((sim_module *)module)->dict, name, value);
}

int sim_module_add_functions(sim_vm *vm, sim_obj *module, const sim_method_def *defs) {
    sim_push(vm, module);
    for (const sim_method_def *d = defs; d->name; d++) {
        sim_obj *f = sim_native_new(vm, d->name, d->fn, NULL, NULL);
        sim_push(vm, f);
        int rc = sim_module_set(vm, module, d->name, f);
        sim_pop(vm, 1);
        if (rc < 0) { sim_pop(vm, 1); return -1; }
    }
    sim_pop(vm, 1);
    return 0;
}

void sim_register_module(sim_vm *vm, const char *name, sim_module_init init) {
    if (vm->nnatives == vm->capnatives) {
        size_t cap = vm->capnatives ? vm->capnatives * 2 : 8;
        vm->natives = sim_realloc(vm, vm->natives, vm->capnatives * sizeof *vm->natives,
                                  cap * sizeof *vm->natives);
        vm->capnatives = cap;
    }
    vm->natives[vm->nnatives].name = name;
    vm->natives[vm->nnatives].init = init;
    vm->nnatives++;
}

/* ---- type tests ------------------------------------------------------------------------ */

const char *sim_type_name(sim_obj *o) { return SIM_CSTR(o->type->name); }

bool sim_issubtype(sim_type *a, sim_type *b) {
    if (a == b) return true;
    sim_tuple *mro = SIM_TUPLE(a->mro);
    for (size_t i = 0; i < mro->len; i++)
        if (mro->items[i] == (sim_obj *)b) return true;
    return false;
}

bool sim_isinstance_type(sim_obj *o, sim_type *t) { return sim_issubtype(o->type, t); }

int sim_isinstance(sim_vm *vm, sim_obj *o, sim_obj *cls) {
    if (SIM_IS_TUPLE(cls)) {
        for (size_t i = 0; i < SIM_TUPLE(cls)->len; i++) {
            int r = sim_isinstance(vm, o, SIM_TUPLE(cls)->items[i]);
            if (r) return r;
        }
        return 0;
    }
    if (!SIM_IS_TYPE(cls)) {
        sim_raise_msg(vm, SIM_E_TypeError,
                      "isinstance() arg 2 must be a type, a tuple of types, or a union");
        return -1;
    }
    return sim_isinstance_type(o, (sim_type *)cls);
}
