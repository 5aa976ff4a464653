/* mod_sys.c — the sys module: argv, exit, stdout/stderr (write/flush), modules,
 * recursion limit, version info. */
#include <string.h>

#include "vm.h"

#define FN(name) static sim_obj *name(sim_vm *vm, sim_obj **args, int nargs, sim_obj *kwnames)

FN(s_exit) {
    if (sim_check_nargs(vm, "exit", nargs, 0, 1) < 0) return NULL;
    sim_obj *a = nargs ? sim_tuple_new(vm, 1, args) : NULL;
    sim_push(vm, a);
    sim_obj *e = sim_exc_new(vm, vm->exc_types[SIM_E_SystemExit], a);
    sim_pop(vm, 1);
    return sim_raise(vm, e);
}

FN(s_getrecursionlimit) { return sim_int_new(vm, vm->recursion_limit); }

FN(s_setrecursionlimit) {
    if (sim_check_nargs(vm, "setrecursionlimit", nargs, 1, 1) < 0) return NULL;
    if (!SIM_IS_INT(args[0]) || SIM_INT(args[0]) < 1)
        return sim_raise_msg(vm, SIM_E_ValueError, "recursion limit must be greater or equal than 1");
    int64_t n = SIM_INT(args[0]);
    vm->recursion_limit = n > 20000 ? 20000 : (int)n;
    return vm->none;
}

FN(s_exc_info) {
    sim_obj *e = NULL;
    for (sim_frame *f = vm->ts->frame; f && !e; f = f->back)
        if (f->handled && f->handled != vm->none) e = f->handled;
    sim_obj *items[3] = {vm->none, vm->none, vm->none};
    if (e) { items[0] = (sim_obj *)e->type; items[1] = e; }
    return sim_tuple_new(vm, 3, items);
}

FN(s_exception) {
    for (sim_frame *f = vm->ts->frame; f; f = f->back)
        if (f->handled && f->handled != vm->none) return f->handled;
    return vm->none;
}

FN(s_getsizeof) { return sim_int_new(vm, 64); }

FN(s_set_asyncgen_hooks) {
    static const char *const names[] = {"firstiter", "finalizer", NULL};
    sim_obj *a[2];
    if (sim_parse_args(vm, "set_asyncgen_hooks", args, nargs, kwnames, 0, 2, names, a) < 0) return NULL;
    for (int i = 0; i < 2; i++)
        if (a[i] && a[i] != vm->none && !(SIM_KIND(a[i]) == SIM_K_FUNCTION || SIM_KIND(a[i]) == SIM_K_NATIVE ||
                                          SIM_KIND(a[i]) == SIM_K_METHOD || SIM_KIND(a[i]) == SIM_K_PARTIAL))
            return sim_raise_msg(vm, SIM_E_TypeError, "callable %s expected, got %s", names[i], sim_type_name(a[i]));
    if (a[0]) vm->agen_firstiter = a[0] == vm->none ? NULL : a[0];
    if (a[1]) vm->agen_finalizer = a[1] == vm->none ? NULL : a[1];
    return vm->none;
}

FN(s_get_asyncgen_hooks) {
    sim_obj *items[2] = {vm->agen_firstiter ? vm->agen_firstiter : vm->none,
                         vm->agen_finalizer ? vm->agen_finalizer : vm->none};
    return sim_tuple_new(vm, 2, items);
}

FN(io_write) {
    if (sim_check_nargs(vm, "write", nargs - 1, 1, 1) < 0) return NULL;
    if (!SIM_IS_STR(args[1]))
        return sim_raise_msg(vm, SIM_E_TypeError, "write() argument must be str, not %s", sim_type_name(args[1]));
    sim__write(vm, ((sim_textio *)args[0])->fd, SIM_CSTR(args[1]), SIM_STR(args[1])->len);
    return sim_int_new(vm, (int64_t)SIM_STR(args[1])->nchars);
}

FN(io_flush) {
    fflush(((sim_textio *)args[0])->fd == 2 ? vm->opt.err : vm->opt.out);
    return vm->none;
}

FN(io_fileno) { return sim_int_new(vm, ((sim_textio *)args[0])->fd); }
FN(io_isatty) { return vm->false_; }

static sim_obj *io_repr(sim_vm *vm, sim_obj *self) {
    return sim_str_fmt(vm, "<_io.TextIOWrapper name='<%s>' mode='w' encoding='utf-8'>",
                       ((sim_textio *)self)->fd == 2 ? "stderr" : "stdout");
}

static sim_obj *make_stream(sim_vm *vm, int fd) {
    sim_obj *o = sim_cobj_new(vm, vm->textio);
    ((sim_textio *)o)->fd = fd;
    return o;
}

int sim__mod_sys_init(sim_vm *vm, sim_obj *m) {
    static const sim_method_def defs[] = {
        {"exit", s_exit, NULL, 0}, {"getrecursionlimit", s_getrecursionlimit, NULL, 0},
        {"setrecursionlimit", s_setrecursionlimit, NULL, 0}, {"exc_info", s_exc_info, NULL, 0},
        {"exception", s_exception, NULL, 0}, {"getsizeof", s_getsizeof, NULL, 0},
        {"set_asyncgen_hooks", s_set_asyncgen_hooks, NULL, 0},
        {"get_asyncgen_hooks", s_get_asyncgen_hooks, NULL, 0},
        {NULL, NULL, NULL, 0},
    };
    static const sim_method_def io[] = {
        {"write", io_write, NULL, 0}, {"flush", io_flush, NULL, 0}, {"fileno", io_fileno, NULL, 0},
        {"isatty", io_isatty, NULL, 0}, {NULL, NULL, NULL, 0},
    };
    if (!vm->textio) {
        sim_type_hooks h = {0};
        h.repr = io_repr;
        vm->textio = sim_type_new_native(vm, "TextIOWrapper", "_io", NULL, sizeof(sim_textio), &h, io);
    }
    if (sim_module_add_functions(vm, m, defs) < 0) return -1;
    sim_module_set(vm, m, "argv", vm->argv);
    sim_module_set(vm, m, "stdout", make_stream(vm, 1));
    sim_module_set(vm, m, "stderr", make_stream(vm, 2));
    sim_module_set(vm, m, "__stdout__", sim_dict_getstr(vm, ((sim_module *)m)->dict, sim_intern(vm, "stdout")));
    sim_module_set(vm, m, "__stderr__", sim_dict_getstr(vm, ((sim_module *)m)->dict, sim_intern(vm, "stderr")));
    sim_module_set(vm, m, "modules", vm->modules);
    sim_module_set(vm, m, "platform", sim_str_cstr(vm, "linux"));
    sim_module_set(vm, m, "version", sim_str_cstr(vm, "3.11.7 (aiosim)"));
    sim_module_set(vm, m, "maxsize", sim_int_new(vm, INT64_MAX));
    sim_module_set(vm, m, "path", sim_list_new(vm, 0, NULL));
    sim_obj *vi[3] = {sim_int_new(vm, 3), sim_int_new(vm, 11), sim_int_new(vm, 7)};
    sim_module_set(vm, m, "version_info", sim_tuple_new(vm, 3, vi));
    return 0;
}
