/* model.c — a trace read (through traces/trace.h's reader) into the timeline model.
 *
 * One pass over the events, in seq order, with a small state per object id: which lane
 * a task or thread has, where a handle was scheduled from (for its arrow), the open step
 * or wait of each task. The object tables are read first so a handle knows at once
 * whether it steps a task, whether it is a timer, and a task its name.
 */
#include <ctype.h>
#include <string.h>

#include "trace.h"
#include "viz_int.h"

void viz__grow(void **v, size_t *cap, size_t size)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, ncap * size);
    if (!p) {
        fputs("aiosim: out of memory\n", stderr);
        abort();
    }
    *v = p;
    *cap = ncap;
}

void *viz__xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("aiosim: out of memory\n", stderr);
        abort();
    }
    return p;
}

char *viz__strdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *p = viz__xmalloc(n + 1);
    memcpy(p, s ? s : "", n);
    return p;
}

/* ---- per-object state ----------------------------------------------------------------- */

enum { O_NONE, O_TASK, O_HANDLE, O_FUTURE, O_THREAD };

/* Where a handle was scheduled from, and how. */
typedef struct obj {
    uint8_t type;
    uint8_t akind;           /* handle: arrow kind of its scheduling; future: done-by class */
    bool timer, threadsafe, started;
    int lane;                /* task / thread: its lane; handle: lane it was scheduled from */
    uint64_t seq;            /* handle: the scheduling event; task: the create event */
    uint64_t steps_task;     /* handle: the task it steps */
    int64_t open_step;       /* task / thread: index of its open step, -1: none */
    int64_t open_wait;       /* task / thread: index of its open wait, -1: none */
    uint64_t cancel_seq;     /* task: a cancel request not yet delivered */
    int cancel_lane;
    int create_lane;         /* task: the lane that created it */
    uint64_t timer_step;     /* future: created in a step that then scheduled a timer */
    double timer_delay;
    uint64_t created_step;   /* future: the step-begin seq of the step that created it */
    bool sync_origin;
    uint8_t akind_origin;    /* future: 1 + the wait kind its origin names, 0: none */
} obj;

/* Futures' done classes. */
enum { DONE_NONE, DONE_TIMER, DONE_THREAD, DONE_TASK, DONE_OTHER };

typedef struct loader {
    viz_model *m;
    obj *objs;
    size_t nobjs;
    int callbacks_lane;
    int other_lane;
    int64_t cur_slot;        /* the open handle run's slot, -1: none */
    int cur_lane;            /* its lane */
    uint64_t cur_handle;
    uint64_t cur_step_seq;   /* step_begin seq of the step running now (0: none) */
    uint64_t step_future;    /* the last future created (by any step) */
    int64_t cur_cb_step;     /* the callback step of the run, -1: none */
    int thread_running;      /* lane of the thread that ran last without sleeping, -1 */
    int thread_last;         /* lane of the thread of the last thread event, -1 */
    int nthreads;
    double last_time;
    trace_output *outs;      /* the output table, by seq */
    size_t nouts, iout;
} loader;

/* The state of object `id`, the table grown to hold it. Growing moves the table: a
 * pointer from O() is good until the next O() of a larger id. */
static obj *O(loader *ld, uint64_t id)
{
    if (id >= ld->nobjs) {
        size_t n = ld->nobjs ? ld->nobjs : 64;
        while (n <= id)
            n *= 2;
        obj *p = realloc(ld->objs, n * sizeof *p);
        if (!p) {
            fputs("aiosim: out of memory\n", stderr);
            abort();
        }
        for (size_t i = ld->nobjs; i < n; i++) {
            memset(&p[i], 0, sizeof p[i]);
            p[i].lane = -1;
            p[i].open_step = p[i].open_wait = -1;
        }
        ld->objs = p;
        ld->nobjs = n;
    }
    return &ld->objs[id];
}

/* "<coroutine object child at 0x..>" or "<coroutine child>" -> "child()". */
static void coro_name(const char *coro, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!coro || !*coro)
        return;
    const char *p = coro;
    if (*p == '<')
        p++;
    if (!strncmp(p, "coroutine object ", 17))
        p += 17;
    else if (!strncmp(p, "coroutine ", 10))
        p += 10;
    size_t k = strcspn(p, " >");
    snprintf(buf, n, "%.*s()", (int)(k > 80 ? 80 : k), p);
}

static int add_lane(viz_model *m, viz_lane_kind kind, uint64_t id, const char *name,
                    const char *label, const char *state)
{
    viz_lane *ln = VIZ__PUSH(m->lanes);
    ln->kind = kind;
    ln->id = id;
    ln->name = viz__strdup(name);
    ln->label = viz__strdup(label);
    ln->state = state ? viz__strdup(state) : NULL;
    return (int)m->lanes.n - 1;
}

static int on_task(void *ud, const trace_task *t)
{
    loader *ld = ud;
    viz_model *m = ld->m;
    obj *o = O(ld, t->id);
    o->type = O_TASK;
    m->n_tasks++;
    size_t ntask_lanes = m->lanes.n;
    if (ntask_lanes >= VIZ__MAX_TASK_LANES) {
        if (ld->other_lane < 0)
            ld->other_lane = add_lane(m, VIZ_LANE_OTHER, 0, "other tasks", "other tasks", NULL);
        o->lane = ld->other_lane;
        return 0;
    }
    char cn[96], label[256];
    coro_name(t->coro, cn, sizeof cn);
    char name[96];
    snprintf(name, sizeof name, "%s", t->name ? t->name : "task");
    if (cn[0])
        snprintf(label, sizeof label, "%s \xc2\xb7 %s", name, cn);
    else
        snprintf(label, sizeof label, "%s", name);
    o->lane = add_lane(m, VIZ_LANE_TASK, t->id, name, label, t->state);
    return 0;
}

static int on_handle(void *ud, const trace_handle *h)
{
    loader *ld = ud;
    obj *o = O(ld, h->id);
    o->type = O_HANDLE;
    o->timer = !isnan(h->due);
    o->threadsafe = h->scheduled_by && !strcmp(h->scheduled_by, "call_soon_threadsafe");
    o->steps_task = h->task;
    if (!h->task && h->callback) {
        viz_model *m = ld->m;
        *VIZ__PUSH(m->hlabels) = viz__strdup(h->callback);
        *VIZ__PUSH(m->hlabel_ids) = h->id;
    }
    return 0;
}

static bool has_word(const char *s, const char *w)
{
    if (!s)
        return false;
    for (; *s; s++) {
        size_t i = 0;
        while (w[i] && tolower((unsigned char)s[i]) == w[i])
            i++;
        if (!w[i])
            return true;
    }
    return false;
}

static int on_future(void *ud, const trace_future *f)
{
    loader *ld = ud;
    obj *o = O(ld, f->id);
    o->type = O_FUTURE;
    const char *s = f->origin;
    o->sync_origin = has_word(s, "lock") || has_word(s, "queue") || has_word(s, "event") ||
                     has_word(s, "condition") || has_word(s, "semaphore");
    /* what the loop says it made the future for, when it says so, beats guessing */
    if (has_word(s, "sleep"))
        o->akind_origin = VIZ_W_SLEEP + 1;
    else if (has_word(s, "thread") || has_word(s, "executor"))
        o->akind_origin = VIZ_W_THREAD + 1;
    return 0;
}

static int on_output(void *ud, const trace_output *out)
{
    loader *ld = ud;
    if (ld->nouts % 256 == 0) {
        trace_output *p = realloc(ld->outs, (ld->nouts + 256) * sizeof *p);
        if (!p)
            abort();
        ld->outs = p;
    }
    trace_output *o = &ld->outs[ld->nouts++];
    o->seq = out->seq;
    o->stream = out->stream && !strcmp(out->stream, "stderr") ? "stderr" : "stdout";
    o->text = viz__strdup(out->text);
    return 0;
}

/* ---- the event pass ---------------------------------------------------------------------- */

/* The lane of whatever made this event: the running handle's lane, else the cause's,
 * else a thread running right now, else -1 (outside the loop). */
static int cause_lane(loader *ld, const trace_event *ev)
{
    if (ld->cur_slot >= 0)
        return ld->cur_lane;
    if (ev->cause) {
        obj *c = O(ld, ev->cause);
        if (c->type == O_TASK || c->type == O_THREAD)
            return c->lane;
    }
    return ld->thread_running;
}

/* A slot for an event outside any handle run, merged with the previous loose slot of
 * the same instant and iteration (its lane is where the first of them happened). */
static void loose_slot(loader *ld, const trace_event *ev, int lane)
{
    viz_model *m = ld->m;
    if (lane < 0)
        lane = ld->callbacks_lane;
    if (m->slots.n) {
        viz_slot *s = &m->slots.v[m->slots.n - 1];
        if (!s->handle && s->time == ev->time && s->iteration == ev->iteration) {
            s->seq1 = ev->seq;
            return;
        }
    }
    viz_slot *s = VIZ__PUSH(m->slots);
    s->seq0 = s->seq1 = ev->seq;
    s->time = ev->time;
    s->iteration = ev->iteration;
    s->lane = lane;
}

static void add_arrow(viz_model *m, viz_arrow_kind k, uint64_t s0, int l0, uint64_t s1, int l1)
{
    if (l0 < 0 || l1 < 0 || !s0)
        return;
    viz_arrow *a = VIZ__PUSH(m->arrows);
    a->kind = (uint8_t)k;
    a->seq0 = s0;
    a->seq1 = s1;
    a->lane0 = l0;
    a->lane1 = l1;
}

static void add_mark(viz_model *m, viz_mark_kind k, uint64_t seq, int lane, double num)
{
    viz_mark *mk = VIZ__PUSH(m->marks);
    mk->kind = (uint8_t)k;
    mk->seq = seq;
    mk->lane = lane;
    mk->num = num;
}

static void handle_begin(loader *ld, const trace_event *ev)
{
    viz_model *m = ld->m;
    obj *h = O(ld, ev->subject);
    uint64_t task = ev->other ? ev->other : h->steps_task;
    int lane = task ? O(ld, task)->lane : ld->callbacks_lane;
    if (lane < 0)
        lane = ld->callbacks_lane;
    viz_slot *s = VIZ__PUSH(m->slots);
    s->seq0 = s->seq1 = ev->seq;
    s->time = ev->time;
    s->iteration = ev->iteration;
    s->lane = lane;
    s->handle = ev->subject;
    ld->cur_slot = (int64_t)m->slots.n - 1;
    ld->cur_lane = lane;
    ld->cur_handle = ev->subject;
    ld->cur_cb_step = -1;
    obj *t = task ? O(ld, task) : NULL;
    if (t && t->type == O_TASK && !t->started && t->seq) {
        add_arrow(m, VIZ_A_CREATE, t->seq, t->create_lane, ev->seq, lane);
    } else if (h->seq) {
        add_arrow(m, (viz_arrow_kind)h->akind, h->seq, h->lane, ev->seq, lane);
    }
    if (!task) {
        viz_step *st = VIZ__PUSH(m->steps);
        st->seq0 = st->seq1 = ev->seq;
        st->lane = lane;
        st->end = VIZ_END_CALLBACK;
        st->handle = ev->subject;
        ld->cur_cb_step = (int64_t)m->steps.n - 1;
    }
}

static void step_begin(loader *ld, const trace_event *ev)
{
    viz_model *m = ld->m;
    obj *t = O(ld, ev->subject);
    t->started = true;
    int lane = t->lane >= 0 ? t->lane : ld->cur_lane;
    if (t->open_wait >= 0) {
        viz_wait *w = &m->waits.v[t->open_wait];
        w->seq1 = ev->seq;
        w->t1 = ev->time;
        t->open_wait = -1;
    }
    viz_step *st = VIZ__PUSH(m->steps);
    st->seq0 = st->seq1 = ev->seq;
    st->lane = lane;
    st->end = VIZ_END_OPEN;
    st->thrown = ev->detail && !strncmp(ev->detail, "throw", 5);
    st->handle = ld->cur_handle;
    t->open_step = (int64_t)m->steps.n - 1;
    ld->cur_step_seq = ev->seq;
    if (t->cancel_seq && st->thrown) {
        /* the wake-up that delivers the cancellation is drawn as the cancel's arrow */
        viz_arrow *last = m->arrows.n ? &m->arrows.v[m->arrows.n - 1] : NULL;
        if (last && last->kind == VIZ_A_WAKE && last->lane1 == lane && ld->cur_slot >= 0 &&
            last->seq1 == m->slots.v[ld->cur_slot].seq0)
            m->arrows.n--;
        add_arrow(m, VIZ_A_CANCEL, t->cancel_seq, t->cancel_lane, ev->seq, lane);
        t->cancel_seq = 0;
    }
}

static void step_end(loader *ld, const trace_event *ev, viz_step_end end)
{
    viz_model *m = ld->m;
    obj *t = O(ld, ev->subject);
    if (t->open_step < 0)
        return;
    viz_step *st = &m->steps.v[t->open_step];
    st->seq1 = ev->seq;
    st->end = (uint8_t)end;
    t->open_step = -1;
    ld->cur_step_seq = 0;
    if (end == VIZ_END_AWAIT || end == VIZ_END_YIELD) {
        viz_wait *w = VIZ__PUSH(m->waits);
        w->seq0 = ev->seq;
        w->t0 = ev->time;
        w->t1 = NAN;
        w->lane = st->lane;
        w->awaited = end == VIZ_END_AWAIT ? ev->other : 0;
        w->kind = end == VIZ_END_YIELD ? VIZ_W_YIELD : VIZ_W_FUTURE;  /* classified later */
        w->dur = NAN;
        t->open_wait = (int64_t)m->waits.n - 1;
    }
    if (end == VIZ_END_CANCELLED && t->cancel_seq) {
        /* cancelled before it ever waited: the arrow ends here */
        add_arrow(m, VIZ_A_CANCEL, t->cancel_seq, t->cancel_lane, ev->seq, st->lane);
        t->cancel_seq = 0;
    }
}

static void schedule(loader *ld, const trace_event *ev, viz_arrow_kind k)
{
    obj *h = O(ld, ev->subject);
    h->type = O_HANDLE;
    h->akind = (uint8_t)k;
    h->seq = ev->seq;
    h->lane = cause_lane(ld, ev);
    if (h->lane < 0 && ev->kind == LOOP_EV_CALL_SOON_TS)
        h->lane = ld->thread_last;     /* a worker thread handing its result back */
    if (h->lane < 0)
        h->lane = ld->callbacks_lane;
    if (ld->cur_slot < 0)
        loose_slot(ld, ev, h->lane);
}

static void thread_event(loader *ld, const trace_event *ev)
{
    viz_model *m = ld->m;
    obj *th = O(ld, ev->subject);
    if (th->type != O_THREAD) {
        th->type = O_THREAD;
        char label[64];
        snprintf(label, sizeof label, "thread %d", ++ld->nthreads);
        th->lane = add_lane(m, VIZ_LANE_THREAD, ev->subject, label, label, NULL);
    }
    if (th->open_step >= 0) {
        m->steps.v[th->open_step].seq1 = ev->seq;
        th->open_step = -1;
    }
    if (th->open_wait >= 0) {
        m->waits.v[th->open_wait].seq1 = ev->seq;
        m->waits.v[th->open_wait].t1 = ev->time;
        th->open_wait = -1;
    }
    if (ld->cur_slot < 0)
        loose_slot(ld, ev, th->lane);
    ld->thread_running = -1;
    ld->thread_last = th->lane;
    if (ev->kind == LOOP_EV_THREAD_START || ev->kind == LOOP_EV_THREAD_RESUME) {
        viz_step *st = VIZ__PUSH(m->steps);
        st->seq0 = st->seq1 = ev->seq;
        st->lane = th->lane;
        st->end = VIZ_END_THREAD;
        th->open_step = (int64_t)m->steps.n - 1;
        ld->thread_running = th->lane;
    } else if (ev->kind == LOOP_EV_THREAD_SLEEP) {
        viz_wait *w = VIZ__PUSH(m->waits);
        w->seq0 = ev->seq;
        w->t0 = ev->time;
        w->t1 = NAN;
        w->lane = th->lane;
        w->kind = VIZ_W_SLEEP;
        w->dur = ev->num;
        th->open_wait = (int64_t)m->waits.n - 1;
    }
}

static void future_done(loader *ld, const trace_event *ev)
{
    obj *f = O(ld, ev->subject);
    if (f->type == O_TASK || f->akind)
        return;
    obj *h = ld->cur_handle ? O(ld, ld->cur_handle) : NULL;
    if (h && h->timer)
        f->akind = DONE_TIMER;
    else if (h && h->threadsafe)
        f->akind = DONE_THREAD;
    else if (ev->cause && O(ld, ev->cause)->type == O_TASK)
        f->akind = DONE_TASK;
    else
        f->akind = DONE_OTHER;
}

static void output_event(loader *ld, const trace_event *ev)
{
    viz_model *m = ld->m;
    int lane = cause_lane(ld, ev);
    if (ld->cur_slot < 0)
        loose_slot(ld, ev, lane);
    while (ld->iout < ld->nouts && ld->outs[ld->iout].seq < ev->seq)
        ld->iout++;
    const char *text = ev->detail ? ev->detail : "";
    bool err = ev->num == 2;
    if (ld->iout < ld->nouts && ld->outs[ld->iout].seq == ev->seq) {
        text = ld->outs[ld->iout].text;
        err = !strcmp(ld->outs[ld->iout].stream, "stderr");
    }
    viz_output *o = VIZ__PUSH(m->outputs);
    o->seq = ev->seq;
    o->lane = lane;
    o->is_stderr = err;
    o->text = viz__strdup(text);
    size_t n = strlen(o->text);
    while (n && (o->text[n - 1] == '\n' || o->text[n - 1] == '\r'))
        o->text[--n] = '\0';
}

static int on_event(void *ud, const trace_event *ev)
{
    loader *ld = ud;
    viz_model *m = ld->m;
    m->nevents++;
    m->last_seq = ev->seq;
    m->t_end = ev->time;
    /* room for every id the event names, first: O() may move the table, and the
     * handlers below hold pointers into it */
    uint64_t top = ev->subject > ev->cause ? ev->subject : ev->cause;
    O(ld, top > ev->other ? top : ev->other);
    switch (ev->kind) {
    case LOOP_EV_HANDLE_BEGIN:
        handle_begin(ld, ev);
        break;
    case LOOP_EV_HANDLE_END:
        if (ld->cur_slot >= 0)
            m->slots.v[ld->cur_slot].seq1 = ev->seq;
        if (ld->cur_cb_step >= 0)
            m->steps.v[ld->cur_cb_step].seq1 = ev->seq;
        ld->cur_slot = -1;
        ld->cur_cb_step = -1;
        ld->cur_handle = 0;
        break;
    case LOOP_EV_TASK_CREATE: {
        obj *t = O(ld, ev->subject);
        t->seq = ev->seq;
        int lane = cause_lane(ld, ev);
        if (ld->cur_slot < 0)
            loose_slot(ld, ev, lane >= 0 ? lane : t->lane);
        if (lane >= 0)
            add_mark(m, VIZ_M_CREATE, ev->seq, lane, 0);
        /* the arrow starts on the creator's lane, or on the task's own outside the loop */
        t->create_lane = lane >= 0 ? lane : t->lane;
        break;
    }
    case LOOP_EV_CALL_SOON:
    case LOOP_EV_CALL_SOON_TS:
        schedule(ld, ev, VIZ_A_SOON);
        break;
    case LOOP_EV_CALL_LATER:
    case LOOP_EV_CALL_AT:
        schedule(ld, ev, VIZ_A_TIMER);
        O(ld, ev->subject)->timer = true;
        /* a timer scheduled in the step that created a future: sleep()'s pattern */
        if (ld->cur_step_seq && ld->step_future) {
            obj *f = O(ld, ld->step_future);
            if (f->created_step == ld->cur_step_seq && !f->timer_step) {
                f->timer_step = ld->cur_step_seq;
                f->timer_delay = isnan(ev->num) ? ev->at - ev->time : ev->num;
            }
        }
        break;
    case LOOP_EV_CALLBACK_SCHEDULE: {
        obj *h = O(ld, ev->other);
        h->type = O_HANDLE;
        h->akind = VIZ_A_WAKE;
        h->seq = ev->seq;
        h->lane = cause_lane(ld, ev);
        if (h->lane < 0)
            h->lane = ld->callbacks_lane;
        break;
    }
    case LOOP_EV_FUTURE_CREATE: {
        obj *f = O(ld, ev->subject);
        if (f->type == O_NONE)
            f->type = O_FUTURE;
        f->created_step = ld->cur_step_seq;
        ld->step_future = ev->subject;
        break;
    }
    case LOOP_EV_STEP_BEGIN:
        step_begin(ld, ev);
        break;
    case LOOP_EV_STEP_AWAIT:
        step_end(ld, ev, VIZ_END_AWAIT);
        break;
    case LOOP_EV_STEP_YIELD:
        step_end(ld, ev, VIZ_END_YIELD);
        break;
    case LOOP_EV_STEP_RETURN:
        step_end(ld, ev, VIZ_END_RETURN);
        break;
    case LOOP_EV_STEP_RAISE:
        step_end(ld, ev, VIZ_END_RAISE);
        break;
    case LOOP_EV_STEP_CANCELLED:
        step_end(ld, ev, VIZ_END_CANCELLED);
        break;
    case LOOP_EV_FUTURE_RESULT:
    case LOOP_EV_FUTURE_EXCEPTION:
    case LOOP_EV_FUTURE_CANCEL:
        future_done(ld, ev);
        break;
    case LOOP_EV_CANCEL_REQUEST: {
        int lane = cause_lane(ld, ev);
        if (ld->cur_slot < 0)
            loose_slot(ld, ev, lane);
        if (lane >= 0)
            add_mark(m, VIZ_M_CANCEL, ev->seq, lane, ev->num);
        obj *t = O(ld, ev->subject);
        if (t->type == O_TASK && !t->cancel_seq) {
            t->cancel_seq = ev->seq;
            t->cancel_lane = lane >= 0 ? lane : t->lane;
        }
        break;
    }
    case LOOP_EV_CLOCK_ADVANCE: {
        viz_jump *j = VIZ__PUSH(m->jumps);
        j->seq = ev->seq;
        j->t0 = ld->last_time;
        j->t1 = isnan(ev->at) ? ev->time : ev->at;
        break;
    }
    case LOOP_EV_LOOP_SLEEP: {
        int lane = cause_lane(ld, ev);
        if (ld->cur_slot < 0)
            loose_slot(ld, ev, lane);
        add_mark(m, VIZ_M_LOOP_SLEEP, ev->seq, lane >= 0 ? lane : ld->callbacks_lane, ev->num);
        break;
    }
    case LOOP_EV_ITERATION: {
        viz_iter *it = VIZ__PUSH(m->iters);
        it->seq = ev->seq;
        it->iteration = ev->iteration;
        it->time = ev->time;
        break;
    }
    case LOOP_EV_DEADLOCK:
        loose_slot(ld, ev, ld->callbacks_lane);
        add_mark(m, VIZ_M_DEADLOCK, ev->seq, ld->callbacks_lane, ev->num);
        break;
    case LOOP_EV_THREAD_START:
    case LOOP_EV_THREAD_SLEEP:
    case LOOP_EV_THREAD_RESUME:
    case LOOP_EV_THREAD_DONE:
        thread_event(ld, ev);
        break;
    case LOOP_EV_OUTPUT:
        output_event(ld, ev);
        break;
    default:
        break;
    }
    ld->last_time = ev->time;
    return 0;
}

/* ---- classifying waits ------------------------------------------------------------------- */

/* What a wait was for, now that every future's end is known. A future created in the
 * step that awaited it, and ended by a timer (or never, or cancelled), with a timer
 * scheduled by that step: a sleep. */
static void classify_waits(loader *ld)
{
    viz_model *m = ld->m;
    for (size_t i = 0; i < m->waits.n; i++) {
        viz_wait *w = &m->waits.v[i];
        if (w->kind == VIZ_W_YIELD || w->kind == VIZ_W_SLEEP || !w->awaited)
            continue;
        obj *f = O(ld, w->awaited);
        if (f->type == O_TASK)
            w->kind = VIZ_W_TASK;
        else if (f->akind_origin)
            w->kind = f->akind_origin - 1;
        else if (f->sync_origin)
            w->kind = VIZ_W_SYNC;
        else if (f->akind == DONE_THREAD)
            w->kind = VIZ_W_THREAD;
        else if (f->akind == DONE_TIMER)
            w->kind = VIZ_W_SLEEP;
        else if (f->timer_step && (f->akind == DONE_NONE || f->akind == DONE_TASK)) {
            w->kind = VIZ_W_SLEEP;
        } else
            w->kind = VIZ_W_FUTURE;
        if (w->kind == VIZ_W_SLEEP && f->timer_step)
            w->dur = f->timer_delay;
    }
}

/* A sleep's timer says "callback of future #11" in the trace; the picture says what
 * it does: "sleep(0.5) ends". */
static void name_sleep_timers(loader *ld)
{
    viz_model *m = ld->m;
    for (size_t i = 0; i < m->hlabels.n; i++) {
        unsigned long long fid;
        if (sscanf(m->hlabels.v[i], "callback of future #%llu", &fid) != 1 || fid >= ld->nobjs)
            continue;
        obj *f = &ld->objs[fid];
        if (f->type != O_FUTURE || !f->timer_step)
            continue;
        char buf[64];
        snprintf(buf, sizeof buf, "sleep(%g) ends", f->timer_delay);
        free(m->hlabels.v[i]);
        m->hlabels.v[i] = viz__strdup(buf);
    }
}

/* ---- loading ----------------------------------------------------------------------------- */

static char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return viz__strdup(b ? b + 1 : path);
}

viz_model *viz_model_load(const char *path, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    trace_reader *r = trace_open(path, err, errlen);
    if (!r)
        return NULL;
    viz_model *m = viz__xmalloc(sizeof *m);
    loader ld = { .m = m, .cur_slot = -1, .cur_cb_step = -1, .thread_running = -1, .thread_last = -1,
                  .other_lane = -1 };
    m->path = viz__strdup(path);
    char buf[512];
    if (trace_meta_get(r, "program", buf, sizeof buf) == 0 && buf[0])
        m->title = base_name(buf);
    else
        m->title = base_name(path);
    m->complete = trace_is_complete(r);
    int rc = trace_foreach_task(r, on_task, &ld);
    ld.callbacks_lane = add_lane(m, VIZ_LANE_CALLBACKS, 0, "callbacks", "callbacks", NULL);
    if (rc >= 0)
        rc = trace_foreach_handle(r, on_handle, &ld);
    if (rc >= 0)
        rc = trace_foreach_future(r, on_future, &ld);
    if (rc >= 0)
        rc = trace_foreach_output(r, on_output, &ld);
    if (rc < 0) {
        snprintf(err ? err : buf, err ? errlen : sizeof buf,
                 "cannot read trace '%s': its tables are unreadable", path);
        goto fail;
    }
    if (trace_foreach_event(r, 0, 0, on_event, &ld, err, errlen) != 0)
        goto fail;
    classify_waits(&ld);
    name_sleep_timers(&ld);
    for (size_t i = 0; i < ld.nouts; i++)
        free((char *)ld.outs[i].text);
    free(ld.outs);
    free(ld.objs);
    trace_close(r);
    return m;
fail:
    for (size_t i = 0; i < ld.nouts; i++)
        free((char *)ld.outs[i].text);
    free(ld.outs);
    free(ld.objs);
    trace_close(r);
    viz_model_free(m);
    return NULL;
}

void viz_model_free(viz_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->lanes.n; i++) {
        free(m->lanes.v[i].label);
        free(m->lanes.v[i].name);
        free(m->lanes.v[i].state);
    }
    for (size_t i = 0; i < m->outputs.n; i++)
        free(m->outputs.v[i].text);
    for (size_t i = 0; i < m->hlabels.n; i++)
        free(m->hlabels.v[i]);
    free(m->lanes.v);
    free(m->slots.v);
    free(m->steps.v);
    free(m->waits.v);
    free(m->arrows.v);
    free(m->marks.v);
    free(m->outputs.v);
    free(m->jumps.v);
    free(m->iters.v);
    free(m->hlabels.v);
    free(m->hlabel_ids.v);
    free(m->title);
    free(m->path);
    free(m);
}

const char *viz__handle_label(const viz_model *m, uint64_t handle)
{
    /* hlabel_ids is sorted: the handles table is read in id order */
    size_t lo = 0, hi = m->hlabel_ids.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->hlabel_ids.v[mid] < handle)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->hlabel_ids.n && m->hlabel_ids.v[lo] == handle ? m->hlabels.v[lo] : NULL;
}

size_t viz_model_lane_count(const viz_model *m) { return m->lanes.n; }
const char *viz_model_lane_label(const viz_model *m, size_t i)
{
    return i < m->lanes.n ? m->lanes.v[i].label : NULL;
}
uint64_t viz_model_event_count(const viz_model *m) { return m->nevents; }
const char *viz_model_title(const viz_model *m) { return m->title; }

/* ---- the dump ------------------------------------------------------------------------------ */

static const char *const wait_names[] = {
#define VIZ_WK_NAME(n, s, r, g, b) #n,
    VIZ_WAIT_KINDS(VIZ_WK_NAME)
#undef VIZ_WK_NAME
};
static const char *const arrow_names[] = {
#define VIZ_AK_NAME(n, s, r, g, b) #n,
    VIZ_ARROW_KINDS(VIZ_AK_NAME)
#undef VIZ_AK_NAME
};
static const char *const end_names[] = { "await", "yield", "return", "raise", "cancelled",
                                         "open", "callback", "thread" };
static const char *const lane_kinds[] = { "task", "callbacks", "thread", "other" };
static const char *const mark_names[] = { "create", "cancel", "deadlock", "loop_sleep" };

static void lower(const char *s, char *buf, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[i] = '\0';
}

void viz_model_dump(const viz_model *m, FILE *out)
{
    char a[32];
    fprintf(out, "title %s\nevents %llu complete %d\n", m->title,
            (unsigned long long)m->nevents, m->complete);
    for (size_t i = 0; i < m->lanes.n; i++) {
        const viz_lane *l = &m->lanes.v[i];
        fprintf(out, "lane %zu %s %llu \"%s\"%s%s\n", i, lane_kinds[l->kind],
                (unsigned long long)l->id, l->label, l->state ? " " : "", l->state ? l->state : "");
    }
    for (size_t i = 0; i < m->steps.n; i++) {
        const viz_step *s = &m->steps.v[i];
        fprintf(out, "step lane %d %llu..%llu %s%s\n", s->lane, (unsigned long long)s->seq0,
                (unsigned long long)s->seq1, end_names[s->end], s->thrown ? " thrown" : "");
    }
    for (size_t i = 0; i < m->waits.n; i++) {
        const viz_wait *w = &m->waits.v[i];
        lower(wait_names[w->kind], a, sizeof a);
        fprintf(out, "wait lane %d %llu..%llu %s awaited %llu", w->lane, (unsigned long long)w->seq0,
                (unsigned long long)w->seq1, a, (unsigned long long)w->awaited);
        if (!isnan(w->dur))
            fprintf(out, " dur %g", w->dur);
        fputc('\n', out);
    }
    for (size_t i = 0; i < m->arrows.n; i++) {
        const viz_arrow *r = &m->arrows.v[i];
        lower(arrow_names[r->kind], a, sizeof a);
        fprintf(out, "arrow %s %llu lane %d -> %llu lane %d\n", a, (unsigned long long)r->seq0,
                r->lane0, (unsigned long long)r->seq1, r->lane1);
    }
    for (size_t i = 0; i < m->marks.n; i++)
        fprintf(out, "mark %s %llu lane %d\n", mark_names[m->marks.v[i].kind],
                (unsigned long long)m->marks.v[i].seq, m->marks.v[i].lane);
    for (size_t i = 0; i < m->outputs.n; i++)
        fprintf(out, "output %llu lane %d %s \"%s\"\n", (unsigned long long)m->outputs.v[i].seq,
                m->outputs.v[i].lane, m->outputs.v[i].is_stderr ? "stderr" : "stdout",
                m->outputs.v[i].text);
    for (size_t i = 0; i < m->jumps.n; i++)
        fprintf(out, "jump %llu %g -> %g\n", (unsigned long long)m->jumps.v[i].seq,
                m->jumps.v[i].t0, m->jumps.v[i].t1);
    fprintf(out, "slots %zu iterations %zu\n", m->slots.n, m->iters.n);
}
