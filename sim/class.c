/* class.c — classes: attribute lookup and assignment, class creation (C3 MRO),
 * instantiation, super(). */
#include <string.h>

#include "code.h"
#include "vm.h"

sim_obj *sim__exc_getattr(sim_vm *vm, sim_obj *o, sim_obj *name);
int sim__exc_setattr(sim_vm *vm, sim_obj *o, sim_obj *name, sim_obj *v);
sim_obj *sim__special_getattr(sim_vm *vm, sim_obj *o, sim_obj *name);

sim_obj *sim__type_lookup(sim_type *t, sim_obj *name) {
    sim_tuple *mro = SIM_TUPLE(t->mro);
    for (size_t i = 0; i < mro->len; i++) {
        sim_type *b = (sim_type *)mro->items[i];
        sim_obj *v = sim_dict_getstr(NULL, b->dict, name);
        if (v) return v;
    }
    return NULL;
}

/* The instance dict of o, if its kind has one (created on demand when `create`). */
static sim_obj **dict_slot(sim_vm *vm, sim_obj *o) {
    switch (SIM_KIND(o)) {
    case SIM_K_OBJECT: return &((sim_instance *)o)->dict;
    case SIM_K_EXC: return &((sim_exc *)o)->dict;
    case SIM_K_FUNCTION: return &((sim_func *)o)->dict;
    case SIM_K_MODULE: return &((sim_module *)o)->dict;
    case SIM_K_LIST: case SIM_K_DICT: case SIM_K_SET:
        return o->type->dictoffset ? (sim_obj **)((char *)o + o->type->dictoffset) : NULL;
    default: (void)vm; return NULL;
    }
}

/* Binds a class attribute found on type(o) to o (functions become methods). */
static sim_obj *bind(sim_vm *vm, sim_obj *attr, sim_obj *o, sim_type *t) {
    switch (SIM_KIND(attr)) {
    case SIM_K_FUNCTION: return sim_method_new(vm, attr, o);
    case SIM_K_NATIVE:
        if (((sim_native *)attr)->self) return attr;
        return sim_method_new(vm, attr, o);
    case SIM_K_CLASSMETHOD: return sim_method_new(vm, ((sim_wrapper *)attr)->func, (sim_obj *)t);
    case SIM_K_STATICMETHOD: return ((sim_wrapper *)attr)->func;
    case SIM_K_PROPERTY: {
        sim_property *p = (sim_property *)attr;
        if (!p->fget) return sim_raise_msg(vm, SIM_E_AttributeError, "property object has no getter");
        return sim_call1(vm, p->fget, o);
    }
    default: return attr;
    }
}

/* A user-defined descriptor: an instance of a class defining __get__ (and, for a data
 * descriptor, __set__ or __delete__). Returns its __get__ or NULL. */
static sim_obj *descr_get(sim_vm *vm, sim_obj *a, bool *data) {
    *data = false;
    if (SIM_KIND(a) != SIM_K_OBJECT || !(a->type->flags & SIM_TF_HEAP)) return NULL;
    sim_obj *g = sim__type_lookup(a->type, vm->n.__get__);
    if (!g || SIM_KIND(g) != SIM_K_FUNCTION) return NULL;
    *data = sim__type_lookup(a->type, vm->n.__set__) != NULL ||
            sim__type_lookup(a->type, sim_intern(vm, "__delete__")) != NULL;
    return g;
}

static sim_obj *call_get(sim_vm *vm, sim_obj *g, sim_obj *descr, sim_obj *obj, sim_obj *type) {
    sim_obj *args[3] = {descr, obj, type};
    return sim_call(vm, g, args, 3, NULL);
}

static sim_obj *type_getattr(sim_vm *vm, sim_type *t, sim_obj *name, bool raise) {
    /* the metatype's data descriptors win over the class dict */
    if (name == vm->n.__name__) return t->name;
    if (name == vm->n.__qualname__) return t->qualname;
    if (name == vm->n.__mro__) return t->mro;
    if (name == vm->n.__bases__) return t->bases;
    if (name == vm->n.__class__) return (sim_obj *)t->hdr.type;
    sim_obj *a = sim__type_lookup(t, name);
    if (a) {
        if (SIM_KIND(a) == SIM_K_CLASSMETHOD) return sim_method_new(vm, ((sim_wrapper *)a)->func, (sim_obj *)t);
        if (SIM_KIND(a) == SIM_K_STATICMETHOD) return ((sim_wrapper *)a)->func;
        bool data;
        sim_obj *g = descr_get(vm, a, &data);
        if (g) return call_get(vm, g, a, vm->none, (sim_obj *)t);
        return a;
    }
    if (name == vm->n.__name__) return t->name;
    if (name == vm->n.__qualname__) return t->qualname;
    if (name == vm->n.__module__) return t->module ? t->module : sim_intern(vm, "builtins");
    if (name == vm->n.__mro__) return t->mro;
    if (name == vm->n.__bases__) return t->bases;
    if (name == vm->n.__base__) return t->base ? (sim_obj *)t->base : vm->none;
    if (name == vm->n.__dict__) return sim__dict_copy(vm, t->dict);   /* read-only view */
    if (name == vm->n.__class__) return (sim_obj *)t->hdr.type;
    if (name == vm->n.__doc__) return vm->none;
    if (!raise) return NULL;
    return sim_raise_msg(vm, SIM_E_AttributeError, "type object '%s' has no attribute '%s'",
                         SIM_CSTR(t->name), SIM_CSTR(name));
}

/* Raises AttributeError with .name and .obj set (the traceback's "Did you mean" uses
 * them). */
static sim_obj *attr_error(sim_vm *vm, sim_obj *o, sim_obj *name) {
    sim_push(vm, o);
    sim_push(vm, name);
    if (SIM_KIND(o) == SIM_K_MODULE)
        sim_raise_msg(vm, SIM_E_AttributeError, "module '%s' has no attribute '%s'",
                      SIM_CSTR(((sim_module *)o)->name), SIM_CSTR(name));
    else
        sim_raise_msg(vm, SIM_E_AttributeError, "'%s' object has no attribute '%s'", sim_type_name(o), SIM_CSTR(name));
    sim_exc *e = (sim_exc *)vm->ts->exc;
    e->dict = sim_dict_new(vm);
    sim_dict_setstr(vm, e->dict, "name", name);
    sim_dict_setstr(vm, e->dict, "obj", o);
    sim_pop(vm, 2);
    return NULL;
}

/* Generic lookup: data descriptors on the type, the instance dict, the type's
 * attribute, C-struct attributes, then __getattr__. */
sim_obj *sim__super_getattr(sim_vm *vm, sim_obj *so, sim_obj *name);

sim_obj *sim__obj_getattr_generic(sim_vm *vm, sim_obj *o, sim_obj *name, bool raise) {
    if (SIM_KIND(o) == SIM_K_TYPE) return type_getattr(vm, (sim_type *)o, name, raise);
    if (SIM_KIND(o) == SIM_K_SUPER) return sim__super_getattr(vm, o, name);
    if (SIM_KIND(o) == SIM_K_MODULE) {
        sim_obj *v = sim_dict_getstr(vm, ((sim_module *)o)->dict, name);
        if (v) return v;
    }
    sim_type *t = o->type;
    sim_obj *a = sim__type_lookup(t, name);
    if (a && SIM_KIND(a) == SIM_K_PROPERTY) return bind(vm, a, o, t);
    bool data = false;
    sim_obj *g = a ? descr_get(vm, a, &data) : NULL;
    if (g && data) return call_get(vm, g, a, o, (sim_obj *)t);
    sim_obj **ds = dict_slot(vm, o);
    if (ds && *ds) {
        sim_obj *v = sim_dict_getstr(vm, *ds, name);
        if (v) return v;
    }
    if (g) return call_get(vm, g, a, o, (sim_obj *)t);
    if (a) return bind(vm, a, o, t);
    sim_obj *v = sim__special_getattr(vm, o, name);
    if (v || sim_exc_occurred(vm)) return v;
    if (t->hooks.getattr) {
        v = t->hooks.getattr(vm, o, name);
        if (v || sim_exc_occurred(vm)) return v;
    }
    if (t->flags & SIM_TF_HEAP) {
        sim_obj *ga = sim__type_lookup(t, vm->n.__getattr__);
        if (ga && SIM_KIND(ga) == SIM_K_FUNCTION) {
            sim_obj *args[2] = {o, name};
            v = sim_call(vm, ga, args, 2, NULL);
            if (!v && !raise && sim_exc_matches(vm, SIM_E_AttributeError)) sim_exc_fetch(vm);
            return v;
        }
    }
    if (!raise) return NULL;
    return attr_error(vm, o, name);
}

sim_obj *sim_getattr(sim_vm *vm, sim_obj *o, sim_obj *name) {
    return sim__obj_getattr_generic(vm, o, name, true);
}

sim_obj *sim_getattr_opt(sim_vm *vm, sim_obj *o, sim_obj *name) {
    sim_obj *v = sim__obj_getattr_generic(vm, o, name, false);
    if (!v && sim_exc_matches(vm, SIM_E_AttributeError)) sim_exc_fetch(vm);
    return v;
}

/* For LOAD_METHOD: a plain function (or native method) found on the type and not
 * shadowed by the instance dict is returned unbound with *self = o. */
sim_obj *sim__getmethod(sim_vm *vm, sim_obj *o, sim_obj *name, sim_obj **self) {
    if (SIM_KIND(o) != SIM_K_TYPE && SIM_KIND(o) != SIM_K_MODULE && SIM_KIND(o) != SIM_K_SUPER) {
        sim_obj *a = sim__type_lookup(o->type, name);
        if (a && (SIM_KIND(a) == SIM_K_FUNCTION || (SIM_KIND(a) == SIM_K_NATIVE && !((sim_native *)a)->self))) {
            sim_obj **ds = dict_slot(vm, o);
            if (!ds || !*ds || !sim_dict_getstr(vm, *ds, name)) {
                *self = o;
                return a;
            }
        }
    }
    *self = NULL;
    return sim_getattr(vm, o, name);
}

static int set_func_attr(sim_vm *vm, sim_func *f, sim_obj *name, sim_obj *v) {
    if (name == vm->n.__name__) f->name = v;
    else if (name == vm->n.__qualname__) f->qualname = v;
    else if (name == vm->n.__module__) f->module = v;
    else if (name == vm->n.__doc__) f->doc = v;
    else if (name == vm->n.__defaults__) f->defaults = v == vm->none ? NULL : v;
    else if (name == vm->n.__kwdefaults__) f->kwdefaults = v == vm->none ? NULL : v;
    else return 0;
    return 1;
}

/* Whether a class's __slots__ value (a str or a tuple/list of str) names `name`. */
static bool slots_name(sim_obj *slots, sim_obj *name) {
    if (SIM_IS_STR(slots)) return sim__str_eq(slots, name);
    sim_obj **items = NULL;
    size_t n = 0;
    if (SIM_KIND(slots) == SIM_K_TUPLE) { items = SIM_TUPLE(slots)->items; n = SIM_TUPLE(slots)->len; }
    else if (SIM_KIND(slots) == SIM_K_LIST) { items = SIM_LIST(slots)->items; n = SIM_LIST(slots)->len; }
    for (size_t i = 0; i < n; i++)
        if (SIM_IS_STR(items[i]) && sim__str_eq(items[i], name)) return true;
    return false;
}

/* A class whose classes all define __slots__ (none naming __dict__), over object only:
 * its instances have no __dict__ (then only slot names may be set). */
static bool slots_only(sim_vm *vm, sim_type *t) {
    sim_tuple *mro = SIM_TUPLE(t->mro);
    for (size_t i = 0; i < mro->len; i++) {
        sim_type *c = (sim_type *)mro->items[i];
        if (c == vm->types[SIM_T_object]) continue;
        if (!(c->flags & SIM_TF_HEAP) || (c->flags & SIM_TF_EXC)) return false;
        sim_obj *sl = sim_dict_getstr(vm, c->dict, vm->n.__slots__);
        if (!sl || slots_name(sl, vm->n.__dict__)) return false;
    }
    return true;
}

/* Whether `name` is a slot of one of t's classes. */
static bool is_slot(sim_vm *vm, sim_type *t, sim_obj *name) {
    sim_tuple *mro = SIM_TUPLE(t->mro);
    for (size_t i = 0; i < mro->len; i++) {
        sim_type *c = (sim_type *)mro->items[i];
        if (!(c->flags & SIM_TF_HEAP)) continue;
        sim_obj *sl = sim_dict_getstr(vm, c->dict, vm->n.__slots__);
        if (sl && slots_name(sl, name)) return true;
    }
    return false;
}

int sim_setattr(sim_vm *vm, sim_obj *o, sim_obj *name, sim_obj *v) {
    sim_type *t = o->type;
    if (SIM_KIND(o) == SIM_K_TYPE) {
        sim_type *c = (sim_type *)o;
        if (!(c->flags & SIM_TF_HEAP)) {
            sim_raise_msg(vm, SIM_E_TypeError, "cannot set '%s' attribute of immutable type '%s'",
                          SIM_CSTR(name), SIM_CSTR(c->name));
            return -1;
        }
        c->version++;
        vm->type_epoch++;
        if (name == vm->n.__name__ && v) { c->name = v; return 0; }
        if (name == vm->n.__qualname__ && v) { c->qualname = v; return 0; }
        if (name == vm->n.__module__ && v) { c->module = v; }
        if (v) return sim_dict_set(vm, c->dict, name, v);
        int r = sim_dict_del(vm, c->dict, name);
        if (r == 0) { attr_error(vm, o, name); return -1; }
        return r < 0 ? -1 : 0;
    }
    if (t->flags & SIM_TF_HEAP) {
        sim_obj *a = sim__type_lookup(t, name);
        if (a && SIM_KIND(a) == SIM_K_PROPERTY) {
            sim_property *p = (sim_property *)a;
            sim_obj *fn = v ? p->fset : p->fdel;
            if (!fn) {
                sim_raise_msg(vm, SIM_E_AttributeError, "can't %s attribute '%s'", v ? "set" : "delete", SIM_CSTR(name));
                return -1;
            }
            sim_obj *args[2] = {o, v};
            return sim_call(vm, fn, args, v ? 2 : 1, NULL) ? 0 : -1;
        }
        if (a && SIM_KIND(a) == SIM_K_OBJECT && (a->type->flags & SIM_TF_HEAP)) {
            sim_obj *set = sim__type_lookup(a->type, v ? vm->n.__set__ : sim_intern(vm, "__delete__"));
            if (set && SIM_KIND(set) == SIM_K_FUNCTION) {
                sim_obj *args[3] = {a, o, v};
                return sim_call(vm, set, args, v ? 3 : 2, NULL) ? 0 : -1;
            }
        }
        sim_obj *sa = sim__type_lookup(t, v ? vm->n.__setattr__ : vm->n.__delattr__);
        if (sa && SIM_KIND(sa) == SIM_K_FUNCTION) {
            sim_obj *args[3] = {o, name, v};
            return sim_call(vm, sa, args, v ? 3 : 2, NULL) ? 0 : -1;
        }
    }
    if (SIM_KIND(o) == SIM_K_EXC) {
        int r = sim__exc_setattr(vm, o, name, v ? v : vm->none);
        if (r) return r < 0 ? -1 : 0;
    }
    if (SIM_KIND(o) == SIM_K_FUNCTION && v && set_func_attr(vm, (sim_func *)o, name, v)) return 0;
    if ((t->flags & SIM_TF_SLOTS) && !is_slot(vm, t, name)) {
        if (sim__type_lookup(t, name))
            sim_raise_msg(vm, SIM_E_AttributeError, "'%s' object attribute '%s' is read-only", sim_type_name(o), SIM_CSTR(name));
        else
            attr_error(vm, o, name);
        return -1;
    }
    sim_obj **ds = dict_slot(vm, o);
    if (!ds || (SIM_KIND(o) == SIM_K_OBJECT && !(t->flags & SIM_TF_HEAP))) {
        if (sim__type_lookup(t, name))
            sim_raise_msg(vm, SIM_E_AttributeError, "'%s' object attribute '%s' is read-only", sim_type_name(o), SIM_CSTR(name));
        else
            attr_error(vm, o, name);
        return -1;
    }
    if (!*ds) {
        if (!v) { attr_error(vm, o, name); return -1; }
        sim_push(vm, o); sim_push(vm, v);
        sim_obj *d = sim_dict_new(vm);
        sim_pop(vm, 2);
        *ds = d;
    }
    if (v) return sim_dict_set(vm, *ds, name, v);
    int r = sim_dict_del(vm, *ds, name);
    if (r == 0) { attr_error(vm, o, name); return -1; }
    return r < 0 ? -1 : 0;
}

/* ---- class creation ------------------------------------------------------------------------ */

/* C3 linearization of bases (each a type); NULL after raising TypeError. */
static sim_obj *c3_mro(sim_vm *vm, sim_type *t, sim_obj *bases) {
    size_t nb = SIM_TUPLE(bases)->len;
    if (nb == 1) {
        sim_tuple *bm = SIM_TUPLE(((sim_type *)SIM_TUPLE(bases)->items[0])->mro);
        sim_obj *mro = sim_tuple_new(vm, bm->len + 1, NULL);
        SIM_TUPLE(mro)->items[0] = (sim_obj *)t;
        memcpy(SIM_TUPLE(mro)->items + 1, bm->items, bm->len * sizeof(sim_obj *));
        return mro;
    }
    /* sequences to merge: each base's MRO, then the bases list; kept in a list */
    sim_obj *seqs = sim_list_new(vm, 0, NULL);
    sim_push(vm, seqs);
    for (size_t i = 0; i < nb; i++) {
        sim_obj *l = sim_list_of(vm, ((sim_type *)SIM_TUPLE(bases)->items[i])->mro);
        sim_list_append(vm, seqs, l);
    }
    sim_list_append(vm, seqs, sim_list_of(vm, bases));
    sim_obj *out = sim_list_new(vm, 1, (sim_obj **)&t);
    sim_push(vm, out);
    for (;;) {
        bool empty = true;
        sim_obj *cand = NULL;
        for (size_t i = 0; i < SIM_LIST(seqs)->len && !cand; i++) {
            sim_list *s = SIM_LIST(SIM_LIST(seqs)->items[i]);
            if (!s->len) continue;
            empty = false;
            sim_obj *head = s->items[0];
            bool in_tail = false;
            for (size_t j = 0; j < SIM_LIST(seqs)->len && !in_tail; j++) {
                sim_list *o = SIM_LIST(SIM_LIST(seqs)->items[j]);
                for (size_t k = 1; k < o->len; k++) if (o->items[k] == head) { in_tail = true; break; }
            }
            if (!in_tail) cand = head;
        }
        if (empty) break;
        if (!cand) {
            sim_pop(vm, 2);
            return sim_raise_msg(vm, SIM_E_TypeError,
                                 "Cannot create a consistent method resolution order (MRO) for bases");
        }
        sim_list_append(vm, out, cand);
        for (size_t i = 0; i < SIM_LIST(seqs)->len; i++) {
            sim_list *s = SIM_LIST(SIM_LIST(seqs)->items[i]);
            if (s->len && s->items[0] == cand) {
                memmove(s->items, s->items + 1, (s->len - 1) * sizeof(sim_obj *));
                s->len--;
            }
        }
    }
    sim_obj *mro = sim_tuple_of(vm, out);
    sim_pop(vm, 2);
    return mro;
}

/* The layout kind instances of a class with these bases get (raises on conflicts). */
static int layout_of(sim_vm *vm, sim_obj *bases, sim_type **layout_base) {
    int kind = SIM_K_OBJECT;
    *layout_base = vm->types[SIM_T_object];
    for (size_t i = 0; i < SIM_TUPLE(bases)->len; i++) {
        sim_type *b = (sim_type *)SIM_TUPLE(bases)->items[i];
        if (!(b->flags & SIM_TF_BASETYPE)) {
            sim_raise_msg(vm, SIM_E_TypeError, "type '%s' is not an acceptable base type", SIM_CSTR(b->name));
            return -1;
        }
        if (b->kind == SIM_K_OBJECT) continue;
        if (kind != SIM_K_OBJECT && kind != b->kind) {
            sim_raise_msg(vm, SIM_E_TypeError, "multiple bases have instance lay-out conflict");
            return -1;
        }
        kind = b->kind;
        *layout_base = b;
    }
    return kind;
}

/* After a class is made: __set_name__ on its attributes, then the parent's
 * __init_subclass__ (type.__new__'s order). */
static int class_hooks(sim_vm *vm, sim_type *t) {
    sim_obj *items = sim_list_of(vm, t->dict);
    if (!items) return -1;
    sim_push(vm, items);
    for (size_t i = 0; i < SIM_LIST(items)->len; i++) {
        sim_obj *k = SIM_LIST(items)->items[i], *v = sim_dict_getstr(vm, t->dict, k);
        if (!v || SIM_KIND(v) != SIM_K_OBJECT || !(v->type->flags & SIM_TF_HEAP)) continue;
        sim_obj *sn = sim__type_lookup(v->type, vm->n.__set_name__);
        if (!sn || SIM_KIND(sn) != SIM_K_FUNCTION) continue;
        sim_obj *args[3] = {v, (sim_obj *)t, k};
        if (!sim_call(vm, sn, args, 3, NULL)) { sim_pop(vm, 1); return -1; }
    }
    sim_pop(vm, 1);
    sim_tuple *mro = SIM_TUPLE(t->mro);
    for (size_t i = 1; i < mro->len; i++) {
        sim_obj *f = sim_dict_getstr(vm, ((sim_type *)mro->items[i])->dict, vm->n.__init_subclass__);
        if (!f) continue;
        if (SIM_KIND(f) == SIM_K_CLASSMETHOD && SIM_KIND(((sim_wrapper *)f)->func) == SIM_K_FUNCTION) {
            sim_obj *arg = (sim_obj *)t;
            if (!sim_call(vm, ((sim_wrapper *)f)->func, &arg, 1, NULL)) return -1;
        }
        break;
    }
    return 0;
}

sim_obj *sim__make_type(sim_vm *vm, sim_obj *name, sim_obj *bases, sim_obj *dict) {
    vm->type_epoch++;   /* a new type may reuse a freed one's address */
    if (SIM_TUPLE(bases)->len == 0) bases = sim_tuple_new(vm, 1, (sim_obj **)&vm->types[SIM_T_object]);
    sim_push(vm, bases);
    for (size_t i = 0; i < SIM_TUPLE(bases)->len; i++)
        if (!SIM_IS_TYPE(SIM_TUPLE(bases)->items[i])) {
            sim_pop(vm, 1);
            return sim_raise_msg(vm, SIM_E_TypeError, "metaclass conflict: the metaclass of a derived class must be a "
                                 "(non-strict) subclass of the metaclasses of all its bases");
        }
    sim_type *lb;
    int kind = layout_of(vm, bases, &lb);
    if (kind < 0) { sim_pop(vm, 1); return NULL; }
    sim_type *t = (sim_type *)sim__alloc_raw(vm, vm->types[SIM_T_type], SIM_K_TYPE, sizeof(sim_type));
    sim_push(vm, (sim_obj *)t);
    t->kind = (uint8_t)kind;
    t->size = lb->size;
    if (kind == SIM_K_LIST || kind == SIM_K_DICT || kind == SIM_K_SET) {
        /* a container subclass: the container's struct, then a __dict__ pointer */
        size_t base = kind == SIM_K_LIST ? sizeof(sim_list) : sizeof(sim_dict);
        t->dictoffset = base;
        t->size = base + sizeof(sim_obj *);
    }
    t->hooks = lb->hooks;
    t->flags = SIM_TF_HEAP | SIM_TF_BASETYPE | (lb->flags & SIM_TF_EXC);
    t->name = sim_intern_str(vm, name);
    t->qualname = t->name;
    t->bases = bases;
    t->base = (sim_type *)SIM_TUPLE(bases)->items[0];
    t->dict = sim__dict_copy(vm, dict);
    t->mro = c3_mro(vm, t, bases);
    if (!t->mro) { sim_pop(vm, 2); return NULL; }
    sim_obj *v = sim_dict_getstr(vm, t->dict, vm->n.__module__);
    t->module = v && SIM_IS_STR(v) ? v : NULL;
    v = sim_dict_getstr(vm, t->dict, vm->n.__qualname__);
    if (v && SIM_IS_STR(v)) {
        t->qualname = v;
        sim_dict_del(vm, t->dict, vm->n.__qualname__);
    }
    /* __init_subclass__ and __class_getitem__ are implicitly class methods */
    static const char *const implicit_cm[] = {"__init_subclass__", "__class_getitem__"};
    for (int i = 0; i < 2; i++) {
        sim_obj *f = sim_dict_getstr(vm, t->dict, sim_intern(vm, implicit_cm[i]));
        if (f && SIM_KIND(f) == SIM_K_FUNCTION) {
            sim_obj *w = sim__wrapper_new(vm, SIM_T_classmethod, f);
            sim_dict_set(vm, t->dict, sim_intern(vm, implicit_cm[i]), w);
        }
    }
    /* a class defining __eq__ without __hash__ is unhashable, as in CPython */
    if (sim_dict_getstr(vm, t->dict, vm->n.__eq__) && !sim_dict_getstr(vm, t->dict, vm->n.__hash__))
        sim_dict_set(vm, t->dict, vm->n.__hash__, vm->none);
    if (slots_only(vm, t)) t->flags |= SIM_TF_SLOTS;
    if (class_hooks(vm, t) < 0) { sim_pop(vm, 2); return NULL; }
    sim_pop(vm, 2);
    return (sim_obj *)t;
}

/* __build_class__(func, name, *bases, **kw) */
sim_obj *sim__build_class(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (nargs < 2 || SIM_KIND(args[0]) != SIM_K_FUNCTION || !SIM_IS_STR(args[1]))
        return sim_raise_msg(vm, SIM_E_TypeError, "__build_class__: bad arguments");
    if (kwnames && SIM_TUPLE(kwnames)->len) {
        sim_obj *k = SIM_TUPLE(kwnames)->items[0];
        if (strcmp(SIM_CSTR(k), "metaclass") != 0 || args[nargs] != (sim_obj *)vm->types[SIM_T_type])
            return sim_raise_msg(vm, SIM_E_NotImplementedError,
                                 "aiosim does not support class keyword arguments (metaclass=...) yet");
    }
    sim_obj *func = args[0], *name = args[1];
    sim_obj *bases = sim_tuple_new(vm, (size_t)(nargs - 2), args + 2);
    sim_push(vm, bases);
    sim_obj *ns = sim_dict_new(vm);
    sim_push(vm, ns);
    sim_func *fn = (sim_func *)func;
    sim_frame *f = sim__frame_new(vm, (sim_codeobj *)fn->code, fn->globals, ns);
    f->func = func;
    sim_push(vm, (sim_obj *)f);
    sim__make_cells(vm, fn, f);
    bool yielded;
    sim_obj *cell = sim__eval(vm, f, NULL, NULL, &yielded);
    if (!cell) { sim_pop(vm, 3); return NULL; }
    sim_push(vm, cell);
    sim_obj *t = sim__make_type(vm, name, bases, ns);
    if (t && SIM_KIND(cell) == SIM_K_CELL) ((sim_cell *)cell)->v = t;
    sim_pop(vm, 4);
    return t;
}

/* Instantiates a class: __new__ (native types), the instance, then __init__. */
sim_obj *sim__new_object(sim_vm *vm, sim_type *t, sim_obj **args, int nargs, sim_obj *kwnames) {
    sim_obj *newf = sim__type_lookup(t, vm->n.__new__);
    sim_obj *o;
    sim_obj *newfn = newf && SIM_KIND(newf) == SIM_K_STATICMETHOD ? ((sim_wrapper *)newf)->func : newf;
    if (newfn && SIM_KIND(newfn) == SIM_K_NATIVE && ((sim_native *)newfn)->owner == vm->types[SIM_T_object])
        newfn = NULL;
    if (newfn && (SIM_KIND(newfn) == SIM_K_FUNCTION || SIM_KIND(newfn) == SIM_K_NATIVE)) {
        sim_obj *fn = newfn;
        size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
        sim_obj *argv[16];
        if ((size_t)nargs + nkw + 1 > 16) return sim_raise_msg(vm, SIM_E_TypeError, "too many arguments");
        argv[0] = (sim_obj *)t;
        if (nargs + nkw) memcpy(argv + 1, args, ((size_t)nargs + nkw) * sizeof(sim_obj *));
        o = sim_call(vm, fn, argv, nargs + 1, kwnames);
        if (!o || !sim_isinstance_type(o, t)) return o;
        if (t->kind == SIM_K_CNATIVE && !(t->flags & SIM_TF_HEAP)) return o;
    } else if (t->kind == SIM_K_CNATIVE) {
        o = sim_cobj_new(vm, t);
    } else {
        o = sim_instance_new(vm, t);
        if (t->kind == SIM_K_EXC) {
            sim_push(vm, o);
            sim_obj *a = sim_tuple_new(vm, (size_t)nargs, args);
            sim_pop(vm, 1);
            ((sim_exc *)o)->args = a;
        }
    }
    sim_push(vm, o);
    sim_obj *init = sim__type_lookup(t, vm->n.__init__);
    if (init && SIM_KIND(init) == SIM_K_NATIVE && ((sim_native *)init)->owner == vm->types[SIM_T_object])
        init = NULL;
    if (init && (SIM_KIND(init) == SIM_K_FUNCTION ||
                 (SIM_KIND(init) == SIM_K_NATIVE && t->kind != SIM_K_EXC))) {
        size_t nkw = kwnames ? SIM_TUPLE(kwnames)->len : 0;
        sim_obj *small[16], **argv = small;
        size_t total = (size_t)nargs + nkw + 1;
        if (total > 16) argv = sim_alloc(vm, total * sizeof(sim_obj *));
        argv[0] = o;
        if (nargs + nkw) memcpy(argv + 1, args, ((size_t)nargs + nkw) * sizeof(sim_obj *));
        sim_obj *r = sim_call(vm, init, argv, nargs + 1, kwnames);
        if (argv != small) sim_free(vm, argv, total * sizeof(sim_obj *));
        if (!r) { sim_pop(vm, 1); return NULL; }
        if (r != vm->none) {
            sim_pop(vm, 1);
            return sim_raise_msg(vm, SIM_E_TypeError, "__init__() should return None, not '%s'", sim_type_name(r));
        }
    } else if ((nargs || (kwnames && SIM_TUPLE(kwnames)->len)) && t->kind == SIM_K_OBJECT) {
        sim_pop(vm, 1);
        return sim_raise_msg(vm, SIM_E_TypeError, "%s() takes no arguments", SIM_CSTR(t->name));
    }
    sim_pop(vm, 1);
    return o;
}

/* ---- super ------------------------------------------------------------------------------------ */

sim_obj *sim__super_new(sim_vm *vm, sim_type *start, sim_obj *obj) {
    sim_push(vm, obj);
    sim_super *s = (sim_super *)sim__alloc_obj(vm, vm->types[SIM_T_super], sizeof(sim_super));
    sim_pop(vm, 1);
    s->type = start;
    s->obj = obj;
    s->objtype = SIM_IS_TYPE(obj) && sim_issubtype((sim_type *)obj, start) ? (sim_type *)obj : obj->type;
    return &s->hdr;
}

/* super() with no arguments: the calling frame's first argument and its __class__ cell. */
sim_obj *sim__super_zero(sim_vm *vm) {
    sim_frame *f = vm->ts->frame;
    if (!f || !f->co || f->co->code->argcount == 0)
        return sim_raise_msg(vm, SIM_E_RuntimeError, "super(): no arguments");
    const sim_code *c = f->co->code;
    sim_obj *self = f->slots[0];
    if (c->cell2arg)
        for (uint32_t i = 0; i < c->ncellvars; i++)
            if (c->cell2arg[i] == 0) self = ((sim_cell *)f->slots[f->nlocals + i])->v;
    int ci = sim_code_cell_index(c, "__class__");
    if (ci < 0) return sim_raise_msg(vm, SIM_E_RuntimeError, "super(): __class__ cell not found");
    sim_obj *cell = f->slots[f->nlocals + (uint32_t)ci];
    if (!cell || !((sim_cell *)cell)->v || !SIM_IS_TYPE(((sim_cell *)cell)->v))
        return sim_raise_msg(vm, SIM_E_RuntimeError, "super(): empty __class__ cell");
    if (!self) return sim_raise_msg(vm, SIM_E_RuntimeError, "super(): arg[0] deleted");
    return sim__super_new(vm, (sim_type *)((sim_cell *)cell)->v, self);
}

sim_obj *sim__super_getattr(sim_vm *vm, sim_obj *so, sim_obj *name) {
    sim_super *s = (sim_super *)so;
    sim_tuple *mro = SIM_TUPLE(s->objtype->mro);
    size_t i = 0;
    while (i < mro->len && mro->items[i] != (sim_obj *)s->type) i++;
    for (i++; i < mro->len; i++) {
        sim_obj *a = sim_dict_getstr(vm, ((sim_type *)mro->items[i])->dict, name);
        if (!a) continue;
        if (SIM_KIND(a) == SIM_K_CLASSMETHOD) return sim_method_new(vm, ((sim_wrapper *)a)->func, (sim_obj *)s->objtype);
        if (s->obj == (sim_obj *)s->objtype && !SIM_IS_TYPE(s->obj)) return a;
        if (SIM_IS_TYPE(s->obj) && s->obj == (sim_obj *)s->objtype) {
            if (SIM_KIND(a) == SIM_K_STATICMETHOD) return ((sim_wrapper *)a)->func;
            return a;
        }
        return bind(vm, a, s->obj, s->objtype);
    }
    if (name == vm->n.__class__) return (sim_obj *)vm->types[SIM_T_super];
    /* object.__init__ and friends: accept and ignore */
    if (name == vm->n.__init__ || name == vm->n.__init_subclass__)
        return sim_getattr(vm, (sim_obj *)vm->types[SIM_T_object], name);
    return sim_raise_msg(vm, SIM_E_AttributeError, "'super' object has no attribute '%s'", SIM_CSTR(name));
}
