/* obj.c — allocation, identity and GC support of loop objects.
 *
 * Every object goes through loop__obj_new: host->alloc when the host has a garbage
 * collector, else malloc with the object recorded in l->objs so that loop_free can
 * release it. loop_trace_roots and loop_obj_trace tell the host's collector what the
 * loop holds; loop_obj_finalize frees an object's malloc'd parts.
 *
 * The kinds implemented by the combinator and primitive files (locks, queues, ...)
 * are traced through functions those files define; they are declared weak here so
 * that a program linking only part of loop/ still links (an object of a kind whose
 * file is not linked cannot exist).
 */
#include "loop_int.h"

#define OTHER_KINDS(X)                                                            \
    X(LOCK, lock) X(EVENT, event) X(CONDITION, condition) X(SEMAPHORE, semaphore) \
    X(QUEUE, queue) X(TASKGROUP, taskgroup) X(TIMEOUT, timeout)                   \
    X(ASCOMPLETED, ascompleted) X(STATE, state)

#define DECLARE_WEAK(K, k)                                                   \
    void loop__trace_##k(loop_obj *o, const loop_tracer *t) __attribute__((weak)); \
    void loop__finalize_##k(loop_obj *o) __attribute__((weak));
OTHER_KINDS(DECLARE_WEAK)
#undef DECLARE_WEAK

void loop__grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*v, n * size);
    if (!p) {
        fputs("aiosim: out of memory\n", stderr);
        abort();
    }
    *v = p;
    *cap = n;
}

void *loop__obj_new(loop *l, loop_kind kind, size_t size)
{
    loop_obj *o;
    if (l->host.alloc) {
        o = l->host.alloc(l->host.ud, kind, size);
    } else {
        o = calloc(1, size);
        if (o) {
            loop__grow((void **)&l->objs, &l->capobjs, l->nobjs + 1, sizeof *l->objs);
            l->objs[l->nobjs++] = o;
        }
    }
    if (!o) {
        fputs("aiosim: out of memory\n", stderr);
        abort();
    }
    o->kind = (uint8_t)kind;
    o->id = ++l->next_id;
    o->owner = l;
    return o;
}

void loop_pin(loop *l, loop_obj *o)
{
    loop__grow((void **)&l->pins, &l->cappins, l->npins + 1, sizeof *l->pins);
    l->pins[l->npins++] = o;
}

void loop_unpin(loop *l, size_t n)
{
    l->npins = n > l->npins ? 0 : l->npins - n;
}

static void tv(const loop_tracer *t, loop_val v)
{
    if (v)
        t->val(t->ud, v);
}

static void to(const loop_tracer *t, const void *o)
{
    if (o)
        t->obj(t->ud, (loop_obj *)o);
}

static void trace_callback(const loop_callback *cb, const loop_tracer *t)
{
    to(t, cb->obj);
    tv(t, cb->val);
    tv(t, cb->val2);
    tv(t, cb->ctx);
}

/* The roots: ready queue, timer heap, pending tasks, the running handle and task,
 * pins, the error slot, and the virtual threads with their jobs. */
void loop_trace_roots(loop *l, const loop_tracer *t)
{
    for (size_t i = 0; i < l->rlen; i++)
        to(t, l->ready[(l->rhead + i) % l->rcap]);
    for (size_t i = 0; i < l->nheap; i++)
        to(t, l->heap[i].h);
    loop__tasks_compact(l);     /* done tasks leave: the collector may free them */
    for (size_t i = 0; i < l->ntasks; i++)
        to(t, l->tasks[i]);
    to(t, l->current_handle);
    to(t, l->current_task);
    for (size_t i = 0; i < l->npins; i++)
        to(t, l->pins[i]);
    tv(t, l->error);
    to(t, l->default_executor);
    to(t, l->shutdown_fut);
    to(t, l->shutdown_ex);
    loop__threads_trace(l, t);
}

void loop__future_trace(loop_obj *o, const loop_tracer *t)
{
    loop_future *f = (loop_future *)o;
    tv(t, f->result);
    tv(t, f->exception);
    tv(t, f->cancel_msg);
    tv(t, f->cancelled_exc);
    for (size_t i = 0; i < f->ncallbacks; i++)
        trace_callback(&f->callbacks[i], t);
}

void loop__task_trace(loop_obj *o, const loop_tracer *t)
{
    loop_task *k = (loop_task *)o;
    loop__future_trace(o, t);
    tv(t, k->coro);
    tv(t, k->name);
    tv(t, k->ctx);
    to(t, k->fut_waiter);
}

static void trace_ncoro(loop_obj *o, const loop_tracer *t)
{
    loop_ncoro *c = (loop_ncoro *)o;
    for (int i = 0; i < 4; i++) {
        to(t, c->objs[i]);
        tv(t, c->vals[i]);
    }
}

static void trace_handle(loop_obj *o, const loop_tracer *t)
{
    loop_handle *h = (loop_handle *)o;
    trace_callback(&h->cb, t);
    to(t, h->arg);
}

void loop_obj_trace(loop_obj *o, const loop_tracer *t)
{
    switch ((loop_kind)o->kind) {
    case LOOP_K_HANDLE: trace_handle(o, t); break;
    case LOOP_K_FUTURE: loop__future_trace(o, t); break;
    case LOOP_K_TASK: loop__task_trace(o, t); break;
    case LOOP_K_NCORO: trace_ncoro(o, t); break;
    case LOOP_K_CFUTURE: loop__cfuture_trace(o, t); break;
    case LOOP_K_EXECUTOR: loop__executor_trace(o, t); break;
    case LOOP_K_THREAD: loop__thread_trace(o, t); break;
#define TRACE_OTHER(K, k)                  \
    case LOOP_K_##K:                       \
        if (loop__trace_##k)               \
            loop__trace_##k(o, t);         \
        break;
    OTHER_KINDS(TRACE_OTHER)
#undef TRACE_OTHER
    default: break;
    }
}

void loop_obj_finalize(loop_obj *o)
{
    switch ((loop_kind)o->kind) {
    case LOOP_K_FUTURE:
    case LOOP_K_TASK: {
        loop_future *f = (loop_future *)o;
        if (f->callbacks != &f->cb1)
            free(f->callbacks);
        f->callbacks = NULL;
        f->ncallbacks = f->capcallbacks = 0;
        break;
    }
    case LOOP_K_CFUTURE: loop__cfuture_finalize(o); break;
    case LOOP_K_EXECUTOR: loop__executor_finalize(o); break;
    case LOOP_K_THREAD: loop__thread_finalize(o); break;
#define FIN_OTHER(K, k)                    \
    case LOOP_K_##K:                       \
        if (loop__finalize_##k)            \
            loop__finalize_##k(o);         \
        break;
    OTHER_KINDS(FIN_OTHER)
#undef FIN_OTHER
    default: break;
    }
}
