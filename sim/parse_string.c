/* parse_string.c — number literals, string literals (escapes, implicit
 * concatenation) and f-strings.
 *
 * An f-string is split here, as CPython 3.11's Parser/string_parser.c does: literal
 * text, and for each replacement field the expression text, which a sub-parser on
 * its own token array turns into an AST (positions stay those of the file), then an
 * optional `=`, conversion and format spec (itself an f-string, one level deeper).
 */
#include "parser.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOK(p) sim__tok(p)

/* ---- numbers --------------------------------------------------------------- */

/* NUMBER: int (decimal, 0x, 0o, 0b, with '_') or float. 64-bit ints only. */
sim_node *sim__number(sim_parser *p)
{
    sim_token *t = TOK(p);
    char buf[128];
    size_t n = 0;
    for (size_t i = 0; i < t->len && n + 1 < sizeof buf; i++)
        if (t->start[i] != '_') buf[n++] = t->start[i];
    buf[n] = 0;
    sim_node *e = sim__node(p, E_CONST, t);
    if (!e) return NULL;
    p->pos++;
    if (n && (buf[n - 1] == 'j' || buf[n - 1] == 'J')) {
        sim__unsupported(p, t->line, t->col, "complex numbers");
        return NULL;
    }
    int is_float = buf[0] != '0' || n == 1 || !strchr("xXoObB", buf[1]);
    is_float = is_float && strpbrk(buf, ".eE") != NULL;
    errno = 0;
    if (is_float) {
        e->cval = SIM_CONST_FLOAT;
        e->dval = strtod(buf, NULL);
        return e;
    }
    int base = 10;
    const char *digits = buf;
    if (n > 1 && buf[0] == '0' && strchr("xXoObB", buf[1])) {
        base = (buf[1] | 0x20) == 'x' ? 16 : (buf[1] | 0x20) == 'o' ? 8 : 2;
        digits = buf + 2;
    }
    unsigned long long v = strtoull(digits, NULL, base);
    if (errno == ERANGE || v > (unsigned long long)INT64_MAX || n + 1 >= sizeof buf) {
        sim__unsupported(p, t->line, t->col, "integers larger than 64 bits");
        return NULL;
    }
    e->cval = SIM_CONST_INT;
    e->ival = (int64_t)v;
    return e;
}

/* ---- escapes --------------------------------------------------------------- */

/* A growing byte string in the arena's allocator (freed by the caller). */
typedef struct sbuf { char *s; size_t len, cap; } sbuf;

static int sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *ns = sim_code__realloc(b->s, cap);
        if (!ns) return -1;
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* Decodes the escape at s[0] == '\\' (n bytes left) into b; returns the bytes used,
 * or 0 for an escape that is an error (*what says which). */
static size_t escape(sbuf *b, const char *s, size_t n, const char **what)
{
    static const char simple[] = "\n\\'\"abfnrtv";
    static const char value[] = "\0\\'\"\a\b\f\n\r\t\v";
    if (n < 2) { sb_add(b, "\\", 1); return 1; }
    char c = s[1];
    const char *k = strchr(simple, c);
    if (c && k) {
        if (c != '\n') sb_add(b, &value[k - simple], 1);
        return 2;
    }
    if (c >= '0' && c <= '7') {
        unsigned v = 0;
        size_t i = 1;
        while (i < 4 && i < n && s[i] >= '0' && s[i] <= '7') v = v * 8 + (unsigned)(s[i++] - '0');
        char out[4];
        sb_add(b, out, (size_t)sim_utf8_encode(v, out));
        return i;
    }
    int width = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (width) {
        unsigned v = 0;
        for (int i = 0; i < width; i++) {
            if ((size_t)(2 + i) >= n || hexval(s[2 + i]) < 0) {
                *what = c == 'x' ? "truncated \\xXX escape" : c == 'u' ? "truncated \\uXXXX escape"
                                                                        : "truncated \\UXXXXXXXX escape";
                return 0;
            }
            v = v * 16 + (unsigned)hexval(s[2 + i]);
        }
        if (v > 0x10FFFF) { *what = "illegal Unicode character"; return 0; }
        char out[4];
        sb_add(b, out, (size_t)sim_utf8_encode(v, out));
        return (size_t)(2 + width);
    }
    if (c == 'N') { *what = "\\N{...} escapes"; return 0; }
    sb_add(b, s, 2);           /* unknown escapes stay as they are */
    return 2;
}

/* Decodes the body of a non-f string into b. */
static int decode_plain(sim_parser *p, const sim_token *t, sbuf *b, const char *s, size_t n, int raw)
{
    for (size_t i = 0; i < n;) {
        if (s[i] == '\\' && !raw) {
            const char *what = NULL;
            size_t used = escape(b, s + i, n - i, &what);
            if (!used) {
                if (what[0] == '\\')
                    sim__unsupported(p, t->line, t->col, what);
                else
                    sim__error(p, SIM_DIAG_SYNTAX, t->line, t->col, t->end_line, t->end_col,
                               "(unicode error) 'unicodeescape' codec can't decode bytes: %s", what);
                return -1;
            }
            i += used;
        } else {
            size_t j = i;
            while (j < n && (raw || s[j] != '\\') && s[j] != '\r') j++;
            if (j == i) j++;     /* a '\r' of "\r\n" inside a triple-quoted string: drop */
            else if (sb_add(b, s + i, j - i) < 0) return -1;
            i = j;
        }
    }
    return 0;
}

/* The parts of one string token: prefix flags and body. */
typedef struct strparts {
    int raw, is_f, is_b;
    const char *body;
    size_t len;
    int quote_len;
} strparts;

static void split_token(const sim_token *t, strparts *s)
{
    memset(s, 0, sizeof *s);
    size_t i = 0;
    while (t->start[i] != '"' && t->start[i] != '\'') {
        char c = (char)(t->start[i] | 0x20);
        s->raw |= c == 'r';
        s->is_f |= c == 'f';
        s->is_b |= c == 'b';
        i++;
    }
    char q = t->start[i];
    s->quote_len = (i + 2 < t->len && t->start[i + 1] == q && t->start[i + 2] == q &&
                    t->len - i >= 6) ? 3 : 1;
    s->body = t->start + i + (size_t)s->quote_len;
    s->len = t->len - i - 2 * (size_t)s->quote_len;
}

/* ---- f-strings ------------------------------------------------------------- */

typedef struct fctx {
    sim_parser *p;
    const sim_token *t;       /* the string token (for positions and errors) */
    int raw;
} fctx;

static void fstr_error(fctx *f, const char *msg)
{
    const sim_token *t = f->t;
    sim__error(f->p, SIM_DIAG_SYNTAX, t->line, t->end_col, t->line, -1, "f-string: %s", msg);
}

/* Flushes pending literal text as an E_CONST part of js. */
static int flush_literal(fctx *f, sim_node *js, sbuf *lit)
{
    if (!lit->len) return 0;
    sim_node *c = sim__node(f->p, E_CONST, f->t);
    if (!c) return -1;
    c->cval = SIM_CONST_STR;
    c->str = sim_arena_strndup(f->p->A, lit->s, lit->len);
    c->len = lit->len;
    lit->len = 0;
    return c->str && sim__push(f->p, &js->elts, c) ? 0 : -1;
}

/* Line and column in the file of a byte inside the token's text. */
static void position_of(const fctx *f, const char *at, int *line, int *col)
{
    *line = f->t->line;
    const char *ls = NULL;
    for (const char *q = f->t->start; q < at; q++)
        if (*q == '\n') { (*line)++; ls = q + 1; }
    *col = ls ? (int)(at - ls) : f->t->col + (int)(at - f->t->start);
}

/* Parses expression text [s, s+n) with a sub-parser; errors come out in CPython's
 * f-string form: "f-string: invalid syntax", shown on the text "(expr)". */
static sim_node *fstring_expr(fctx *f, const char *s, size_t n)
{
    sim_parser *p = f->p;
    int line, col;
    position_of(f, s, &line, &col);
    sim_parser q;
    memset(&q, 0, sizeof q);
    q.A = p->A;
    q.src = p->src;
    q.srclen = p->srclen;
    q.err = p->err;
    q.fstring_depth = p->fstring_depth + 1;
    if (sim_lex(&q.lex, s, n, line - 1, col, 1) < 0) { p->A->failed = 1; return NULL; }
    q.toks = q.lex.toks;
    q.ntoks = q.lex.ntoks;
    sim_node *e = sim__is_kw(&q, KW_YIELD) ? sim__yield_expr(&q) : sim__star_expressions(&q);
    if (e && sim__tok(&q)->kind != TOK_ENDMARKER) {
        sim__bracket_error(&q, e);      /* CPython parses "(expr)": inside brackets */
        e = NULL;
    }
    sim_perr *err = p->err;
    if (!e && err->kind != SIM_DIAG_NONE && err->kind != SIM_DIAG_UNSUPPORTED && !err->text &&
        strncmp(err->msg, "f-string", 8) != 0) {
        if (!err->char_cols) {          /* the tokenizer's own errors keep their wording */
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "f-string: %.180s", err->msg);
            memcpy(err->msg, msg, sizeof msg);
        }
        char *text = sim_arena_alloc(p->A, n + 3);
        if (text) {
            text[0] = '(';
            memcpy(text + 1, s, n);
            memcpy(text + 1 + n, ")", 2);
            for (size_t i = 0; i < n; i++) if (text[i + 1] == '\n') text[i + 1] = ' ';
        }
        err->text = text;
        if (err->col >= 0) err->col = err->col - col + 1;
        if (err->end_col >= 0) err->end_col = err->end_col - col + 1;
        err->line = err->end_line = line;
    }
    sim_lex_free(&q.lex);
    return e;
}

/* Scans the expression of a replacement field from s[i] (after '{'); returns the
 * index of the '}', '!', ':' or '=' that ends it, or -1 after an error. */
static long scan_field_expr(fctx *f, const char *s, size_t n, size_t i)
{
    int depth = 0;
    while (i < n) {
        char c = s[i];
        if (c == '\\') { fstr_error(f, "expression part cannot include a backslash"); return -1; }
        if (c == '#') { fstr_error(f, "expression part cannot include '#'"); return -1; }
        if (c == '\'' || c == '"') {
            int triple = i + 2 < n && s[i + 1] == c && s[i + 2] == c;
            size_t q = i + (triple ? 3 : 1);
            while (q < n && !(s[q] == c && (!triple || (q + 2 < n && s[q + 1] == c && s[q + 2] == c))))
                q++;
            if (q >= n) { fstr_error(f, "unterminated string"); return -1; }
            i = q + (triple ? 3 : 1);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') depth++;
        else if (c == ')' || c == ']' || (c == '}' && depth > 0)) depth--;
        else if (depth == 0) {
            if (c == '}' || c == ':') return (long)i;
            if (c == '!' && !(i + 1 < n && s[i + 1] == '=')) return (long)i;
            if (c == '=' && !(i + 1 < n && s[i + 1] == '=') &&
                !(i > 0 && strchr("=!<>", s[i - 1])))
                return (long)i;
        }
        i++;
    }
    fstr_error(f, "expecting '}'");
    return -1;
}

static int fstring_parts(fctx *f, sim_node *js, sbuf *lit, const char *s, size_t n, int depth);

/* One replacement field; s[*pi] is its '{'. Appends an E_FORMATTED to js. */
static int fstring_field(fctx *f, sim_node *js, sbuf *lit, const char *s, size_t n, size_t *pi,
                         int depth)
{
    sim_parser *p = f->p;
    size_t start = *pi + 1;
    if (depth >= 2) { fstr_error(f, "expressions nested too deeply"); return -1; }
    long e = scan_field_expr(f, s, n, start);
    if (e < 0) return -1;
    size_t j = (size_t)e, k;
    for (k = start; k < j && strchr(" \t\n\r\f", s[k]); k++) {}
    if (k == j) { fstr_error(f, "empty expression not allowed"); return -1; }
    sim_node *fv = sim__node(p, E_FORMATTED, f->t);
    if (!fv || !(fv->a = fstring_expr(f, s + start, j - start))) return -1;
    int self_doc = s[j] == '=';
    if (self_doc) {                     /* `{x=}`: the text, then the value */
        j++;
        while (j < n && strchr(" \t\n\r\f", s[j])) j++;
        if (sb_add(lit, s + start, j - start) < 0) return -1;
        fv->op = 'r';                   /* repr by default, unless a spec follows */
    }
    if (flush_literal(f, js, lit) < 0) return -1;
    if (j < n && s[j] == '!') {
        if (j + 1 >= n || !strchr("sra", s[j + 1])) {
            fstr_error(f, "invalid conversion character: expected 's', 'r', or 'a'");
            return -1;
        }
        if (j + 2 >= n || !strchr(":}", s[j + 2])) {
            fstr_error(f, "expecting '}'");
            return -1;
        }
        fv->op = s[j + 1];
        j += 2;
        self_doc = 0;                   /* an explicit conversion stays */
    }
    if (j < n && s[j] == ':') {
        if (self_doc) fv->op = 0;       /* `{x=:spec}` formats with the spec, not repr */
        size_t q = j + 1;
        int nest = 0;
        while (q < n && !(s[q] == '}' && nest == 0)) {
            if (s[q] == '{') nest++;
            else if (s[q] == '}') nest--;
            q++;
        }
        if (q >= n) { fstr_error(f, "expecting '}'"); return -1; }
        sim_node *spec = sim__node(p, E_JOINEDSTR, f->t);
        sbuf sl = {0};
        int rc = spec ? fstring_parts(f, spec, &sl, s + j + 1, q - j - 1, depth + 1) : -1;
        if (rc == 0) rc = flush_literal(f, spec, &sl);
        sim_code__realloc(sl.s, 0);
        if (rc < 0) return -1;
        fv->b = spec;
        j = q;
    }
    if (j >= n || s[j] != '}') { fstr_error(f, "expecting '}'"); return -1; }
    *pi = j + 1;
    return sim__push(p, &js->elts, fv) ? 0 : -1;
}

/* Literal text and fields of [s, s+n) into js (pending literal text in lit). */
static int fstring_parts(fctx *f, sim_node *js, sbuf *lit, const char *s, size_t n, int depth)
{
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '{' || c == '}') {
            if (i + 1 < n && s[i + 1] == c) {
                if (sb_add(lit, &c, 1) < 0) return -1;
                i += 2;
                continue;
            }
            if (c == '}') { fstr_error(f, "single '}' is not allowed"); return -1; }
            if (fstring_field(f, js, lit, s, n, &i, depth) < 0) return -1;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != '{' && s[j] != '}' && (f->raw || s[j] != '\\')) j++;
        if (j > i) {
            if (decode_plain(f->p, f->t, lit, s + i, j - i, 1) < 0) return -1;
            i = j;
            continue;
        }
        const char *what = NULL;
        size_t used = escape(lit, s + i, n - i, &what);
        if (!used) {
            sim__unsupported(f->p, f->t->line, f->t->col, what[0] == '\\' ? what : "this escape");
            return -1;
        }
        i += used;
    }
    return 0;
}

/* strings: STRING+  — adjacent literals concatenate; any f-string makes the whole
 * a JoinedStr. */
sim_node *sim__strings(sim_parser *p)
{
    sim_token *first = TOK(p);
    sim_node *js = sim__node(p, E_JOINEDSTR, first);
    if (!js) return NULL;
    int any_f = 0;
    sbuf lit = {0};
    int rc = 0;
    while (rc == 0 && TOK(p)->kind == TOK_STRING) {
        sim_token *t = TOK(p);
        strparts st;
        split_token(t, &st);
        p->pos++;
        if (st.is_b) {
            sim__unsupported(p, t->line, t->col, "bytes literals");
            rc = -1;
        } else if (st.is_f) {
            fctx f = {p, t, st.raw};
            any_f = 1;
            rc = fstring_parts(&f, js, &lit, st.body, st.len, 0);
        } else {
            rc = decode_plain(p, t, &lit, st.body, st.len, st.raw);
        }
    }
    sim__finish(p, js);
    if (rc == 0 && !any_f) {
        js->kind = E_CONST;
        js->cval = SIM_CONST_STR;
        js->str = sim_arena_strndup(p->A, lit.s ? lit.s : "", lit.len);
        js->len = lit.len;
        if (!js->str) rc = -1;
    } else if (rc == 0) {
        fctx f = {p, first, 0};
        rc = flush_literal(&f, js, &lit);
    }
    sim_code__realloc(lit.s, 0);
    return rc == 0 ? js : NULL;
}
