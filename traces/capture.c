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

/* Per event kind, what the capture does beyond copying numbers and ids (from the
 * docs of LOOP_EVENT_LIST and capture_texts): a table, so that the common event costs
 * one lookup rather than a chain of tests. */
enum {
    NEED_AT = 1,      /* the kind uses `when`: the extras keep it, even when 0 */
    NEED_NUM = 2,     /* the kind uses `num` */
    NEED_TEXTS = 4,   /* capture_texts has work even without a value or a text */
};
static uint8_t needs[LOOP_EV__COUNT];
static pthread_once_t needs_once = PTHREAD_ONCE_INIT;

static void init_needs(void);

void trace__capture_init(void)
{
    pthread_once(&needs_once, init_needs);
}

static void init_needs(void)
{
    static const char *const docs[LOOP_EV__COUNT] = {
#define DOC(name, str, doc) doc,
        LOOP_EVENT_LIST(DOC)
#undef DOC
    };
    for (int k = 0; k < LOOP_EV__COUNT; k++)
        needs[k] = (uint8_t)((strstr(docs[k], "when=") ? NEED_AT : 0) |
                             (strstr(docs[k], "num=") ? NEED_NUM : 0));
    static const int texts[] = { LOOP_EV_CALL_SOON, LOOP_EV_CALL_SOON_TS, LOOP_EV_CALL_LATER,
                                 LOOP_EV_CALL_AT, LOOP_EV_CALLBACK_SCHEDULE, LOOP_EV_TASK_CREATE };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        needs[texts[i]] |= NEED_TEXTS;
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

/* A constant text (one the host returned instead of writing into the buffer it was
 * given): kept once per chunk while it repeats, as "None", the result of most steps. */
static uint32_t keep_const(trace_writer *w, chunk *c, const char *s)
{
    if (s != c->const_text || !c->const_off) {
        c->const_off = keep(w, c, s);
        c->const_text = s;
    }
    return c->const_off;
}

/* repr(v) (str(v) when as_str) written by the host straight into the chunk's arena:
 * its offset + 1, or 0 for none (and out of memory). */
static uint32_t keep_val(trace_writer *w, chunk *c, loop_val v, bool as_str)
{
    if (!v)
        return 0;
    const char *(*fn)(void *, loop_val, char *, size_t) = as_str ? w->host.str_of : w->host.describe;
    if (!fn)
        return keep(w, c, as_str ? trace__str_val(w, v, 0) : trace__desc_val(w, v, 0));
    size_t off = c->arena.len;
    char *dst = trace__buf_room(&c->arena, DESC_MAX);
    if (!dst || off >= UINT32_MAX - DESC_MAX) {
        trace__woom(w);
        return 0;
    }
    dst[0] = '\0';
    const char *d = fn(w->host.ud, v, dst, DESC_MAX);
    if (!d && as_str)
        return keep(w, c, trace__str_val(w, v, 0));   /* str_of declined: describe, unquoted */
    if (d != dst)
        return keep_const(w, c, d ? d : "<value>");
    c->arena.len += strlen(dst) + 1;
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
    c->const_text = NULL;
    c->const_off = 0;
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
 * writer thread composes the text), else a description (the host's, or the writer's
 * own). A handle that acts on a loop object is the loop's own callback, which the
 * host never describes, so it is not asked. */
static void capture_call(trace_writer *w, chunk *c, cap_ev *e, const loop_handle *h)
{
    if (h->cb.obj) {
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
    char buf[DESC_MAX];
    const char *d = w->host.describe_handle ? w->host.describe_handle(w->host.ud, h, buf, sizeof buf) : NULL;
    e->a = keep(w, c, d ? d : trace__handle_desc(w, h, buf, sizeof buf));
}

/* The texts of one event: what the writer thread cannot find out later. */
static __attribute__((noinline)) void capture_texts(trace_writer *w, chunk *c, cap_ev *e,
                                                    const loop_event *ev)
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
            extras(c, e)->coro = keep_val(w, c, ev->val ? ev->val : t->coro, false);
            e->a = keep(w, c, trace__task_name(w, t));
        }
        return;
    case LOOP_EV_TASK_RENAME:
        e->a = keep_val(w, c, ev->val, true);
        return;
    case LOOP_EV_STEP_AWAIT:
        return;   /* the writer thread knows the awaited task's name */
    default:
        if (ev->val) {
            e->flags |= CAP_HAS_VAL;
            e->a = keep_val(w, c, ev->val, false);
        }
        return;
    }
}

/* when and num into the event's extras: the kinds that use them, or any that sets them. */
static __attribute__((noinline)) void capture_at_num(chunk *c, cap_ev *e, const loop_event *ev)
{
    uint8_t n = needs[ev->kind];
    if ((n & NEED_AT) || ev->when != 0)
        extras(c, e)->at = ev->when;
    if ((n & NEED_NUM) || ev->num != 0)
        extras(c, e)->num = ev->num;
}

/* The trace id of o (0: none), and the flag saying o is a task or a handle. */
static inline uint64_t oid_flag(trace_writer *w, const loop_obj *o, uint8_t *flags,
                                uint8_t if_task, uint8_t if_handle)
{
    if (!o)
        return 0;
    *flags |= o->kind == LOOP_K_TASK ? if_task : o->kind == LOOP_K_HANDLE ? if_handle : 0;
    return oid(w, o);
}

/* trace_writer_observe's work, never re-entered. Every event passes here, so the
 * common one (no value, no text, no deadline) takes no call and no test beyond the
 * copy; the rest is in capture_at_num and capture_texts. */
static void observe(trace_writer *w, const loop_event *ev)
{
    unsigned k = (unsigned)ev->kind;
    if (k == LOOP_EV_ITERATION && w->block_n >= w->iteration_batch)
        trace__submit(w, true);
    chunk *c = w->cur;
    if (!c)
        c = w->cur = take_chunk(w);
    cap_ev *e = &c->ev[c->n];
    uint8_t flags = 0;
    e->time = ev->time;
    e->iteration = ev->iteration;
    e->kind = (uint8_t)k;
    e->subject = oid_flag(w, ev->subject, &flags, CAP_SUBJ_TASK, CAP_SUBJ_HANDLE);
    e->cause = oid_flag(w, ev->cause, &flags, CAP_CAUSE_TASK, 0);
    e->other = oid_flag(w, ev->other, &flags, CAP_OTHER_TASK, CAP_OTHER_HANDLE);
    e->flags = flags;
    e->other_kind = ev->other ? ev->other->kind : 0;
    e->line = w->host.line_of ? w->host.line_of(w->host.ud) : 0;
    e->a = e->text = e->x = 0;
    uint8_t n = needs[k];
    uint64_t when_bits, num_bits;   /* either nonzero, +-0 aside: compared as integers */
    memcpy(&when_bits, &ev->when, sizeof when_bits);
    memcpy(&num_bits, &ev->num, sizeof num_bits);
    if ((n & (NEED_AT | NEED_NUM)) || ((when_bits | num_bits) << 1))
        capture_at_num(c, e, ev);
    if ((n & NEED_TEXTS) || ev->val || ev->text)
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

/* A host callback (describe, line_of) reported an event of its own: recording it now
 * would interleave two events; refuse loudly rather than corrupt. */
static __attribute__((noinline, cold)) void reentered(trace_writer *w, const loop_event *ev)
{
    char msg[TRACE_ERR_MAX];
    trace__err(msg, sizeof msg, "trace '%s': a %s event was reported while the writer was "
               "describing another (a host callback must not print or schedule)",
               w->path, loop_event_name(ev->kind));
    trace__fail(w, msg);
}

void trace_writer_observe(void *ud, const loop_event *ev)
{
    trace_writer *w = ud;
    if (!w || atomic_load_explicit(&w->failed, memory_order_relaxed) || (unsigned)ev->kind >= LOOP_EV__COUNT)
        return;
    if (w->busy) {
        reentered(w, ev);
        return;
    }
    w->busy = true;
    observe(w, ev);
    w->busy = false;
}
