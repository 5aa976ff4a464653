/* record.c — the object tables (tasks, futures, handles, output) as events arrive.
 * Handles created in a batch wait in memory (w->ph) until its commit. */
#include <stdlib.h>
#include <string.h>

#include "writer_int.h"

static void bind_handle(sqlite3_stmt *st, int base, const trace_writer *w, const pending_handle *p)
{
    sqlite3_bind_int64(st, base + 1, (sqlite3_int64)p->id);
    sqlite3_bind_text(st, base + 2, p->by, -1, SQLITE_STATIC);
    if (p->callback >= 0)
        sqlite3_bind_text(st, base + 3, w->harena.p + p->callback, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, base + 3);
    bind_real(st, base + 4, p->due, true);
    bind_id(st, base + 5, p->creator);
    bind_id(st, base + 6, p->future);
    bind_id(st, base + 7, p->task);
    bind_id(st, base + 8, p->created_seq);
    bind_id(st, base + 9, p->run_seq);
    bind_id(st, base + 10, p->cancelled_seq);
}

/* Inserts the batch's handles. */
int trace__flush_handles(trace_writer *w)
{
    size_t i = 0;
    for (; i + HB <= w->nph; i += HB) {
        for (size_t k = 0; k < HB; k++)
            bind_handle(w->st[S_HANDLES], (int)k * 10, w, &w->ph[i + k]);
        if (trace__wrun(w, S_HANDLES) < 0)
            return -1;
    }
    for (; i < w->nph; i++) {
        bind_handle(w->st[S_HANDLE_ROW], 0, w, &w->ph[i]);
        if (trace__wrun(w, S_HANDLE_ROW) < 0)
            return -1;
    }
    if (w->nph)
        memset(w->hmap, 0, w->hcap * sizeof *w->hmap);
    w->nph = 0;
    w->harena.len = 0;
    return 0;
}

static size_t hslot(uint64_t id, size_t cap)
{
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

/* The pending row of handle id, or NULL. */
static pending_handle *ph_find(trace_writer *w, uint64_t id)
{
    if (!w->hcap)
        return NULL;
    for (size_t i = hslot(id, w->hcap);; i = (i + 1) & (w->hcap - 1)) {
        uint32_t k = w->hmap[i];
        if (!k)
            return NULL;
        if (w->ph[k - 1].id == id)
            return &w->ph[k - 1];
    }
}

/* A new pending row for handle id (not yet pending), or NULL when out of memory. */
static pending_handle *ph_add(trace_writer *w, uint64_t id)
{
    if (w->nph == w->capph || 2 * (w->nph + 1) > w->hcap) {
        size_t cap = w->capph ? w->capph * 2 : 1024;
        pending_handle *p = realloc(w->ph, cap * sizeof *p);
        uint32_t *m = calloc(2 * cap, sizeof *m);
        if (!p || !m) {
            if (p)
                w->ph = p;
            free(m);
            return NULL;
        }
        w->ph = p;
        w->capph = cap;
        free(w->hmap);
        w->hmap = m;
        w->hcap = 2 * cap;
        for (size_t i = 0; i < w->nph; i++) {
            size_t j = hslot(w->ph[i].id, w->hcap);
            while (w->hmap[j])
                j = (j + 1) & (w->hcap - 1);
            w->hmap[j] = (uint32_t)(i + 1);
        }
    }
    size_t j = hslot(id, w->hcap);
    while (w->hmap[j])
        j = (j + 1) & (w->hcap - 1);
    w->hmap[j] = (uint32_t)(w->nph + 1);
    pending_handle *p = &w->ph[w->nph++];
    memset(p, 0, sizeof *p);
    p->id = id;
    return p;
}

static int record_handle(trace_writer *w, const loop_handle *h, const char *by, uint64_t seq,
                         const loop_event *ev, const char **detail)
{
    uint64_t id = oid(w, &h->hdr);
    const char *cb = trace__handle_desc(w, h);
    *detail = cb;
    pending_handle *p = ph_find(w, id);
    if (p) {
        /* callback_schedule after the call_soon that made the handle: a done-callback */
        if (!p->future)
            p->future = oid(w, h->arg);
        p->by = by;
        if (cb) {                  /* described again: h->arg may be set by now */
            p->callback = (int64_t)w->harena.len;
            trace__buf_add(&w->harena, cb, strlen(cb) + 1);
            if (w->harena.oom) {
                trace__woom(w);
                return -1;
            }
        }
        return 0;
    }
    if (id <= w->max_handle) {
        /* recorded in an earlier batch: merge into its row */
        sqlite3_stmt *st = w->st[S_HANDLE];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
        sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
        bind_str(st, 3, cb);
        bind_real(st, 4, h->when, h->is_timer);
        bind_id(st, 5, oid(w, ev->cause));
        bind_id(st, 6, oid(w, h->arg));
        sqlite3_bind_int64(st, 7, (sqlite3_int64)seq);
        return trace__wrun(w, S_HANDLE);
    }
    w->max_handle = id;
    if (!(p = ph_add(w, id))) {
        trace__woom(w);
        return -1;
    }
    p->by = by;
    p->due = h->is_timer ? h->when : NAN;
    p->creator = oid(w, ev->cause);
    p->future = oid(w, h->arg);
    p->created_seq = seq;
    p->callback = -1;
    if (cb) {
        p->callback = (int64_t)w->harena.len;
        trace__buf_add(&w->harena, cb, strlen(cb) + 1);
        if (w->harena.oom) {
            trace__woom(w);
            return -1;
        }
    }
    return 0;
}

/* handle_begin / handle_cancel: into the pending row, or an UPDATE of an older one. */
static int handle_mark(trace_writer *w, uint64_t id, uint64_t seq, uint64_t task, bool cancel)
{
    pending_handle *p = ph_find(w, id);
    if (p) {
        if (cancel && !p->cancelled_seq)
            p->cancelled_seq = seq;
        if (!cancel && !p->run_seq) {
            p->run_seq = seq;
            p->task = task;
        }
        return 0;
    }
    int which = cancel ? S_HANDLE_CANCEL : S_HANDLE_RUN;
    sqlite3_stmt *st = w->st[which];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    if (!cancel)
        bind_id(st, 3, task);
    return trace__wrun(w, which);
}

static int record_done(trace_writer *w, const loop_obj *o, uint64_t seq, const char *state,
                       const char *result)
{
    int which = o->kind == LOOP_K_TASK ? S_TASK_DONE : S_FUTURE_DONE;
    sqlite3_stmt *st = w->st[which];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)oid(w, o));
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
    bind_str(st, 4, result);
    return trace__wrun(w, which);
}

/* A future or task finished: its row in tasks/futures, and the event's detail. */
static int done_event(trace_writer *w, const loop_event *ev, uint64_t seq, const char *prefix,
                      const char *state, const char **detail)
{
    const char *d = trace__desc_val(w, ev->val, 0);
    *detail = trace__compose(w, prefix, d, ev->text);
    return ev->subject ? record_done(w, ev->subject, seq, state, d) : 0;
}

/* Updates the object tables for one event and works out its detail text.
 * The subject's kind is checked before any cast: the loop reports what it says in
 * loop_events.h, but a trace writer must not crash on a surprise. */
int trace__record_objects(trace_writer *w, const loop_event *ev, uint64_t seq, const char **detail)
{
    const loop_obj *s = ev->subject;
    const char *text = ev->text;
    *detail = text;
    switch (ev->kind) {
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
        if (s && s->kind == LOOP_K_HANDLE)
            return record_handle(w, (const loop_handle *)s, loop_event_name(ev->kind), seq, ev, detail);
        return 0;
    case LOOP_EV_CALLBACK_SCHEDULE:
        if (ev->other && ev->other->kind == LOOP_K_HANDLE)
            return record_handle(w, (const loop_handle *)ev->other, "callback_schedule", seq, ev, detail);
        return 0;
    case LOOP_EV_TIMER_DUE:
    case LOOP_EV_HANDLE_BEGIN:
        if (!s || s->kind != LOOP_K_HANDLE)
            return 0;
        *detail = trace__handle_desc(w, (const loop_handle *)s);
        if (ev->kind == LOOP_EV_TIMER_DUE)
            return 0;
        return handle_mark(w, oid(w, s), seq, oid(w, ev->other), false);
    case LOOP_EV_HANDLE_CANCEL:
        if (!s)
            return 0;
        return handle_mark(w, oid(w, s), seq, 0, true);
    case LOOP_EV_TASK_CREATE: {
        if (!s || s->kind != LOOP_K_TASK)
            return 0;
        const loop_task *t = (const loop_task *)s;
        sqlite3_stmt *st = w->st[S_TASK];
        const char *coro = trace__desc_val(w, ev->val ? ev->val : t->coro, 0);
        const char *name = trace__task_name(w, t);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)oid(w, s));
        bind_str(st, 2, name);
        bind_str(st, 3, coro);
        bind_id(st, 4, ev->cause && ev->cause->kind == LOOP_K_TASK ? oid(w, ev->cause) : 0);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)seq);
        snprintf(w->detail, DETAIL_MAX, "%s %s", name ? name : "", coro ? coro : "");
        trace__utf8_trim(w->detail);
        *detail = w->detail;
        return trace__wrun(w, S_TASK);
    }
    case LOOP_EV_FUTURE_CREATE: {
        if (!s || s->kind == LOOP_K_TASK)
            return 0;
        sqlite3_stmt *st = w->st[S_FUTURE];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)oid(w, s));
        bind_str(st, 2, text);
        bind_id(st, 3, oid(w, ev->cause));
        sqlite3_bind_int64(st, 4, (sqlite3_int64)seq);
        return trace__wrun(w, S_FUTURE);
    }
    case LOOP_EV_FUTURE_RESULT:
        return done_event(w, ev, seq, "result ", "finished", detail);
    case LOOP_EV_FUTURE_EXCEPTION:
        return done_event(w, ev, seq, "exception ", "raised", detail);
    case LOOP_EV_FUTURE_CANCEL:
        return done_event(w, ev, seq, ev->val ? "cancelled, message " : "cancelled", "cancelled", detail);
    case LOOP_EV_STEP_RETURN:
        return done_event(w, ev, seq, "return ", "finished", detail);
    case LOOP_EV_STEP_RAISE:
        return done_event(w, ev, seq, "raise ", "raised", detail);
    case LOOP_EV_STEP_CANCELLED:
        return done_event(w, ev, seq, ev->val ? "cancelled " : "cancelled", "cancelled", detail);
    case LOOP_EV_STEP_BEGIN:
        if (ev->val)
            *detail = trace__detail_val(w, "throw ", ev->val, text);
        return 0;
    case LOOP_EV_STEP_AWAIT:
        if (ev->other && ev->other->kind == LOOP_K_TASK) {
            snprintf(w->detail, DETAIL_MAX, "await task %s", trace__task_name(w, (const loop_task *)ev->other));
            trace__utf8_trim(w->detail);
            *detail = w->detail;
        } else if (ev->other) {
            char o[48];
            trace__obj_name(w, ev->other, o, sizeof o);
            snprintf(w->detail, DETAIL_MAX, "await %s%s%s", o, text ? "; " : "", text ? text : "");
            trace__utf8_trim(w->detail);
            *detail = w->detail;
        }
        return 0;
    case LOOP_EV_CANCEL_REQUEST:
        *detail = trace__detail_val(w, ev->val ? "message " : "no message", ev->val, text);
        return 0;
    case LOOP_EV_OUTPUT: {
        sqlite3_stmt *st = w->st[S_OUTPUT];
        sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
        sqlite3_bind_text(st, 2, ev->num == 2 ? "stderr" : "stdout", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, text ? text : "", -1, SQLITE_STATIC);
        return trace__wrun(w, S_OUTPUT);
    }
    default:
        if (ev->val)
            *detail = trace__detail_val(w, NULL, ev->val, text);
        return 0;
    }
}
