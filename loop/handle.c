/* handle.c — Handle and TimerHandle, the ready queue, call_soon / call_later / call_at
 * (mirrors events.Handle, events.TimerHandle and BaseEventLoop.call_* of CPython 3.11).
 *
 * The ready queue is `collections.deque` as a ring buffer that doubles when full.
 */
#include "loop_int.h"

void loop__ready_push(loop *l, loop_handle *h)
{
    if (l->rlen == l->rcap) {
        size_t ncap = l->rcap ? l->rcap * 2 : 64;
        loop_handle **n = malloc(ncap * sizeof *n);
        if (!n) {
            fputs("aiosim: out of memory\n", stderr);
            abort();
        }
        for (size_t i = 0; i < l->rlen; i++)
            n[i] = l->ready[(l->rhead + i) % l->rcap];
        free(l->ready);
        l->ready = n;
        l->rcap = ncap;
        l->rhead = 0;
    }
    size_t tail = l->rhead + l->rlen;
    if (tail >= l->rcap)
        tail -= l->rcap;
    l->ready[tail] = h;
    l->rlen++;
}

loop_handle *loop__ready_pop(loop *l)
{
    if (!l->rlen)
        return NULL;
    loop_handle *h = l->ready[l->rhead];
    if (++l->rhead == l->rcap)
        l->rhead = 0;
    l->rlen--;
    return h;
}

size_t loop_ready_count(const loop *l)
{
    return l->rlen;
}

size_t loop_ready_snapshot(const loop *l, loop_handle **out, size_t max)
{
    size_t n = l->rlen < max ? l->rlen : max;
    for (size_t i = 0; i < n; i++)
        out[i] = l->ready[(l->rhead + i) % l->rcap];
    return l->rlen;
}

size_t loop_timer_snapshot(const loop *l, loop_handle **out, size_t max)
{
    size_t n = l->nheap < max ? l->nheap : max;
    for (size_t i = 0; i < n; i++)
        out[i] = l->heap[i].h;
    return l->nheap;
}

/* Handle.__init__: a new handle holding the callback (the objects it names are
 * pinned across the allocation). */
static loop_handle *new_handle(loop *l, const loop_callback *cb)
{
    if (cb->obj)
        loop_pin(l, cb->obj);
    loop_handle *h = loop__obj_new(l, LOOP_K_HANDLE, sizeof *h);
    if (cb->obj)
        loop_unpin(l, 1);
    h->cb = *cb;
    return h;
}

static bool check_closed(loop *l)
{
    if (l->closed) {
        loop_set_error(l, LOOP_E_RUNTIME, "Event loop is closed");
        return false;
    }
    return true;
}

/* mirrors BaseEventLoop.call_soon / _call_soon. NULL: the loop is closed. */
loop_handle *loop_call_soon(loop *l, const loop_callback *cb)
{
    if (!check_closed(l))
        return NULL;
    loop_handle *h = new_handle(l, cb);
    loop__ready_push(l, h);
    LOOP__EMIT(l, LOOP_EV_CALL_SOON, h, NULL, 0, 0, NULL);
    return h;
}

/* mirrors call_soon_threadsafe: call_soon, then _write_to_self (which wakes the
 * selector when a thread is alive; see loop__select). */
loop_handle *loop_call_soon_threadsafe(loop *l, const loop_callback *cb)
{
    if (!check_closed(l))
        return NULL;
    loop_handle *h = new_handle(l, cb);
    h->threadsafe = true;
    loop__ready_push(l, h);
    l->selfpipe = true;
    LOOP__EMIT(l, LOOP_EV_CALL_SOON_TS, h, NULL, 0, 0, NULL);
    return h;
}

/* mirrors BaseEventLoop.call_at: a TimerHandle pushed on the heap. */
loop_handle *loop_call_at(loop *l, double when, const loop_callback *cb)
{
    if (!check_closed(l))
        return NULL;
    loop_handle *h = new_handle(l, cb);
    h->is_timer = true;
    h->when = when;
    loop__heap_push(l, h);
    h->scheduled = true;
    LOOP__EMIT(l, LOOP_EV_CALL_AT, h, NULL, when, 0, NULL);
    return h;
}

/* mirrors BaseEventLoop.call_later: call_at(self.time() + delay). */
loop_handle *loop_call_later(loop *l, double delay, const loop_callback *cb)
{
    if (!check_closed(l))
        return NULL;
    loop_handle *h = new_handle(l, cb);
    h->is_timer = true;
    h->when = l->now + delay;
    loop__heap_push(l, h);
    h->scheduled = true;
    LOOP__EMIT(l, LOOP_EV_CALL_LATER, h, NULL, h->when, delay, NULL);
    return h;
}

/* mirrors TimerHandle.cancel (loop._timer_handle_cancelled counts a scheduled
 * timer) and Handle.cancel (drops the callback and its arguments). */
void loop_handle_cancel(loop *l, loop_handle *h)
{
    if (h->cancelled)
        return;
    if (h->is_timer && h->scheduled)
        l->timer_cancelled_count++;
    h->cancelled = true;
    memset(&h->cb, 0, sizeof h->cb);
    h->arg = NULL;
    LOOP__EMIT(l, LOOP_EV_HANDLE_CANCEL, h, NULL, h->when, 0, NULL);
}

loop_handle *loop__soon(loop *l, loop_cb fn, loop_obj *obj, loop_val val)
{
    loop_callback cb = { .fn = fn, .obj = obj, .val = val };
    return loop_call_soon(l, &cb);
}
