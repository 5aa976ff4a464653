/* util.c — buffers, JSON strings, error text and file checks shared by traces/. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_int.h"

char *trace__buf_grow(trace__buf *b, size_t n)
{
    if (b->oom)
        return NULL;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return NULL;
        }
        b->p = p;
        b->cap = cap;
    }
    return b->p + b->len;
}

void trace__buf_puts(trace__buf *b, const char *s)
{
    trace__buf_add(b, s, strlen(s));
}

void trace__buf_printf(trace__buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        trace__buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    trace__buf_add(b, big, (size_t)n);
    free(big);
}

void trace__buf_free(trace__buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000;
    else
        return 0;
    unsigned cp = c & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void trace__buf_json(trace__buf *b, const char *s)
{
    trace__buf_add(b, "\"", 1);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            trace__buf_add(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            char esc[2] = { '\\', (char)*p };
            trace__buf_add(b, esc, 2);
            p++;
        } else if (*p < 0x20) {
            switch (*p) {
            case '\n': trace__buf_add(b, "\\n", 2); break;
            case '\t': trace__buf_add(b, "\\t", 2); break;
            case '\r': trace__buf_add(b, "\\r", 2); break;
            default: trace__buf_printf(b, "\\u%04x", *p); break;
            }
            p++;
        } else {
            size_t n = utf8_len(p);
            if (n) {
                trace__buf_add(b, (const char *)p, n);
                p += n;
            } else {
                trace__buf_add(b, "\\ufffd", 6);
                p++;
            }
        }
    }
    trace__buf_add(b, "\"", 1);
}

void trace__err(char *err, size_t n, const char *fmt, ...)
{
    if (!err || !n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    trace__utf8_trim(err);
}

void trace__utf8_trim(char *s)
{
    size_t len = strlen(s);
    size_t i = len;
    /* Step back over at most 3 continuation bytes to the lead byte of the last char. */
    while (i > 0 && len - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && (unsigned char)s[i - 1] >= 0x80) {
        size_t lead = i - 1;
        unsigned c = (unsigned char)s[lead];
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (len - lead < need)
            s[lead] = '\0';
    }
}

trace__probe_kind trace__probe(const char *path, char *why, size_t n)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return TRACE__ABSENT;
        trace__err(why, n, "%s", strerror(errno));
        return TRACE__UNREADABLE;
    }
    if (S_ISDIR(st.st_mode)) {
        trace__err(why, n, "it is a directory");
        return TRACE__NOT_FILE;
    }
    if (!S_ISREG(st.st_mode)) {
        trace__err(why, n, "it is not a regular file");
        return TRACE__NOT_FILE;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        trace__err(why, n, "%s", strerror(errno));
        return TRACE__UNREADABLE;
    }
    char head[16];
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    if (got == 0) {
        trace__err(why, n, "it is an empty file, not an SQLite database");
        return TRACE__NOT_SQLITE;
    }
    if (got != (ssize_t)sizeof head || memcmp(head, "SQLite format 3", 16) != 0) {
        trace__err(why, n, "it is not an SQLite database");
        return TRACE__NOT_SQLITE;
    }
    return TRACE__SQLITE;
}

int trace__validate(sqlite3 *db, int *version, char *why, size_t n)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'format'", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        int code = sqlite3_errcode(db) & 0xFF;
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            trace__err(why, n, "it is a damaged SQLite file (%s)", sqlite3_errmsg(db));
        else if (strstr(sqlite3_errmsg(db), "no such table"))
            trace__err(why, n, "it is an SQLite database but not an aiosim trace (no meta table)");
        else
            trace__err(why, n, "cannot read it: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    rc = sqlite3_step(st);
    bool ok = rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT &&
              strcmp((const char *)sqlite3_column_text(st, 0), "aiosim-trace") == 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        trace__err(why, n, "cannot read it: %s", sqlite3_errmsg(db));
    else if (!ok)
        trace__err(why, n, "it is an SQLite database but not an aiosim trace (meta has no format 'aiosim-trace')");
    sqlite3_finalize(st);
    if (!ok)
        return -1;
    rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        trace__err(why, n, "cannot read its format version: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (*version < 1) {
        trace__err(why, n, "it is an SQLite database but not an aiosim trace (format version %d)", *version);
        return -1;
    }
    return 0;
}

void trace__dirname(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, n, ".");
    else if (slash == path)
        snprintf(buf, n, "/");
    else
        snprintf(buf, n, "%.*s", (int)(slash - path), path);
}
