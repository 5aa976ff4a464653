/* describe.c — the texts taken on the program's thread: values through the host's
 * describe/str_of, task names, handles by what they call. (The writer thread composes
 * them into details: encode.c.) */
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

static trace__kind_words kind_words;
static pthread_once_t kind_words_once = PTHREAD_ONCE_INIT;

static void init_kind_words(void)
{
    for (int k = 0; k <= LOOP_K__COUNT; k++) {
        const char *name = k < LOOP_K__COUNT ? kind_names[k] : "object";
        size_t i = 0;
        for (; name[i] && i < sizeof kind_words.w[k] - 1; i++) {
            char ch = name[i];
            kind_words.w[k][i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        }
        kind_words.len[k] = (uint8_t)i;   /* the rest of w[k] stays NUL */
    }
}

const trace__kind_words *trace__kind_word_table(void)
{
    pthread_once(&kind_words_once, init_kind_words);
    return &kind_words;
}

/* "task", "future", "handle" ...: the loop kind's name in lower case. */
const char *trace__kind_word(int kind)
{
    return trace__kind_word_table()->w[kind >= 0 && kind < LOOP_K__COUNT ? kind : LOOP_K__COUNT];
}

/* "task #3", "future #5" (lower case kind, trace id). */
static void obj_name(trace_writer *w, const loop_obj *o, char *buf, size_t n)
{
    snprintf(buf, n, "%s #%llu", trace__kind_word(o->kind), (unsigned long long)oid(w, o));
}

/* A task's name: str(task.name), or "task #id". Uses desc slot 1. */
const char *trace__task_name(trace_writer *w, const loop_task *t)
{
    if (t->name && (w->host.describe || w->host.str_of))
        return trace__str_val(w, t->name, 1);
    obj_name(w, &t->fut.hdr, w->desc[1], DESC_MAX);
    return w->desc[1];
}

/* What a plain handle calls, into out (n bytes): one the host did not describe and
 * that acts on no loop object (those the writer thread names from ids: capture.c). */
const char *trace__handle_desc(trace_writer *w, const loop_handle *h, char *out, size_t n)
{
    const loop_callback *cb = &h->cb;
    if (cb->val) {
        const char *fn = trace__desc_val(w, cb->val, 0);
        const char *args = trace__desc_val(w, cb->val2, 1);
        snprintf(out, n, "%s%s%s", fn, args ? " " : "", args ? args : "");
    } else {
        snprintf(out, n, "callback");
    }
    trace__utf8_trim(out);
    return out;
}
