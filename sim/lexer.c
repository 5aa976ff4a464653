/* lexer.c — the tokenizer, after CPython 3.11's Parser/tokenizer.c.
 *
 * Indentation is measured twice, as CPython does: `col` with tabs to multiples of 8,
 * `altcol` with tabs counting 1. Two lines whose order differs between the two
 * measures mix tabs and spaces ambiguously: TabError.
 */
#include "lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAXINDENT 100
#define MAXLEVEL 200

typedef struct lx {
    sim_lexer *L;
    const char *p, *end;
    const char *line_start;       /* start of the current physical line */
    int line;                     /* current physical line (1-based, before line_base) */
    int indents[MAXINDENT + 1], altindents[MAXINDENT + 1], nind;
    char parens[MAXLEVEL];        /* open brackets */
    int paren_line[MAXLEVEL], paren_col[MAXLEVEL];
    int level;
    int fexpr;                    /* lexing an f-string expression: no line structure */
    const char *comment;          /* a comment just skipped: the NEWLINE starts there */
} lx;

static const char *const op_texts[] = {
    "",
#define SIM_TOK_OP_TEXT(name, s) s,
    SIM_TOK_OP_LIST(SIM_TOK_OP_TEXT)
#undef SIM_TOK_OP_TEXT
};

static const char *const kw_texts[] = {
    "",
#define SIM_KW_TEXT(name, s) s,
    SIM_KEYWORD_LIST(SIM_KW_TEXT)
#undef SIM_KW_TEXT
};

const char *sim_tok_op_text(int op) { return op > 0 && op < T__COUNT ? op_texts[op] : "?"; }
const char *sim_keyword_text(int kw) { return kw > 0 && kw < KW__COUNT ? kw_texts[kw] : "?"; }

unsigned sim_utf8_decode(const char *s, size_t n, int *clen)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) { *clen = 0; return 0; }
    if (u[0] < 0x80) { *clen = 1; return u[0]; }
    int len = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
    if (len == 0 || (size_t)len > n) { *clen = 1; return 0xFFFD; }
    unsigned cp = u[0] & (0x7F >> len);
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) { *clen = 1; return 0xFFFD; }
        cp = cp << 6 | (u[i] & 0x3F);
    }
    *clen = len;
    return cp;
}

int sim_utf8_encode(unsigned cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { o[0] = 0xC0 | cp >> 6; o[1] = 0x80 | (cp & 0x3F); return 2; }
    if (cp < 0x10000) {
        o[0] = 0xE0 | cp >> 12; o[1] = 0x80 | (cp >> 6 & 0x3F); o[2] = 0x80 | (cp & 0x3F);
        return 3;
    }
    o[0] = 0xF0 | cp >> 18; o[1] = 0x80 | (cp >> 12 & 0x3F);
    o[2] = 0x80 | (cp >> 6 & 0x3F); o[3] = 0x80 | (cp & 0x3F);
    return 4;
}

/* Length of the valid UTF-8 sequence at s (strict: no overlongs, surrogates or
 * code points past U+10FFFF, as CPython's decoder), or 0. */
static int utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || (size_t)len > n) return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (len == 2 && c < 0xC2) return 0;
    if (len == 3) {
        unsigned cp = (c & 0x0F) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    }
    if (len == 4) {
        unsigned cp = (c & 0x07) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
        if (cp < 0x10000 || cp > 0x10FFFF) return 0;
    }
    return len;
}

/* The encoding named by a `coding[:=]` comment on line `line`, into enc ("" if none). */
static void coding_comment(const char *src, size_t len, int line, char *enc, size_t enclen)
{
    size_t n;
    const char *l = sim_lex_line(src, len, line, &n);
    size_t i = 0;
    enc[0] = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '\f')) i++;
    if (i >= n || l[i] != '#') return;
    for (; i + 7 <= n; i++) {
        if (memcmp(l + i, "coding", 6) != 0 || (l[i + 6] != ':' && l[i + 6] != '=')) continue;
        size_t j = i + 7, k = 0;
        while (j < n && (l[j] == ' ' || l[j] == '\t')) j++;
        while (j < n && k + 1 < enclen && (l[j] == '-' || l[j] == '_' || l[j] == '.' ||
               (l[j] >= '0' && l[j] <= '9') || ((l[j] | 0x20) >= 'a' && (l[j] | 0x20) <= 'z')))
        {
            char ch = l[j++];
            enc[k++] = ch >= 'A' && ch <= 'Z' ? (char)(ch | 0x20) : ch;
        }
        enc[k] = 0;
        return;
    }
}

int sim_lex_check_encoding(const char *src, size_t len, int *line, unsigned char *bad,
                           char *enc, size_t enclen)
{
    coding_comment(src, len, 1, enc, enclen);
    if (!enc[0]) {
        size_t n;
        const char *l1 = sim_lex_line(src, len, 1, &n);
        size_t i = 0;                  /* line 2 counts only after a blank/comment line 1 */
        while (i < n && (l1[i] == ' ' || l1[i] == '\t' || l1[i] == '\f')) i++;
        if (i == n || l1[i] == '#') coding_comment(src, len, 2, enc, enclen);
    }
    int utf8 = !enc[0] || !strcmp(enc, "utf-8") || !strcmp(enc, "utf8") || !strcmp(enc, "utf_8") ||
               !strncmp(enc, "utf-8-", 6) || !strncmp(enc, "utf_8_", 6);
    const unsigned char *s = (const unsigned char *)src;
    size_t i = len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3) ? 3 : 0;
    *line = 1;
    for (; i < len; i++) {
        if (s[i] == '\n') (*line)++;
        if (s[i] < 0x80) continue;
        if (!utf8) return 2;
        if (enc[0]) return 0;          /* declared UTF-8: CPython decodes line by line */
        int k = utf8_valid_len(s + i, len - i);
        if (!k) {
            *bad = s[i];
            return 1;
        }
        i += (size_t)k - 1;
    }
    return 0;
}

const char *sim_lex_line(const char *src, size_t len, int line, size_t *linelen)
{
    const char *p = src, *end = src + len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) { p = end; break; }
        p = nl + 1;
    }
    const char *e = p;
    while (e < end && *e != '\n' && *e != '\r') e++;
    *linelen = (size_t)(e - p);
    return p;
}

/* ---- token output ---------------------------------------------------------- */

static int col_of(const lx *x, const char *p)
{
    int col = (int)(p - x->line_start);
    return x->line == 1 ? col + x->L->col_base : col;
}

static int push(lx *x, sim_tok_kind kind, int op, const char *start, const char *stop,
                int line, int col)
{
    sim_lexer *L = x->L;
    if (L->ntoks == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 256;
        sim_token *t = sim_code__realloc(L->toks, cap * sizeof *t);
        if (!t) return -1;
        L->toks = t;
        L->cap = cap;
    }
    sim_token *t = &L->toks[L->ntoks++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->op = op;
    t->start = start;
    t->len = (size_t)(stop - start);
    t->line = line + L->line_base;
    t->col = col;
    t->end_line = x->line + L->line_base;
    t->end_col = kind == TOK_INDENT || kind == TOK_DEDENT ? -1 : col_of(x, stop);
    t->level = x->level;
    return 0;
}

/* Records a tokenizer error at 1-based byte column `col` of `line` and pushes the
 * TOK_ERROR token that ends the stream. Always returns 1 ("stop"), or -1 on OOM. */
static int error_at(lx *x, sim_diag_kind kind, int line, int col, const char *fmt, ...)
{
    sim_lex_error *e = &x->L->err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->kind = kind;
    e->raised = kind == SIM_DIAG_SYNTAX;
    e->line = line + x->L->line_base;
    e->col = col;
    e->end_line = e->line;
    e->end_col = 0;
    /* the token sits where the lexer stopped (for an unclosed bracket: the end) */
    if (push(x, TOK_ERROR, 0, x->p, x->p, x->line, col_of(x, x->p)) < 0) return -1;
    return 1;
}

static int error_here(lx *x, const char *at, const char *fmt, const char *arg)
{
    return error_at(x, SIM_DIAG_SYNTAX, x->line, col_of(x, at) + 1, fmt, arg);
}

/* ---- character classes ----------------------------------------------------- */

/* Code points >= 0x80 are identifier characters except the punctuation and spaces
 * that Chinese text brings into code by accident (full-width comma, colon, quotes,
 * ideographic space, ...), which CPython rejects as invalid characters. */
static int is_id_cp(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' ||
               (cp >= '0' && cp <= '9');
    if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return 1;
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return 0;
    if (cp >= 0x2000 && cp <= 0x206F) return 0;   /* general punctuation */
    if (cp >= 0x2190 && cp <= 0x2BFF) return 0;   /* arrows, math, boxes, symbols */
    if (cp >= 0x3000 && cp <= 0x303F) return 0;   /* CJK symbols and punctuation */
    if (cp >= 0xFE30 && cp <= 0xFE4F) return 0;   /* CJK compatibility forms */
    if (cp >= 0xFF00 && cp <= 0xFF0F) return 0;   /* full-width ! " # ... / */
    if (cp >= 0xFF1A && cp <= 0xFF20) return 0;   /* full-width : ; < = > ? @ */
    if (cp >= 0xFF3B && cp <= 0xFF40) return 0;
    if (cp >= 0xFF5B && cp <= 0xFF65) return 0;
    if (cp == 0xFFFD || cp == 0xFEFF) return 0;
    if (cp >= 0x1F000) return 0;                  /* emoji */
    return 1;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static unsigned peek_cp(const lx *x, const char *p, int *clen)
{
    return sim_utf8_decode(p, (size_t)(x->end - p), clen);
}

static int is_id_start_at(const lx *x, const char *p)
{
    int n;
    if (p >= x->end) return 0;
    unsigned cp = peek_cp(x, p, &n);
    return is_id_cp(cp) && !is_digit((int)cp);
}

static int is_id_at(const lx *x, const char *p)
{
    int n;
    return p < x->end && is_id_cp(peek_cp(x, p, &n));
}

/* ---- numbers --------------------------------------------------------------- */

/* digits ('_' digits)*; returns the end, or NULL after reporting "invalid decimal
 * literal" at a '_' not followed by a digit. */
static const char *decimal_tail(lx *x, const char *p, int *rc)
{
    for (;;) {
        while (p < x->end && is_digit(*p)) p++;
        if (p < x->end && *p == '_') {
            if (p + 1 < x->end && is_digit(p[1])) { p++; continue; }
            *rc = error_here(x, p, "invalid decimal literal", NULL);
            return NULL;
        }
        return p;
    }
}

static int radix_digit(int c, int radix)
{
    int v = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
          : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
    return v < radix ? v : -1;
}

/* CPython's verify_end_of_number: a number may run into a keyword (`1if x else
 * 2`, deprecated but valid); any other identifier character right after it is an
 * error, reported at the number's last character. Returns 1 if p may end it. */
static int number_may_end(lx *x, const char *p, const char *what, int *rc)
{
    static const char *const kws[] = {"and", "else", "for", "if", "in", "is", "or", "not"};
    if (!is_id_at(x, p)) return 1;
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        size_t n = strlen(kws[i]);
        if ((size_t)(x->end - p) >= n && memcmp(p, kws[i], n) == 0) return 1;
    }
    char m[64];
    snprintf(m, sizeof m, "invalid %s literal", what);
    *rc = error_here(x, p - 1, "%s", m);
    return 0;
}

/* 0x / 0o / 0b literals. */
static int lex_radix(lx *x, const char *start, int *rc)
{
    const char *p = start + 2;
    int radix = (start[1] | 0x20) == 'x' ? 16 : (start[1] | 0x20) == 'o' ? 8 : 2;
    const char *what = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary";
    int ndig = 0;
    for (;;) {
        if (p < x->end && *p == '_') p++;
        if (p < x->end && radix_digit(*p, radix) >= 0) {
            while (p < x->end && radix_digit(*p, radix) >= 0) { p++; ndig++; }
            if (p < x->end && *p == '_') continue;
            if (p < x->end && is_digit(*p) && radix != 16) continue;   /* reported below */
            break;
        }
        if (p < x->end && is_digit(*p) && radix != 16) {
            char m[64];
            snprintf(m, sizeof m, "invalid digit '%c' in %s literal", *p, what);
            *rc = error_here(x, p, "%s", m);
            return -1;
        }
        char m[64];
        snprintf(m, sizeof m, "invalid %s literal", what);
        *rc = error_here(x, p - 1, "%s", m);
        return -1;
    }
    (void)ndig;
    if (!number_may_end(x, p, what, rc)) return -1;
    return (int)(p - start);
}

/* Returns the length of the number at start, or -1 after an error (*rc set). */
static int lex_number(lx *x, const char *start, int *rc)
{
    const char *p = start;
    if (*p == '0' && p + 1 < x->end && strchr("xXoObB", p[1]) && p[1])
        return lex_radix(x, start, rc);
    int is_float = 0;
    if (*p != '.') {
        if (!(p = decimal_tail(x, p, rc))) return -1;
    }
    if (p < x->end && *p == '.') {
        is_float = 1;
        p++;
        if (p < x->end && is_digit(*p) && !(p = decimal_tail(x, p, rc))) return -1;
    }
    if (p < x->end && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        int sign = q < x->end && (*q == '+' || *q == '-');
        if (sign) q++;
        if (q < x->end && is_digit(*q)) {
            if (!(p = decimal_tail(x, q, rc))) return -1;
            is_float = 1;
        } else if (sign) {
            *rc = error_here(x, q - 1, "invalid decimal literal", NULL);
            return -1;
        } else {                          /* `1else`: the number ends before the e */
            return number_may_end(x, p, "decimal", rc) ? (int)(p - start) : -1;
        }
    }
    if (p < x->end && (*p == 'j' || *p == 'J')) {
        p++;           /* imaginary: the parser reports it as unsupported */
    } else if (!number_may_end(x, p, "decimal", rc)) {
        return -1;
    }
    if (!is_float && *start == '0') {
        for (const char *q = start; q < p; q++)
            if (*q != '0' && *q != '_' && *q != 'j' && *q != 'J') {
                *rc = error_here(x, start, "leading zeros in decimal integer literals are not "
                                           "permitted; use an 0o prefix for octal integers", NULL);
                return -1;
            }
    }
    return (int)(p - start);
}

/* ---- strings --------------------------------------------------------------- */

/* Is [start, p) a string prefix (r, u, f, b, rb, br, fr, rf in any case)? */
static int is_string_prefix(const char *s, size_t n)
{
    if (n == 0 || n > 2) return 0;
    char a = (char)(s[0] | 0x20), b = n == 2 ? (char)(s[1] | 0x20) : 0;
    if (n == 1) return a == 'r' || a == 'u' || a == 'f' || a == 'b';
    return (a == 'r' && (b == 'b' || b == 'f')) || (b == 'r' && (a == 'b' || a == 'f'));
}

/* Scans the string whose opening quote is at q (prefix from start). Returns the end
 * (after the closing quote), or NULL after an error. */
static const char *lex_string(lx *x, const char *start, const char *q, int *rc)
{
    char quote = *q;
    int triple = q + 2 < x->end && q[1] == quote && q[2] == quote;
    int start_line = x->line, start_col = col_of(x, start) + 1;
    const char *p = q + (triple ? 3 : 1);
    for (;;) {
        if (p >= x->end) break;
        char c = *p;
        if (c == '\\') {
            if (p + 1 < x->end) {
                if (p[1] == '\n') { x->line++; x->line_start = p + 2; }
                p += 2;
                continue;
            }
            p++;
            continue;
        }
        if (c == '\n') {
            if (!triple) break;
            x->line++;
            x->line_start = p + 1;
            p++;
            continue;
        }
        if (c == quote) {
            if (!triple) return p + 1;
            if (p + 2 < x->end && p[1] == quote && p[2] == quote) return p + 3;
        }
        p++;
    }
    int detected = x->line;
    /* CPython counts a line when it reads it: a final newline starts none */
    if (p >= x->end && p > x->L->src && p[-1] == '\n') detected--;
    if (detected < start_line) detected = start_line;
    *rc = error_at(x, SIM_DIAG_SYNTAX, start_line, start_col,
                   triple ? "unterminated triple-quoted string literal (detected at line %d)"
                          : "unterminated string literal (detected at line %d)",
                   detected + x->L->line_base);
    x->L->err.line = start_line + x->L->line_base;
    return NULL;
}

/* ---- operators ------------------------------------------------------------- */

/* Longest operator at p; returns its sim_tok_op and length, or 0. */
static int match_op(const lx *x, const char *p, int *len)
{
    int best = 0, bestlen = 0;
    for (int op = 1; op < T__COUNT; op++) {
        int n = (int)strlen(op_texts[op]);
        if (n > bestlen && p + n <= x->end && memcmp(p, op_texts[op], (size_t)n) == 0) {
            best = op;
            bestlen = n;
        }
    }
    *len = bestlen;
    return best;
}

static int bracket_op(lx *x, int op, const char *p)
{
    static const char close_of[] = {['('] = ')', ['['] = ']', ['{'] = '}'};
    char c = *p;
    if (op == T_LPAR || op == T_LSQB || op == T_LBRACE) {
        if (x->level >= MAXLEVEL)
            return error_here(x, p, "too many nested parentheses", NULL);
        x->parens[x->level] = c;
        x->paren_line[x->level] = x->line;
        x->paren_col[x->level] = col_of(x, p);
        x->level++;
    } else if (op == T_RPAR || op == T_RSQB || op == T_RBRACE) {
        if (x->level == 0) {
            char m[40];
            snprintf(m, sizeof m, "unmatched '%c'", c);
            return error_here(x, p, "%s", m);
        }
        char open = x->parens[x->level - 1];
        if (close_of[(unsigned char)open] != c) {
            char m[120];
            if (x->paren_line[x->level - 1] != x->line)
                snprintf(m, sizeof m, "closing parenthesis '%c' does not match opening "
                         "parenthesis '%c' on line %d", c, open,
                         x->paren_line[x->level - 1] + x->L->line_base);
            else
                snprintf(m, sizeof m, "closing parenthesis '%c' does not match opening "
                         "parenthesis '%c'", c, open);
            return error_here(x, p, "%s", m);
        }
        x->level--;
    }
    return 0;
}

/* ---- line structure -------------------------------------------------------- */

/* At the start of a logical line: measures the indentation and pushes INDENT /
 * DEDENT tokens. Returns 0, 1 after an error token, -1 on OOM; *blank is set for
 * lines holding nothing but whitespace or a comment (they produce no tokens). */
static int indentation(lx *x, int *blank)
{
    int col = 0, altcol = 0;
    const char *p = x->p;
    for (; p < x->end; p++) {
        if (*p == ' ') { col++; altcol++; }
        else if (*p == '\t') { col = (col / 8 + 1) * 8; altcol++; }
        else if (*p == '\f') { col = altcol = 0; }
        else break;
    }
    x->p = p;
    *blank = p >= x->end || *p == '#' || *p == '\n' || *p == '\r';
    if (*blank || *p == '\\')         /* a leading backslash: no indentation check */
        return 0;
    int top = x->nind;
    if (col == x->indents[top]) {
        if (altcol != x->altindents[top]) goto tab_error;
    } else if (col > x->indents[top]) {
        if (altcol <= x->altindents[top]) goto tab_error;
        if (top + 1 > MAXINDENT)
            return error_at(x, SIM_DIAG_INDENTATION, x->line, 0, "too many levels of indentation");
        x->nind++;
        x->indents[x->nind] = col;
        x->altindents[x->nind] = altcol;
        return push(x, TOK_INDENT, 0, p, p, x->line, -1);
    } else {
        int k = x->nind;                /* a bad dedent is reported before any DEDENT */
        while (k > 0 && col < x->indents[k]) k--;
        if (col != x->indents[k]) {
            size_t n;
            sim_lex_line(x->L->src, x->L->len, x->line, &n);
            return error_at(x, SIM_DIAG_INDENTATION, x->line, (int)n + 1,
                            "unindent does not match any outer indentation level");
        }
        if (altcol != x->altindents[k]) goto tab_error;
        while (x->nind > k) {
            x->nind--;
            if (push(x, TOK_DEDENT, 0, p, p, x->line, -1) < 0) return -1;
        }
    }
    return 0;
tab_error:
    return error_at(x, SIM_DIAG_TAB, x->line, 0, "inconsistent use of tabs and spaces in indentation");
}

static void newline(lx *x, const char *p)
{
    x->line++;
    x->line_start = p + 1;
}

/* End of input: NEWLINE if the last line lacks one, DEDENTs, ENDMARKER; or the
 * "'(' was never closed" error token. */
static int at_eof(lx *x)
{
    sim_lexer *L = x->L;
    if (x->level > 0 && !x->fexpr) {
        int i = x->level - 1;
        int rc = error_at(x, SIM_DIAG_SYNTAX, x->paren_line[i], x->paren_col[i] + 1,
                          "'%c' was never closed", x->parens[i]);
        L->err.eof_unclosed = 1;
        return rc < 0 ? -1 : 0;
    }
    if (!x->fexpr && L->ntoks > 0) {
        sim_tok_kind last = L->toks[L->ntoks - 1].kind;
        if (last != TOK_NEWLINE && last != TOK_DEDENT && last != TOK_INDENT &&
            push(x, TOK_NEWLINE, 0, x->p, x->p, x->line, col_of(x, x->p)) < 0)
            return -1;
    }
    if (!x->fexpr && x->line_start < x->end) {      /* a last line without '\n' */
        x->line++;
        x->line_start = x->end;
    }
    while (!x->fexpr && x->nind > 0) {
        x->nind--;
        if (push(x, TOK_DEDENT, 0, x->p, x->p, x->line, 0) < 0) return -1;
    }
    int col = x->fexpr ? col_of(x, x->p) : 0;
    return push(x, TOK_ENDMARKER, 0, x->p, x->p, x->line, col) < 0 ? -1 : 0;
}

/* A name, or a string with its prefix. */
static int lex_name_or_string(lx *x, int *rc)
{
    const char *start = x->p, *p = x->p;
    int n;
    while (p < x->end && is_id_cp(peek_cp(x, p, &n))) p += n;
    if (p < x->end && (*p == '"' || *p == '\'') && is_string_prefix(start, (size_t)(p - start))) {
        int line = x->line, col = col_of(x, start);
        const char *e = lex_string(x, start, p, rc);
        if (!e) return *rc;
        x->p = e;
        return push(x, TOK_STRING, 0, start, e, line, col);
    }
    x->p = p;
    if (push(x, TOK_NAME, 0, start, p, x->line, col_of(x, start)) < 0) return -1;
    sim_token *t = &x->L->toks[x->L->ntoks - 1];
    for (int k = 1; k < KW__COUNT; k++)
        if (strlen(kw_texts[k]) == t->len && memcmp(kw_texts[k], start, t->len) == 0)
            t->kw = k;
    return 0;
}

/* The character at p starts no token. */
static int invalid_char(lx *x, const char *p)
{
    int n;
    unsigned cp = peek_cp(x, p, &n);
    char m[80];
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xA0 || cp == 0x3000 ||
        cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029)
        snprintf(m, sizeof m, "invalid non-printable character U+%04X", cp);
    else
        snprintf(m, sizeof m, "invalid character '%.*s' (U+%04X)", n, p, cp);
    return error_here(x, p, "%s", m);
}

/* One token (or a skipped comment / joined line) at x->p, not at a line start. */
static int lex_one(lx *x, int *atbol)
{
    const char *p = x->p;
    char c = *p;
    int rc = 0, len;
    if (c == '#') {
        x->comment = p;
        while (x->p < x->end && *x->p != '\n' && *x->p != '\r') x->p++;
        return 0;
    }
    if (c == '\r' && p + 1 < x->end && p[1] == '\n') { x->p++; return 0; }
    if (c == '\n' || c == '\r') {
        x->p++;
        if (x->level == 0 && !x->fexpr) {
            const char *start = x->comment ? x->comment : p;    /* as CPython's tok->start */
            if (push(x, TOK_NEWLINE, 0, start, p + 1, x->line, col_of(x, start)) < 0) return -1;
            *atbol = 1;
        }
        x->comment = NULL;
        newline(x, p);
        return 0;
    }
    if (c == '\\') {
        if (p + 1 < x->end && p[1] == '\n') { x->p += 2; newline(x, p + 1); return 0; }
        if (p + 2 < x->end && p[1] == '\r' && p[2] == '\n') { x->p += 3; newline(x, p + 2); return 0; }
        int rc = p + 1 >= x->end ? error_here(x, p + 1, "unexpected EOF while parsing", NULL)
               : error_here(x, p + 1, "unexpected character after line continuation character", NULL);
        x->L->err.raised = 0;          /* E_EOF / E_LINECONT: status codes */
        return rc;
    }
    if (is_id_start_at(x, p))
        return lex_name_or_string(x, &rc);
    if (is_digit(c) || (c == '.' && p + 1 < x->end && is_digit(p[1]))) {
        len = lex_number(x, p, &rc);
        if (len < 0) return rc;
        x->p += len;
        return push(x, TOK_NUMBER, 0, p, p + len, x->line, col_of(x, p));
    }
    if (c == '"' || c == '\'') {
        int line = x->line, col = col_of(x, p);
        const char *e = lex_string(x, p, p, &rc);
        if (!e) return rc;
        x->p = e;
        return push(x, TOK_STRING, 0, p, e, line, col);
    }
    int op = match_op(x, p, &len);
    if ((op == 0 && (c == '$' || c == '?' || c == '`')) || (op == T_EXCLAMATION && !x->fexpr)) {
        /* CPython's tokenizer passes these on; the parser finds them invalid */
        x->p += 1;
        return push(x, TOK_OP, 0, p, p + 1, x->line, col_of(x, p));
    }
    if (op == 0)
        return invalid_char(x, p);
    if ((rc = bracket_op(x, op, p)) != 0) return rc;
    x->p += len;
    return push(x, TOK_OP, op, p, p + len, x->line, col_of(x, p));
}

int sim_lex(sim_lexer *L, const char *src, size_t len, int line_base, int col_base,
            int fstring_expr)
{
    memset(L, 0, sizeof *L);
    L->src = src;
    L->len = len;
    L->line_base = line_base;
    L->col_base = col_base;
    lx x;
    memset(&x, 0, sizeof x);
    x.L = L;
    x.p = x.line_start = src;
    x.end = src + len;
    x.line = 1;
    x.fexpr = fstring_expr;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        x.p = x.line_start = src + 3;   /* a UTF-8 BOM */
    int atbol = !fstring_expr, rc = 0;
    for (;;) {
        if (atbol) {
            int blank;
            if ((rc = indentation(&x, &blank)) != 0) break;
            atbol = 0;
            if (blank) {
                while (x.p < x.end && *x.p != '\n') x.p++;
                if (x.p >= x.end) break;
                newline(&x, x.p);
                x.p++;
                atbol = 1;
                continue;
            }
        }
        while (x.p < x.end && (*x.p == ' ' || *x.p == '\t' || *x.p == '\f')) x.p++;
        if (x.p >= x.end) break;
        if ((rc = lex_one(&x, &atbol)) != 0) break;
    }
    if (rc < 0) return -1;
    if (rc > 0) return 0;       /* stopped at an error token */
    return at_eof(&x);
}

void sim_lex_free(sim_lexer *L)
{
    sim_code__realloc(L->toks, 0);
    L->toks = NULL;
    L->ntoks = L->cap = 0;
}
