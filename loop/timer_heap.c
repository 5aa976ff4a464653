/* timer_heap.c — the timer heap, exactly CPython's heapq (Lib/heapq.py and
 * Modules/_heapqmodule.c) with TimerHandle.__lt__ as the only comparison.
 *
 * Equal deadlines are ordered by the shape of the heap, not by insertion: this is
 * what CPython does, so there is deliberately no FIFO sequence number.
 * Invariant: heap[(i - 1) / 2].when <= heap[i].when for every i > 0.
 */
#include "heapq.h"
#include "loop_int.h"

LOOP_HEAPQ_DEFINE(timer, loop__timer)

/* heapq.heappush */
void loop__heap_push(loop *l, loop_handle *h)
{
    loop__grow((void **)&l->heap, &l->capheap, l->nheap + 1, sizeof *l->heap);
    l->heap[l->nheap++] = (loop__timer){ h->when, h };
    timer_siftdown(l->heap, 0, l->nheap - 1);
}

/* heapq.heappop: the last item goes to the root and is sifted up. */
loop_handle *loop__heap_pop(loop *l)
{
    if (!l->nheap)
        return NULL;
    loop__timer last = l->heap[--l->nheap];
    if (!l->nheap)
        return last.h;
    loop_handle *top = l->heap[0].h;
    l->heap[0] = last;
    timer_siftup(l->heap, l->nheap, 0);
    return top;
}

/* heapq.heapify: _siftup for i in reversed(range(n // 2)). (_heapqmodule.c's
 * cache-friendly order for n > 2500 builds exactly the same heap.) */
void loop__heapify(loop *l)
{
    for (size_t i = l->nheap / 2; i-- > 0;)
        timer_siftup(l->heap, l->nheap, i);
}
