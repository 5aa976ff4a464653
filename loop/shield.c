/* shield.c — asyncio.shield (mirrors tasks.shield).
 *
 * No state block: the two closures are done-callbacks whose objects are the other
 * future (_inner_done_callback on inner holds outer, _outer_done_callback on outer
 * holds inner), which is all CPython's closures capture. */
#include "sync_int.h"

/* mirrors shield's _inner_done_callback: h->cb.obj outer, h->arg inner */
static int inner_done(loop *l, loop_handle *h)
{
    loop_future *outer = (loop_future *)h->cb.obj;
    loop_future *inner = (loop_future *)h->arg;
    loop_val exc;
    if (loop_future_cancelled(outer)) {
        if (!loop_future_cancelled(inner))
            loop_future_exception(l, inner, &exc);      /* mark it retrieved */
        return 0;
    }
    if (loop_future_cancelled(inner)) {
        loop_future_cancel(l, outer, NULL);
        return 0;
    }
    loop_future_exception(l, inner, &exc);
    if (exc != l->host.none)
        loop_future_set_exception(l, outer, exc);
    else
        loop_future_set_result(l, outer, inner->result);
    return 0;
}

/* mirrors shield's _outer_done_callback: h->cb.obj inner */
static int outer_done(loop *l, loop_handle *h)
{
    loop_future *inner = (loop_future *)h->cb.obj;
    loop_future *outer = (loop_future *)h->arg;
    if (!loop_future_done(inner))
        loop_future_remove_callback(l, inner, inner_done, &outer->hdr, NULL);
    return 0;
}

/* 1: fn is shield's _inner_done_callback, 2: its _outer_done_callback, else 0 (for reprs) */
int loop_shield_callback_kind(loop_cb fn)
{
    return fn == inner_done ? 1 : fn == outer_done ? 2 : 0;
}

/* mirrors tasks.shield; NULL with the error set if aw is not awaitable */
loop_future *loop_shield(loop *l, loop_val aw)
{
    loop_future *inner = l->host.ensure_future(l->host.ud, l, aw);
    if (inner == NULL || loop_future_done(inner))
        return inner;                                   /* the shortcut */
    loop_pin(l, &inner->hdr);
    loop_future *outer = loop__future_new_origin(l, "shield");
    loop__add_done(l, inner, inner_done, &outer->hdr, NULL);
    loop__add_done(l, outer, outer_done, &inner->hdr, NULL);
    loop_unpin(l, 1);
    return outer;
}
