/* vm_thread.c — jobs: a Python call run on its own C stack, so that it can stop in the
 * middle of any number of Python frames and resume later. The loop's virtual threads
 * (executor jobs, asyncio.to_thread) use them: time.sleep() inside a job suspends the
 * job (its resume returns "slept for d") instead of advancing the clock.
 *
 * Each job has its own sim_tstate (frame chain, pending exception, temporaries); the VM
 * switches vm->ts when it enters and leaves the job. A suspended job's frames are
 * reachable through the job object (its trace hook), a running job's through vm->ts. */
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "vm.h"

#define JOB_STACK (2u << 20)

typedef struct sim_job {
    sim_obj hdr;
    sim_obj *fn, *args, *kwargs;   /* the call: fn(*args, **kwargs) */
    sim_obj *result;               /* return value or exception once done */
    sim_tstate ts;
    ucontext_t ctx, caller;
    void *stack;
    sim_tstate *saved_ts;          /* the thread state to return to */
    double sleep_for;
    int state;                     /* 0 new, 1 suspended, 2 running, 3 returned, 4 raised */
} sim_job;

static void job_trace(sim_vm *vm, sim_obj *self) {
    sim_job *j = (sim_job *)self;
    sim_mark(vm, j->fn);
    sim_mark(vm, j->args);
    sim_mark(vm, j->kwargs);
    sim_mark(vm, j->result);
    sim_mark(vm, (sim_obj *)j->ts.frame);
    sim_mark(vm, j->ts.exc);
    sim_mark(vm, j->ts.context);
    for (size_t i = 0; i < j->ts.nroots; i++) sim_mark(vm, j->ts.roots[i]);
}

static void job_finalize(sim_vm *vm, sim_obj *self) {
    sim_job *j = (sim_job *)self;
    free(j->stack);
    free(j->ts.roots);
    j->stack = NULL;
    j->ts.roots = NULL;
}

static sim_type *job_type(sim_vm *vm) {
    if (!vm->job_type) {
        sim_type_hooks h = {0};
        h.trace = job_trace;
        h.finalize = job_finalize;
        vm->job_type = sim_type_new_native(vm, "job", "aiosim", NULL, sizeof(sim_job), &h, NULL);
    }
    return vm->job_type;
}

sim_obj *sim_job_new(sim_vm *vm, sim_obj *fn, sim_obj *args, sim_obj *kwargs) {
    sim_push(vm, fn); sim_push(vm, args); sim_push(vm, kwargs);
    sim_job *j = (sim_job *)sim_cobj_new(vm, job_type(vm));
    sim_pop(vm, 3);
    j->fn = fn;
    j->args = args ? args : vm->empty_tuple;
    j->kwargs = kwargs;
    return &j->hdr;
}

/* The job's body, on its own stack. The VM pointer travels in two ints (makecontext
 * passes ints only). */
static void job_main(unsigned lo, unsigned hi) {
    sim_vm *vm = (sim_vm *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    sim_job *j = (sim_job *)vm->ts->roots[0];
    sim_obj *kwnames = NULL, *call_args = j->args;
    size_t n = SIM_TUPLE(j->args)->len;
    if (j->kwargs && SIM_DICT(j->kwargs)->used) {
        size_t nkw = SIM_DICT(j->kwargs)->used, pos = 0, i = 0;
        call_args = sim_tuple_new(vm, n + nkw, NULL);
        sim_push(vm, call_args);
        kwnames = sim_tuple_new(vm, nkw, NULL);
        sim_push(vm, kwnames);
        memcpy(SIM_TUPLE(call_args)->items, SIM_TUPLE(j->args)->items, n * sizeof(sim_obj *));
        sim_obj *k, *v;
        while (sim_dict_next(j->kwargs, &pos, &k, &v)) {
            SIM_TUPLE(kwnames)->items[i] = k;
            SIM_TUPLE(call_args)->items[n + i++] = v;
        }
    }
    sim_obj *r = sim_call(vm, j->fn, SIM_TUPLE(call_args)->items, (int)n, kwnames);
    if (r) {
        j->result = r;
        j->state = 3;
    } else {
        j->result = sim_exc_fetch(vm);
        j->state = 4;
    }
    vm->ts->nroots = 0;
    swapcontext(&j->ctx, &j->caller);
}

static sim_job *current_job(sim_vm *vm) {
    if (!vm->job_type || vm->ts == &vm->main_ts || vm->ts->nroots == 0) return NULL;
    sim_obj *o = vm->ts->roots[0];
    return SIM_KIND(o) == SIM_K_CNATIVE && o->type == job_type(vm) ? (sim_job *)o : NULL;
}

bool sim_in_job(sim_vm *vm) { return vm->ts != &vm->main_ts && current_job(vm) != NULL; }

/* Runs the job until it returns (0, *out = the value), raises (-1, *out = the
 * exception) or sleeps (1, *sleep_for = the duration). */
int sim_job_resume(sim_vm *vm, sim_obj *jobobj, sim_obj **out, double *sleep_for) {
    sim_job *j = (sim_job *)jobobj;
    if (j->state >= 3) {
        *out = j->result;
        return j->state == 3 ? 0 : -1;
    }
    if (j->state == 2) {
        *out = sim_exc_new(vm, vm->exc_types[SIM_E_RuntimeError], NULL);
        return -1;
    }
    if (j->state == 0) {
        j->stack = malloc(JOB_STACK);
        if (!j->stack) { fputs("aiosim: out of memory\n", stderr); exit(4); }
        getcontext(&j->ctx);
        j->ctx.uc_stack.ss_sp = j->stack;
        j->ctx.uc_stack.ss_size = JOB_STACK;
        j->ctx.uc_link = NULL;
        uintptr_t p = (uintptr_t)vm;
        makecontext(&j->ctx, (void (*)(void))job_main, 2, (unsigned)(p & 0xFFFFFFFFu), (unsigned)(p >> 32));
        /* roots[0] is the job itself: how the body and time.sleep find it */
        j->ts.nroots = 0;
        sim_tstate *saved = vm->ts;
        vm->ts = &j->ts;
        sim_push(vm, jobobj);
        vm->ts = saved;
    }
    sim_push(vm, jobobj);
    j->saved_ts = vm->ts;
    j->state = 2;
    vm->ts = &j->ts;
    swapcontext(&j->caller, &j->ctx);
    vm->ts = j->saved_ts;
    sim_pop(vm, 1);
    if (j->state == 1) {
        *sleep_for = j->sleep_for;
        return 1;
    }
    free(j->stack);
    j->stack = NULL;
    *out = j->result;
    return j->state == 3 ? 0 : -1;
}

/* time.sleep() inside a job: suspend it. Returns false outside jobs. */
bool sim__job_sleep(sim_vm *vm, double d) {
    sim_job *j = current_job(vm);
    if (!j) return false;
    j->sleep_for = d;
    j->state = 1;
    swapcontext(&j->ctx, &j->caller);
    j->state = 2;
    return true;
}
