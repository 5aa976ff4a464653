/* vm.c — the VM's life cycle and running a program: boot, compile + run __main__,
 * report an uncaught exception the way CPython does, exit statuses. */
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "compile.h"
#include "vm.h"

sim_obj *sim__builtin_construct(sim_vm *vm, sim_type *t, sim_obj **args, int nargs, sim_obj *kwnames);
int sim__mod_time_init(sim_vm *vm, sim_obj *m);
int sim__mod_sys_init(sim_vm *vm, sim_obj *m);
int sim__mod_functools_init(sim_vm *vm, sim_obj *m);
int sim__mod_contextvars_init(sim_vm *vm, sim_obj *m);
void sim__register_misc_modules(sim_vm *vm);
void sim__register_source_modules(sim_vm *vm);
void sim__object_methods(sim_vm *vm);

void sim_options_init(sim_options *o) {
    memset(o, 0, sizeof *o);
    o->recursion_limit = 1000;
}

/* The asyncio binding (mod_asyncio.c) registers asyncio and concurrent.futures with
 * this function, and reports an asyncio deadlock at the top level (status 3) with
 * sim__asyncio_uncaught. Strong references: a weak one would not pull mod_asyncio.o
 * out of the static library. */
void sim__register_asyncio(sim_vm *vm);
bool sim__asyncio_uncaught(sim_vm *vm, sim_obj *exc, int *status);
void sim__asyncio_at_exit(sim_vm *vm);      /* pending tasks closed, lost exceptions logged */

void sim__register_natives(sim_vm *vm) {
    sim__register_asyncio(vm);
    sim_register_module(vm, "time", sim__mod_time_init);
    sim_register_module(vm, "sys", sim__mod_sys_init);
    sim_register_module(vm, "functools", sim__mod_functools_init);
    sim_register_module(vm, "contextvars", sim__mod_contextvars_init);
    sim__register_misc_modules(vm);
    sim__register_source_modules(vm);
}

sim_vm *sim_vm_new(const sim_options *o) {
    sim_vm *vm = calloc(1, sizeof *vm);
    if (!vm) return NULL;
    if (o) vm->opt = *o;
    else sim_options_init(&vm->opt);
    if (!vm->opt.out) vm->opt.out = stdout;
    if (!vm->opt.err) vm->opt.err = stderr;
    const char *stress = getenv("AIOSIM_GC_STRESS");
    if (stress && strcmp(stress, "1") == 0) vm->opt.gc_stress = true;
    vm->recursion_limit = vm->opt.recursion_limit > 0 ? vm->opt.recursion_limit : 1000;
    vm->ts = &vm->main_ts;
    vm->next_gc = 2u << 20;
    vm->gc_off = true;              /* boot: half-built types must not be collected */
    sim__init_types(vm);
    sim__init_exceptions(vm);
    vm->modules = sim_dict_new(vm);
    vm->argv = sim_list_new(vm, 0, NULL);
    sim__init_methods(vm);
    sim__init_builtins(vm);
    sim__register_natives(vm);
    vm->gc_off = false;
    return vm;
}

void sim__init_methods(sim_vm *vm) {
    sim__object_methods(vm);
    sim__str_methods(vm);
    sim__list_methods(vm);
    sim__dict_methods(vm);
    sim__set_methods(vm);
    sim__tuple_methods(vm);
    sim__int_methods(vm);
    sim__float_methods(vm);
    sim__exc_methods(vm);
    sim__func_methods(vm);
    sim__gen_methods(vm);
}

void sim_vm_free(sim_vm *vm) {
    if (!vm) return;
    sim_free(vm, vm->natives, vm->capnatives * sizeof *vm->natives);
    vm->natives = NULL;
    sim__free_all(vm);
    sim__identity_free(vm);
    for (size_t i = 0; i < vm->nunawaited; i++) free(vm->unawaited[i].name);
    free(vm->unawaited);
    free(vm->intern);
    for (sim_tstate *ts = &vm->main_ts; ts; ts = ts->next_ts) free(ts->roots);
    for (size_t i = 0; i < vm->nsources; i++) {
        free(vm->sources[i].name);
        free(vm->sources[i].text);
    }
    free(vm->sources);
    free(vm);
}

void sim_get_stats(const sim_vm *vm, sim_stats *st) {
    st->steps = vm->steps;
    st->collections = vm->ncollect;
    st->allocations = vm->nalloc;
    st->bytes_live = vm->bytes;
    st->bytes_peak = vm->peak;
}

sim_obj *sim__type_call(sim_vm *vm, sim_type *t, sim_obj **args, int nargs, sim_obj *kwnames) {
    if (!(t->flags & SIM_TF_HEAP) && t->kind != SIM_K_CNATIVE && t->kind != SIM_K_EXC)
        return sim__builtin_construct(vm, t, args, nargs, kwnames);
    return sim__new_object(vm, t, args, nargs, kwnames);
}

int sim__write(sim_vm *vm, int fd, const char *s, size_t n) {
    if (vm->opt.on_output) vm->opt.on_output(vm->opt.output_ud, fd, s, n);
    FILE *f = fd == 2 ? vm->opt.err : vm->opt.out;
    if (fd == 2) fflush(vm->opt.out);
    return fwrite(s, 1, n, f) == n ? 0 : -1;
}

double sim__clock(sim_vm *vm) {
    return vm->clock_fn ? vm->clock_fn(vm->clock_ud) : vm->clock;
}

/* ---- running a program --------------------------------------------------------------------- */

static void add_source(sim_vm *vm, const char *name, const char *src, size_t len) {
    vm->sources = realloc(vm->sources, (vm->nsources + 1) * sizeof *vm->sources);
    struct sim_source *s = &vm->sources[vm->nsources++];
    s->name = strdup(name);
    s->text = malloc(len + 1);
    memcpy(s->text, src, len);
    s->text[len] = 0;
    s->len = len;
}

/* Exit status for an uncaught exception: SystemExit's code, else a report and 1. */
static int uncaught(sim_vm *vm, sim_obj *exc, const char *filename) {
    if (vm->limit_hit) {
        /* A limit is not the program's exception: say which limit and how to raise it. */
        fflush(vm->opt.out);
        if (vm->opt.max_steps && vm->steps > vm->opt.max_steps)
            fprintf(vm->opt.err, "aiosim: %s was stopped: step limit reached (%llu bytecode steps); "
                    "raise it with --max-steps N\n", filename, (unsigned long long)vm->opt.max_steps);
        else
            fprintf(vm->opt.err, "aiosim: %s was stopped: memory limit reached (%zu MiB of heap); "
                    "raise it with --max-memory MB\n", filename, vm->opt.max_memory >> 20);
        return 4;
    }
    int st3;
    if (sim__asyncio_uncaught(vm, exc, &st3)) return st3;
    if (sim_isinstance_type(exc, vm->exc_types[SIM_E_SystemExit])) {
        sim_obj *args = ((sim_exc *)exc)->args;
        sim_obj *code = SIM_TUPLE(args)->len ? SIM_TUPLE(args)->items[0] : vm->none;
        if (code == vm->none) return 0;
        if (SIM_IS_INT(code)) return (int)(SIM_INT(code) & 0xFF);
        sim_obj *s = sim_str(vm, code);
        fflush(vm->opt.out);
        if (s) fprintf(vm->opt.err, "%s\n", SIM_CSTR(s));
        return 1;
    }
    sim__print_exception(vm, exc, vm->opt.err);
    return 1;
}

/* At exit, CPython finalizes the coroutines still alive; one never started warns
 * "sys:1: RuntimeWarning: coroutine 'f' was never awaited" (the warnings filter shows
 * each distinct message once). Oldest first. */
static int by_serial(const void *a, const void *b) {
    uint64_t x = ((const struct sim_unawaited *)a)->serial, y = ((const struct sim_unawaited *)b)->serial;
    return x < y ? -1 : x > y;
}

/* CPython warns once per coroutine name ("sys:1: RuntimeWarning: coroutine 'f' was
 * never awaited") for coroutines that never ran. The ones still alive at exit and the
 * ones the GC freed earlier are merged in creation order, so the output does not
 * depend on when collections ran. */
static void warn_never_awaited(sim_vm *vm) {
    if (vm->unstarted_coros == 0 && vm->nunawaited == 0) return;
    size_t n = vm->nunawaited;
    for (int l = 0; l < SIM_GC_LISTS; l++)   /* coroutines are small objects */
        for (sim_obj *o = vm->objects[l]; o; o = o->next) n++;
    struct sim_unawaited *all = malloc((n ? n : 1) * sizeof *all);
    if (!all) return;
    size_t k = 0;
    for (size_t i = 0; i < vm->nunawaited; i++) all[k++] = vm->unawaited[i];
    for (int l = 0; l < SIM_GC_LISTS; l++)
        for (sim_obj *o = vm->objects[l]; o; o = o->next) {
            if (o->type != vm->types[SIM_T_coroutine]) continue;
            sim_gen *g = (sim_gen *)o;
            if (g->frame && !g->frame->started)
                all[k++] = (struct sim_unawaited){ g->serial, (char *)SIM_CSTR(g->qualname) };
        }
    qsort(all, k, sizeof *all, by_serial);
    for (size_t i = 0; i < k; i++) {
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) dup = strcmp(all[j].name, all[i].name) == 0;
        if (dup) continue;
        fflush(vm->opt.out);
        fprintf(vm->opt.err, "sys:1: RuntimeWarning: coroutine '%s' was never awaited\n", all[i].name);
    }
    free(all);
}

int sim_run_source(sim_vm *vm, const char *src, size_t len, const char *filename, int argc, char **argv) {
    add_source(vm, filename, src, len);
    sim_diag diag;
    memset(&diag, 0, sizeof diag);
    sim_code *code = sim_compile(filename, src, len, &diag);
    if (!code) {
        char *msg = sim_diag_format(&diag);
        fflush(vm->opt.out);
        if (msg) fputs(msg, vm->opt.err);
        free(msg);
        sim_diag_clear(&diag);
        return 1;
    }
    sim_diag_clear(&diag);
    sim_obj *fname = sim_str_cstr(vm, filename);
    sim_push(vm, fname);
    sim_obj *co = sim__codeobj_new(vm, code, fname);
    ((sim_codeobj *)co)->owned = code;
    sim_push(vm, co);
    sim_obj *m = sim_module_new(vm, "__main__");
    vm->main_module = m;
    sim_dict_set(vm, vm->modules, vm->n.__main__, m);
    sim_obj *md = ((sim_module *)m)->dict;
    sim_dict_set(vm, md, vm->n.__file__, fname);
    sim_dict_set(vm, md, vm->n.__doc__, vm->none);
    SIM_LIST(vm->argv)->len = 0;
    if (argc == 0) sim_list_append(vm, vm->argv, fname);
    for (int i = 0; i < argc; i++) sim_list_append(vm, vm->argv, sim_str_cstr(vm, argv[i]));
    sim_frame *f = sim__frame_new(vm, (sim_codeobj *)co, md, md);
    sim_push(vm, (sim_obj *)f);
    bool yielded;
    sim_obj *r = sim__eval(vm, f, NULL, NULL, &yielded);
    int status = 0;
    if (!r) status = uncaught(vm, sim_exc_fetch(vm), filename);
    if (status != 4) sim__asyncio_at_exit(vm);
    if (status != 4) warn_never_awaited(vm);
    else if (vm->exit_status) status = vm->exit_status;
    sim_pop(vm, 3);
    fflush(vm->opt.out);
    fflush(vm->opt.err);
    return status;
}

int sim_run_file(sim_vm *vm, const char *path, int argc, char **argv) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(vm->opt.err, "aiosim: can't open file '%s': No such file or directory\n", path);
        return 2;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += n;
        if (len == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(fp);
    int status = sim_run_source(vm, buf, len, path, argc, argv);
    free(buf);
    return status;
}
