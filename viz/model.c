/* model.c — a trace read (through traces/trace.h's reader) into the timeline model.
 *
 * One pass over the events, in seq order, with a small state per object id: which lane
 * a task or thread has, where a handle was scheduled from (for its arrow), the open step
 * or wait of each task. The object tables are read first so a handle knows at once
 * whether it steps a task, whether it is a timer, and a task its name.
 */
#include "model_int.h"

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
    if (viz__read_tables(&ld, r) < 0) {
        snprintf(err ? err : buf, err ? errlen : sizeof buf,
                 "cannot read trace '%s': its tables are unreadable", path);
        goto fail;
    }
    if (trace_foreach_event(r, 0, 0, viz__on_event, &ld, err, errlen) != 0)
        goto fail;
    viz__classify(&ld);
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
    for (size_t i = 0; i < m->origins.n; i++)
        free(m->origins.v[i]);
    free(m->origins.v);
    free(m->origin_ids.v);
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

const char *viz__future_origin(const viz_model *m, uint64_t future)
{
    /* origin_ids is sorted: the futures table is read in id order */
    size_t lo = 0, hi = m->origin_ids.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->origin_ids.v[mid] < future)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->origin_ids.n && m->origin_ids.v[lo] == future ? m->origins.v[lo] : NULL;
}

size_t viz_model_lane_count(const viz_model *m) { return m->lanes.n; }
const char *viz_model_lane_label(const viz_model *m, size_t i)
{
    return i < m->lanes.n ? m->lanes.v[i].label : NULL;
}
uint64_t viz_model_event_count(const viz_model *m) { return m->nevents; }
const char *viz_model_title(const viz_model *m) { return m->title; }
