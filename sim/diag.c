/* diag.c — compile diagnostics: building them from parser/compiler errors and
 * printing them exactly as CPython 3.11 prints an uncaught SyntaxError
 * (Python/pythonrun.c: print_exception + print_error_text). */
#include "compile.h"
#include "lexer.h"
#include "parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {
#define SIM_DIAG_NAME(k, s) s,
    SIM_DIAG_KIND_LIST(SIM_DIAG_NAME)
#undef SIM_DIAG_NAME
};

const char *sim_diag_kind_name(sim_diag_kind kind)
{
    return kind <= SIM_DIAG_RECURSION ? kind_names[kind] : "SyntaxError";
}

void sim_diag_clear(sim_diag *d)
{
    if (!d) return;
    sim_code__realloc(d->message, 0);
    sim_code__realloc(d->filename, 0);
    sim_code__realloc(d->text, 0);
    memset(d, 0, sizeof *d);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = sim_code__realloc(NULL, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* 0-based byte column -> 1-based character offset in text (past its end: one per byte). */
static int char_offset(const char *text, size_t len, int col)
{
    if (col < 0) return 0;
    int chars = 0;
    size_t i = 0;
    while (i < len && i < (size_t)col) {
        int n;
        sim_utf8_decode(text + i, len - i, &n);
        i += (size_t)n;
        chars++;
    }
    return chars + (col > (int)i ? col - (int)i : 0) + 1;
}

int sim__diag_from_error(sim_diag *d, const char *filename, const char *src, size_t len,
                         const sim_perr *e)
{
    memset(d, 0, sizeof *d);
    d->kind = e->kind;
    d->message = dup_n(e->msg, strlen(e->msg));
    d->filename = dup_n(filename, strlen(filename));
    d->line = e->line;
    d->end_line = e->end_line ? e->end_line : e->line;
    size_t tl = 0;
    const char *text = NULL;
    if (e->text) {
        text = e->text;
        tl = strlen(text);
    } else if (e->line > 0) {
        text = sim_lex_line(src, len, e->line, &tl);
        if (text == src + len && e->line > 1 && tl == 0 && (len == 0 || src[len - 1] == '\n'))
            text = NULL;          /* past the last line: CPython shows no text */
    }
    if (text) {
        if (!e->text && e->line == 1 && tl >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
            text += 3;
            tl -= 3;
        }
        d->text = dup_n(text, tl);
        /* CPython 3.11 running a script: parser errors carry UTF-8 byte offsets,
         * tokenizer errors character offsets (and the caret follows either) */
        int chars = e->char_cols || e->kind == SIM_DIAG_UNSUPPORTED;
        d->col = e->col < 0 ? 0 : chars ? char_offset(text, tl, e->col) : e->col + 1;
        d->end_col = e->end_col < 0 ? 0 : chars ? char_offset(text, tl, e->end_col) : e->end_col + 1;
    } else {
        d->col = e->col < 0 ? 0 : e->col + 1;
        d->end_col = e->end_col < 0 ? 0 : e->end_col + 1;
    }
    return d->message && d->filename ? 0 : -1;
}

/* ---- formatting ------------------------------------------------------------ */

typedef struct obuf { char *s; size_t len, cap; int failed; } obuf;

static void out(obuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || b->failed) { b->failed = 1; return; }
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->len + (size_t)n + 1) * 2;
        char *s = sim_code__realloc(b->s, cap);
        if (!s) { b->failed = 1; return; }
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* print_error_text of CPython 3.11, on byte offsets (as 3.11 prints them). */
static void error_text(obuf *b, const sim_diag *d)
{
    const char *text = d->text;
    size_t tl = strlen(text);
    int offset = d->col;
    int end = -1;
    if (d->kind == SIM_DIAG_SYNTAX && d->end_col > 0) {   /* subclasses get one caret */
        end = d->end_col;
        if (d->end_line > d->line) end = (int)tl + 1;   /* SyntaxError.text keeps its '\n' */
        if (end > (int)tl + 1) end = (int)tl + 1;
    }
    int carets = (end > 0 && end > offset) ? end - offset : 1;
    offset--;
    while (*text == ' ' || *text == '\t' || *text == '\f') {
        text++;
        offset--;
    }
    int len = (int)strlen(text);
    if (offset > len) offset = len;
    out(b, "    %s\n", text);
    if (offset < 0) return;
    out(b, "    %*s", offset, "");
    for (int i = 0; i < carets; i++) out(b, "^");
    out(b, "\n");
}

char *sim_diag_format(const sim_diag *d)
{
    obuf b = {0};
    const char *msg = d->message ? d->message : "";
    if (d->kind == SIM_DIAG_UNSUPPORTED || d->kind == SIM_DIAG_NOMEM) {
        out(&b, "%s:%d:%d: %s\n", d->filename ? d->filename : "?", d->line, d->col, msg);
    } else {
        if (d->line > 0)               /* 0: an error with no position (source encoding) */
            out(&b, "  File \"%s\", line %d\n", d->filename ? d->filename : "?", d->line);
        if (d->text && d->line > 0) error_text(&b, d);
        out(&b, "%s: %s\n", sim_diag_kind_name(d->kind), msg);
    }
    if (b.failed) {
        sim_code__realloc(b.s, 0);
        return NULL;
    }
    return b.s;
}
