/* model_events.c — the one pass over the events, in seq order: slots (handle runs and
 * loose events), steps, waits, arrows (scheduling, timers, wake-ups, cancels, task
 * creation), marks, output, clock jumps and iterations, with a small state per
 * object id (loader, model_int.h). */
#include "model_int.h"

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
        th->lane = viz__add_lane(m, VIZ_LANE_THREAD, ev->subject, label, label, NULL);
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

int viz__on_event(void *ud, const trace_event *ev)
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
