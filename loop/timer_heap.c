/* timer_heap.c — the timer heap, exactly CPython's heapq (Lib/heapq.py and
 * Modules/_heapqmodule.c) with TimerHandle.__lt__ as the only comparison.
 *
 * Equal deadlines are ordered by the shape of the heap, not by insertion: this is
 * what CPython does, so there is deliberately no FIFO sequence number.
 * Invariant: heap[(i - 1) / 2].when <= heap[i].when for every i > 0.
 */
#include "loop_int.h"

/* TimerHandle.__lt__ */
static inline bool lt(const loop__timer *a, const loop__timer *b)
{
    return a->when < b->when;
}

/* heapq._siftdown: move heap[pos] toward the root while it is < its parent. */
static void siftdown(loop__timer *heap, size_t startpos, size_t pos)
{
    loop__timer newitem = heap[pos];
    while (pos > startpos) {
        size_t parentpos = (pos - 1) >> 1;
        if (!lt(&newitem, &heap[parentpos]))
            break;
        heap[pos] = heap[parentpos];
        pos = parentpos;
    }
    heap[pos] = newitem;
}

/* heapq._siftup: move the smaller child up until a leaf (the right child unless
 * left < right), put the item there, then _siftdown it. */
static void siftup(loop__timer *heap, size_t endpos, size_t pos)
{
    size_t startpos = pos;
    loop__timer newitem = heap[pos];
    size_t childpos = 2 * pos + 1;
    while (childpos < endpos) {
        size_t rightpos = childpos + 1;
        if (rightpos < endpos && !lt(&heap[childpos], &heap[rightpos]))
            childpos = rightpos;
        heap[pos] = heap[childpos];
        pos = childpos;
        childpos = 2 * pos + 1;
    }
    heap[pos] = newitem;
    siftdown(heap, startpos, pos);
}

/* heapq.heappush */
void loop__heap_push(loop *l, loop_handle *h)
{
    loop__grow((void **)&l->heap, &l->capheap, l->nheap + 1, sizeof *l->heap);
    l->heap[l->nheap++] = (loop__timer){ h->when, h };
    siftdown(l->heap, 0, l->nheap - 1);
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
    siftup(l->heap, l->nheap, 0);
    return top;
}

/* heapq.heapify: _siftup for i in reversed(range(n // 2)). (_heapqmodule.c's
 * cache-friendly order for n > 2500 builds exactly the same heap.) */
void loop__heapify(loop *l)
{
    for (size_t i = l->nheap / 2; i-- > 0;)
        siftup(l->heap, l->nheap, i);
}
