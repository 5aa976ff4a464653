/* alloc.c — viz/'s one allocation path and its out-of-memory policy: abort with a
 * message (pictures are not worth a half-drawn recovery). */
#include <stdio.h>

#include "viz_int.h"

void viz__grow(void **v, size_t *cap, size_t size)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, ncap * size);
    if (!p) {
        fputs("aiosim: out of memory\n", stderr);
        abort();
    }
    *v = p;
    *cap = ncap;
}

void *viz__xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("aiosim: out of memory\n", stderr);
        abort();
    }
    return p;
}

char *viz__strdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *p = viz__xmalloc(n + 1);
    memcpy(p, s ? s : "", n);
    return p;
}
