/* model_tables.c — the trace's object tables read before the events: a lane per task
 * (past VIZ__MAX_TASK_LANES tasks share one), handles (timer? steps a task? a plain
 * callback's text), futures (what their origin says they are for), output lines. */
#include <ctype.h>

#include "model_int.h"

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

int viz__add_lane(viz_model *m, viz_lane_kind kind, uint64_t id, const char *name,
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
            ld->other_lane = viz__add_lane(m, VIZ_LANE_OTHER, 0, "other tasks", "other tasks", NULL);
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
    o->lane = viz__add_lane(m, VIZ_LANE_TASK, t->id, name, label, t->state);
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
    if (s && s[0]) {
        *VIZ__PUSH(ld->m->origins) = viz__strdup(s);
        *VIZ__PUSH(ld->m->origin_ids) = f->id;
    }
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

int viz__read_tables(loader *ld, trace_reader *r)
{
    int rc = trace_foreach_task(r, on_task, ld);
    ld->callbacks_lane = viz__add_lane(ld->m, VIZ_LANE_CALLBACKS, 0, "callbacks", "callbacks", NULL);
    if (rc >= 0)
        rc = trace_foreach_handle(r, on_handle, ld);
    if (rc >= 0)
        rc = trace_foreach_future(r, on_future, ld);
    if (rc >= 0)
        rc = trace_foreach_output(r, on_output, ld);
    return rc < 0 ? -1 : 0;
}
