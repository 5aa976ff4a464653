/* viewer_state.c — the loop's state at the viewer's cursor, replayed from the events:
 * the ready queue in order, the timer heap in CPython's heap order (viz/heap.c), each
 * task's last step and what it awaits, how much output was printed.
 *
 * Moving forward applies the events in between (O(distance)); moving back replays from
 * the first event (O(cursor): a few milliseconds for a million events).
 */
#include <stdio.h>
#include <string.h>

#include "viewer_int.h"

/* ---- object tables ------------------------------------------------------------------------ */

static void put(viewer_objs *o, char ***arr, uint64_t id, const char *s)
{
    if (id >= o->n) {
        size_t n = o->n ? o->n : 256;
        while (n <= id)
            n *= 2;
        char ***all[] = { &o->handle_cb, &o->future_origin, &o->task_name };
        for (int k = 0; k < 3; k++) {
            char **p = realloc(*all[k], n * sizeof *p);
            if (!p)
                abort();
            memset(p + o->n, 0, (n - o->n) * sizeof *p);
            *all[k] = p;
        }
        o->n = n;
    }
    free((*arr)[id]);
    (*arr)[id] = s ? viz__strdup(s) : NULL;
}

static int on_handle(void *ud, const trace_handle *h)
{
    viewer *v = ud;
    put(&v->objs, &v->objs.handle_cb, h->id, h->callback ? h->callback : "?");
    return 0;
}

static int on_future(void *ud, const trace_future *f)
{
    viewer *v = ud;
    put(&v->objs, &v->objs.future_origin, f->id, f->origin ? f->origin : "");
    return 0;
}

static int on_task(void *ud, const trace_task *t)
{
    viewer *v = ud;
    const char *lab = NULL;
    for (size_t i = 0; i < v->m->lanes.n; i++)
        if (v->m->lanes.v[i].kind == VIZ_LANE_TASK && v->m->lanes.v[i].id == t->id)
            lab = v->m->lanes.v[i].label;
    put(&v->objs, &v->objs.task_name, t->id, lab ? lab : t->name ? t->name : "task");
    return 0;
}

int viewer__load_objs(viewer *v, trace_reader *r)
{
    if (trace_foreach_handle(r, on_handle, v) < 0 || trace_foreach_future(r, on_future, v) < 0 ||
        trace_foreach_task(r, on_task, v) < 0)
        return -1;
    return 0;
}

void viewer__free_objs(viewer *v)
{
    viewer_objs *o = &v->objs;
    for (size_t i = 0; i < o->n; i++) {
        free(o->handle_cb[i]);
        free(o->future_origin[i]);
        free(o->task_name[i]);
    }
    free(o->handle_cb);
    free(o->future_origin);
    free(o->task_name);
    memset(o, 0, sizeof *o);
}

void viewer__describe_id(const viewer *v, uint64_t id, char *buf, size_t n)
{
    const viewer_objs *o = &v->objs;
    if (id < o->n && o->task_name[id])
        snprintf(buf, n, "%s", o->task_name[id]);
    else if (id < o->n && o->handle_cb[id]) {
        const char *lab = viz__handle_label(v->m, id);    /* "sleep(0.5) ends" */
        snprintf(buf, n, "#%llu %s", (unsigned long long)id, lab ? lab : o->handle_cb[id]);
    }
    else if (id < o->n && o->future_origin[id] && o->future_origin[id][0])
        snprintf(buf, n, "%s #%llu", o->future_origin[id], (unsigned long long)id);
    else
        snprintf(buf, n, "#%llu", (unsigned long long)id);
}

/* ---- the replay ----------------------------------------------------------------------------- */

void viewer__state_init(viewer *v)
{
    memset(&v->st, 0, sizeof v->st);
    viz__heap_init(&v->st.heap);
}

void viewer__state_free(viewer *v)
{
    viz__heap_free(&v->st.heap);
    free(v->st.ready.v);
    free(v->st.task_last);
    free(v->st.task_awaits);
    memset(&v->st, 0, sizeof v->st);
}

static void reset(viewer *v)
{
    viewer_state *s = &v->st;
    viz__heap_reset(&s->heap);
    s->ready.n = s->ready_head = 0;
    if (s->ntask) {
        memset(s->task_last, 0, s->ntask * sizeof *s->task_last);
        memset(s->task_awaits, 0, s->ntask * sizeof *s->task_awaits);
    }
    s->upto = 0;
    s->nout = 0;
}

static void task_event(viewer_state *s, uint64_t id, size_t i, uint64_t awaits)
{
    if (id >= s->ntask) {
        size_t n = s->ntask ? s->ntask : 256;
        while (n <= id)
            n *= 2;
        s->task_last = realloc(s->task_last, n * sizeof *s->task_last);
        s->task_awaits = realloc(s->task_awaits, n * sizeof *s->task_awaits);
        if (!s->task_last || !s->task_awaits)
            abort();
        memset(s->task_last + s->ntask, 0, (n - s->ntask) * sizeof *s->task_last);
        memset(s->task_awaits + s->ntask, 0, (n - s->ntask) * sizeof *s->task_awaits);
        s->ntask = n;
    }
    s->task_last[id] = i + 1;
    s->task_awaits[id] = awaits;
}

/* handle_begin: the handles before it in the queue were cancelled ones the loop
 * skipped silently; it and they leave the queue. */
static void ready_run(viewer_state *s, uint64_t h)
{
    for (size_t k = s->ready_head; k < s->ready.n && k < s->ready_head + 4096; k++)
        if (s->ready.v[k] == h) {
            s->ready_head = k + 1;
            break;
        }
    if (s->ready_head == s->ready.n)
        s->ready.n = s->ready_head = 0;
}

static void apply(viewer *v, size_t i)
{
    viewer_state *s = &v->st;
    const trace_event *e = &v->ev[i];
    viz__heap_apply(&s->heap, e);
    switch (e->kind) {
    case LOOP_EV_CALL_SOON:
    case LOOP_EV_CALL_SOON_TS:
    case LOOP_EV_TIMER_DUE:
        *VIZ__PUSH(s->ready) = e->subject;
        break;
    case LOOP_EV_HANDLE_BEGIN:
        ready_run(s, e->subject);
        break;
    case LOOP_EV_LOOP_CLOSE:
        s->ready.n = s->ready_head = 0;
        break;
    case LOOP_EV_TASK_CREATE:
    case LOOP_EV_STEP_BEGIN:
    case LOOP_EV_STEP_YIELD:
    case LOOP_EV_STEP_RETURN:
    case LOOP_EV_STEP_RAISE:
    case LOOP_EV_STEP_CANCELLED:
        task_event(s, e->subject, i, 0);
        break;
    case LOOP_EV_STEP_AWAIT:
        task_event(s, e->subject, i, e->other);
        break;
    case LOOP_EV_OUTPUT:
        s->nout++;
        break;
    default:
        break;
    }
}

void viewer__state_seek(viewer *v, size_t cur)
{
    size_t want = v->nev ? cur + 1 : 0;
    if (want < v->st.upto)
        reset(v);
    for (size_t i = v->st.upto; i < want && i < v->nev; i++)
        apply(v, i);
    v->st.upto = want;
}

/* ---- the panel's lines ------------------------------------------------------------------------- */

static void push_line(viewer_lines *l, const char *s)
{
    l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
    if (!l->v)
        abort();
    l->v[l->n++] = viz__strdup(s);
}

void viewer__lines_free(viewer_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

#define LIST_MAX 200     /* lines kept per list: more than any panel shows */

void viewer__ready_lines(const viewer *v, viewer_lines *out)
{
    const viewer_state *s = &v->st;
    char buf[300], d[240];
    for (size_t k = s->ready_head; k < s->ready.n && out->n < LIST_MAX; k++) {
        uint64_t h = s->ready.v[k];
        viewer__describe_id(v, h, d, sizeof d);
        snprintf(buf, sizeof buf, "%s%s", d, viz__heap_is_cancelled(&s->heap, h) ? " (cancelled)" : "");
        push_line(out, buf);
    }
}

void viewer__heap_lines(const viewer *v, viewer_lines *out)
{
    const viz_heap *H = &v->st.heap;
    char buf[300], d[240];
    for (size_t k = 0; k < H->items.n && out->n < LIST_MAX; k++) {
        const viz_heap_item *it = &H->items.v[k];
        viewer__describe_id(v, it->handle, d, sizeof d);
        snprintf(buf, sizeof buf, "[%zu] at %g%s: %s%s", k, it->when,
                 viz__heap_tied(H, k) ? " =tie" : "", d,
                 viz__heap_is_cancelled(H, it->handle) ? " (cancelled)" : "");
        push_line(out, buf);
    }
    if (H->desync)
        push_line(out, "(this trace does not say every heap change: order approximate)");
}

/* Tasks that are running or waiting first, then the finished ones. */
void viewer__task_lines(const viewer *v, viewer_lines *out)
{
    const viewer_state *s = &v->st;
    char buf[480], name[200], aw[200];
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t id = 1; id < s->ntask && out->n < LIST_MAX; id++) {
            if (!s->task_last[id])
                continue;
            const trace_event *e = &v->ev[s->task_last[id] - 1];
            bool done = e->kind == LOOP_EV_STEP_RETURN || e->kind == LOOP_EV_STEP_RAISE ||
                        e->kind == LOOP_EV_STEP_CANCELLED;
            if (done != (pass == 1))
                continue;
            viewer__describe_id(v, id, name, sizeof name);
            const char *what;
            switch (e->kind) {
            case LOOP_EV_TASK_CREATE: what = "created, first step scheduled"; break;
            case LOOP_EV_STEP_BEGIN: what = "RUNNING"; break;
            case LOOP_EV_STEP_YIELD: what = "ready again next iteration (sleep(0))"; break;
            case LOOP_EV_STEP_RETURN: what = "finished"; break;
            case LOOP_EV_STEP_RAISE: what = "raised"; break;
            case LOOP_EV_STEP_CANCELLED: what = "cancelled"; break;
            default:
                viewer__describe_id(v, s->task_awaits[id], aw, sizeof aw);
                snprintf(buf, sizeof buf, "%s: waits on %s", name, aw);
                push_line(out, buf);
                continue;
            }
            snprintf(buf, sizeof buf, "%s: %s", name, what);
            push_line(out, buf);
        }
}

static const char *opt(const char *s) { return s ? s : ""; }

/* Every field of event i, one per line, ids described. */
void viewer__event_lines(const viewer *v, size_t i, viewer_lines *out)
{
    if (i >= v->nev)
        return;
    const trace_event *e = &v->ev[i];
    char buf[600], d[300];
    snprintf(buf, sizeof buf, "event %llu: %s", (unsigned long long)e->seq, opt(e->kind_name));
    push_line(out, buf);
    snprintf(buf, sizeof buf, "time %g \xc2\xb7 iteration %llu", e->time, (unsigned long long)e->iteration);
    push_line(out, buf);
    const char *roles[3] = { "subject", "cause", "other" };
    uint64_t ids[3] = { e->subject, e->cause, e->other };
    for (int k = 0; k < 3; k++)
        if (ids[k]) {
            viewer__describe_id(v, ids[k], d, sizeof d);
            snprintf(buf, sizeof buf, "%s: %s", roles[k], d);
            push_line(out, buf);
        }
    if (!isnan(e->at)) {
        snprintf(buf, sizeof buf, "at: %g", e->at);
        push_line(out, buf);
    }
    if (!isnan(e->num)) {
        snprintf(buf, sizeof buf, "num: %g", e->num);
        push_line(out, buf);
    }
    if (e->line > 0) {
        snprintf(buf, sizeof buf, "line %d: %s", e->line,
                 (size_t)e->line <= v->nsrc ? v->src[e->line - 1] : "");
        push_line(out, buf);
    }
    if (e->detail) {
        snprintf(buf, sizeof buf, "detail: %s", e->detail);
        push_line(out, buf);
    }
}

static void dump_list(FILE *out, const char *title, viewer_lines *l)
{
    fprintf(out, "%s (%zu)\n", title, l->n);
    for (size_t i = 0; i < l->n; i++)
        fprintf(out, "  %s\n", l->v[i]);
    viewer__lines_free(l);
}

void viewer__dump(const viewer *v, FILE *out)
{
    viewer_lines l = { 0 };
    viewer__event_lines(v, v->cur, &l);
    dump_list(out, "event", &l);
    viewer__ready_lines(v, &l);
    dump_list(out, "ready queue", &l);
    viewer__heap_lines(v, &l);
    dump_list(out, "timer heap", &l);
    viewer__task_lines(v, &l);
    dump_list(out, "tasks", &l);
    if (v->details)
        fputs("details box shown\n", out);
    if (v->playing)
        fputs("playing\n", out);
    fprintf(out, "printed (%zu)\n", v->st.nout);
    for (size_t i = 0; i < v->st.nout && i < v->m->outputs.n; i++)
        fprintf(out, "  %s\n", v->m->outputs.v[i].text);
}
