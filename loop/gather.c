/* gather.c — asyncio.gather (mirrors tasks.gather and tasks._GatheringFuture).
 *
 * The outer future is a gather_future: a loop_future (subkind LOOP__FUT_GATHER, so that
 * Future.cancel dispatches to loop__future_cancel_override) whose closure state lives in a
 * STATE block: the children in argument order (duplicates repeated), the counters.
 * Every child's done-callback holds the state, and the state holds the outer future;
 * the outer future holds its state (CPython's _children) through
 * loop__trace_future_sub, which obj.c calls for futures with a subkind.
 */
#include "sync_int.h"

typedef struct gather_state {
    loop_obj hdr;                 /* LOOP_K_STATE, subkind LOOP__STATE_GATHER */
    loop_future *outer;           /* NULL until gather() has built it (bpo-46672) */
    loop__futq children;
    size_t nfuts, nfinished;
    bool return_exceptions;
    loop_val *results;            /* the result list being built (traced) */
    size_t nresults;
} gather_state;

typedef struct gather_future {
    loop_future fut;
    gather_state *st;
    bool cancel_requested;        /* _cancel_requested */
} gather_future;

void loop__trace_gather_state(loop_obj *o, const loop_tracer *t)
{
    gather_state *st = (gather_state *)o;
    if (st->outer)
        t->obj(t->ud, &st->outer->hdr);
    loop__futq_trace(&st->children, t);
    for (size_t i = 0; i < st->nresults; i++)
        t->val(t->ud, st->results[i]);
}

/* What a future with a subkind holds beyond loop__future_trace: a gathering
 * future's state block. */
void loop__trace_future_sub(loop_obj *o, const loop_tracer *t)
{
    gather_future *g = (gather_future *)o;
    if (o->subkind == LOOP__FUT_GATHER && g->st)
        t->obj(t->ud, &g->st->hdr);
}

void loop__finalize_gather_state(loop_obj *o)
{
    gather_state *st = (gather_state *)o;
    loop__futq_free(&st->children);
    free(st->results);
    st->results = NULL;
}

/* mirrors _GatheringFuture.cancel: cancel every child; propagate the request only
 * if one of them was actually cancelled (issue 32684). future.c calls it for every
 * future with a subkind; gathering futures are the only ones. */
bool loop__future_cancel_override(loop *l, loop_future *f, loop_val msg)
{
    gather_future *g = (gather_future *)f;
    if (f->hdr.subkind != LOOP__FUT_GATHER)
        return loop__future_cancel(l, f, msg);
    if (loop_future_done(f))
        return false;
    bool ret = false;
    for (size_t i = 0; i < g->st->children.n; i++)
        if (loop__cancel(l, g->st->children.v[i], msg))
            ret = true;
    if (ret)
        g->cancel_requested = true;
    return ret;
}

/* The result list once every child is done: results, exceptions, and a fresh
 * CancelledError for each cancelled child. */
static loop_val collect_results(loop *l, gather_state *st)
{
    size_t n = st->children.n;
    st->results = calloc(n ? n : 1, sizeof *st->results);
    for (size_t i = 0; i < n; i++) {
        loop_future *fut = st->children.v[i];
        loop_val res;
        bool no_msg = fut->cancel_msg == NULL || fut->cancel_msg == l->host.none;
        if (loop_future_cancelled(fut))
            res = l->host.new_error(l->host.ud, LOOP_E_CANCELLED, no_msg ? "" : NULL,
                                    no_msg ? NULL : fut->cancel_msg);
        else if (loop_future_exception(l, fut, &res) == 0 && res == l->host.none)
            res = fut->result;
        st->results[st->nresults++] = res;
    }
    loop_val list = l->host.make_list(l->host.ud, n, st->results);
    free(st->results);
    st->results = NULL;
    st->nresults = 0;
    return list;
}

/* mirrors gather's _done_callback: h->cb.obj the state, h->arg the child */
static int child_done(loop *l, loop_handle *h)
{
    gather_state *st = (gather_state *)h->cb.obj;
    loop_future *fut = (loop_future *)h->arg;
    loop_future *outer = st->outer;
    loop_val exc;
    st->nfinished++;
    if (outer == NULL || loop_future_done(outer)) {
        if (!loop_future_cancelled(fut))
            loop_future_exception(l, fut, &exc);        /* mark it retrieved */
        return 0;
    }
    if (!st->return_exceptions) {
        if (loop_future_cancelled(fut)) {
            loop_future_set_exception(l, outer, loop_future_cancelled_error(l, fut));
            return 0;
        }
        loop_future_exception(l, fut, &exc);
        if (exc != l->host.none) {
            loop_future_set_exception(l, outer, exc);
            return 0;
        }
    }
    if (st->nfinished == st->nfuts) {
        loop_val results = collect_results(l, st);
        if (((gather_future *)outer)->cancel_requested) {
            /* `fut` is the for loop's variable here: the last child */
            loop_future *last = st->children.v[st->children.n - 1];
            loop_future_set_exception(l, outer, loop_future_cancelled_error(l, last));
        } else {
            loop_future_set_result(l, outer, results);
        }
    }
    return 0;
}

/* gather() of nothing: a plain future with the result [] */
static loop_future *gather_empty(loop *l)
{
    loop_future *outer = loop__future_new_origin(l, "gather");
    loop_pin(l, &outer->hdr);
    loop_future_set_result(l, outer, l->host.make_list(l->host.ud, 0, NULL));
    loop_unpin(l, 1);
    return outer;
}

/* mirrors tasks.gather */
loop_future *loop_gather(loop *l, size_t n, const loop_val *aws, bool return_exceptions)
{
    if (n == 0)
        return gather_empty(l);
    gather_state *st = loop__obj_new(l, LOOP_K_STATE, sizeof *st);
    st->hdr.subkind = LOOP__STATE_GATHER;
    st->return_exceptions = return_exceptions;
    loop_pin(l, &st->hdr);
    /* arg_to_fut: the same object once. An open-addressing table of first indexes
     * (pointer hash) keeps this O(n): gather(*200k coroutines) is a benchmark. */
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *seen = malloc(cap * sizeof *seen);
    if (!seen) {
        fputs("aiosim: out of memory\n", stderr);
        abort();
    }
    memset(seen, 0xff, cap * sizeof *seen);
    for (size_t i = 0; i < n; i++) {
        size_t hsh = (size_t)(((uintptr_t)aws[i] >> 4) * 0x9E3779B97F4A7C15ull) & (cap - 1);
        while (seen[hsh] != SIZE_MAX && aws[seen[hsh]] != aws[i])
            hsh = (hsh + 1) & (cap - 1);
        if (seen[hsh] != SIZE_MAX) {
            loop__futq_push(&st->children, st->children.v[seen[hsh]]);
            continue;
        }
        seen[hsh] = i;
        loop_future *fut = l->host.ensure_future(l->host.ud, l, aws[i]);
        if (fut == NULL) {
            free(seen);
            loop_unpin(l, 1);
            return NULL;
        }
        st->nfuts++;
        loop__futq_push(&st->children, fut);
        loop__add_done(l, fut, child_done, &st->hdr, NULL);
    }
    free(seen);
    gather_future *g = loop__obj_new(l, LOOP_K_FUTURE, sizeof *g);
    g->fut.hdr.subkind = LOOP__FUT_GATHER;
    loop__future_init(l, &g->fut);
    if (l->obs)
        loop__emit_text(l, LOOP_EV_FUTURE_CREATE, &g->fut.hdr, NULL, 0, 0, NULL, "gather");
    g->st = st;
    st->outer = &g->fut;
    loop_unpin(l, 1);
    return &g->fut;
}
