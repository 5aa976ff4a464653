/* kept_int.h — texts the writer thread keeps until it ends (kept.c): task names in the
 * name store, the copies the text memos keep. Not part of the API.
 */
#ifndef KEPT_INT_H
#define KEPT_INT_H

#include <string.h>

#include "writer_int.h"

/* Texts the writer keeps (task names, handle descriptions) are allocated with at
 * least SHORT_TEXT bytes, so that copy_text moves a short one in one fixed-size
 * memcpy (inline, no call) into room for SHORT_TEXT bytes. */
#define SHORT_TEXT 32

static inline char *copy_text(char *p, const char *s, size_t n)
{
    if (n <= SHORT_TEXT)
        memcpy(p, s, SHORT_TEXT);
    else
        memcpy(p, s, n);
    return p + n;
}

static inline size_t text_room(size_t n)
{
    return n < SHORT_TEXT ? SHORT_TEXT : n;
}

#define KEPT_MAX 256   /* texts kept until the writer ends, at most */

/* Memo m's kept copy becomes t (keptlen: len), kept until the writer ends. False
 * (t freed) when out of memory. */
bool trace__memo_keep(wstate *ws, text_memo *m, char *t, uint32_t len);
/* A copy of s (n bytes and a NUL) in the name store, with SHORT_TEXT bytes after it
 * to read (copy_text); NULL when out of memory. */
char *trace__name_copy(wstate *ws, const char *s, size_t n);

#endif
