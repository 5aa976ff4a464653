/* mod_contextvars.c — contextvars: ContextVar, Token, Context, copy_context.
 *
 * A Context owns a dict var -> value. The running context is vm->ts->context (per
 * thread state; NULL means the VM's base context, created on first use). CPython's
 * contexts are immutable mappings copied on write; a dict per Context copied by
 * copy_context() behaves the same for every observable operation.
 *
 * For the asyncio binding: a task copies the context at creation (sim_context_copy)
 * and runs each step inside it (prev = sim_context_enter(vm, ctx); ...;
 * sim_context_exit(vm, prev)). */
#include <string.h>

#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)

typedef struct ctx_obj { sim_obj hdr; sim_obj *vars; bool entered; } ctx_obj;
typedef struct cvar_obj { sim_obj hdr; sim_obj *name, *dflt; } cvar_obj;
typedef struct token_obj { sim_obj hdr; sim_obj *ctx, *var, *old; bool used; } token_obj;

static void ctx_trace(sim_vm *vm, sim_obj *o) { sim_mark(vm, ((ctx_obj *)o)->vars); }
static void cvar_trace(sim_vm *vm, sim_obj *o) {
    sim_mark(vm, ((cvar_obj *)o)->name);
    sim_mark(vm, ((cvar_obj *)o)->dflt);
}
static void token_trace(sim_vm *vm, sim_obj *o) {
    token_obj *t = (token_obj *)o;
    sim_mark(vm, t->ctx); sim_mark(vm, t->var); sim_mark(vm, t->old);
}

static sim_obj *new_context(sim_vm *vm, sim_obj *vars) {
    sim_push(vm, vars);
    ctx_obj *c = (ctx_obj *)sim_cobj_new(vm, vm->ctx_types[0]);
    sim_pop(vm, 1);
    c->vars = vars;
    return &c->hdr;
}

/* The running context (the base one is created on first use). */
sim_obj *sim_context_current(sim_vm *vm) {
    if (!vm->ts->context) {
        if (!vm->base_context) {
            sim_obj *d = sim_dict_new(vm);
            vm->base_context = new_context(vm, d);
        }
        return vm->base_context;
    }
    return vm->ts->context;
}

sim_obj *sim_context_copy(sim_vm *vm) {
    sim_obj *cur = sim_context_current(vm);
    sim_obj *d = sim__dict_copy(vm, ((ctx_obj *)cur)->vars);
    return new_context(vm, d);
}

sim_obj *sim_context_enter(sim_vm *vm, sim_obj *ctx) {
    sim_obj *prev = vm->ts->context;
    vm->ts->context = ctx;
    return prev;
}

void sim_context_exit(sim_vm *vm, sim_obj *prev) { vm->ts->context = prev; }

/* ---- ContextVar ------------------------------------------------------------------------------ */

FN(cv_new) {
    static const char *const names[] = {"cls", "name", "default", NULL};
    sim_obj *a[3];
    if (sim_parse_args(vm, "ContextVar", args, nargs, kwnames, 2, 2, names, a) < 0) return NULL;
    if (!SIM_IS_STR(a[1])) return sim_raise_msg(vm, SIM_E_TypeError, "context variable name must be a str");
    cvar_obj *v = (cvar_obj *)sim_cobj_new(vm, vm->ctx_types[1]);
    v->name = a[1];
    v->dflt = a[2];
    return &v->hdr;
}

FN(cv_get) {
    if (sim_check_nargs(vm, "get", nargs - 1, 0, 1) < 0) return NULL;
    cvar_obj *v = (cvar_obj *)args[0];
    sim_obj *val = NULL;
    int r = sim_dict_get(vm, ((ctx_obj *)sim_context_current(vm))->vars, args[0], &val);
    if (r < 0) return NULL;
    if (r) return val;
    if (nargs > 1) return args[1];
    if (v->dflt) return v->dflt;
    return sim_raise(vm, sim_exc_new(vm, vm->exc_types[SIM_E_LookupError], sim_tuple_new(vm, 1, &args[0])));
}

FN(cv_set) {
    if (sim_check_nargs(vm, "set", nargs - 1, 1, 1) < 0) return NULL;
    sim_obj *ctx = sim_context_current(vm);
    sim_push(vm, ctx);
    sim_obj *old = NULL;
    if (sim_dict_get(vm, ((ctx_obj *)ctx)->vars, args[0], &old) < 0) { sim_pop(vm, 1); return NULL; }
    token_obj *t = (token_obj *)sim_cobj_new(vm, vm->ctx_types[2]);
    t->ctx = ctx;
    t->var = args[0];
    t->old = old;
    sim_push(vm, &t->hdr);
    int rc = sim_dict_set(vm, ((ctx_obj *)ctx)->vars, args[0], args[1]);
    sim_pop(vm, 2);
    return rc < 0 ? NULL : &t->hdr;
}

FN(cv_reset) {
    if (sim_check_nargs(vm, "reset", nargs - 1, 1, 1) < 0) return NULL;
    if (args[1]->type != vm->ctx_types[2])
        return sim_raise_msg(vm, SIM_E_TypeError, "expected an instance of Token, got '%s'", sim_type_name(args[1]));
    token_obj *t = (token_obj *)args[1];
    if (t->used) return sim_raise_msg(vm, SIM_E_RuntimeError, "<Token> has already been used once");
    if (t->var != args[0]) return sim_raise_msg(vm, SIM_E_ValueError, "<Token> was created by a different ContextVar");
    if (t->ctx != sim_context_current(vm))
        return sim_raise_msg(vm, SIM_E_ValueError, "<Token> was created in a different Context");
    t->used = true;
    sim_obj *vars = ((ctx_obj *)t->ctx)->vars;
    int rc = t->old ? sim_dict_set(vm, vars, t->var, t->old) : sim_dict_del(vm, vars, t->var);
    return rc < 0 ? NULL : vm->none;
}

FN(cv_name) { return ((cvar_obj *)args[0])->name; }

/* f"<ContextVar name={name!r}[ default={default!r}] at 0x...>" */
static sim_obj *cv_repr(sim_vm *vm, sim_obj *self) {
    cvar_obj *cv = (cvar_obj *)self;
    sim_obj *n = sim_repr(vm, cv->name);
    if (!n) return NULL;
    sim_push(vm, n);
    sim_obj *d = NULL;
    if (cv->dflt) {
        d = sim_repr(vm, cv->dflt);
        if (!d) { sim_pop(vm, 1); return NULL; }
    }
    sim_push(vm, d);
    sim_obj *r = sim_str_fmt(vm, "<ContextVar name=%s%s%s at 0x%llx>", SIM_CSTR(n), d ? " default=" : "",
                             d ? SIM_CSTR(d) : "", (unsigned long long)sim_identity(vm, self));
    sim_pop(vm, 2);
    return r;
}

/* ---- Context --------------------------------------------------------------------------------- */

FN(cx_new) { return new_context(vm, sim_dict_new(vm)); }

FN(cx_run) {
    if (nargs < 2) return sim_raise_msg(vm, SIM_E_TypeError, "run() missing 1 required positional argument");
    ctx_obj *c = (ctx_obj *)args[0];
    if (c->entered)
        return sim_raise_msg(vm, SIM_E_RuntimeError, "cannot enter context: <Context object at 0x%llx> is already entered",
                             (unsigned long long)sim_identity(vm, (sim_obj *)c));
    c->entered = true;
    sim_obj *prev = sim_context_enter(vm, args[0]);
    sim_obj *r = sim_call(vm, args[1], args + 2, nargs - 2, kwnames);
    sim_context_exit(vm, prev);
    c->entered = false;
    return r;
}

FN(cx_copy) { return new_context(vm, sim__dict_copy(vm, ((ctx_obj *)args[0])->vars)); }

FN(cx_get) {
    if (sim_check_nargs(vm, "get", nargs - 1, 1, 2) < 0) return NULL;
    sim_obj *v;
    int r = sim_dict_get(vm, ((ctx_obj *)args[0])->vars, args[1], &v);
    if (r < 0) return NULL;
    return r ? v : nargs > 2 ? args[2] : vm->none;
}

FN(cx_getitem) {
    sim_obj *v;
    int r = sim_dict_get(vm, ((ctx_obj *)args[0])->vars, args[1], &v);
    if (r < 0) return NULL;
    return r ? v : sim_raise_keyerror(vm, args[1]);
}

FN(cx_len) { return sim_int_new(vm, (int64_t)SIM_DICT(((ctx_obj *)args[0])->vars)->used); }
FN(cx_contains) {
    int r = sim_set_contains(vm, ((ctx_obj *)args[0])->vars, args[1]);
    return r < 0 ? NULL : sim_bool(vm, r);
}
FN(cx_keys) { return sim_list_of(vm, ((ctx_obj *)args[0])->vars); }
FN(cx_items) {
    sim_obj *d = ((ctx_obj *)args[0])->vars;
    return sim_call_method(vm, d, "items", NULL, 0);
}
FN(cx_iter) { return sim_iter(vm, ((ctx_obj *)args[0])->vars); }

FN(copy_context) { return sim_context_copy(vm); }

FN(tok_var) { return ((token_obj *)args[0])->var; }
FN(tok_old) {
    token_obj *t = (token_obj *)args[0];
    return t->old ? t->old : sim_dict_getstr(vm, vm->builtins, sim_intern(vm, "Ellipsis"));
}

int sim__mod_contextvars_init(sim_vm *vm, sim_obj *m) {
    static const sim_method_def cx[] = {
        {"__new__", cx_new, NULL, SIM_METH_STATIC}, {"run", cx_run, NULL, 0}, {"copy", cx_copy, NULL, 0},
        {"get", cx_get, NULL, 0}, {"__getitem__", cx_getitem, NULL, 0}, {"__len__", cx_len, NULL, 0},
        {"__contains__", cx_contains, NULL, 0}, {"keys", cx_keys, NULL, 0}, {"items", cx_items, NULL, 0},
        {"__iter__", cx_iter, NULL, 0}, {NULL, NULL, NULL, 0},
    };
    static const sim_method_def cv[] = {
        {"__new__", cv_new, NULL, SIM_METH_STATIC}, {"get", cv_get, NULL, 0}, {"set", cv_set, NULL, 0},
        {"reset", cv_reset, NULL, 0}, {"name", NULL, cv_name, 0}, {NULL, NULL, NULL, 0},
    };
    static const sim_method_def tok[] = {
        {"var", NULL, tok_var, 0}, {"old_value", NULL, tok_old, 0}, {NULL, NULL, NULL, 0},
    };
    static const sim_method_def fns[] = {{"copy_context", copy_context, NULL, 0}, {NULL, NULL, NULL, 0}};
    if (!vm->ctx_types[0]) {
        sim_type_hooks h = {0};
        h.trace = ctx_trace;
        vm->ctx_types[0] = sim_type_new_native(vm, "Context", "contextvars", NULL, sizeof(ctx_obj), &h, cx);
        h.trace = cvar_trace;
        h.repr = cv_repr;
        vm->ctx_types[1] = sim_type_new_native(vm, "ContextVar", "contextvars", NULL, sizeof(cvar_obj), &h, cv);
        h.trace = token_trace;
        h.repr = NULL;
        vm->ctx_types[2] = sim_type_new_native(vm, "Token", "contextvars", NULL, sizeof(token_obj), &h, tok);
    }
    if (sim_module_add_functions(vm, m, fns) < 0) return -1;
    sim_module_set(vm, m, "Context", (sim_obj *)vm->ctx_types[0]);
    sim_module_set(vm, m, "ContextVar", (sim_obj *)vm->ctx_types[1]);
    sim_module_set(vm, m, "Token", (sim_obj *)vm->ctx_types[2]);
    return 0;
}
