/* queue.c — asyncio.Queue, LifoQueue, PriorityQueue (mirrors queues.py of CPython 3.11.7;
 * the priority heap mirrors the C `_heapq` module, comparison for comparison).
 *
 * Invariant: items[head .. head+n) are the queued items: a FIFO takes from the front, a
 * LIFO from the back, a PriorityQueue keeps them a binary min-heap under host->less
 * (then head == 0). `finished` is an Event set exactly when unfinished == 0. */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct loop_queue {
    loop_obj hdr;
    int64_t maxsize;
    loop_val *items;
    size_t head, n, cap;
    loop__futq getters, putters;
    int64_t unfinished;
    loop_obj *finished;         /* an Event */
} loop_queue;

loop_obj *loop_queue_new(loop *l, loop_queue_kind kind, int64_t maxsize)
{
    loop_obj *ev = loop_event_new(l);
    loop_pin(l, ev);
    loop_queue *q = loop__obj_new(l, LOOP_K_QUEUE, sizeof *q);
    loop_unpin(l, 1);
    q->hdr.subkind = (uint8_t)kind;
    q->maxsize = maxsize;
    q->finished = ev;
    loop_event_set(l, ev);
    return &q->hdr;
}

size_t loop_queue_size(const loop_obj *q)
{
    return ((const loop_queue *)q)->n;
}

int64_t loop_queue_maxsize(const loop_obj *q)
{
    return ((const loop_queue *)q)->maxsize;
}

void loop_queue_info(const loop_obj *o, loop_queue_state *s)
{
    const loop_queue *q = (const loop_queue *)o;
    s->items = q->items ? q->items + q->head : NULL;
    s->n = q->n;
    s->ngetters = q->getters.n;
    s->nputters = q->putters.n;
    s->unfinished = q->unfinished;
}

void loop__trace_queue(loop_obj *o, const loop_tracer *t)
{
    loop_queue *q = (loop_queue *)o;
    for (size_t i = 0; i < q->n; i++)
        t->val(t->ud, q->items[q->head + i]);
    loop__futq_trace(&q->getters, t);
    loop__futq_trace(&q->putters, t);
    if (q->finished)
        t->obj(t->ud, q->finished);
}

void loop__finalize_queue(loop_obj *o)
{
    loop_queue *q = (loop_queue *)o;
    free(q->items);
    q->items = NULL;
    loop__futq_free(&q->getters);
    loop__futq_free(&q->putters);
}

/* mirrors Queue.full */
static bool full(const loop_queue *q)
{
    return q->maxsize > 0 && (int64_t)q->n >= q->maxsize;
}

/* mirrors Queue._wakeup_next: drop done waiters, wake the first pending one */
static void wakeup_next(loop *l, loop__futq *waiters)
{
    loop_future *w;
    while ((w = loop__futq_popleft(waiters)) != NULL) {
        if (!loop_future_done(w)) {
            loop_future_set_result(l, w, l->host.none);
            break;
        }
    }
}

/* ---- storage: deque, list, heap ---------------------------------------------------- */

static void append(loop_queue *q, loop_val v)
{
    if (q->head > 0 && q->head + q->n == q->cap) {
        memmove(q->items, q->items + q->head, q->n * sizeof *q->items);
        q->head = 0;
    }
    loop__grow((void **)&q->items, &q->cap, q->n + 1, sizeof *q->items);
    q->items[q->head + q->n++] = v;
}

/* heapq's siftdown (C version: swaps, so an exception leaves a permutation) */
static int siftdown(loop *l, loop_val *a, size_t start, size_t pos, loop_val *exc)
{
    const loop_host *h = loop_get_host(l);
    while (pos > start) {
        size_t parent = (pos - 1) >> 1;
        int lt = h->less(h->ud, a[pos], a[parent], exc);
        if (lt < 0)
            return -1;
        if (!lt)
            break;
        loop_val tmp = a[parent];
        a[parent] = a[pos];
        a[pos] = tmp;
        pos = parent;
    }
    return 0;
}

/* heapq's siftup: the smaller child up to a leaf, then siftdown */
static int siftup(loop *l, loop_val *a, size_t n, size_t pos, loop_val *exc)
{
    const loop_host *h = loop_get_host(l);
    size_t start = pos, limit = n >> 1;
    while (pos < limit) {
        size_t child = 2 * pos + 1;
        if (child + 1 < n) {
            int lt = h->less(h->ud, a[child], a[child + 1], exc);
            if (lt < 0)
                return -1;
            child += (size_t)(lt ^ 1);
        }
        loop_val tmp = a[child];
        a[child] = a[pos];
        a[pos] = tmp;
        pos = child;
    }
    return siftdown(l, a, start, pos, exc);
}

/* Queue._put / LifoQueue._put / PriorityQueue._put (heappush) */
static int put_item(loop *l, loop_queue *q, loop_val item, loop_val *exc)
{
    append(q, item);
    if (q->hdr.subkind != LOOP_QUEUE_PRIORITY)
        return 0;
    return siftdown(l, q->items, 0, q->n - 1, exc);
}

/* Queue._get / LifoQueue._get / PriorityQueue._get (heappop); q->n > 0 */
static int get_item(loop *l, loop_queue *q, loop_val *out)
{
    switch (q->hdr.subkind) {
    case LOOP_QUEUE_FIFO:
        *out = q->items[q->head++];
        if (--q->n == 0)
            q->head = 0;
        return 0;
    case LOOP_QUEUE_LIFO:
        *out = q->items[--q->n];
        return 0;
    default: {
        loop_val last = q->items[--q->n];
        if (q->n == 0) {
            *out = last;
            return 0;
        }
        loop_val first = q->items[0];
        q->items[0] = last;
        if (siftup(l, q->items, q->n, 0, out) < 0)
            return -1;
        *out = first;
        return 0;
    }
    }
}

/* ---- the synchronous methods ------------------------------------------------------- */

/* mirrors Queue.put_nowait */
int loop_queue_put_nowait(loop *l, loop_obj *o, loop_val item)
{
    loop_queue *q = (loop_queue *)o;
    loop_val exc;
    if (full(q)) {
        loop_set_error(l, LOOP_E_QUEUE_FULL, NULL);
        return -1;
    }
    if (put_item(l, q, item, &exc) < 0) {
        loop_set_error_val(l, exc);
        return -1;
    }
    q->unfinished++;
    loop_event_clear(l, q->finished);
    wakeup_next(l, &q->getters);
    return 0;
}

/* mirrors Queue.get_nowait */
int loop_queue_get_nowait(loop *l, loop_obj *o, loop_val *out)
{
    loop_queue *q = (loop_queue *)o;
    if (q->n == 0) {
        loop_set_error(l, LOOP_E_QUEUE_EMPTY, NULL);
        return -1;
    }
    if (get_item(l, q, out) < 0) {
        loop_set_error_val(l, *out);
        return -1;
    }
    wakeup_next(l, &q->putters);
    return 0;
}

/* mirrors Queue.task_done */
int loop_queue_task_done(loop *l, loop_obj *o)
{
    loop_queue *q = (loop_queue *)o;
    if (q->unfinished <= 0) {
        loop_set_error(l, LOOP_E_VALUE, "task_done() called too many times");
        return -1;
    }
    if (--q->unfinished == 0)
        loop_event_set(l, q->finished);
    return 0;
}

/* ---- the coroutines ----------------------------------------------------------------- */

/* The `except:` of Queue.put / Queue.get: the waiter's cleanup, then re-raise.
 * `blocked` is full() for put, empty() for get. */
static loop_resume waiter_failed(loop *l, loop_ncoro *c, loop__futq *waiters, loop_future *w,
                                 bool blocked, loop_val exc, loop_val *out)
{
    if (exc != LOOP_GEN_EXIT)
        c->vals[1] = exc;                   /* rooted: cancel and wake-up allocate */
    loop__future_cancel(l, w, NULL);        /* just in case it is not done yet */
    loop__futq_remove(waiters, w);          /* may have been popped by _wakeup_next */
    if (!blocked && !loop_future_cancelled(w))
        wakeup_next(l, waiters);            /* woken but can't take the call: pass it on */
    *out = exc;
    return LOOP_RAISED;
}

/* Suspends on a new waiter future appended to `waiters` (state 1). */
static loop_resume wait_in(loop *l, loop_ncoro *c, loop__futq *waiters, loop_val *out)
{
    loop_future *w = loop__future_new_origin(l, waiters == &((loop_queue *)c->objs[0])->putters
                                                     ? "queue.put" : "queue.get");
    c->objs[1] = &w->hdr;
    loop__futq_push(waiters, w);
    c->state = 1;
    loop__await_begin(l, w, out);
    return LOOP_YIELDED;
}

/* mirrors Queue.put: objs[0] the queue, objs[1] the putter, vals[0] the item */
static loop_resume put_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out)
{
    loop_queue *q = (loop_queue *)c->objs[0];
    if (c->state == 1) {
        loop_future *w = (loop_future *)c->objs[1];
        loop_val res;
        exc = loop__await_end(l, w, exc, &res);
        if (exc)
            return waiter_failed(l, c, &q->putters, w, full(q), exc, out);
    }
    if (full(q))
        return wait_in(l, c, &q->putters, out);
    if (loop_queue_put_nowait(l, &q->hdr, c->vals[0]) < 0) {
        *out = loop_take_error(l);
        return LOOP_RAISED;
    }
    *out = l->host.none;
    return LOOP_RETURNED;
}

loop_ncoro *loop_queue_put(loop *l, loop_obj *q, loop_val item)
{
    loop_pin(l, q);
    loop_ncoro *c = loop__ncoro_new(l, put_step, "Queue.put");
    loop_unpin(l, 1);
    c->objs[0] = q;
    c->vals[0] = item;
    return c;
}

/* mirrors Queue.get: objs[0] the queue, objs[1] the getter */
static loop_resume get_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out)
{
    loop_queue *q = (loop_queue *)c->objs[0];
    if (c->state == 1) {
        loop_future *w = (loop_future *)c->objs[1];
        loop_val res;
        exc = loop__await_end(l, w, exc, &res);
        if (exc)
            return waiter_failed(l, c, &q->getters, w, q->n == 0, exc, out);
    }
    if (q->n == 0)
        return wait_in(l, c, &q->getters, out);
    if (loop_queue_get_nowait(l, &q->hdr, out) < 0) {
        *out = loop_take_error(l);
        return LOOP_RAISED;
    }
    return LOOP_RETURNED;
}

loop_ncoro *loop_queue_get(loop *l, loop_obj *q)
{
    loop_pin(l, q);
    loop_ncoro *c = loop__ncoro_new(l, get_step, "Queue.get");
    loop_unpin(l, 1);
    c->objs[0] = q;
    return c;
}

/* mirrors Queue.join: objs[0] the queue, objs[1] the running Event.wait() */
static loop_resume join_step(loop *l, loop_ncoro *c, loop_val value, loop_val exc, loop_val *out)
{
    loop_queue *q = (loop_queue *)c->objs[0];
    if (c->state == 0) {
        if (q->unfinished <= 0) {
            *out = l->host.none;
            return LOOP_RETURNED;
        }
        loop_ncoro *sub = loop_event_wait(l, q->finished);
        c->objs[1] = &sub->hdr;
        c->state = 1;
        value = l->host.none;
    }
    loop_resume r = loop_ncoro_resume(l, (loop_ncoro *)c->objs[1], value, exc, out);
    if (r == LOOP_RETURNED)
        *out = l->host.none;
    return r;
}

loop_ncoro *loop_queue_join(loop *l, loop_obj *q)
{
    loop_pin(l, q);
    loop_ncoro *c = loop__ncoro_new(l, join_step, "Queue.join");
    loop_unpin(l, 1);
    c->objs[0] = q;
    return c;
}
