/* capture.c — the loop observer, on the program's thread: each event into the chunk
 * being filled, as numbers and ids plus the texts that must be taken now (values are
 * described while they live; a later repr could differ). Everything else — composing
 * the readable detail, JSON, SQL — is the writer thread's (wthread.c), so that tracing
 * costs the program little more than this copy.
 *
 * A chunk goes to the writer thread when it holds CHUNK_EVENTS events. A block (one
 * transaction) ends after `batch` events, or at an iteration boundary once it holds
 * `iteration_batch` (so a killed run tends to end on a whole iteration); the program's
 * thread decides where, so that blocks do not depend on the threads' timing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "writer_int.h"

/* Which event kinds use `when` and `num`, from the docs of LOOP_EVENT_LIST. */
static bool uses_at[LOOP_EV__COUNT], uses_num[LOOP_EV__COUNT];
static pthread_once_t uses_once = PTHREAD_ONCE_INIT;

static void init_uses(void);

void trace__capture_init(void)
{
    pthread_once(&uses_once, init_uses);
}

static void init_uses(void)
{
    static const char *const docs[LOOP_EV__COUNT] = {
#define DOC(name, str, doc) doc,
        LOOP_EVENT_LIST(DOC)
#undef DOC
    };
    for (int k = 0; k < LOOP_EV__COUNT; k++) {
        uses_at[k] = strstr(docs[k], "when=") != NULL;
        uses_num[k] = strstr(docs[k], "num=") != NULL;
    }
}

/* s into the chunk's arena: its offset + 1, or 0 for NULL (and out of memory). */
static uint32_t keep(trace_writer *w, chunk *c, const char *s)
{
    if (!s)
        return 0;
    size_t off = c->arena.len;
    trace__buf_add(&c->arena, s, strlen(s) + 1);
    if (c->arena.oom || off >= UINT32_MAX - 1) {
        trace__woom(w);
        return 0;
    }
    return (uint32_t)off + 1;
}

const cap_x trace__no_x = { .at = NAN, .num = NAN };

/* Waits for a chunk to fill (the writer thread hands written ones back). */
static chunk *take_chunk(trace_writer *w)
{
    pthread_mutex_lock(&w->mu);
    while (!w->nspare)
        pthread_cond_wait(&w->cv, &w->mu);
    chunk *c = w->spare[--w->nspare];
    pthread_mutex_unlock(&w->mu);
    c->n = c->nx = 0;
    c->ends_block = false;
    c->first_seq = w->seq + 1;
    c->arena.len = 0;
    return c;
}

void trace__submit(trace_writer *w, bool ends_block)
{
    if (ends_block && !w->block_n)
        ends_block = false;          /* no block open: nothing to end */
    if ((!w->cur || !w->cur->n) && !ends_block)
        return;
    if (!w->cur)
        w->cur = take_chunk(w);      /* an empty chunk that only ends the block */
    chunk *c = w->cur;
    c->ends_block = ends_block;
    if (ends_block)
        w->block_n = 0;
    w->cur = NULL;
    pthread_mutex_lock(&w->mu);
    w->queue[(w->qhead + w->qlen++) % NCHUNKS] = c;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* Event e's extras, made on first use. */
static cap_x *extras(chunk *c, cap_ev *e)
{
    if (!e->x) {
        c->xs[c->nx] = trace__no_x;
        e->x = ++c->nx;
    }
    return &c->xs[e->x - 1];
}

/* What handle h calls: a task step or a loop callback on an object, by ids (the
 * writer thread composes the text), else its description. */
static void capture_call(trace_writer *w, chunk *c, cap_ev *e, const loop_handle *h)
{
    char buf[DESC_MAX];
    const char *d = w->host.describe_handle ? w->host.describe_handle(w->host.ud, h, buf, sizeof buf) : NULL;
    if (!d && h->cb.obj) {
        cap_x *x = extras(c, e);
        x->obj = oid(w, h->cb.obj);
        if (h->cb.obj->kind == LOOP_K_TASK) {
            e->flags |= CAP_TASK_HANDLE;
            x->harg = oid(w, h->arg);
            x->harg_kind = h->arg ? h->arg->kind : 0;
        } else {
            /* sleep's timer, gather's child-done: "callback of future #5" */
            e->flags |= CAP_OBJ_HANDLE;
            x->obj_kind = h->cb.obj->kind;
        }
        return;
    }
    e->a = keep(w, c, d ? d : trace__handle_desc(w, h, buf, sizeof buf));
}

/* The texts of one event: what the writer thread cannot find out later. */
static void capture_texts(trace_writer *w, chunk *c, cap_ev *e, const loop_event *ev)
{
    const loop_obj *s = ev->subject, *o = ev->other;
    if (ev->text)
        e->text = keep(w, c, ev->text);
    switch (ev->kind) {
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
        if (s && s->kind == LOOP_K_HANDLE)
            capture_call(w, c, e, (const loop_handle *)s);
        return;
    case LOOP_EV_CALLBACK_SCHEDULE:
        /* described again: the handle's future (h->arg) is set by now */
        if (o && o->kind == LOOP_K_HANDLE)
            capture_call(w, c, e, (const loop_handle *)o);
        return;
    case LOOP_EV_TIMER_DUE: case LOOP_EV_HANDLE_BEGIN:
        return;   /* the writer thread remembers the description from the scheduling */
    case LOOP_EV_TASK_CREATE:
        if (s && s->kind == LOOP_K_TASK) {
            const loop_task *t = (const loop_task *)s;
            extras(c, e)->coro = keep(w, c, trace__desc_val(w, ev->val ? ev->val : t->coro, 0));
            e->a = keep(w, c, trace__task_name(w, t));
        }
        return;
    case LOOP_EV_TASK_RENAME:
        if (ev->val)
            e->a = keep(w, c, trace__str_val(w, ev->val, 0));
        return;
    case LOOP_EV_STEP_AWAIT:
        return;   /* the writer thread knows the awaited task's name */
    default:
        if (ev->val) {
            e->flags |= CAP_HAS_VAL;
            e->a = keep(w, c, trace__desc_val(w, ev->val, 0));
        }
        return;
    }
}

/* trace_writer_observe's work, never re-entered. */
static void observe(trace_writer *w, const loop_event *ev)
{
    if (ev->kind == LOOP_EV_ITERATION && w->block_n >= w->iteration_batch)
        trace__submit(w, true);
    chunk *c = w->cur;
    if (!c)
        c = w->cur = take_chunk(w);
    cap_ev *e = &c->ev[c->n];
    const loop_obj *s = ev->subject, *o = ev->other, *cause = ev->cause;
    e->time = ev->time;
    e->iteration = ev->iteration;
    e->kind = (uint8_t)ev->kind;
    e->subject = oid(w, s);
    e->cause = oid(w, cause);
    e->other = oid(w, o);
    e->line = w->host.line_of ? w->host.line_of(w->host.ud) : 0;
    e->flags = (uint8_t)((s && s->kind == LOOP_K_TASK ? CAP_SUBJ_TASK : 0) |
                         (s && s->kind == LOOP_K_HANDLE ? CAP_SUBJ_HANDLE : 0) |
                         (o && o->kind == LOOP_K_TASK ? CAP_OTHER_TASK : 0) |
                         (o && o->kind == LOOP_K_HANDLE ? CAP_OTHER_HANDLE : 0) |
                         (cause && cause->kind == LOOP_K_TASK ? CAP_CAUSE_TASK : 0));
    e->other_kind = o ? o->kind : 0;
    e->a = e->text = e->x = 0;
    if (uses_at[ev->kind] || ev->when != 0)
        extras(c, e)->at = ev->when;
    if (uses_num[ev->kind] || ev->num != 0)
        extras(c, e)->num = ev->num;
    capture_texts(w, c, e, ev);
    c->n++;
    w->seq++;
    w->block_n++;
    w->last_time = ev->time;
    w->last_iteration = ev->iteration;
    if (w->block_n >= w->batch)
        trace__submit(w, true);
    else if (c->n == CHUNK_EVENTS)
        trace__submit(w, false);
}

void trace_writer_observe(void *ud, const loop_event *ev)
{
    trace_writer *w = ud;
    if (!w || atomic_load_explicit(&w->failed, memory_order_relaxed) || (unsigned)ev->kind >= LOOP_EV__COUNT)
        return;
    if (w->busy) {
        /* a host callback (describe, line_of) reported an event of its own: recording
         * it now would interleave two events; refuse loudly rather than corrupt */
        char msg[TRACE_ERR_MAX];
        trace__err(msg, sizeof msg, "trace '%s': a %s event was reported while the writer was "
                   "describing another (a host callback must not print or schedule)",
                   w->path, loop_event_name(ev->kind));
        trace__fail(w, msg);
        return;
    }
    w->busy = true;
    observe(w, ev);
    w->busy = false;
}
