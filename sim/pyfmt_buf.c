/* pyfmt_buf.c — the output buffer, error records and UTF-8 helpers of pyfmt. */
#include "pyfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pyfmt_buf_init(pyfmt_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void pyfmt_buf_free(pyfmt_buf *b)
{
    free(b->data);
    pyfmt_buf_init(b);
}

void pyfmt_buf_clear(pyfmt_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Grows so that extra more bytes plus the NUL fit; doubles to stay O(1)
 * amortised per byte. */
int pyfmt_buf_reserve(pyfmt_buf *b, size_t extra)
{
    if (extra >= ((size_t)-1) / 2 - b->len)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 32;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    p[b->len] = '\0';
    return 0;
}

int pyfmt_buf_append(pyfmt_buf *b, const char *s, size_t n)
{
    if (pyfmt_buf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int pyfmt_buf_puts(pyfmt_buf *b, const char *s)
{
    return pyfmt_buf_append(b, s, strlen(s));
}

int pyfmt_buf_putc(pyfmt_buf *b, char c)
{
    return pyfmt_buf_append(b, &c, 1);
}

int pyfmt_buf_fill(pyfmt_buf *b, char c, size_t n)
{
    if (pyfmt_buf_reserve(b, n) < 0)
        return -1;
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int pyfmt_buf_put_cp(pyfmt_buf *b, uint32_t cp)
{
    char tmp[4];
    return pyfmt_buf_append(b, tmp, (size_t)pyfmt_utf8_encode(cp, tmp));
}

int pyfmt_buf_fill_cp(pyfmt_buf *b, uint32_t cp, size_t n)
{
    if (cp < 0x80)
        return pyfmt_buf_fill(b, (char)cp, n);
    char tmp[4];
    size_t k = (size_t)pyfmt_utf8_encode(cp, tmp);
    if (n > ((size_t)-1) / 8 || pyfmt_buf_reserve(b, n * k) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        pyfmt_buf_append(b, tmp, k);
    return 0;
}

const char *pyfmt_buf_cstr(const pyfmt_buf *b)
{
    return b->data ? b->data : "";
}

int pyfmt_seterr(pyfmt_err *err, pyfmt_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return (int)code;
}

const char *pyfmt_status_name(pyfmt_status code)
{
    switch (code) {
    case PYFMT_OK: return "OK";
    case PYFMT_EVALUE: return "ValueError";
    case PYFMT_ETYPE: return "TypeError";
    case PYFMT_EOVERFLOW: return "OverflowError";
    case PYFMT_EINDEX: return "IndexError";
    case PYFMT_ENOMEM: return "MemoryError";
    case PYFMT_ECALLER: return "(caller)";
    }
    return "?";
}

/* A malformed sequence decodes its first byte as that byte's value, so every
 * position makes progress. */
uint32_t pyfmt_utf8_next(const char *s, size_t n, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t left = n - *pos;
    uint32_t c = p[0];
    int k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (k == 1 || (size_t)k > left) {
        *pos += 1;
        return c;
    }
    uint32_t cp = c & (0x7f >> k);
    for (int i = 1; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *pos += 1;
            return c;
        }
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    *pos += (size_t)k;
    return cp;
}

size_t pyfmt_utf8_len(const char *s, size_t n)
{
    size_t count = 0, pos = 0;
    while (pos < n) {
        if ((unsigned char)s[pos] < 0x80)
            pos++;
        else
            pyfmt_utf8_next(s, n, &pos);
        count++;
    }
    return count;
}

size_t pyfmt_utf8_offset(const char *s, size_t n, size_t i)
{
    size_t pos = 0;
    while (i > 0 && pos < n) {
        if ((unsigned char)s[pos] < 0x80)
            pos++;
        else
            pyfmt_utf8_next(s, n, &pos);
        i--;
    }
    return pos;
}

int pyfmt_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | ((cp >> 18) & 0x07));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}
