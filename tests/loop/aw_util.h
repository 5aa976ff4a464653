/* aw_util.h — coroutines shared by the tests of the combinators and primitives
 * (test_gather.c, test_wait.c, ...), on top of test_host.h.
 *
 * aw_worker is the C form of
 *
 *     async def worker(name, delay, result, fail=False):
 *         print(name, "start")
 *         try:
 *             await asyncio.sleep(delay)
 *         except asyncio.CancelledError:
 *             print(name, "cancelled")
 *             raise
 *         print(name, "done", asyncio.get_running_loop().time())
 *         if fail:
 *             raise ZeroDivisionError("boom")
 *         return result
 *
 * Times print with %g ("done 1" where Python prints "done 1.0"), and the test host's
 * repr of a CancelledError is "asyncio.CancelledError(...)".
 */
#ifndef AW_UTIL_H
#define AW_UTIL_H

#include "loop/test_host.h"

typedef struct wk {
    const char *name;
    double delay;
    long long result;
    int fail;
} wk;

static inline loop_resume aw_worker(tcoro *c, loop_val v, loop_val exc, loop_val *out)
{
    th *h = c->h;
    const wk *w = c->data;
    if (c->pc == 0) {
        th_log(h, "%s start", w->name);
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, w->delay, NULL)), 1, out);
    }
    if (exc) {
        if (tv_is_exc(exc, LOOP_E_CANCELLED))
            th_log(h, "%s cancelled", w->name);
        return th_raise(c, exc, out);
    }
    th_log(h, "%s done %g", w->name, th_now(h));
    if (w->fail)
        return th_raise(c, th_exc(h, TE_ZERO, "boom"), out);
    return th_return(c, th_int(h, w->result), out);
}

static inline loop_val aw_coro(th *h, const wk *w)
{
    return th_coro(h, aw_worker, w->name, (void *)w);
}

static inline loop_task *aw_task(th *h, const wk *w)
{
    return loop_task_new(h->l, aw_coro(h, w), NULL, NULL);
}

static inline loop_val aw_sleep(th *h, double d)
{
    return th_ncoro(h, loop_sleep(h->l, d, NULL));
}

/* A task's outcome as a string: its result's repr, or "raised <exc repr>". */
static inline const char *aw_outcome(th *h, loop_future *f)
{
    static char buf[256];
    loop_val r;
    if (loop_future_result(h->l, f, &r) < 0)
        snprintf(buf, sizeof buf, "raised %s", th_repr(loop_take_error(h->l)));
    else
        snprintf(buf, sizeof buf, "%s", th_repr(r));
    return buf;
}

/* True if the host set `set` holds the future f. */
static inline bool aw_in_set(loop_val set, loop_future *f)
{
    const tv *s = set;
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i]->tag == TV_OBJ && s->items[i]->obj == &f->hdr)
            return true;
    return false;
}

/* "['a', 'c']": the names (in `names` order) of the tasks in `set`. */
static inline const char *aw_names(loop_val set, loop_task **tasks, const char *const *names,
                                   size_t n)
{
    static char bufs[2][128];
    static int k;
    char *b = bufs[k++ & 1];
    size_t len = (size_t)snprintf(b, 128, "[");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!aw_in_set(set, &tasks[i]->fut))
            continue;
        len += (size_t)snprintf(b + len, 128 - len, "%s'%s'", first ? "" : ", ", names[i]);
        first = false;
    }
    snprintf(b + len, 128 - len, "]");
    return b;
}

/* A tracer that records what loop_obj_trace reports. */
typedef struct aw_seen {
    loop_obj *objs[32];
    loop_val vals[32];
    size_t nobjs, nvals;
} aw_seen;

static inline void aw_seen_obj(void *ud, loop_obj *o)
{
    aw_seen *s = ud;
    assert_true(s->nobjs < 32);
    s->objs[s->nobjs++] = o;
}

static inline void aw_seen_val(void *ud, loop_val v)
{
    aw_seen *s = ud;
    assert_true(s->nvals < 32);
    s->vals[s->nvals++] = v;
}

static inline aw_seen aw_trace(loop_obj *o)
{
    aw_seen s = {0};
    loop_tracer t = { &s, aw_seen_val, aw_seen_obj };
    loop_obj_trace(o, &t);
    return s;
}

static inline bool aw_seen_has_obj(const aw_seen *s, const void *o)
{
    for (size_t i = 0; i < s->nobjs; i++)
        if (s->objs[i] == o)
            return true;
    return false;
}

static inline bool aw_seen_has_val(const aw_seen *s, loop_val v)
{
    for (size_t i = 0; i < s->nvals; i++)
        if (s->vals[i] == v)
            return true;
    return false;
}

#endif
