/* escape.c — on the writer thread: owned copies of texts, escaped for JSON strings
 * (the escaping itself is inline, in escape_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "escape_int.h"

/* Arena text s (NULL: "") escaped for a JSON string, as an owned copy (len set; *raw:
 * s's length); NULL when out of memory. Most texts need no escape: one scan, one
 * malloc. */
char *trace__escaped_copy(const chunk *c, const char *s, uint32_t *len, size_t *raw)
{
    size_t plain = 0, n = s ? scan_text(c, s, &plain) : 0;
    *raw = n;
    if (plain == n) {
        char *d = malloc(text_room(n + 1));
        if (d) {
            memcpy(d, s ? s : "", n);
            d[n] = '\0';
            *len = (uint32_t)n;
        }
        return d;
    }
    trace__buf t = { 0 };
    put_wrapped(&t, "", 0, s, n, plain, "", 0);
    if (t.oom) {
        trace__buf_free(&t);
        return NULL;
    }
    t.p[t.len] = '\0';
    *len = (uint32_t)t.len;
    return t.p;
}
