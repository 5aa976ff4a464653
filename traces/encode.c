/* encode.c — on the writer thread: chunks of captured events as the JSON text of an
 * event block (the format is in schema.sql: groups of events that share a loop
 * iteration and a virtual time), with each event's readable detail composed from the
 * texts captured with it (details_int.h; tasks.c keeps the task rows). The numbers are
 * written by numtext_int.h and numtext.c, the texts escaped by escape_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include "details_int.h"

/* ---- the block ------------------------------------------------------------------------- */

/* v (an id, an iteration, a line) and a comma. */
static inline char *put_field(char *p, uint64_t v)
{
    p = put_u64(p, v);
    *p = ',';
    return p + 1;
}

/* an id and a comma (room for 22 bytes) */
static inline char *id_field(wstate *ws, char *p, uint64_t v)
{
    p = put_id(ws, p, v);
    *p = ',';
    return p + 1;
}

/* Room for what encode_event writes before the detail: "],[" and a group's head (two
 * numbers and a time), then ",[" and the event's five numbers with their commas. */
#define HEAD_MAX (3 + 2 * 21 + NUM_MAX + 2 + 5 * 21)
/* and after it: ",null", two numbers with their commas, "]" */
#define TAIL_MAX (5 + 2 * (1 + NUM_MAX) + 1)

/* Opens a group for event e (seq) at p: its offset in the block, iteration and time. */
static char *open_group(wstate *ws, char *p, const cap_ev *e, uint64_t seq)
{
    if (ws->group_open) {
        *p++ = ']';
        *p++ = ',';
    }
    *p++ = '[';
    p = put_field(p, seq - ws->block_first);
    p = put_field(p, e->iteration);
    p += fmt_num_cached(ws, p, e->time);
    ws->group_open = true;
    ws->group_iter = e->iteration;
    ws->group_time = e->time;
    return p;
}

static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;   /* -0.0 and 0 are written differently */
}

/* Inline in trace__encode_chunk's loop: called 400k times a second, its entry and
 * exit (six registers saved) cost a tenth of it. */
static inline __attribute__((always_inline)) void encode_event(trace_writer *w, const chunk *c,
                                                               const cap_ev *e, uint64_t seq)
{
    wstate *ws = &w->ws;
    trace__buf *b = &ws->block;
    char *p = trace__buf_room(b, HEAD_MAX + TAIL_MAX);   /* the tail's too, if no detail */
    if (!p)
        return;
    if (!ws->group_open || e->iteration != ws->group_iter || !same_double(e->time, ws->group_time))
        p = open_group(ws, p, e, seq);
    *p++ = ',';
    *p++ = '[';
    _Static_assert(LOOP_EV__COUNT <= 100, "an event's kind has at most two digits");
    p = put_upto2(p, e->kind);
    *p++ = ',';
    p = id_field(ws, p, e->subject);
    p = id_field(ws, p, e->cause);
    p = id_field(ws, p, e->other);
    p = put_u64(p, e->line > 0 ? (uint64_t)e->line : 0);
    b->len = (size_t)(p - b->p);
    bool d = put_detail(w, c, e, seq);   /* false: it wrote nothing, p is the end */
    if (d && !(p = trace__buf_room(b, TAIL_MAX)))
        return;
    if (e->x) {
        const cap_x *x = &c->xs[e->x - 1];
        bool at = !isnan(x->at), num = !isnan(x->num);
        if (at || num) {
            if (!d)
                p = PUT_LIT(p, ",null");
            if (at) {
                *p++ = ',';
                p += fmt_num_cached(ws, p, x->at);
            } else {
                p = PUT_LIT(p, ",null");   /* what fmt_num writes for NaN */
            }
        }
        if (num) {
            *p++ = ',';
            p += fmt_num_cached(ws, p, x->num);
        }
    }
    *p++ = ']';
    b->len = (size_t)(p - b->p);
}

void trace__block_begin(trace_writer *w)
{
    w->ws.block.len = 0;
    w->ws.group_open = false;
    TRACE__BUF_LIT(&w->ws.block, "[");
}

/* The map entries event e will look up, asked for ahead: with many live tasks and
 * handles each lookup is a cache miss, and the writer would wait for them one by one. */
static void prefetch_for(wstate *ws, const chunk *c, const cap_ev *e)
{
    switch (e->kind) {
    case LOOP_EV_HANDLE_BEGIN: case LOOP_EV_TIMER_DUE: case LOOP_EV_HANDLE_CANCEL:
        if (e->flags & CAP_SUBJ_HANDLE)
            trace__idmap_prefetch(&ws->handles, e->subject);
        break;
    case LOOP_EV_CALL_SOON: case LOOP_EV_CALL_SOON_TS: case LOOP_EV_CALL_LATER: case LOOP_EV_CALL_AT:
    case LOOP_EV_CALLBACK_SCHEDULE:
        if (e->flags & CAP_TASK_HANDLE)
            trace__idmap_prefetch(&ws->tasks, cap_x_of(c, e)->obj);
        break;
    default:
        if (e->flags & CAP_SUBJ_TASK)
            trace__idmap_prefetch(&ws->tasks, e->subject);   /* task rows, names */
        if (e->flags & CAP_OTHER_TASK)
            trace__idmap_prefetch(&ws->tasks, e->other);
        break;
    }
}

#define PREFETCH_AHEAD 8
/* Prefetching pays only when the maps outgrow the caches: below this many pages
 * (48 KB each) in use, every entry is at hand and asking ahead is pure cost. */
#define PREFETCH_MIN_PAGES 8

int trace__encode_chunk(trace_writer *w, const chunk *c)
{
    wstate *ws = &w->ws;
    /* events i + PREFETCH_AHEAD .. pf_end are prefetched as i passes */
    uint32_t pf_end = 0;
    if (ws->tasks.npages_live + ws->handles.npages_live >= PREFETCH_MIN_PAGES) {
        for (uint32_t k = 0; k < c->n && k < PREFETCH_AHEAD; k++)
            prefetch_for(ws, c, &c->ev[k]);
        pf_end = c->n;
    }
    for (uint32_t i = 0; i < c->n; i++) {
        if (i + PREFETCH_AHEAD < pf_end)
            prefetch_for(ws, c, &c->ev[i + PREFETCH_AHEAD]);
        encode_event(w, c, &c->ev[i], c->first_seq + i);
    }
    if (ws->block.oom) {
        trace__woom(w);
        return -1;
    }
    return atomic_load(&w->failed) ? -1 : 0;
}

int trace__block_end(trace_writer *w)
{
    trace__buf *b = &w->ws.block;
    if (w->ws.group_open)
        TRACE__BUF_LIT(b, "]");
    w->ws.group_open = false;
    TRACE__BUF_LIT(b, "]");
    if (b->oom) {
        trace__woom(w);
        return -1;
    }
    b->p[b->len] = '\0';
    return 0;
}

void trace__wstate_free(wstate *ws)
{
    for (size_t i = 0; i < ws->nkept; i++)
        free(ws->kept[i]);
    free(ws->kept);
    for (size_t i = 0; i < ws->names.nblocks; i++)
        free(ws->names.blocks[i]);
    free(ws->names.blocks);
    trace__idmap_free(&ws->handles);
    trace__idmap_free(&ws->tasks);
    trace__tasks_free(ws);
    trace__buf_free(&ws->block);
}
