/* run_once.c — one iteration of the loop, step for step BaseEventLoop._run_once of
 * CPython 3.11 with the select() replaced by the virtual clock (loop__select).
 */
#include "loop_int.h"

/* The purge of cancelled timers: more than 100 scheduled and over half of them
 * cancelled -> rebuild the heap without them and heapify; otherwise only pop the
 * cancelled ones off the top. Both are reported (timer_purge, timer_drop) so that a
 * reader of the trace can replay the heap exactly. */
static void drop_cancelled_timers(loop *l)
{
    size_t n = l->nheap;
    if (n > LOOP__MIN_SCHEDULED_TIMER_HANDLES &&
        (double)l->timer_cancelled_count / (double)n > 0.5) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            loop_handle *h = l->heap[i].h;
            if (h->cancelled)
                h->scheduled = false;
            else
                l->heap[k++] = l->heap[i];
        }
        l->nheap = k;
        loop__heapify(l);
        l->timer_cancelled_count = 0;
        LOOP__EMIT(l, LOOP_EV_TIMER_PURGE, NULL, NULL, 0, (double)k, NULL);
        return;
    }
    while (l->nheap && l->heap[0].h->cancelled) {
        l->timer_cancelled_count--;
        loop_handle *h = loop__heap_pop(l);
        h->scheduled = false;
        LOOP__EMIT(l, LOOP_EV_TIMER_DROP, h, NULL, h->when, 0, NULL);
    }
}

/* timeout = 0 if ready or stopping, else min(max(0, top.when - now), 86400) if
 * there is a timer, else None (< 0 here). */
static double select_timeout(const loop *l)
{
    if (l->rlen || l->stopping)
        return 0.0;
    if (!l->nheap)
        return -1.0;
    double t = l->heap[0].when - l->now;
    if (!(t > 0))
        t = 0.0;
    if (LOOP__MAXIMUM_SELECT_TIMEOUT < t)
        t = LOOP__MAXIMUM_SELECT_TIMEOUT;
    return t;
}

/* Every timer with when < now + clock resolution goes to the ready queue,
 * cancelled ones included (they are skipped when run, as CPython does). */
static void move_due_timers(loop *l)
{
    double end_time = l->now + LOOP__CLOCK_RESOLUTION;
    while (l->nheap) {
        loop_handle *h = l->heap[0].h;
        if (l->heap[0].when >= end_time)
            break;
        loop__heap_pop(l);
        h->scheduled = false;
        __builtin_prefetch(h->cb.obj);     /* what it acts on (a future), by the time it runs */
        loop__ready_push(l, h);
        LOOP__EMIT(l, LOOP_EV_TIMER_DUE, h, NULL, h->when, 0, NULL);
    }
}

int loop__run_handle(loop *l, loop_handle *h)
{
    loop_handle *prev = l->current_handle;
    l->current_handle = h;
    if (l->obs) {
        loop_obj *task = loop__handle_task(h);
        loop__emit(l, LOOP_EV_HANDLE_BEGIN, &h->hdr, task, h->when, 0, NULL);
    }
    int rc = h->cb.fn(l, h);
    LOOP__EMIT(l, LOOP_EV_HANDLE_END, h, NULL, 0, 0, NULL);
    l->current_handle = prev;
    return rc;
}

/* In a large program the next handles and what they act on are cold: fetch the
 * handle after next, and the object of the next one (fetched one handle ago). Due
 * timers and scheduled done-callbacks fetch their object earlier still. */
static inline void prefetch_next(const loop *l)
{
    if (l->rlen > 1) {
        size_t i = l->rhead + 1;
        __builtin_prefetch(l->ready[i < l->rcap ? i : i - l->rcap]);
    }
    if (l->rlen > 0)
        __builtin_prefetch(l->ready[l->rhead]->cb.obj);
}

/* mirrors BaseEventLoop._run_once. LOOP_DEADLOCK when nothing could ever wake the
 * loop; LOOP_ERROR when a callback aborted the run (KeyboardInterrupt, SystemExit);
 * LOOP_LIMIT when the step limit is reached (the rest of the batch stays ready). */
loop_status loop_run_once(loop *l)
{
    l->iteration++;
    drop_cancelled_timers(l);
    if (!loop__select(l, select_timeout(l)))
        return LOOP_DEADLOCK;
    move_due_timers(l);
    size_t ntodo = l->rlen;
    LOOP__EMIT(l, LOOP_EV_ITERATION, NULL, NULL, 0, (double)ntodo, NULL);
    for (size_t i = 0; i < ntodo; i++) {
        if (l->step_limit && l->steps >= l->step_limit)
            return LOOP_LIMIT;
        loop_handle *h = loop__ready_pop(l);
        prefetch_next(l);
        if (h->cancelled)
            continue;
        l->steps++;
        if (loop__run_handle(l, h) < 0)
            return LOOP_ERROR;
    }
    return LOOP_OK;
}
