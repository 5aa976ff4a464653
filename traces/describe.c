/* describe.c — the writer's texts: values through the host's describe/str_of, loop
 * objects by kind and id, handles by what they call, events' details. */
#include <string.h>

#include "writer_int.h"

const char *trace__desc_val(trace_writer *w, loop_val v, int slot)
{
    if (!v)
        return NULL;
    const char *s = NULL;
    if (w->host.describe) {
        w->desc[slot][0] = '\0';
        s = w->host.describe(w->host.ud, v, w->desc[slot], DESC_MAX);
    }
    return s ? s : "<value>";
}

const char *trace__str_val(trace_writer *w, loop_val v, int slot)
{
    if (!v)
        return NULL;
    if (w->host.str_of) {
        w->desc[slot][0] = '\0';
        const char *s = w->host.str_of(w->host.ud, v, w->desc[slot], DESC_MAX);
        if (s)
            return s;
    }
    const char *s = trace__desc_val(w, v, slot);
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
        char *d = w->desc[slot];
        memmove(d, s + 1, n - 2);
        d[n - 2] = '\0';
        return d;
    }
    return s;
}

static const char *const kind_names[LOOP_K__COUNT] = {
#define KNAME(k) #k,
    LOOP_KIND_LIST(KNAME)
#undef KNAME
};

/* "task #3", "future #5" (lower case kind, trace id). */
void trace__obj_name(trace_writer *w, const loop_obj *o, char *buf, size_t n)
{
    const char *k = o->kind < LOOP_K__COUNT ? kind_names[o->kind] : "object";
    size_t i = 0;
    for (; k[i] && i + 1 < n && i < 15; i++)
        buf[i] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] - 'A' + 'a' : k[i]);
    snprintf(buf + i, n - i, " #%llu", (unsigned long long)oid(w, o));
}

/* A task's name: str(task.name), or "task #id". Uses desc slot 1. */
const char *trace__task_name(trace_writer *w, const loop_task *t)
{
    if (t->name && (w->host.describe || w->host.str_of))
        return trace__str_val(w, t->name, 1);
    trace__obj_name(w, &t->fut.hdr, w->desc[1], DESC_MAX);
    return w->desc[1];
}

/* What a handle calls, into w->detail. */
const char *trace__handle_desc(trace_writer *w, const loop_handle *h)
{
    char *out = w->detail;
    out[0] = '\0';
    if (w->host.describe_handle) {
        const char *s = w->host.describe_handle(w->host.ud, h, out, DETAIL_MAX);
        if (s)
            return s;
    }
    const loop_callback *cb = &h->cb;
    if (cb->obj && cb->obj->kind == LOOP_K_TASK) {
        const char *tn = trace__task_name(w, (const loop_task *)cb->obj);
        if (h->arg) {
            char fut[48];
            trace__obj_name(w, h->arg, fut, sizeof fut);
            snprintf(out, DETAIL_MAX, "wakeup %s (%s done)", tn, fut);
        } else {
            snprintf(out, DETAIL_MAX, "step %s", tn);
        }
    } else if (cb->obj) {
        /* a loop-internal callback acting on an object (sleep's timer, gather's
         * child-done): its val is data, not a callable */
        char o[48];
        trace__obj_name(w, cb->obj, o, sizeof o);
        snprintf(out, DETAIL_MAX, "callback of %s", o);
    } else if (cb->val) {
        const char *fn = trace__desc_val(w, cb->val, 0);
        const char *args = trace__desc_val(w, cb->val2, 1);
        snprintf(out, DETAIL_MAX, "%s%s%s", fn, args ? " " : "", args ? args : "");
    } else {
        snprintf(out, DETAIL_MAX, "callback");
    }
    trace__utf8_trim(out);
    return out;
}

/* A prefix and a value's description into w->detail, then the event's text after "; ". */
const char *trace__compose(trace_writer *w, const char *prefix, const char *d, const char *text)
{
    snprintf(w->detail, DETAIL_MAX, "%s%s%s%s", prefix ? prefix : "", d ? d : "",
             text && (prefix || d) ? "; " : "", text ? text : "");
    trace__utf8_trim(w->detail);
    return w->detail[0] ? w->detail : NULL;
}

const char *trace__detail_val(trace_writer *w, const char *prefix, loop_val v, const char *text)
{
    return trace__compose(w, prefix, trace__desc_val(w, v, 0), text);
}
