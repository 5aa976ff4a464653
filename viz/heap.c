/* heap.c — the loop's timer heap replayed from a trace's events, comparison for
 * comparison, so the viewer can list it in CPython's heap order (ties included).
 *
 * The loop's heap is heapq with TimerHandle.__lt__ (when < when) as the only
 * comparison (loop/timer_heap.c); equal deadlines are ordered by the heap's shape.
 * The trace says every change to it (loop/loop_events.h): call_later / call_at push
 * (at = the deadline), timer_due and timer_drop pop the top, timer_purge keeps the
 * timers not cancelled in their heap order and heapifies them, loop_close empties it.
 * Replaying the same pushes and pops with the same sift rules (loop/heapq.h, shared
 * with the loop) gives the same array.
 * Invariant: items[(i - 1) / 2].when <= items[i].when for every i > 0.
 */
#include "heapq.h"
#include "trace.h"
#include "viz_int.h"

LOOP_HEAPQ_DEFINE(replay, viz_heap_item)

void viz__heap_init(viz_heap *H)
{
    memset(H, 0, sizeof *H);
}

void viz__heap_free(viz_heap *H)
{
    free(H->items.v);
    free(H->cancelled.v);
    memset(H, 0, sizeof *H);
}

void viz__heap_reset(viz_heap *H)
{
    H->items.n = 0;
    if (H->cancelled.v)
        memset(H->cancelled.v, 0, H->cancelled.cap);
    H->desync = false;
}

static void set_cancelled(viz_heap *H, uint64_t id)
{
    while (id >= H->cancelled.cap) {
        size_t old = H->cancelled.cap;
        viz__grow((void **)&H->cancelled.v, &H->cancelled.cap, 1);
        memset(H->cancelled.v + old, 0, H->cancelled.cap - old);
    }
    H->cancelled.v[id] = 1;
}

bool viz__heap_is_cancelled(const viz_heap *H, uint64_t id)
{
    return id < H->cancelled.cap && H->cancelled.v[id];
}

/* heapq.heappush */
static void push(viz_heap *H, double when, uint64_t handle, uint64_t seq)
{
    viz_heap_item *it = VIZ__PUSH(H->items);
    it->when = when;
    it->handle = handle;
    it->seq = seq;
    replay_siftdown(H->items.v, 0, H->items.n - 1);
}

/* heapq.heappop; the trace names the handle popped, which must be the top. */
static void pop(viz_heap *H, uint64_t handle)
{
    viz_heap_item *h = H->items.v;
    size_t n = H->items.n;
    if (!n) {
        H->desync = true;
        return;
    }
    if (h[0].handle != handle) {
        /* not what the loop did: keep the list honest, say so */
        H->desync = true;
        for (size_t i = 0; i < n; i++)
            if (h[i].handle == handle) {
                h[i] = h[--H->items.n];
                for (size_t k = H->items.n / 2; k-- > 0;)
                    replay_siftup(h, H->items.n, k);
                return;
            }
        return;
    }
    viz_heap_item last = h[--H->items.n];
    if (!H->items.n)
        return;
    h[0] = last;
    replay_siftup(h, H->items.n, 0);
}

/* _run_once's purge: [h for h in scheduled if not h._cancelled], then heapify. */
static void purge(viz_heap *H, double kept)
{
    size_t k = 0;
    for (size_t i = 0; i < H->items.n; i++)
        if (!viz__heap_is_cancelled(H, H->items.v[i].handle))
            H->items.v[k++] = H->items.v[i];
    H->items.n = k;
    for (size_t i = k / 2; i-- > 0;)
        replay_siftup(H->items.v, k, i);
    if (!isnan(kept) && (double)k != kept)
        H->desync = true;
}

void viz__heap_apply(viz_heap *H, const trace_event *e)
{
    switch (e->kind) {
    case LOOP_EV_CALL_LATER:
    case LOOP_EV_CALL_AT:
        push(H, e->at, e->subject, e->seq);
        break;
    case LOOP_EV_TIMER_DUE:
    case LOOP_EV_TIMER_DROP:
        pop(H, e->subject);
        break;
    case LOOP_EV_HANDLE_CANCEL:
        set_cancelled(H, e->subject);
        break;
    case LOOP_EV_TIMER_PURGE:
        purge(H, e->num);
        break;
    case LOOP_EV_LOOP_CLOSE:
        H->items.n = 0;
        break;
    default:
        break;
    }
}

/* Whether items[i] shares its deadline with another timer in the heap (a tie that
 * heapq, not insertion order, decides). O(n) per call; the viewer lists few. */
bool viz__heap_tied(const viz_heap *H, size_t i)
{
    for (size_t k = 0; k < H->items.n; k++)
        if (k != i && H->items.v[k].when == H->items.v[i].when)
            return true;
    return false;
}
