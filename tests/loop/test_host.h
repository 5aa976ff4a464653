/* test_host.h — a loop_host for the C tests of loop/ (header-only, static functions).
 *
 * Host values are small tagged C structs (`tv`): None, True/False, int, str,
 * exception (error kind + message + cause), list/tuple/set, a callable (C function +
 * closure), a coroutine (a C state machine, `tcoro`), and the wrapper of a loop object.
 * Every value is owned by the `th` (test host) and freed by th_free, so valgrind sees
 * no leak. The loop allocates its own objects (host->alloc == NULL) and frees them in
 * loop_free.
 *
 * Coroutines. A `tcoro` is a struct with a step function called as
 *     loop_resume step(tcoro *c, loop_val value, loop_val exc, loop_val *out)
 * and a program counter `c->pc` (0 on the first send). Inside a step:
 *     return th_await(c, fut, NEXT_PC, out);    - await a loop future
 *     return th_await_coro(c, aw, NEXT_PC, out); - await a coroutine (yield from), e.g.
 *                                                  th_ncoro(h, loop_sleep(l, 1, NULL))
 *     return th_yield(c, NEXT_PC, out);          - a bare yield (sleep(0))
 *     return th_sleep(c, d, NEXT_PC);            - time.sleep(d) in a thread job (th_job)
 *     return th_return(c, value, out);  / th_raise(c, exc, out);
 * At NEXT_PC the step receives the await's outcome: `exc` non-NULL is the exception
 * raised at the await, otherwise `value` is its result. TH_CHECK(c, exc, out) raises
 * it on (propagates it out of the coroutine).
 *
 * Log. th_log(h, fmt, ...) appends an entry; th_expect(h, "a|b|c") asserts the whole
 * sequence (entries joined by '|') and clears it. th_pyfloat(d) formats a float as
 * Python's repr does, th_repr(v) a host value; th_observe(h, mask) logs observer events.
 *
 * Setup. th_setup/th_teardown are cmocka fixtures (*state is the th); th_new_alloc(fn)
 * makes a host whose loop allocates through fn (a collecting host, see test_gc.c).
 * Callbacks: th_cb / th_done_cb wrap a C callable (tv_fn) for call_soon and
 * add_done_callback; th_soon_log / th_later_log schedule a logging callable.
 * Running: th_task, th_run_until, th_run_main (asyncio.run without the teardown).
 */
#ifndef TEST_HOST_H
#define TEST_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loop.h"

/* Every helper is static; unused ones must not warn. */
#define TH_API static __attribute__((unused))

/* Extra exception kinds beyond loop_error_kind. */
enum {
    TE_KEYBOARD = LOOP_E__COUNT + 1,   /* KeyboardInterrupt: aborts a loop run */
    TE_SYSTEMEXIT,                     /* SystemExit */
    TE_ZERO,                           /* ZeroDivisionError */
    TE_OTHER                           /* Exception (anything else) */
};

typedef enum tv_tag {
    TV_NONE, TV_BOOL, TV_INT, TV_STR, TV_EXC, TV_LIST, TV_TUPLE, TV_SET,
    TV_FN, TV_CORO, TV_OBJ, TV_JOB
} tv_tag;

typedef struct th th;
typedef struct tv tv;
typedef struct tcoro tcoro;

/* A C callable: fills *out (or *out = exception and returns -1). */
typedef int (*tv_fn)(th *h, tv *self, size_t n, const loop_val *args, loop_val *out);
typedef loop_resume (*tcoro_fn)(tcoro *c, loop_val value, loop_val exc, loop_val *out);

struct tcoro {
    th *h;
    tcoro_fn step;
    const char *name;
    int pc;
    bool done, started;
    loop_future *awaiting;      /* th_await's future */
    tv *sub;                    /* th_await_coro's coroutine (yield from) */
    void *data;                 /* the test's own state */
    loop_val v[6];              /* locals */
    double sleep_for;           /* th_sleep's duration */
    long n[6];
};

struct tv {
    tv_tag tag;
    unsigned mark;              /* free for a test's own graph walks (test_gc.c) */
    tv *next_alloc;
    long long i;                /* TV_INT, TV_BOOL; TV_EXC: the kind */
    char *s;                    /* TV_STR; TV_EXC: the message (NULL: no args) */
    tv *arg;                    /* TV_EXC: the host-value argument (cancel message) */
    tv *cause;                  /* TV_EXC: __cause__/__context__ */
    size_t n;
    tv **items;                 /* containers; TV_EXC: exception group members */
    tv_fn fn;                   /* TV_FN */
    void *closure;              /* TV_FN */
    tcoro *coro;                /* TV_CORO, TV_JOB */
    loop_obj *obj;              /* TV_OBJ */
};

#define TH_LOG_MAX 8192

struct th {
    loop_host host;
    loop *l;
    tv *values;                 /* every value, for th_free */
    tv none_v, true_v, false_v;
    char log[TH_LOG_MAX];
    size_t loglen;
    int task_names;
    int reports;                /* host->report calls */
    char last_report[256];
    uint64_t event_mask;        /* event kinds logged by th_observe */
};

/* ---- values -------------------------------------------------------------------------- */

TH_API tv *tv_new(th *h, tv_tag tag)
{
    tv *v = calloc(1, sizeof *v);
    assert_non_null(v);
    v->tag = tag;
    v->next_alloc = h->values;
    h->values = v;
    return v;
}

TH_API tv *th_int(th *h, long long i)
{
    tv *v = tv_new(h, TV_INT);
    v->i = i;
    return v;
}

TH_API tv *th_str(th *h, const char *s)
{
    tv *v = tv_new(h, TV_STR);
    v->s = strdup(s);
    return v;
}

TH_API const char *th_exc_type(long long kind)
{
    static const char *const names[] = {
#define TH_ERR_NAME(k, name) name,
        LOOP_ERROR_LIST(TH_ERR_NAME)
#undef TH_ERR_NAME
    };
    if (kind >= 0 && kind < LOOP_E__COUNT)
        return names[kind];
    switch (kind) {
    case TE_KEYBOARD: return "KeyboardInterrupt";
    case TE_SYSTEMEXIT: return "SystemExit";
    case TE_ZERO: return "ZeroDivisionError";
    default: return "Exception";
    }
}

/* An exception of `kind` (a loop_error_kind or TE_*) with message msg (NULL: none). */
TH_API tv *th_exc(th *h, int kind, const char *msg)
{
    tv *v = tv_new(h, TV_EXC);
    v->i = kind;
    v->s = msg ? strdup(msg) : NULL;
    return v;
}

TH_API tv *th_container(th *h, tv_tag tag, size_t n, const loop_val *items)
{
    tv *v = tv_new(h, tag);
    v->n = n;
    v->items = calloc(n ? n : 1, sizeof *v->items);
    for (size_t i = 0; i < n; i++)
        v->items[i] = items[i];
    return v;
}

TH_API tv *th_fn(th *h, tv_fn fn, void *closure)
{
    tv *v = tv_new(h, TV_FN);
    v->fn = fn;
    v->closure = closure;
    return v;
}

TH_API tv *th_wrap(th *h, loop_obj *o)
{
    tv *v = tv_new(h, TV_OBJ);
    v->obj = o;
    return v;
}

/* A native coroutine of the loop as a host coroutine value (what `asyncio.sleep(1)`
 * evaluates to). */
TH_API tv *th_ncoro(th *h, loop_ncoro *c)
{
    return th_wrap(h, &c->hdr);
}

TH_API bool tv_is_exc(loop_val v, int kind)
{
    const tv *x = v;
    return x && x->tag == TV_EXC && x->i == kind;
}

/* Writes repr(v) into buf. */
TH_API void th_repr_buf(const tv *v, char *buf, size_t cap)
{
    if (!v) {
        snprintf(buf, cap, "NULL");
        return;
    }
    switch (v->tag) {
    case TV_NONE: snprintf(buf, cap, "None"); break;
    case TV_BOOL: snprintf(buf, cap, v->i ? "True" : "False"); break;
    case TV_INT: snprintf(buf, cap, "%lld", v->i); break;
    case TV_STR: snprintf(buf, cap, "'%s'", v->s); break;
    case TV_EXC: snprintf(buf, cap, "%s(%s%s%s)", th_exc_type(v->i), v->s ? "'" : "",
                          v->s ? v->s : "", v->s ? "'" : ""); break;
    case TV_FN: snprintf(buf, cap, "<fn>"); break;
    case TV_CORO: case TV_JOB:
        snprintf(buf, cap, "<coroutine %s>", v->coro->name ? v->coro->name : "?"); break;
    case TV_OBJ: snprintf(buf, cap, "<obj %d #%llu>", v->obj->kind,
                          (unsigned long long)v->obj->id); break;
    default: {
        size_t k = (size_t)snprintf(buf, cap, "%c", v->tag == TV_LIST ? '[' : v->tag == TV_SET ? '{' : '(');
        for (size_t i = 0; i < v->n && k < cap; i++) {
            if (i)
                k += (size_t)snprintf(buf + k, cap - k, ", ");
            if (k < cap)
                th_repr_buf(v->items[i], buf + k, cap - k);
            k = strlen(buf);
        }
        if (k < cap)
            snprintf(buf + k, cap - k, "%c", v->tag == TV_LIST ? ']' : v->tag == TV_SET ? '}' : ')');
        break;
    }
    }
}

/* repr(v) in a rotating static buffer (for logs). */
TH_API const char *th_repr(loop_val v)
{
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ & 3];
    th_repr_buf(v, b, 512);
    return b;
}

/* Python's repr of a float (shortest round-trip form, ".0" for integral values),
 * in a rotating static buffer. */
TH_API const char *th_pyfloat(double d)
{
    static char bufs[8][48];
    static int k;
    char *b = bufs[k++ & 7];
    int p = 1;
    for (; p < 17; p++) {               /* the fewest digits that round-trip */
        snprintf(b, 48, "%.*e", p - 1, d);
        if (strtod(b, NULL) == d)
            break;
    }
    int x = atoi(strchr(b, 'e') + 1);  /* the decimal exponent */
    if (d == 0 || (x >= -4 && x < 16)) {
        int decimals = p - 1 - x;
        snprintf(b, 48, "%.*f", decimals > 0 ? decimals : 0, d);
        if (!strchr(b, '.'))
            strcat(b, ".0");
    }
    return b;
}

/* ---- log ------------------------------------------------------------------------------ */

TH_API void th_log(th *h, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t n = strlen(buf);
    assert_true(h->loglen + n + 2 < TH_LOG_MAX);
    if (h->loglen)
        h->log[h->loglen++] = '|';
    memcpy(h->log + h->loglen, buf, n + 1);
    h->loglen += n;
}

/* Asserts the log is exactly `expected` ("a|b|c") and clears it. */
TH_API void th_expect(th *h, const char *expected)
{
    assert_string_equal(h->log, expected);
    h->loglen = 0;
    h->log[0] = 0;
}

/* ---- coroutines ------------------------------------------------------------------------- */

TH_API tv *th_coro(th *h, tcoro_fn step, const char *name, void *data)
{
    tv *v = tv_new(h, TV_CORO);
    v->coro = calloc(1, sizeof *v->coro);
    v->coro->h = h;
    v->coro->step = step;
    v->coro->name = name;
    v->coro->data = data;
    return v;
}

/* A virtual-thread job: a tcoro whose step may return LOOP_SLEPT (th_sleep). */
TH_API tv *th_job(th *h, tcoro_fn step, const char *name, void *data)
{
    tv *v = th_coro(h, step, name, data);
    v->tag = TV_JOB;
    return v;
}

TH_API loop_resume th_return(tcoro *c, loop_val v, loop_val *out)
{
    *out = v ? v : &c->h->none_v;
    return LOOP_RETURNED;
}

TH_API loop_resume th_raise(tcoro *c, loop_val exc, loop_val *out)
{
    (void)c;
    *out = exc;
    return LOOP_RAISED;
}

/* Raise at the await point's exception, if any. */
#define TH_CHECK(c, exc, out)                 \
    do {                                      \
        if (exc)                              \
            return th_raise((c), (exc), (out)); \
    } while (0)

TH_API loop_resume th_resume_coro(th *h, tcoro *c, loop_val value, loop_val exc,
                                  loop_val *out, double *sleep_for);

/* `await fut` (Future.__await__): yields the future if pending, else continues at
 * `next` at once with its result. */
TH_API loop_resume th_await(tcoro *c, loop_future *f, int next, loop_val *out)
{
    c->awaiting = f;
    c->pc = next;
    if (!loop_future_done(f)) {
        f->blocking = true;
        *out = th_wrap(c->h, &f->hdr);
        return LOOP_YIELDED;
    }
    c->awaiting = NULL;
    loop_val r = NULL;
    if (loop_future_result(c->h->l, f, &r) < 0)
        return c->step(c, NULL, loop_take_error(c->h->l), out);
    return c->step(c, r, NULL, out);
}

/* `await aw` on a coroutine value (yield from): continues at `next` with its result. */
TH_API loop_resume th_await_coro(tcoro *c, loop_val aw, int next, loop_val *out)
{
    c->sub = aw;
    c->pc = next;
    return th_resume_coro(c->h, c, NULL, NULL, out, NULL);
}

/* A bare `yield` (what asyncio.sleep(0) does); continues at `next`. */
TH_API loop_resume th_yield(tcoro *c, int next, loop_val *out)
{
    c->pc = next;
    *out = &c->h->none_v;
    return LOOP_YIELDED;
}

/* In a virtual-thread job: time.sleep(d); continues at `next`. */
TH_API loop_resume th_sleep(tcoro *c, double d, int next)
{
    c->pc = next;
    c->sleep_for = d;
    return LOOP_SLEPT;
}

TH_API loop_resume th_resume_val(th *h, loop_val coro, loop_val value, loop_val exc,
                                 loop_val *out, double *sleep_for);

/* One resumption of a tcoro: first the awaited future or sub-coroutine it delegates
 * to, then its own step. */
TH_API loop_resume th_resume_coro(th *h, tcoro *c, loop_val value, loop_val exc,
                                  loop_val *out, double *sleep_for)
{
    if (c->done) {
        *out = th_exc(h, LOOP_E_RUNTIME, "cannot reuse already awaited coroutine");
        return LOOP_RAISED;
    }
    c->started = true;
    loop_resume r;
    if (c->sub) {
        loop_val sv = c->sub;
        r = th_resume_val(h, sv, value, exc, out, sleep_for);
        if (r == LOOP_YIELDED || r == LOOP_SLEPT)
            return r;
        c->sub = NULL;
        r = r == LOOP_RETURNED ? c->step(c, *out, NULL, out) : c->step(c, NULL, *out, out);
    } else if (c->awaiting) {
        loop_future *f = c->awaiting;
        c->awaiting = NULL;
        loop_val res = NULL;
        if (exc)
            r = c->step(c, NULL, exc, out);
        else if (!loop_future_done(f))
            r = c->step(c, NULL, th_exc(h, LOOP_E_RUNTIME, "await wasn't used with future"), out);
        else if (loop_future_result(h->l, f, &res) < 0)
            r = c->step(c, NULL, loop_take_error(h->l), out);
        else
            r = c->step(c, res, NULL, out);
    } else {
        if (c->pc == 0 && exc) {     /* throw into a coroutine not started: raises at once */
            c->done = true;
            *out = exc;
            return LOOP_RAISED;
        }
        r = c->step(c, value, exc, out);
    }
    if (r == LOOP_RETURNED || r == LOOP_RAISED)
        c->done = true;
    if (r == LOOP_SLEPT && sleep_for)
        *sleep_for = c->sleep_for;
    return r;
}

TH_API loop_resume th_resume_val(th *h, loop_val coro, loop_val value, loop_val exc,
                                 loop_val *out, double *sleep_for)
{
    tv *v = coro;
    if (v->tag == TV_CORO || v->tag == TV_JOB)
        return th_resume_coro(h, v->coro, value, exc, out, sleep_for);
    if (v->tag == TV_OBJ && v->obj->kind == LOOP_K_NCORO)
        return loop_ncoro_resume(h->l, (loop_ncoro *)v->obj, value, exc, out);
    if (v->tag == TV_OBJ && (v->obj->kind == LOOP_K_FUTURE || v->obj->kind == LOOP_K_TASK)) {
        /* yield from a future object: Future.__await__ as a one-shot generator */
        loop_future *f = (loop_future *)v->obj;
        if (exc) {
            *out = exc;
            return LOOP_RAISED;
        }
        if (!loop_future_done(f)) {
            f->blocking = true;
            *out = v;
            return LOOP_YIELDED;
        }
        if (loop_future_result(h->l, f, out) < 0) {
            *out = loop_take_error(h->l);
            return LOOP_RAISED;
        }
        return LOOP_RETURNED;
    }
    *out = th_exc(h, LOOP_E_TYPE, "object is not awaitable");
    return LOOP_RAISED;
}

/* ---- the loop_host functions ---------------------------------------------------------------- */

TH_API loop_val th_h_new_error(void *ud, loop_error_kind kind, const char *msg, loop_val arg)
{
    th *h = ud;
    tv *e = th_exc(h, kind, msg);
    if (arg && !msg) {
        e->arg = arg;
        tv *a = arg;
        if (a->tag == TV_STR)
            e->s = strdup(a->s);
    }
    return e;
}

TH_API bool th_h_is_error(void *ud, loop_val exc, loop_error_kind kind)
{
    const tv *e = exc;
    if (!e || e->tag != TV_EXC)
        return false;
    if (kind == LOOP_E__COUNT)
        return e->i == TE_KEYBOARD || e->i == TE_SYSTEMEXIT;
    return e->i == (long long)kind;
}

TH_API loop_resume th_h_resume(void *ud, loop_val coro, loop_val value, loop_val exc,
                               loop_val *out, double *sleep_for)
{
    return th_resume_val(ud, coro, value, exc, out, sleep_for);
}

TH_API void th_h_close_coro(void *ud, loop_val coro)
{
    th *h = ud;
    tv *v = coro;
    if (v->tag == TV_OBJ && v->obj->kind == LOOP_K_NCORO) {
        loop_ncoro_close(h->l, (loop_ncoro *)v->obj);
        return;
    }
    if (v->tag == TV_CORO || v->tag == TV_JOB) {
        if (v->coro->sub)
            th_h_close_coro(ud, v->coro->sub);
        v->coro->done = true;
    }
}

TH_API loop_future *th_h_as_future(void *ud, loop_val v)
{
    const tv *x = v;
    if (x && x->tag == TV_OBJ &&
        (x->obj->kind == LOOP_K_FUTURE || x->obj->kind == LOOP_K_TASK))
        return (loop_future *)x->obj;
    return NULL;
}

TH_API loop_val th_h_wrap(void *ud, loop_obj *o)
{
    return th_wrap(ud, o);
}

TH_API loop_future *th_h_ensure_future(void *ud, loop *l, loop_val v)
{
    tv *x = v;
    loop_future *f = th_h_as_future(ud, v);
    if (f)
        return f;
    if (x->tag == TV_CORO || (x->tag == TV_OBJ && x->obj->kind == LOOP_K_NCORO))
        return &loop_task_new(l, v, NULL, NULL)->fut;
    loop_set_error(l, LOOP_E_TYPE, "An asyncio.Future, a coroutine or an awaitable is required");
    return NULL;
}

TH_API int th_h_call(void *ud, loop_val fn, size_t n, const loop_val *args, loop_val *out)
{
    th *h = ud;
    tv *f = fn;
    assert_int_equal(f->tag, TV_FN);
    *out = &h->none_v;
    return f->fn(h, f, n, args, out);
}

TH_API bool th_h_eq(void *ud, loop_val a, loop_val b)
{
    const tv *x = a, *y = b;
    if (x == y)
        return true;
    if (!x || !y || x->tag != y->tag)
        return false;
    switch (x->tag) {
    case TV_INT: case TV_BOOL: return x->i == y->i;
    case TV_STR: return strcmp(x->s, y->s) == 0;
    case TV_OBJ: return x->obj == y->obj;
    case TV_FN: return x->fn == y->fn && x->closure == y->closure;
    default: return false;
    }
}

TH_API int th_h_less(void *ud, loop_val a, loop_val b, loop_val *exc)
{
    const tv *x = a, *y = b;
    if (x->tag == TV_INT && y->tag == TV_INT)
        return x->i < y->i;
    if (x->tag == TV_STR && y->tag == TV_STR)
        return strcmp(x->s, y->s) < 0;
    if ((x->tag == TV_TUPLE || x->tag == TV_LIST) && x->tag == y->tag) {
        for (size_t i = 0; i < x->n && i < y->n; i++) {
            if (th_h_eq(ud, x->items[i], y->items[i]))
                continue;
            return th_h_less(ud, x->items[i], y->items[i], exc);
        }
        return x->n < y->n;
    }
    *exc = th_exc(ud, LOOP_E_TYPE, "'<' not supported");
    return -1;
}

TH_API loop_val th_h_make_list(void *ud, size_t n, const loop_val *items)
{
    return th_container(ud, TV_LIST, n, items);
}

TH_API loop_val th_h_make_set(void *ud, size_t n, const loop_val *items)
{
    return th_container(ud, TV_SET, n, items);
}

TH_API loop_val th_h_make_tuple(void *ud, size_t n, const loop_val *items)
{
    return th_container(ud, TV_TUPLE, n, items);
}

TH_API loop_val th_h_make_group(void *ud, const char *msg, size_t n, const loop_val *excs)
{
    tv *g = th_container(ud, TV_LIST, n, excs);
    g->tag = TV_EXC;
    g->i = TE_OTHER;
    g->s = strdup(msg);
    return g;
}

TH_API void th_h_set_cause(void *ud, loop_val exc, loop_val cause)
{
    ((tv *)exc)->cause = cause;
}

TH_API loop_val th_h_task_name(void *ud)
{
    th *h = ud;
    char buf[32];
    snprintf(buf, sizeof buf, "Task-%d", ++h->task_names);
    return th_str(h, buf);
}

TH_API void th_h_report(void *ud, loop *l, const char *message, loop_val exc, loop_obj *where)
{
    th *h = ud;
    h->reports++;
    snprintf(h->last_report, sizeof h->last_report, "%s: %s", message, th_repr(exc));
}

TH_API void th_h_repr(void *ud, loop_val v, char *buf, size_t cap)
{
    th_repr_buf(v, buf, cap);
}

/* ---- setup -------------------------------------------------------------------------------- */

/* A test host whose loop allocates through `alloc` (a collecting host, see
 * test_gc.c), or mallocs its objects itself when alloc is NULL. */
TH_API th *th_new_alloc(void *(*alloc)(void *ud, loop_kind kind, size_t size))
{
    th *h = calloc(1, sizeof *h);
    assert_non_null(h);
    h->none_v.tag = TV_NONE;
    h->true_v.tag = TV_BOOL;
    h->true_v.i = 1;
    h->false_v.tag = TV_BOOL;
    loop_host *o = &h->host;
    o->ud = h;
    o->none = &h->none_v;
    o->true_val = &h->true_v;
    o->false_val = &h->false_v;
    o->alloc = alloc;
    o->new_error = th_h_new_error;
    o->is_error = th_h_is_error;
    o->resume = th_h_resume;
    o->close_coro = th_h_close_coro;
    o->as_future = th_h_as_future;
    o->wrap = th_h_wrap;
    o->ensure_future = th_h_ensure_future;
    o->call = th_h_call;
    o->eq = th_h_eq;
    o->less = th_h_less;
    o->make_list = th_h_make_list;
    o->make_set = th_h_make_set;
    o->make_tuple = th_h_make_tuple;
    o->make_exception_group = th_h_make_group;
    o->set_cause = th_h_set_cause;
    o->task_name = th_h_task_name;
    o->report = th_h_report;
    o->repr = th_h_repr;
    h->l = loop_new(o);
    assert_non_null(h->l);
    return h;
}

TH_API th *th_new(void)
{
    return th_new_alloc(NULL);
}

TH_API void th_free(th *h)
{
    loop_free(h->l);
    for (tv *v = h->values, *next; v; v = next) {
        next = v->next_alloc;
        free(v->s);
        free(v->items);
        free(v->coro);
        free(v);
    }
    free(h);
}

/* cmocka fixtures: *state is the th. */
TH_API int th_setup(void **state)
{
    *state = th_new();
    return 0;
}

TH_API int th_teardown(void **state)
{
    th_free(*state);
    return 0;
}

/* ---- callbacks ---------------------------------------------------------------------------- */

/* The host's trampoline: calls the callable h->cb.val with the argument tuple
 * h->cb.val2 (or, for a done-callback, with the future); an exception is reported
 * (call_exception_handler) unless it is KeyboardInterrupt/SystemExit, which aborts. */
TH_API int th_trampoline(loop *l, loop_handle *hd)
{
    th *h = loop_get_host(l)->ud;
    tv *args = hd->cb.val2;
    loop_val out, one[1];
    size_t n = 0;
    const loop_val *argv = NULL;
    if (args) {
        n = args->n;
        argv = (const loop_val *)args->items;
    } else if (hd->arg) {
        one[0] = th_wrap(h, hd->arg);
        n = 1;
        argv = one;
    }
    if (th_h_call(h, hd->cb.val, n, argv, &out) < 0) {
        if (th_h_is_error(h, out, LOOP_E__COUNT)) {
            loop_set_error_val(l, out);
            return -1;
        }
        th_h_report(h, l, "Exception in callback", out, &hd->hdr);
    }
    return 0;
}

/* A loop_callback calling the C callable fn(h, self, args...) with one argument (NULL: none). */
TH_API loop_callback th_cb(th *h, tv_fn fn, void *closure, loop_val arg)
{
    loop_callback cb = {0};
    cb.fn = th_trampoline;
    cb.val = th_fn(h, fn, closure);
    cb.val2 = arg ? th_container(h, TV_TUPLE, 1, &arg) : th_container(h, TV_TUPLE, 0, NULL);
    return cb;
}

/* A done-callback calling fn(h, self, future). */
TH_API loop_callback th_done_cb(th *h, tv_fn fn, void *closure)
{
    loop_callback cb = {0};
    cb.fn = th_trampoline;
    cb.val = th_fn(h, fn, closure);
    return cb;
}

/* A callable that logs its closure (a C string) and its first argument if it is a str/int. */
TH_API int th_fn_log(th *h, tv *self, size_t n, const loop_val *args, loop_val *out)
{
    const tv *a = n ? args[0] : NULL;
    if (a && a->tag == TV_STR)
        th_log(h, "%s:%s", (const char *)self->closure, a->s);
    else if (a && a->tag == TV_INT)
        th_log(h, "%s:%lld", (const char *)self->closure, a->i);
    else
        th_log(h, "%s", (const char *)self->closure);
    return 0;
}

/* call_soon(log, name). */
TH_API loop_handle *th_soon_log(th *h, const char *name)
{
    loop_callback cb = th_cb(h, th_fn_log, (void *)name, NULL);
    return loop_call_soon(h->l, &cb);
}

TH_API loop_handle *th_later_log(th *h, double delay, const char *name)
{
    loop_callback cb = th_cb(h, th_fn_log, (void *)name, NULL);
    return loop_call_later(h->l, delay, &cb);
}

/* ---- running ---------------------------------------------------------------------------------- */

/* create_task(coro) on a tcoro step function. */
TH_API loop_task *th_task(th *h, tcoro_fn step, const char *name, void *data)
{
    return loop_task_new(h->l, th_coro(h, step, name, data), NULL, NULL);
}

/* run_until_complete(f); returns the status; the result (or exception) in *res. */
TH_API loop_status th_run_until(th *h, loop_future *f, loop_val *res)
{
    loop_status st = loop_run_until_complete(h->l, f);
    loop_val r = NULL;
    if (st == LOOP_OK && loop_future_result(h->l, f, &r) < 0)
        r = loop_take_error(h->l);
    else if (st == LOOP_ERROR)
        r = loop_take_error(h->l);
    if (res)
        *res = r;
    return st;
}

/* asyncio.run(main) roughly: runs the task to completion and asserts LOOP_OK. */
TH_API loop_val th_run_main(th *h, tcoro_fn step, void *data)
{
    loop_task *t = th_task(h, step, "main", data);
    loop_val res = NULL;
    assert_int_equal(th_run_until(h, &t->fut, &res), LOOP_OK);
    return res;
}

/* "t=<loop.time()>" as %g for logs. */
TH_API double th_now(th *h)
{
    return loop_time(h->l);
}

/* ---- observer log ------------------------------------------------------------------------------ */

TH_API void th_observer(void *ud, const loop_event *ev)
{
    th *h = ud;
    if (!(h->event_mask & (1ull << ev->kind)))
        return;
    if (ev->kind == LOOP_EV_CLOCK_ADVANCE)
        th_log(h, "%s:%g", loop_event_name(ev->kind), ev->when);
    else if (ev->subject)
        th_log(h, "%s#%llu", loop_event_name(ev->kind), (unsigned long long)ev->subject->id);
    else
        th_log(h, "%s", loop_event_name(ev->kind));
}

/* Log the observer events of the kinds in mask (bits 1 << LOOP_EV_x). */
TH_API void th_observe(th *h, uint64_t mask)
{
    h->event_mask = mask;
    loop_set_observer(h->l, mask ? th_observer : NULL, h);
}

#endif
