/* kept.c — on the writer thread: texts kept until the writer ends (trace__wstate_free
 * frees them), so that maps and task rows borrow them instead of a malloc each.
 */
#include <stdlib.h>
#include <string.h>

#include "kept_int.h"

/* Memo m's kept copy becomes t (keptlen: len), kept until the writer ends. False
 * (t freed) when out of memory. */
bool trace__memo_keep(wstate *ws, text_memo *m, char *t, uint32_t len)
{
    char **p = realloc(ws->kept, (ws->nkept + 1) * sizeof *p);
    if (!p) {
        free(t);
        return false;
    }
    ws->kept = p;
    ws->kept[ws->nkept++] = t;
    m->kept = t;
    m->keptlen = len;
    return true;
}

#define NAME_BLOCK 65536

/* A copy of s (n bytes and a NUL) in the name store, with SHORT_TEXT bytes after it
 * to read (copy_text); NULL when out of memory. */
char *trace__name_copy(wstate *ws, const char *s, size_t n)
{
    struct name_store *a = &ws->names;
    if ((size_t)(a->end - a->cur) < n + 1 + SHORT_TEXT) {
        size_t size = n + 1 + SHORT_TEXT > NAME_BLOCK ? n + 1 + SHORT_TEXT : NAME_BLOCK;
        char **bl = realloc(a->blocks, (a->nblocks + 1) * sizeof *bl);
        if (!bl)
            return NULL;
        a->blocks = bl;
        if (!(a->cur = malloc(size))) {
            a->end = NULL;
            return NULL;
        }
        a->blocks[a->nblocks++] = a->cur;
        a->end = a->cur + size;
    }
    char *d = a->cur;
    memcpy(d, s, n);
    d[n] = '\0';
    a->cur += n + 1;
    return d;
}
