/* heapq.h — CPython's heapq sift rules (Lib/heapq.py, Modules/_heapqmodule.c) for an
 * array of structs ordered by a `when` field, with `a.when < b.when` as the only
 * comparison (TimerHandle.__lt__). Equal deadlines are ordered by the heap's shape,
 * never by insertion.
 *
 * One definition serves the loop's timer heap (loop/timer_heap.c) and the viewer's
 * replay of it from a trace (viz/heap.c), so the two cannot drift apart.
 * LOOP_HEAPQ_DEFINE(prefix, T) defines static prefix_siftdown / prefix_siftup over T.
 * Invariant they keep: heap[(i - 1) / 2].when <= heap[i].when for every i > 0.
 */
#ifndef LOOP_HEAPQ_H
#define LOOP_HEAPQ_H

#include <stddef.h>

#define LOOP_HEAPQ_DEFINE(prefix, T)                                                    \
    /* heapq._siftdown: move heap[pos] toward the root while it is < its parent. */    \
    static inline void prefix##_siftdown(T *heap, size_t startpos, size_t pos)          \
    {                                                                                   \
        T newitem = heap[pos];                                                          \
        while (pos > startpos) {                                                        \
            size_t parentpos = (pos - 1) >> 1;                                          \
            if (!(newitem.when < heap[parentpos].when))                                 \
                break;                                                                  \
            heap[pos] = heap[parentpos];                                                \
            pos = parentpos;                                                            \
        }                                                                               \
        heap[pos] = newitem;                                                            \
    }                                                                                   \
    /* heapq._siftup: move the smaller child up until a leaf (the right child unless   \
     * left < right), put the item there, then _siftdown it. */                         \
    static inline void prefix##_siftup(T *heap, size_t endpos, size_t pos)              \
    {                                                                                   \
        size_t startpos = pos;                                                          \
        T newitem = heap[pos];                                                          \
        size_t childpos = 2 * pos + 1;                                                  \
        while (childpos < endpos) {                                                     \
            size_t rightpos = childpos + 1;                                             \
            if (rightpos < endpos && !(heap[childpos].when < heap[rightpos].when))      \
                childpos = rightpos;                                                    \
            heap[pos] = heap[childpos];                                                 \
            pos = childpos;                                                             \
            childpos = 2 * pos + 1;                                                     \
        }                                                                               \
        heap[pos] = newitem;                                                            \
        prefix##_siftdown(heap, startpos, pos);                                         \
    }

#endif
