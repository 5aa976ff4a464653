/* sim_trace_hooks.c — what a trace writer asks of the language layer (sim.h): the
 * running source line, the virtual time, and descriptions of values.
 *
 * Descriptions must be deterministic and harmless: the same run describes the same
 * value the same way, and describing changes nothing. So nothing here runs user code
 * (a class's own __repr__ is not called: an instance reads "<__main__.Foo object>"),
 * prints addresses (CPython's "at 0x7f..." is left out), or allocates on the VM heap
 * (a description may be asked for in the middle of a loop operation, where a
 * collection must not happen). Text goes into the caller's buffer, truncated.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asyncio_int.h"
#include "code.h"

#define DEPTH_MAX 4        /* nesting shown before "..." */
#define ITEMS_MAX 16       /* items of a container shown before "..." */
#define STR_MAX 400        /* bytes of a str repr'ed before "..." */

/* An output window: writes past the end are dropped. The text is NUL-terminated
 * once, by text_of, when it is complete: a description is built from many short
 * pieces, so each piece costs one test and one copy. */
typedef struct dbuf {
    char *p;
    size_t cap, len;
} dbuf;

/* What fits of s (the text ends cut). */
static void put_cut(dbuf *b, const char *s, size_t n)
{
    if (b->len + 1 >= b->cap)
        return;
    size_t room = b->cap - 1 - b->len;
    memcpy(b->p + b->len, s, n < room ? n : room);
    b->len += n < room ? n : room;
}

static inline void put(dbuf *b, const char *s, size_t n)
{
    if (b->len + n < b->cap) {     /* room for s and the final NUL */
        memcpy(b->p + b->len, s, n);
        b->len += n;
        return;
    }
    put_cut(b, s, n);
}

/* The finished text. */
static const char *text_of(dbuf *b)
{
    b->p[b->len < b->cap ? b->len : b->cap - 1] = '\0';
    return b->p;
}

static void puts_(dbuf *b, const char *s) { put(b, s, strlen(s)); }
/* a str object: its length is known */
static void put_str(dbuf *b, sim_obj *s) { put(b, SIM_CSTR(s), SIM_STR(s)->len); }

/* v in decimal, without printf: results and arguments are often ints (fanout.py
 * describes 400k of them) and vsnprintf costs a thousand instructions each. */
static void put_int(dbuf *b, int64_t v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    put(b, p, (size_t)(tmp + sizeof tmp - p));
}
/* a string literal, its length known at compile time */
#define PUTL(b, lit) put((b), (lit), sizeof(lit) - 1)

static void putf(dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(dbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static bool full(const dbuf *b) { return b->len + 1 >= b->cap; }

static void describe(sim_vm *vm, dbuf *b, sim_obj *o, int depth);

/* repr() of a str, at most STR_MAX bytes of it (cut at a character boundary). */
static void str_repr(dbuf *b, const char *s, size_t n)
{
    bool cut = n > STR_MAX;
    if (cut) {
        n = STR_MAX;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    pyfmt_buf r;
    pyfmt_buf_init(&r);
    if (pyfmt_str_repr(s, n, 0, &r) == 0)
        put(b, r.data ? r.data : "''", r.data ? r.len : 2);
    pyfmt_buf_free(&r);
    if (cut)
        PUTL(b, "...");
}

/* "mod.Qualname", or "Qualname" for builtins and loop types shown without module. */
static void type_name(sim_vm *vm, dbuf *b, sim_type *t)
{
    const char *mod = t->module && SIM_IS_STR(t->module) ? SIM_CSTR(t->module) : "builtins";
    if (strcmp(mod, "builtins") != 0) {
        puts_(b, mod);
        PUTL(b, ".");
    }
    put_str(b, t->qualname ? t->qualname : t->name);
}

static void items(sim_vm *vm, dbuf *b, sim_obj *const *v, size_t n, int depth)
{
    for (size_t i = 0; i < n && !full(b); i++) {
        if (i)
            PUTL(b, ", ");
        if (i == ITEMS_MAX) {
            PUTL(b, "...");
            break;
        }
        describe(vm, b, v[i], depth + 1);
    }
}

static void dict_items(sim_vm *vm, dbuf *b, sim_obj *d, bool values, int depth)
{
    size_t pos = 0, i = 0;
    sim_obj *k, *v;
    while (sim_dict_next(d, &pos, &k, values ? &v : NULL) && !full(b)) {
        if (i)
            PUTL(b, ", ");
        if (i++ == ITEMS_MAX) {
            PUTL(b, "...");
            break;
        }
        describe(vm, b, k, depth + 1);
        if (values) {
            PUTL(b, ": ");
            describe(vm, b, v, depth + 1);
        }
    }
}

/* The loop kind of a native object of the asyncio binding (or of a subclass), or -1. */
static int loop_kind_of(sim_vm *vm, sim_obj *o)
{
    aio_state *st = vm->asyncio;
    if (!st || SIM_KIND(o) != SIM_K_CNATIVE)
        return -1;
    for (sim_type *t = o->type; t; t = t->base)
        for (int k = 0; k < LOOP_K__COUNT; k++)
            if (st->kt[k] && st->kt[k] == t)
                return k;
    return -1;
}

static void describe_loop_obj(sim_vm *vm, dbuf *b, sim_obj *o, int kind, int depth)
{
    loop_obj *lo = AIO_LOBJ(o);
    switch (kind) {
    case LOOP_K_TASK:
    case LOOP_K_FUTURE: {
        loop_future *f = (loop_future *)lo;
        PUTL(b, "<");
        put_str(b, o->type->name);
        if (f->state == LOOP_PENDING)
            PUTL(b, " pending");
        else if (f->state == LOOP_CANCELLED)
            PUTL(b, " cancelled");
        else
            PUTL(b, " finished");
        if (kind == LOOP_K_TASK && ((loop_task *)lo)->name) {
            PUTL(b, " name=");
            describe(vm, b, ((loop_task *)lo)->name, depth + 1);
        }
        if (f->state == LOOP_FINISHED && f->exception) {
            PUTL(b, " exception=");
            describe(vm, b, f->exception, depth + 1);
        } else if (f->state == LOOP_FINISHED && f->result) {
            PUTL(b, " result=");
            describe(vm, b, f->result, depth + 1);
        }
        PUTL(b, ">");
        return;
    }
    case LOOP_K_NCORO: {
        const char *name = ((loop_ncoro *)lo)->name;
        putf(b, "<coroutine object %s>", name ? name : "?");
        return;
    }
    case LOOP_K_HANDLE: {
        loop_handle *h = (loop_handle *)lo;
        if (h->is_timer)
            putf(b, "<TimerHandle%s when=%.17g>", h->cancelled ? " cancelled" : "", h->when);
        else
            putf(b, "<Handle%s>", h->cancelled ? " cancelled" : "");
        return;
    }
    default:
        PUTL(b, "<");
        type_name(vm, b, o->type);
        PUTL(b, " object>");
        return;
    }
}

/* A function's qualname; a native's name, as "Future.set_result" when bound. */
static void callable_name(dbuf *b, sim_obj *fn, sim_obj *self)
{
    if (SIM_KIND(fn) == SIM_K_FUNCTION) {
        put_str(b, ((sim_func *)fn)->qualname);
    } else if (SIM_KIND(fn) == SIM_K_NATIVE) {
        if (self && SIM_KIND(self) != SIM_K_MODULE) {
            put_str(b, self->type->name);
            PUTL(b, ".");
        }
        puts_(b, ((sim_native *)fn)->name);
    } else {
        PUTL(b, "<");
        put_str(b, fn->type->name);
        PUTL(b, " object>");
    }
}

static void describe(sim_vm *vm, dbuf *b, sim_obj *o, int depth)
{
    if (!o) {
        PUTL(b, "None");
        return;
    }
    if (full(b))
        return;
    if (depth > DEPTH_MAX) {
        PUTL(b, "...");
        return;
    }
    switch (SIM_KIND(o)) {
    case SIM_K_NONE: PUTL(b, "None"); return;
    case SIM_K_NOTIMPL: PUTL(b, "NotImplemented"); return;
    case SIM_K_ELLIPSIS: PUTL(b, "Ellipsis"); return;
    case SIM_K_INT:
        if (o->type == vm->types[SIM_T_bool])
            puts_(b, SIM_INT(o) ? "True" : "False");
        else
            put_int(b, SIM_INT(o));
        return;
    case SIM_K_FLOAT: {
        char f[32];
        pyfmt_float_repr(SIM_FLOAT(o), f);
        puts_(b, f);
        return;
    }
    case SIM_K_STR: str_repr(b, SIM_CSTR(o), SIM_STR(o)->len); return;
    case SIM_K_LIST:
        PUTL(b, "[");
        items(vm, b, SIM_LIST(o)->items, SIM_LIST(o)->len, depth);
        PUTL(b, "]");
        return;
    case SIM_K_TUPLE:
        PUTL(b, "(");
        items(vm, b, SIM_TUPLE(o)->items, SIM_TUPLE(o)->len, depth);
        if (SIM_TUPLE(o)->len == 1)
            PUTL(b, ",)");
        else
            PUTL(b, ")");
        return;
    case SIM_K_DICT:
        PUTL(b, "{");
        dict_items(vm, b, o, true, depth);
        PUTL(b, "}");
        return;
    case SIM_K_SET: {
        bool frozen = o->type == vm->types[SIM_T_frozenset];
        if (SIM_DICT(o)->used == 0) {
            puts_(b, frozen ? "frozenset()" : "set()");
            return;
        }
        puts_(b, frozen ? "frozenset({" : "{");
        dict_items(vm, b, o, false, depth);
        puts_(b, frozen ? "})" : "}");
        return;
    }
    case SIM_K_RANGE: {
        sim_range *r = (sim_range *)o;
        if (r->step == 1)
            putf(b, "range(%lld, %lld)", (long long)r->start, (long long)r->stop);
        else
            putf(b, "range(%lld, %lld, %lld)", (long long)r->start, (long long)r->stop, (long long)r->step);
        return;
    }
    case SIM_K_EXC: {
        sim_exc *e = (sim_exc *)o;
        put_str(b, o->type->name);
        if (e->args && SIM_IS_TUPLE(e->args) && SIM_TUPLE(e->args)->len == 1) {
            PUTL(b, "(");
            describe(vm, b, SIM_TUPLE(e->args)->items[0], depth + 1);
            PUTL(b, ")");
        } else if (e->args && SIM_IS_TUPLE(e->args) && SIM_TUPLE(e->args)->len) {
            describe(vm, b, e->args, depth);
        } else {
            PUTL(b, "()");
        }
        return;
    }
    case SIM_K_FUNCTION:
        putf(b, "<function %s>", SIM_CSTR(((sim_func *)o)->qualname));
        return;
    case SIM_K_METHOD: {
        sim_method *m = (sim_method *)o;
        PUTL(b, "<bound method ");
        callable_name(b, m->func, m->self);
        PUTL(b, " of ");
        describe(vm, b, m->self, depth + 1);
        PUTL(b, ">");
        return;
    }
    case SIM_K_NATIVE: {
        sim_native *n = (sim_native *)o;
        if (n->self && SIM_KIND(n->self) != SIM_K_MODULE)
            putf(b, "<built-in method %s of %s object>", n->name, sim_type_name(n->self));
        else
            putf(b, "<built-in function %s>", n->name);
        return;
    }
    case SIM_K_PARTIAL: {
        sim_partial *p = (sim_partial *)o;
        PUTL(b, "functools.partial(");
        describe(vm, b, p->func, depth + 1);
        if (p->args && SIM_IS_TUPLE(p->args) && SIM_TUPLE(p->args)->len) {
            PUTL(b, ", ");
            items(vm, b, SIM_TUPLE(p->args)->items, SIM_TUPLE(p->args)->len, depth);
        }
        size_t pos = 0;
        sim_obj *k, *v;
        while (p->kw && sim_dict_next(p->kw, &pos, &k, &v) && !full(b)) {
            PUTL(b, ", ");
            puts_(b, SIM_IS_STR(k) ? SIM_CSTR(k) : "?");
            PUTL(b, "=");
            describe(vm, b, v, depth + 1);
        }
        PUTL(b, ")");
        return;
    }
    case SIM_K_GEN:
        /* "<coroutine object main>": at every task_create, so without printf */
        PUTL(b, "<");
        put_str(b, o->type->name);
        PUTL(b, " object ");
        put_str(b, ((sim_gen *)o)->qualname);
        PUTL(b, ">");
        return;
    case SIM_K_TYPE:
        PUTL(b, "<class '");
        type_name(vm, b, (sim_type *)o);
        PUTL(b, "'>");
        return;
    case SIM_K_MODULE:
        putf(b, "<module '%s'>", SIM_CSTR(((sim_module *)o)->name));
        return;
    case SIM_K_CNATIVE: {
        aio_state *st = vm->asyncio;
        if (st && o->type == st->t_loop) {
            /* CPython: <_UnixSelectorEventLoop running=True closed=False debug=False>;
             * short, as it is the argument of many callbacks */
            PUTL(b, "<_UnixSelectorEventLoop>");
            return;
        }
        int k = loop_kind_of(vm, o);
        if (k >= 0) {
            describe_loop_obj(vm, b, o, k, depth);
            return;
        }
    } /* fall through */
    default:
        PUTL(b, "<");
        type_name(vm, b, o->type);
        PUTL(b, " object>");
        return;
    }
}

int sim_current_line(sim_vm *vm)
{
    sim_frame *f = vm && vm->ts ? vm->ts->frame : NULL;
    if (!f || !f->co || !f->co->code)
        return 0;
    const sim_code *c = f->co->code;
    if (c->lines && f->lasti < c->ncode)
        return c->lines[f->lasti];
    return c->firstline;
}

const char *sim_describe(sim_vm *vm, void *v, char *buf, size_t n)
{
    sim_obj *o = v;
    /* the values most events carry, as constants (a trace keeps those once) */
    if (!o || SIM_KIND(o) == SIM_K_NONE)
        return "None";
    if (o == vm->true_ || o == vm->false_)
        return o == vm->true_ ? "True" : "False";
    if (!buf || n == 0)
        return NULL;
    dbuf b = { buf, n, 0 };
    describe(vm, &b, v, 0);
    return text_of(&b);
}

const char *sim_str_of(sim_vm *vm, void *v, char *buf, size_t n)
{
    sim_obj *o = v;
    if (o && SIM_KIND(o) == SIM_K_STR) {
        if (!buf || n == 0)
            return NULL;
        dbuf b = { buf, n, 0 };
        put(&b, SIM_CSTR(o), SIM_STR(o)->len);
        return text_of(&b);
    }
    return sim_describe(vm, v, buf, n);
}

/* A Python callback scheduled with call_soon/call_later/call_at (the binding's
 * trampoline): "name args", as "cb ('a',)"; NULL for the loop's own callbacks. */
const char *sim_describe_handle(sim_vm *vm, const struct loop_handle *h, char *buf, size_t n)
{
    if (!h || !buf || n == 0 || h->cb.fn != aio_trampoline || !h->cb.val || h->cb.obj)
        return NULL;
    dbuf b = { buf, n, 0 };
    sim_obj *fn = h->cb.val;
    switch (SIM_KIND(fn)) {
    case SIM_K_FUNCTION: callable_name(&b, fn, NULL); break;
    case SIM_K_METHOD: callable_name(&b, ((sim_method *)fn)->func, ((sim_method *)fn)->self); break;
    case SIM_K_NATIVE: callable_name(&b, fn, ((sim_native *)fn)->self); break;
    default: describe(vm, &b, fn, 0); break;
    }
    sim_obj *args = h->cb.val2;
    if (args && SIM_IS_TUPLE(args) && SIM_TUPLE(args)->len) {
        PUTL(&b, " ");
        describe(vm, &b, args, 0);
    } else if (!args && h->arg) {
        /* a done-callback: called with the future */
        PUTL(&b, " (");
        describe(vm, &b, AIO_OBJ(h->arg), 1);
        PUTL(&b, ",)");
    }
    return text_of(&b);
}

double sim_time(sim_vm *vm)
{
    return sim__clock(vm);
}
