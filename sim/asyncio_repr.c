/* asyncio_repr.c — reprs exactly as CPython 3.11 writes them: futures and tasks
 * (base_futures._future_repr_info, base_tasks._task_repr_info), handles
 * (events.Handle._repr_info), callbacks (format_helpers._format_callback_source),
 * coroutines (coroutines._format_coroutine), reprlib.repr for results and
 * arguments, and the deadlock report of pending tasks. */
#include <stdlib.h>
#include <string.h>

#include "asyncio_int.h"
#include "code.h"

/* ---- reprlib.repr ------------------------------------------------------------------- */

static int rl_repr(aio_state *st, pyfmt_buf *b, sim_obj *x, int level);

/* Appends s, or its first i and last j code points around '...' when it has more
 * than max code points (reprlib's shortening of a repr). */
static void rl_shorten(pyfmt_buf *b, const char *s, size_t len, size_t max)
{
    size_t n = pyfmt_utf8_len(s, len);
    if (n <= max) {
        pyfmt_buf_append(b, s, len);
        return;
    }
    size_t i = (max - 3) / 2, j = max - 3 - i;
    /* byte offsets of code point i and of code point n - j */
    size_t bi = 0, cp = 0;
    while (bi < len && cp < i) {
        bi++;
        while (bi < len && ((unsigned char)s[bi] & 0xC0) == 0x80)
            bi++;
        cp++;
    }
    size_t bj = bi;
    while (bj < len && cp < n - j) {
        bj++;
        while (bj < len && ((unsigned char)s[bj] & 0xC0) == 0x80)
            bj++;
        cp++;
    }
    pyfmt_buf_append(b, s, bi);
    pyfmt_buf_puts(b, "...");
    pyfmt_buf_append(b, s + bj, len - bj);
}

static int rl_plain(aio_state *st, pyfmt_buf *b, sim_obj *x, size_t max)
{
    sim_obj *r = sim_repr(st->vm, x);
    if (!r)
        return -1;
    rl_shorten(b, SIM_CSTR(r), SIM_STR(r)->len, max);
    return 0;
}

/* Byte offset of code point i of s (len bytes). */
static size_t cp_off(const char *s, size_t len, size_t i)
{
    size_t b = 0;
    while (b < len && i > 0) {
        b++;
        while (b < len && ((unsigned char)s[b] & 0xC0) == 0x80)
            b++;
        i--;
    }
    return b;
}

/* Repr.repr_str: s = repr(x[:30]); when longer than 30, repr(x[:13] + x[-14:]) cut
 * to its first 13 and last 14 code points around '...'. */
static int rl_str(aio_state *st, pyfmt_buf *b, sim_obj *x)
{
    sim_vm *vm = st->vm;
    sim_strobj *s = SIM_STR(x);
    sim_obj *head = sim_str_new(vm, s->data, cp_off(s->data, s->len, 30));
    if (!head)
        return -1;
    sim_push(vm, head);
    sim_obj *r = sim_repr(vm, head);
    sim_pop(vm, 1);
    if (!r)
        return -1;
    if (SIM_STR(r)->nchars <= 30) {
        pyfmt_buf_append(b, SIM_CSTR(r), SIM_STR(r)->len);
        return 0;
    }
    size_t n = s->nchars, j = 14;
    size_t i_off = cp_off(s->data, s->len, 13);
    size_t j_off = cp_off(s->data, s->len, n > j ? n - j : 0);
    pyfmt_buf joined;
    pyfmt_buf_init(&joined);
    pyfmt_buf_append(&joined, s->data, i_off);
    pyfmt_buf_append(&joined, s->data + j_off, s->len - j_off);
    sim_obj *js = sim_str_new(vm, joined.data ? joined.data : "", joined.len);
    pyfmt_buf_free(&joined);
    if (!js)
        return -1;
    sim_push(vm, js);
    r = sim_repr(vm, js);
    sim_pop(vm, 1);
    if (!r)
        return -1;
    sim_strobj *rs = SIM_STR(r);
    size_t a13 = cp_off(rs->data, rs->len, 13);
    size_t b14 = cp_off(rs->data, rs->len, rs->nchars > 14 ? rs->nchars - 14 : 0);
    pyfmt_buf_append(b, rs->data, a13);
    pyfmt_buf_puts(b, "...");
    pyfmt_buf_append(b, rs->data + b14, rs->len - b14);
    return 0;
}

static int rl_items(aio_state *st, pyfmt_buf *b, sim_obj **items, size_t n, int level, const char *left,
                    const char *right, size_t maxiter, const char *trail)
{
    pyfmt_buf_puts(b, left);
    if (level <= 0 && n) {
        pyfmt_buf_puts(b, "...");
    } else {
        for (size_t i = 0; i < n && i < maxiter; i++) {
            if (i)
                pyfmt_buf_puts(b, ", ");
            if (rl_repr(st, b, items[i], level - 1) < 0)
                return -1;
        }
        if (n > maxiter)
            pyfmt_buf_puts(b, ", ...");
        if (n == 1 && trail)
            pyfmt_buf_puts(b, trail);
    }
    pyfmt_buf_puts(b, right);
    return 0;
}

static int rl_repr(aio_state *st, pyfmt_buf *b, sim_obj *x, int level)
{
    sim_vm *vm = st->vm;
    sim_type *t = x->type;
    if (t == vm->types[SIM_T_str])
        return rl_str(st, b, x);
    if (t == vm->types[SIM_T_int])
        return rl_plain(st, b, x, 40);
    if (t == vm->types[SIM_T_list])
        return rl_items(st, b, SIM_LIST(x)->items, SIM_LIST(x)->len, level, "[", "]", 6, NULL);
    if (t == vm->types[SIM_T_tuple])
        return rl_items(st, b, SIM_TUPLE(x)->items, SIM_TUPLE(x)->len, level, "(", ")", 6, ",");
    if (t == vm->types[SIM_T_dict]) {
        sim_dict *d = SIM_DICT(x);
        if (d->used == 0) {
            pyfmt_buf_puts(b, "{}");
            return 0;
        }
        if (level <= 0) {
            pyfmt_buf_puts(b, "{...}");
            return 0;
        }
        /* reprlib sorts the keys when it can; the insertion order otherwise */
        sim_obj *keys = sim_list_new(vm, 0, NULL);
        sim_push(vm, keys);
        size_t pos = 0;
        sim_obj *k, *v;
        while (sim_dict_next(x, &pos, &k, &v))
            sim_list_append(vm, keys, k);
        if (sim__list_sort(vm, keys, NULL, false) < 0)
            sim_exc_fetch(vm);
        pyfmt_buf_puts(b, "{");
        size_t n = SIM_LIST(keys)->len;
        for (size_t i = 0; i < n && i < 4; i++) {
            if (i)
                pyfmt_buf_puts(b, ", ");
            sim_obj *key = SIM_LIST(keys)->items[i], *val = NULL;
            sim_dict_get(vm, x, key, &val);
            if (rl_repr(st, b, key, level - 1) < 0 || (pyfmt_buf_puts(b, ": "), 0) ||
                rl_repr(st, b, val ? val : vm->none, level - 1) < 0) {
                sim_pop(vm, 1);
                return -1;
            }
        }
        if (n > 4)
            pyfmt_buf_puts(b, ", ...");
        pyfmt_buf_puts(b, "}");
        sim_pop(vm, 1);
        return 0;
    }
    if (t == vm->types[SIM_T_set]) {
        if (SIM_DICT(x)->used == 0) {
            pyfmt_buf_puts(b, "set()");
            return 0;
        }
        sim_obj *l = sim_list_of(vm, x);
        if (!l)
            return -1;
        sim_push(vm, l);
        if (sim__list_sort(vm, l, NULL, false) < 0)
            sim_exc_fetch(vm);
        int r = rl_items(st, b, SIM_LIST(l)->items, SIM_LIST(l)->len, level, "{", "}", 6, NULL);
        sim_pop(vm, 1);
        return r;
    }
    return rl_plain(st, b, x, 30);
}

/* reprlib.repr(x) appended to b. */
static int reprlib_repr(aio_state *st, pyfmt_buf *b, sim_obj *x)
{
    return rl_repr(st, b, x, 6);
}

/* ---- callbacks ------------------------------------------------------------------------- */

/* (filename, firstline) of a Python function after unwrapping partials. */
static bool function_source(aio_state *st, sim_obj *fn, const char **file, int *line)
{
    while (SIM_KIND(fn) == SIM_K_PARTIAL)
        fn = ((sim_partial *)fn)->func;
    if (SIM_KIND(fn) != SIM_K_FUNCTION)
        return false;
    sim_codeobj *co = (sim_codeobj *)((sim_func *)fn)->code;
    *file = SIM_CSTR(co->filename);
    *line = co->code->firstline;
    return true;
}

static int format_args(aio_state *st, pyfmt_buf *b, sim_obj *args, sim_obj *kw)
{
    sim_vm *vm = st->vm;
    pyfmt_buf_puts(b, "(");
    bool first = true;
    if (args && SIM_IS_TUPLE(args))
        for (size_t i = 0; i < SIM_TUPLE(args)->len; i++) {
            if (!first)
                pyfmt_buf_puts(b, ", ");
            first = false;
            if (reprlib_repr(st, b, SIM_TUPLE(args)->items[i]) < 0)
                return -1;
        }
    if (kw && SIM_IS_DICT(kw)) {
        size_t pos = 0;
        sim_obj *k, *v;
        while (sim_dict_next(kw, &pos, &k, &v)) {
            if (!first)
                pyfmt_buf_puts(b, ", ");
            first = false;
            sim_obj *ks = sim_str(vm, k);
            if (!ks)
                return -1;
            pyfmt_buf_puts(b, SIM_CSTR(ks));
            pyfmt_buf_puts(b, "=");
            if (reprlib_repr(st, b, v) < 0)
                return -1;
        }
    }
    pyfmt_buf_puts(b, ")");
    return 0;
}

/* format_helpers._format_callback(func, args, kwargs, suffix). */
static int format_callback(aio_state *st, pyfmt_buf *b, sim_obj *fn, sim_obj *args, sim_obj *kw,
                           const char *suffix)
{
    sim_vm *vm = st->vm;
    if (SIM_KIND(fn) == SIM_K_PARTIAL) {
        sim_partial *p = (sim_partial *)fn;
        pyfmt_buf sb;
        pyfmt_buf_init(&sb);
        if (format_args(st, &sb, args, kw) < 0) {
            pyfmt_buf_free(&sb);
            return -1;
        }
        if (suffix)
            pyfmt_buf_puts(&sb, suffix);
        int r = format_callback(st, b, p->func, p->args, p->kw, pyfmt_buf_cstr(&sb));
        pyfmt_buf_free(&sb);
        return r;
    }
    sim_obj *nf = SIM_KIND(fn) == SIM_K_METHOD ? ((sim_method *)fn)->func : fn;
    if (SIM_KIND(nf) == SIM_K_NATIVE && ((sim_native *)nf)->owner &&
        (((sim_native *)nf)->self || SIM_KIND(fn) == SIM_K_METHOD)) {
        /* a method of a native type: its __qualname__ is 'Type.name' */
        sim_native *n = (sim_native *)nf;
        pyfmt_buf_puts(b, SIM_CSTR(n->owner->name));
        pyfmt_buf_puts(b, ".");
        pyfmt_buf_puts(b, n->name);
        if (format_args(st, b, args, kw) < 0)
            return -1;
        if (suffix)
            pyfmt_buf_puts(b, suffix);
        return 0;
    }
    sim_obj *saved = sim_exc_fetch(vm);
    sim_obj *qn = sim_getattr_opt(vm, fn, vm->n.__qualname__);
    if (!qn || !SIM_IS_STR(qn) || SIM_STR(qn)->len == 0)
        qn = sim_getattr_opt(vm, fn, vm->n.__name__);
    sim_exc_fetch(vm);
    vm->ts->exc = saved;
    if (qn && SIM_IS_STR(qn) && SIM_STR(qn)->len) {
        pyfmt_buf_puts(b, SIM_CSTR(qn));
    } else {
        sim_obj *r = sim_repr(vm, fn);
        if (!r)
            return -1;
        pyfmt_buf_puts(b, SIM_CSTR(r));
    }
    if (format_args(st, b, args, kw) < 0)
        return -1;
    if (suffix)
        pyfmt_buf_puts(b, suffix);
    return 0;
}

/* _format_callback_source(func, args). */
static int format_callback_source(aio_state *st, pyfmt_buf *b, sim_obj *fn, sim_obj *args)
{
    if (format_callback(st, b, fn, args, NULL, NULL) < 0)
        return -1;
    const char *file;
    int line;
    if (function_source(st, fn, &file, &line)) {
        char tmp[32];
        pyfmt_buf_puts(b, " at ");
        pyfmt_buf_puts(b, file);
        snprintf(tmp, sizeof tmp, ":%d", line);
        pyfmt_buf_puts(b, tmp);
    }
    return 0;
}

/* One done-callback as base_futures._format_callbacks shows it. The loop's own
 * callbacks are named after the CPython functions they mirror. */
int aio_format_callback(aio_state *st, pyfmt_buf *b, const loop_callback *cb)
{
    if (cb->fn == aio_trampoline)
        return format_callback_source(st, b, cb->val, cb->val2);
    if (loop_is_release_waiter(cb->fn) && cb->obj) {
        /* functools.partial(_release_waiter, waiter) */
        pyfmt_buf_puts(b, "_release_waiter(");
        if (reprlib_repr(st, b, AIO_OBJ(cb->obj)) < 0)
            return -1;
        pyfmt_buf_puts(b, ")() at " AIO_PYLIB "tasks.py:431");
        return 0;
    }
    int shield_kind = loop_shield_callback_kind(cb->fn);
    if (shield_kind) {
        pyfmt_buf_puts(b, shield_kind == 1 ? "shield.<locals>._inner_done_callback() at " AIO_PYLIB "tasks.py:891"
                                           : "shield.<locals>._outer_done_callback() at " AIO_PYLIB "tasks.py:908");
        return 0;
    }
    if (cb->obj && cb->obj->kind == LOOP_K_TASK) {
        pyfmt_buf_puts(b, "Task.task_wakeup()");
        return 0;
    }
    if (!cb->obj && !cb->val) {
        pyfmt_buf_puts(b, "_run_until_complete_cb() at " AIO_PYLIB "base_events.py:180");
        return 0;
    }
    if (cb->obj && cb->obj->kind == LOOP_K_STATE) {
        if (cb->obj->subkind == 1)
            pyfmt_buf_puts(b, "gather.<locals>._done_callback() at " AIO_PYLIB "tasks.py:764");
        else
            pyfmt_buf_puts(b, "_wait.<locals>._on_completion() at " AIO_PYLIB "tasks.py:519");
        return 0;
    }
    if (cb->obj && cb->obj->kind == LOOP_K_ASCOMPLETED) {
        pyfmt_buf_puts(b, "as_completed.<locals>._on_completion() at " AIO_PYLIB "tasks.py:602");
        return 0;
    }
    if (cb->obj && cb->obj->kind == LOOP_K_NCORO) {
        pyfmt_buf_puts(b, "_release_waiter() at " AIO_PYLIB "tasks.py:431");
        return 0;
    }
    if (loop_chain_is_check_cancel(cb->fn)) {
        pyfmt_buf_puts(b, "_chain_future.<locals>._call_check_cancel() at " AIO_PYLIB "futures.py:387");
        return 0;
    }
    pyfmt_buf_puts(b, "_chain_future.<locals>._call_set_state() at " AIO_PYLIB "futures.py:394");
    return 0;
}

static int format_callbacks(aio_state *st, pyfmt_buf *b, const loop_future *f)
{
    size_t n = f->ncallbacks;
    if (!n)
        return 0;
    pyfmt_buf_puts(b, " cb=[");
    if (aio_format_callback(st, b, &f->callbacks[0]) < 0)
        return -1;
    if (n == 2) {
        pyfmt_buf_puts(b, ", ");
        if (aio_format_callback(st, b, &f->callbacks[1]) < 0)
            return -1;
    } else if (n > 2) {
        char tmp[48];
        snprintf(tmp, sizeof tmp, ", <%zu more>, ", n - 2);
        pyfmt_buf_puts(b, tmp);
        if (aio_format_callback(st, b, &f->callbacks[n - 1]) < 0)
            return -1;
    }
    pyfmt_buf_puts(b, "]");
    return 0;
}

/* ---- coroutines ---------------------------------------------------------------------------- */

/* coroutines._format_coroutine. `code` is the coroutine's code object remembered by
 * the task (a finished coroutine has no frame), or NULL. */
static int format_coroutine(aio_state *st, pyfmt_buf *b, sim_obj *coro, sim_obj *code)
{
    sim_vm *vm = st->vm;
    char tmp[32];
    if (coro->type == st->kt[LOOP_K_NCORO]) {
        /* the loop's coroutines stand for asyncio's own: where those are defined */
        static const struct { const char *name, *file; int def, await; } where[] = {
            {"sleep", "tasks.py", 637, 649},
            {"wait_for", "tasks.py", 436, 479},
            {"wait", "tasks.py", 399, 428},
            {"Lock.acquire", "locks.py", 93, 114},
            {"Event.wait", "locks.py", 200, 213},
            {"Queue.get", "queues.py", 149, 158},
            {"Queue.put", "queues.py", 110, 120},
            {"Semaphore.acquire", "locks.py", 364, 387},
            {"Condition.wait", "locks.py", 248, 267},
            {"Condition.wait_for", "locks.py", 285, 294},
            {"_cancel_and_wait", "tasks.py", 551, 562},
            {"as_completed.<locals>._wait_for_one", "tasks.py", 610, 611},
            {"TaskGroup.__aexit__", "taskgroups.py", 68, 110},
            {"BaseEventLoop.shutdown_default_executor", "base_events.py", 564, 573},
            {"Queue.join", "queues.py", 206, 215},
        };
        loop_ncoro *c = (loop_ncoro *)AIO_LOBJ(coro);
        const char *name = c->name ? c->name : "coroutine";
        pyfmt_buf_puts(b, name);
        pyfmt_buf_puts(b, "()");
        for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
            if (strcmp(where[i].name, name) != 0)
                continue;
            if (c->state == -1)
                snprintf(tmp, sizeof tmp, "%d", where[i].def);
            else if (strcmp(name, "wait_for") == 0 && c->state >= 1 && c->state <= 5) {
                /* wait_for.c's states: `return await fut`, the timeout <= 0 _cancel_and_wait,
                 * `await waiter`, _cancel_and_wait after a cancel, after the timeout */
                static const int wf_line[] = {0, 452, 460, 476, 485, 495};
                snprintf(tmp, sizeof tmp, "%d", wf_line[c->state]);
            } else
                snprintf(tmp, sizeof tmp, "%d", c->state == 0 ? where[i].def : where[i].await);
            pyfmt_buf_puts(b, c->state == -1 ? " done, defined at " AIO_PYLIB : " running at " AIO_PYLIB);
            pyfmt_buf_puts(b, where[i].file);
            pyfmt_buf_puts(b, ":");
            pyfmt_buf_puts(b, tmp);
            return 0;
        }
        pyfmt_buf_puts(b, c->state == -1 ? " done" : " running");
        return 0;
    }
    if (SIM_KIND(coro) != SIM_K_GEN) {
        pyfmt_buf_puts(b, sim_type_name(coro));
        pyfmt_buf_puts(b, "()");
        return 0;
    }
    sim_gen *g = (sim_gen *)coro;
    pyfmt_buf_puts(b, g->qualname && SIM_IS_STR(g->qualname) ? SIM_CSTR(g->qualname) : "coroutine");
    pyfmt_buf_puts(b, "()");
    sim_codeobj *co = g->frame ? g->frame->co : (sim_codeobj *)code;
    if (!co) {
        pyfmt_buf_puts(b, " done");
        return 0;
    }
    const char *file = SIM_CSTR(co->filename);
    if (g->frame) {
        const sim_code *c = co->code;
        int line = c->firstline;
        if (g->frame->started && c->lines && g->frame->lasti < c->ncode)
            line = c->lines[g->frame->lasti];
        pyfmt_buf_puts(b, " running at ");
        pyfmt_buf_puts(b, file);
        snprintf(tmp, sizeof tmp, ":%d", line);
        pyfmt_buf_puts(b, tmp);
    } else {
        pyfmt_buf_puts(b, " done, defined at ");
        pyfmt_buf_puts(b, file);
        snprintf(tmp, sizeof tmp, ":%d", co->code->firstline);
        pyfmt_buf_puts(b, tmp);
    }
    (void)vm;
    return 0;
}

sim_obj *aio_coro_repr(aio_state *st, sim_obj *coro)
{
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    if (format_coroutine(st, &b, coro, NULL) < 0) {
        pyfmt_buf_free(&b);
        return NULL;
    }
    return sim__str_from_buf(st->vm, &b);
}

/* ---- futures and tasks ------------------------------------------------------------------------- */

static int future_repr(aio_state *st, pyfmt_buf *b, loop_future *f)
{
    sim_vm *vm = st->vm;
    bool is_task = loop_is_task(f);
    loop_task *t = (loop_task *)f;
    pyfmt_buf_puts(b, "<");
    pyfmt_buf_puts(b, is_task ? "Task" : f->hdr.subkind == 1 ? "_GatheringFuture" : "Future");
    pyfmt_buf_puts(b, " ");
    const char *state = f->state == LOOP_PENDING ? "pending" : f->state == LOOP_FINISHED ? "finished" : "cancelled";
    if (is_task && f->state == LOOP_PENDING && loop_task_cancelling(t))
        state = "cancelling";
    pyfmt_buf_puts(b, state);
    if (is_task) {
        pyfmt_buf_puts(b, " name=");
        sim_obj *r = sim_repr(vm, t->name ? t->name : vm->none);
        if (!r)
            return -1;
        pyfmt_buf_puts(b, SIM_CSTR(r));
        pyfmt_buf_puts(b, " coro=<");
        if (format_coroutine(st, b, t->coro, *aio_task_code_slot(t)) < 0)
            return -1;
        pyfmt_buf_puts(b, ">");
        if (t->fut_waiter) {
            pyfmt_buf_puts(b, " wait_for=");
            if (future_repr(st, b, t->fut_waiter) < 0)
                return -1;
        }
    }
    if (f->state == LOOP_FINISHED) {
        if (f->exception) {
            pyfmt_buf_puts(b, " exception=");
            sim_obj *r = sim_repr(vm, f->exception);
            if (!r)
                return -1;
            pyfmt_buf_puts(b, SIM_CSTR(r));
        } else {
            pyfmt_buf_puts(b, " result=");
            if (reprlib_repr(st, b, f->result ? f->result : vm->none) < 0)
                return -1;
        }
    }
    if (format_callbacks(st, b, f) < 0)
        return -1;
    pyfmt_buf_puts(b, ">");
    return 0;
}

sim_obj *aio_future_repr(aio_state *st, loop_future *f)
{
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    if (future_repr(st, &b, f) < 0) {
        pyfmt_buf_free(&b);
        return NULL;
    }
    return sim__str_from_buf(st->vm, &b);
}

/* ---- handles ---------------------------------------------------------------------------------------- */

sim_obj *aio_handle_repr(aio_state *st, loop_handle *h)
{
    sim_vm *vm = st->vm;
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_puts(&b, h->is_timer ? "<TimerHandle" : "<Handle");
    if (h->cancelled)
        pyfmt_buf_puts(&b, " cancelled");
    if (h->is_timer) {
        sim_obj *w = h->hdr.flags & AIO_F_INT_WHEN ? sim_str_fmt(vm, "%lld", (long long)h->when)
                                                   : sim__float_repr(vm, h->when);
        if (!w) {
            pyfmt_buf_free(&b);
            return NULL;
        }
        pyfmt_buf_puts(&b, " when=");
        pyfmt_buf_puts(&b, SIM_CSTR(w));
    }
    if (!h->cancelled) {
        pyfmt_buf_puts(&b, " ");
        int r = 0;
        if (h->cb.fn == aio_trampoline)
            r = format_callback_source(st, &b, h->cb.val, h->cb.val2);
        else if (h->cb.obj && h->cb.obj->kind == LOOP_K_TASK)
            pyfmt_buf_puts(&b, "Task.task_wakeup()");
        else if (loop_is_release_waiter(h->cb.fn) && h->cb.obj) {
            /* loop.call_later(timeout, _release_waiter, waiter) */
            pyfmt_buf_puts(&b, "_release_waiter(");
            r = reprlib_repr(st, &b, AIO_OBJ(h->cb.obj));
            pyfmt_buf_puts(&b, ") at " AIO_PYLIB "tasks.py:431");
        }
        else
            pyfmt_buf_puts(&b, "_set_result_unless_cancelled() at " AIO_PYLIB "futures.py:311");
        if (r < 0) {
            pyfmt_buf_free(&b);
            return NULL;
        }
    }
    pyfmt_buf_puts(&b, ">");
    return sim__str_from_buf(vm, &b);
}

/* "Exception in callback <source>" (Handle._run's message). */
sim_obj *aio_callback_message(aio_state *st, loop_handle *h)
{
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    pyfmt_buf_puts(&b, "Exception in callback ");
    if (h->cb.fn == aio_trampoline && !h->cb.val2 && h->arg) {
        sim_obj *a = sim_tuple_new(st->vm, 1, NULL);
        if (!a) {
            pyfmt_buf_free(&b);
            return NULL;
        }
        SIM_TUPLE(a)->items[0] = AIO_OBJ(h->arg);
        sim_push(st->vm, a);
        int r = format_callback_source(st, &b, h->cb.val, a);
        sim_pop(st->vm, 1);
        if (r < 0) {
            pyfmt_buf_free(&b);
            return NULL;
        }
    } else if (h->cb.fn == aio_trampoline && format_callback_source(st, &b, h->cb.val, h->cb.val2) < 0) {
        pyfmt_buf_free(&b);
        return NULL;
    }
    return sim__str_from_buf(st->vm, &b);
}

/* ---- deadlock report ----------------------------------------------------------------------------------- */

/* The pending tasks of l, one per line with what each awaits, kept for the exit
 * report (sim__asyncio_uncaught). */
void aio_describe_pending(aio_state *st, loop *l)
{
    sim_vm *vm = st->vm;
    loop_task *tasks[64];
    size_t n = loop_pending_tasks(l, tasks, 64);
    pyfmt_buf b;
    pyfmt_buf_init(&b);
    sim_obj *saved = sim_exc_fetch(vm);
    for (size_t i = 0; i < n && i < 64; i++) {
        pyfmt_buf_puts(&b, "  pending: ");
        if (future_repr(st, &b, &tasks[i]->fut) < 0)
            sim_exc_fetch(vm);
        pyfmt_buf_puts(&b, "\n");
    }
    vm->ts->exc = saved;
    free(st->deadlock_info);
    st->deadlock_info = b.len ? strdup(pyfmt_buf_cstr(&b)) : NULL;
    pyfmt_buf_free(&b);
}
