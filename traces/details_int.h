/* details_int.h — on the writer thread: the readable detail of each event, composed
 * from the texts captured with it and what the writer remembers of tasks and handles.
 * Its functions are static, as when they were in encode.c: the one file that includes
 * this, encode.c, calls put_detail for every event, and the compiler inlines what it
 * judges best there (no LTO). Not part of the API.
 */
#ifndef DETAILS_INT_H
#define DETAILS_INT_H

#include "escape_int.h"
#include "kept_int.h"
#include "numtext_int.h"

/* A detail goes straight into the block as `,"text"`, escaped as it is copied. The
 * writer's maps keep task names and handle descriptions already escaped, with their
 * lengths, so that the common details (task steps, wake-ups) are a few memcpys. Pieces
 * are written at a pointer into room taken once per detail; the block's text gets its
 * NUL at the end (trace__block_end). */

/* ---- texts seen again -------------------------------------------------------------- */

/* Whether arena text s is the one memo m saw last. memcmp reads no further than
 * the NUL after the arena's last text. */
static bool memo_same(const text_memo *m, const chunk *c, const char *s)
{
    return m->valid && m->rawlen < (size_t)(c->arena.p + c->arena.len + 1 - s) &&
           memcmp(s, m->raw, m->rawlen + 1) == 0;
}

/* Arena text s (n bytes) is what memo m saw last (nothing kept of it yet). */
static void memo_set(text_memo *m, const char *s, size_t n)
{
    m->kept = NULL;
    m->valid = n < sizeof m->raw;
    if (m->valid) {
        memcpy(m->raw, s, n + 1);
        m->rawlen = (uint32_t)n;
    }
}

/* What handle desc A (an arena text) is, escaped: a copy of its own, or (*borrowed)
 * the one kept for a description that came before. NULL when out of memory. */
static char *handle_desc(wstate *ws, const chunk *c, const char *A, uint32_t *len, bool *borrowed)
{
    text_memo *m = &ws->desc_memo;
    size_t n;
    bool same = memo_same(m, c, A);
    if (same) {
        if (!m->kept && ws->nkept < KEPT_MAX) {
            char *t = trace__escaped_copy(c, A, len, &n);
            if (!t || !trace__memo_keep(ws, m, t, *len))
                return NULL;
        }
        if (m->kept) {
            *len = m->keptlen;
            *borrowed = true;
            return m->kept;
        }
    }
    char *d = trace__escaped_copy(c, A, len, &n);
    if (d && !same)
        memo_set(m, A, n);
    return d;
}

/* ,"prefix A; T" (prefix: literal text, np bytes; A, T: arena texts); nothing when
 * all three are empty. */
static bool put_composed(trace__buf *b, const chunk *c, const char *prefix, size_t np, const char *A,
                         const char *T)
{
    bool sep = T && (prefix || A);
    size_t pa = 0, pt = 0;
    size_t na = A ? scan_text(c, A, &pa) : 0, nt = T ? scan_text(c, T, &pt) : 0;
    if (!np && !na && !nt && !sep)
        return false;
    char *p = trace__buf_room(b, 5 + np + pa + 6 * (na - pa) + pt + 6 * (nt - pt));
    if (!p)
        return true;
    p = PUT_LIT(p, ",\"");
    copy_bytes(p, prefix, np);
    p += np;
    if (A)
        p = escaped_at(p, A, na, pa);
    if (sep)
        p = PUT_LIT(p, "; ");
    if (T)
        p = escaped_at(p, T, nt, pt);
    *p++ = '"';
    b->len = (size_t)(p - b->p);
    return true;
}

/* ,"T" when T is there (even empty): a text reported with the event, as is. */
static bool put_text(trace__buf *b, const chunk *c, const char *T)
{
    if (!T)
        return false;
    size_t plain, n = scan_text(c, T, &plain);
    put_wrapped(b, ",\"", 2, T, n, plain, "\"", 1);
    return true;
}

/* a string literal and its length, for put_composed */
#define LIT_N(lit) (lit), sizeof(lit) - 1

/* The prefix of a finishing event's detail (*n: its length). */
static const char *done_prefix(int kind, bool has_val, size_t *n)
{
#define RET(lit) return (*n = sizeof(lit) - 1, (lit))
    switch (kind) {
    case LOOP_EV_FUTURE_RESULT: RET("result ");
    case LOOP_EV_FUTURE_EXCEPTION: RET("exception ");
    case LOOP_EV_FUTURE_CANCEL:
        if (has_val)
            RET("cancelled, message ");
        RET("cancelled");
    case LOOP_EV_STEP_RETURN: RET("return ");
    case LOOP_EV_STEP_RAISE: RET("raise ");
    default:   /* STEP_CANCELLED */
        if (has_val)
            RET("cancelled ");
        RET("cancelled");
    }
#undef RET
}

static const char *done_state(int kind)
{
    switch (kind) {
    case LOOP_EV_FUTURE_RESULT: case LOOP_EV_STEP_RETURN: return "finished";
    case LOOP_EV_FUTURE_EXCEPTION: case LOOP_EV_STEP_RAISE: return "raised";
    default: return "cancelled";
    }
}

/* "future #5" at p, which has room for REF_MAX bytes: an object by its kind and id. */
#define REF_MAX (16 + 2 + 21)
static char *ref_at(wstate *ws, char *p, int kind, uint64_t id)
{
    int k = kind >= 0 && kind < LOOP_K__COUNT ? kind : LOOP_K__COUNT;
    memcpy(p, ws->kw.w[k], sizeof ws->kw.w[k]);
    p += ws->kw.len[k];
    *p++ = ' ';
    *p++ = '#';
    return put_id(ws, p, id);
}

/* A task's name as the program last set it (t: its entry in the tasks map, desc
 * escaped), or "task #id"; name_max: the room it needs. */
static size_t name_max(const trace__idval *t)
{
    return t && t->desc ? text_room(t->len) : REF_MAX;
}

static inline char *name_at(wstate *ws, char *p, const trace__idval *t, uint64_t id)
{
    if (t && t->desc)
        return copy_text(p, t->desc, t->len);
    return ref_at(ws, p, LOOP_K_TASK, id);
}

/* ,"what handle h calls": its description, or the task step it is. */
static void put_call(trace__buf *b, wstate *ws, const trace__idval *h)
{
    const trace__idval *t = NULL;
    size_t need;
    if (h->on_obj) {
        need = 16 + REF_MAX;
    } else if (h->desc) {
        need = 3 + text_room(h->len);
    } else {
        t = trace__idmap_find(&ws->tasks, h->task);
        need = 24 + name_max(t) + REF_MAX;
    }
    char *p = trace__buf_room(b, need);
    if (!p)
        return;
    if (h->on_obj) {
        /* a loop callback acting on an object: "callback of future #5" */
        p = PUT_LIT(p, ",\"callback of ");
        p = ref_at(ws, p, h->arg_kind, h->task);
    } else if (h->desc) {
        p = PUT_LIT(p, ",\"");
        p = copy_text(p, h->desc, h->len);
    } else if (!h->arg) {
        p = PUT_LIT(p, ",\"step ");
        p = name_at(ws, p, t, h->task);
    } else {
        p = PUT_LIT(p, ",\"wakeup ");
        p = name_at(ws, p, t, h->task);
        p = PUT_LIT(p, " (");
        p = ref_at(ws, p, h->arg_kind, h->arg);
        p = PUT_LIT(p, " done)");
    }
    *p++ = '"';
    b->len = (size_t)(p - b->p);
}

/* A scheduling event: remember what handle id calls; its detail. */
static bool scheduled(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t id, const char *A)
{
    wstate *ws = &w->ws;
    trace__idval h = { 0 };
    const cap_x *x = cap_x_of(c, e);
    if (e->flags & CAP_TASK_HANDLE)
        h = (trace__idval){ .task = x->obj, .arg = x->harg, .arg_kind = x->harg_kind };
    else if (e->flags & CAP_OBJ_HANDLE)
        h = (trace__idval){ .task = x->obj, .arg_kind = x->obj_kind, .on_obj = true };
    else if (!A)
        return false;
    else if (!(h.desc = handle_desc(ws, c, A, &h.len, &h.borrowed))) {
        trace__woom(w);
        return false;
    }
    put_call(&ws->block, ws, &h);
    if (trace__idmap_put(&ws->handles, id, h) < 0)
        trace__woom(w);
    return true;
}

/* Task id is renamed name (an arena text; NULL: ""). */
static void set_name(trace_writer *w, const chunk *c, uint64_t id, const char *name)
{
    uint32_t len;
    size_t n;
    char *d = trace__escaped_copy(c, name, &len, &n);
    trace__idval *h = trace__idmap_find(&w->ws.tasks, id);
    if (d && h) {
        /* a rename: the row index stays */
        if (!h->borrowed)
            free(h->desc);
        *h = (trace__idval){ .desc = d, .len = len, .index = h->index };
    } else if (!d || trace__idmap_put(&w->ws.tasks, id, (trace__idval){ .desc = d, .len = len }) < 0) {
        trace__woom(w);
    }
}

/* A task is created with name A (an arena text, n bytes, `plain` of them plain;
 * NULL: ""): the tasks map keeps it escaped, from the name store. Returns that copy
 * if it is A's very text (nothing escaped): the task's row borrows it. */
static const char *created_name(trace_writer *w, uint64_t id, const char *A, size_t n, size_t plain)
{
    wstate *ws = &w->ws;
    char *d;
    uint32_t len = (uint32_t)n;
    if (plain == n) {
        d = trace__name_copy(ws, A ? A : "", n);
    } else {
        trace__buf t = { 0 };
        put_wrapped(&t, "", 0, A, n, plain, "", 0);
        d = t.oom ? NULL : trace__name_copy(ws, t.p, t.len);
        len = (uint32_t)t.len;
        trace__buf_free(&t);
    }
    trace__idval v = { .desc = d, .len = len, .borrowed = true }, *h;
    if (!d || (!(h = trace__idmap_find(&ws->tasks, id)) && trace__idmap_put(&ws->tasks, id, v) < 0)) {
        trace__woom(w);
        return NULL;
    }
    if (h) {
        if (!h->borrowed)
            free(h->desc);
        v.index = h->index;
        *h = v;
    }
    return A && plain == n ? d : NULL;
}

/* ,"await task NAME" or ,"await future #5[; T]". */
static bool put_await(trace__buf *b, wstate *ws, const chunk *c, const cap_ev *e, const char *T)
{
    if (e->flags & CAP_OTHER_TASK) {
        const trace__idval *t = trace__idmap_find(&ws->tasks, e->other);
        char *p = trace__buf_room(b, 16 + name_max(t));
        if (!p)
            return true;
        p = PUT_LIT(p, ",\"await task ");
        p = name_at(ws, p, t, e->other);
        *p++ = '"';
        b->len = (size_t)(p - b->p);
        return true;
    }
    if (!e->other)
        return put_text(b, c, T);
    char *p = trace__buf_room(b, 16 + REF_MAX);
    if (!p)
        return true;
    p = PUT_LIT(p, ",\"await ");
    p = ref_at(ws, p, e->other_kind, e->other);
    b->len = (size_t)(p - b->p);
    if (T) {
        size_t plain, n = scan_text(c, T, &plain);
        put_wrapped(b, "; ", 2, T, n, plain, "\"", 1);
    } else {
        TRACE__BUF_LIT(b, "\"");
    }
    return true;
}

/* The task row's copy of coro (n bytes, an arena text): *borrowed, the one kept
 * for a coroutine that came before, or NULL (the row makes its own). */
static const char *row_coro(wstate *ws, const chunk *c, const char *coro, size_t n, bool *borrowed)
{
    text_memo *m = &ws->coro_memo;
    if (!coro)
        return NULL;
    if (!memo_same(m, c, coro)) {
        memo_set(m, coro, n);
        return NULL;
    }
    if (!m->kept && ws->nkept < KEPT_MAX) {
        char *t = malloc(text_room(n + 1));
        if (!t)
            return NULL;
        memcpy(t, coro, n + 1);
        if (!trace__memo_keep(ws, m, t, (uint32_t)n))
            return NULL;
    }
    *borrowed = m->kept != NULL;
    return m->kept;
}

/* task_create: the task's row and name kept; ,"NAME CORO". */
static bool task_created(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq, const char *A)
{
    uint32_t co = cap_x_of(c, e)->coro;
    const char *coro = co ? c->arena.p + co - 1 : NULL;
    size_t pa = 0, pc = 0, na = A ? scan_text(c, A, &pa) : 0, nc = coro ? scan_text(c, coro, &pc) : 0;
    const char *name = created_name(w, e->subject, A, na, pa);
    bool kept_coro = false;
    const char *rc = row_coro(&w->ws, c, coro, nc, &kept_coro);
    trace__task_created(w, e->subject, e->flags & CAP_CAUSE_TASK ? e->cause : 0, seq,
                        name ? name : A, na, rc ? rc : coro, nc,
                        (name ? TASK_NAME_BORROWED : 0) | (kept_coro ? TASK_CORO_BORROWED : 0));
    trace__buf *b = &w->ws.block;
    char *p = trace__buf_room(b, 4 + pa + 6 * (na - pa) + pc + 6 * (nc - pc));
    if (!p)
        return true;
    p = PUT_LIT(p, ",\"");
    if (A)
        p = escaped_at(p, A, na, pa);
    *p++ = ' ';
    if (coro)
        p = escaped_at(p, coro, nc, pc);
    *p++ = '"';
    b->len = (size_t)(p - b->p);
    return true;
}

/* Writes the detail of event e (seq) as `,"..."` into the block (false: none), and
 * updates the writer's memory (and the output table). */
static bool put_detail(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq)
{
    wstate *ws = &w->ws;
    trace__buf *b = &ws->block;
    /* the event's texts, computed where a case needs them */
#define A (e->a ? c->arena.p + e->a - 1 : NULL)
#define T (e->text ? c->arena.p + e->text - 1 : NULL)
    bool val = e->flags & CAP_HAS_VAL;
    switch (e->kind) {
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
        return e->flags & CAP_SUBJ_HANDLE ? scheduled(w, c, e, e->subject, A) : put_text(b, c, T);
    case LOOP_EV_CALLBACK_SCHEDULE:
        return e->flags & CAP_OTHER_HANDLE ? scheduled(w, c, e, e->other, A) : put_text(b, c, T);
    case LOOP_EV_TIMER_DUE: case LOOP_EV_HANDLE_BEGIN: {
        if (!(e->flags & CAP_SUBJ_HANDLE))
            return put_text(b, c, T);
        trace__idval *h = trace__idmap_find(&ws->handles, e->subject);
        if (!h)
            return false;
        put_call(b, ws, h);
        if (e->kind == LOOP_EV_HANDLE_BEGIN)
            trace__idmap_del(&ws->handles, e->subject);   /* a handle runs once */
        return true;
    }
    case LOOP_EV_HANDLE_CANCEL:
        /* a cancelled handle never runs: forget what it calls */
        if (e->flags & CAP_SUBJ_HANDLE)
            trace__idmap_del(&ws->handles, e->subject);
        return put_text(b, c, T);
    case LOOP_EV_TASK_CREATE:
        return e->flags & CAP_SUBJ_TASK ? task_created(w, c, e, seq, A) : put_text(b, c, T);
    case LOOP_EV_TASK_RENAME:
        if (e->flags & CAP_SUBJ_TASK)
            set_name(w, c, e->subject, A);
        return put_text(b, c, e->a ? A : T);
    case LOOP_EV_FUTURE_RESULT: case LOOP_EV_FUTURE_EXCEPTION: case LOOP_EV_FUTURE_CANCEL:
    case LOOP_EV_STEP_RETURN: case LOOP_EV_STEP_RAISE: case LOOP_EV_STEP_CANCELLED: {
        if (e->flags & CAP_SUBJ_TASK)
            trace__task_done(w, e->subject, seq, done_state(e->kind), A);
        size_t np;
        const char *prefix = done_prefix(e->kind, val, &np);
        return put_composed(b, c, prefix, np, A, T);
    }
    case LOOP_EV_STEP_BEGIN:
        return val ? put_composed(b, c, LIT_N("throw "), A, T) : put_text(b, c, T);
    case LOOP_EV_STEP_AWAIT:
        return put_await(b, ws, c, e, T);
    case LOOP_EV_CANCEL_REQUEST:
        return val ? put_composed(b, c, LIT_N("message "), A, T) : put_composed(b, c, LIT_N("no message"), A, T);
    case LOOP_EV_OUTPUT:
        trace__write_output(w, c, e, seq);
        /* fall through */
    default:
        return val ? put_composed(b, c, NULL, 0, A, T) : put_text(b, c, T);
    }
#undef A
#undef T
}

#endif
