/* traceback.c — traceback entries and CPython 3.11's report of an uncaught exception:
 *
 *   Traceback (most recent call last):
 *     File "prog.py", line 7, in main
 *       x = 1 / 0
 *   ZeroDivisionError: division by zero
 *
 * with chained exceptions (__cause__ / __context__) printed first, as CPython does. */
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "parser.h"
#include "vm.h"

/* Records that exc passed through frame f at its current instruction. */
void sim__tb_add(sim_vm *vm, sim_obj *exc, sim_frame *f) {
    if (!SIM_IS_EXC(exc) || !f->co) return;
    sim_exc *e = (sim_exc *)exc;
    if (e->ntb == e->captb) {
        size_t cap = e->captb ? e->captb * 2 : 4;
        sim_push(vm, exc);
        sim_tbentry *tb = sim_realloc(vm, NULL, 0, cap * sizeof *tb);
        sim_pop(vm, 1);
        if (e->ntb) memcpy(tb, e->tb, e->ntb * sizeof *tb);
        sim_free(vm, e->tb, e->captb * sizeof *tb);
        e->tb = tb;
        e->captb = cap;
    }
    const sim_code *c = f->co->code;
    uint32_t i = f->lasti < c->ncode ? f->lasti : 0;
    e->tb[e->ntb].code = (sim_obj *)f->co;
    e->tb[e->ntb].line = c->lines ? c->lines[i] : c->firstline;
    e->tb[e->ntb].lasti = (int)i;
    e->ntb++;
}

/* The full text of line `line` of a registered source (no newline). */
static bool source_line(sim_vm *vm, const char *file, int line, const char **s, size_t *n) {
    for (size_t k = 0; k < vm->nsources; k++) {
        if (strcmp(vm->sources[k].name, file) != 0) continue;
        const char *p = vm->sources[k].text, *end = p + vm->sources[k].len;
        for (int l = 1; l < line && p < end; l++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) return false;
            p = nl + 1;
        }
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        if (e > p && e[-1] == '\r') e--;
        *s = p;
        *n = (size_t)(e - p);
        return true;
    }
    return false;
}

static size_t chars_in(const char *s, size_t n) { return pyfmt_utf8_len(s, n); }

/* CPython's _extract_caret_anchors_from_line_segment: for a binary operation the
 * operator gets '^' and the operands '~'; for a subscript the [..] part. Offsets in
 * bytes of the segment; false when the segment is not such an expression. */
static bool caret_anchors(const char *seg, size_t n, size_t *left, size_t *right) {
    sim_arena A = {0};
    sim_perr err;
    memset(&err, 0, sizeof err);
    bool ok = false;
    sim_node *m = sim_parse(&A, seg, n, &err);
    if (m && m->body.n == 1 && m->body.v[0]->kind == S_EXPR && m->body.v[0]->a) {
        sim_node *e = m->body.v[0]->a;
        if (e->kind == E_BINOP && e->a && e->b && e->a->end_line == 1 && e->b->line == 1) {
            size_t ls = (size_t)e->a->end_col, re = (size_t)e->b->col;
            size_t off = ls;
            while (off < re && (seg[off] == ' ' || seg[off] == '\t' || seg[off] == '(' || seg[off] == ')' ||
                                seg[off] == '\\' || seg[off] == '\n')) {
                if (seg[off] == '(' || seg[off] == ')') break;
                off++;
            }
            /* skip closing parentheses of the left operand */
            while (off < re && (seg[off] == ')' || seg[off] == ' ')) off++;
            *left = off;
            *right = off + 1;
            if (off + 1 < re && seg[off + 1] != ' ' && seg[off + 1] != '\t' && seg[off + 1] != '(') *right = off + 2;
            ok = true;
        } else if (e->kind == E_SUBSCRIPT && e->a && e->b && e->a->end_line == 1 && e->b->end_line == 1) {
            *left = (size_t)e->a->end_col;
            *right = (size_t)e->b->end_col + 1;
            ok = *right <= n;
        }
    }
    sim_arena_free(&A);
    return ok;
}

/* The source line of a traceback entry, stripped, with CPython 3.11's caret line. */
static void print_source(sim_vm *vm, FILE *out, sim_codeobj *co, int line, int lasti) {
    const char *s;
    size_t n;
    if (!source_line(vm, SIM_CSTR(co->filename), line, &s, &n)) return;
    size_t lead = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t' || s[lead] == '\f')) lead++;
    size_t end = n;
    while (end > lead && (s[end - 1] == ' ' || s[end - 1] == '\t')) end--;
    if (end == lead) return;
    fprintf(out, "    %.*s\n", (int)(end - lead), s + lead);
    const sim_code *c = co->code;
    if (!c->positions || lasti < 0 || (uint32_t)lasti >= c->ncode) return;
    sim_pos p = c->positions[lasti];
    if (p.line != line || p.col < 0 || (size_t)p.col > n) return;
    size_t col = (size_t)p.col, ecol = p.end_line == p.line ? (size_t)p.end_col : end;
    if (ecol > n || ecol <= col) return;
    size_t a_left = 0, a_right = 0;
    bool anchors = p.end_line == p.line && caret_anchors(s + col, ecol - col, &a_left, &a_right);
    size_t start_c = chars_in(s, col), end_c = chars_in(s, ecol), lead_c = chars_in(s, lead);
    size_t stripped_c = chars_in(s + lead, end - lead);
    if (!(end_c - start_c < stripped_c || (anchors && a_right > a_left))) return;
    fputs("    ", out);
    for (size_t i = lead_c; i < start_c; i++) fputc(' ', out);
    if (anchors) {
        size_t l = chars_in(s + col, a_left), r = chars_in(s + col, a_right);
        for (size_t i = 0; i < l; i++) fputc('~', out);
        for (size_t i = l; i < r; i++) fputc('^', out);
        for (size_t i = r; i < end_c - start_c; i++) fputc('~', out);
    } else {
        for (size_t i = start_c; i < end_c; i++) fputc('^', out);
    }
    fputc('\n', out);
}

static void print_tb(sim_vm *vm, sim_exc *e, FILE *out) {
    if (e->ntb == 0) return;
    fputs("Traceback (most recent call last):\n", out);
    const sim_obj *last_code = NULL;
    int last_line = -1, count = 0;
    for (size_t k = e->ntb; k-- > 0;) {
        sim_codeobj *co = (sim_codeobj *)e->tb[k].code;
        /* CPython shows a run of identical entries three times, then a count */
        bool same = last_code && ((sim_codeobj *)last_code)->filename == co->filename &&
                    ((sim_codeobj *)last_code)->name == co->name && last_line == e->tb[k].line;
        if (!same) {
            if (count > 3)
                fprintf(out, "  [Previous line repeated %d more time%s]\n", count - 3, count - 3 == 1 ? "" : "s");
            count = 0;
        }
        last_code = (sim_obj *)co;
        last_line = e->tb[k].line;
        if (++count > 3) continue;
        fprintf(out, "  File \"%s\", line %d, in %s\n", SIM_CSTR(co->filename), e->tb[k].line, SIM_CSTR(co->name));
        print_source(vm, out, co, e->tb[k].line, e->tb[k].lasti);
    }
    if (count > 3) fprintf(out, "  [Previous line repeated %d more time%s]\n", count - 3, count - 3 == 1 ? "" : "s");
}

/* ---- "Did you mean" (CPython's Python/suggestions.c) ------------------------------------ */

#define MOVE_COST 2
#define CASE_COST 1
#define MAX_STRING_SIZE 40

static size_t substitution_cost(char a, char b) {
    if ((a & 31) != (b & 31)) return MOVE_COST;
    if (a == b) return 0;
    if (a >= 'A' && a <= 'Z') a += 'a' - 'A';
    if (b >= 'A' && b <= 'Z') b += 'a' - 'A';
    return a == b ? CASE_COST : MOVE_COST;
}

static size_t levenshtein(const char *a, size_t an, const char *b, size_t bn, size_t max_cost) {
    size_t buffer[MAX_STRING_SIZE];
    if (a == b) return 0;
    while (an && bn && a[0] == b[0]) { a++; an--; b++; bn--; }
    while (an && bn && a[an - 1] == b[bn - 1]) { an--; bn--; }
    if (an == 0 || bn == 0) return (an + bn) * MOVE_COST;
    if (an > MAX_STRING_SIZE || bn > MAX_STRING_SIZE) return max_cost + 1;
    if (bn < an) {
        const char *t = a; a = b; b = t;
        size_t tn = an; an = bn; bn = tn;
    }
    if ((bn - an) * MOVE_COST > max_cost) return max_cost + 1;
    size_t tmp = MOVE_COST;
    for (size_t i = 0; i < an; i++) { buffer[i] = tmp; tmp += MOVE_COST; }
    size_t result = 0;
    for (size_t bi = 0; bi < bn; bi++) {
        char code = b[bi];
        size_t distance = result = bi * MOVE_COST, minimum = SIZE_MAX;
        for (size_t i = 0; i < an; i++) {
            size_t substitute = distance + substitution_cost(code, a[i]);
            distance = buffer[i];
            size_t insert_delete = (result < distance ? result : distance) + MOVE_COST;
            result = insert_delete < substitute ? insert_delete : substitute;
            buffer[i] = result;
            if (result < minimum) minimum = result;
        }
        if (minimum > max_cost) return max_cost + 1;
    }
    return result;
}

/* The closest name in `names` (a list of str), or NULL. */
static sim_obj *closest(sim_obj *names, sim_obj *name) {
    sim_list *l = SIM_LIST(names);
    if (l->len >= 750) return NULL;
    size_t best_d = SIZE_MAX, nn = SIM_STR(name)->len;
    sim_obj *best = NULL;
    for (size_t i = 0; i < l->len; i++) {
        sim_obj *item = l->items[i];
        if (!SIM_IS_STR(item) || sim__str_eq(item, name)) continue;
        size_t in = SIM_STR(item)->len;
        size_t max_d = (nn + in + 3) * MOVE_COST / 6;
        if (best_d - 1 < max_d) max_d = best_d - 1;
        size_t d = levenshtein(SIM_CSTR(name), nn, SIM_CSTR(item), in, max_d);
        if (d > max_d) continue;
        if (!best || d < best_d) { best = item; best_d = d; }
    }
    return best;
}

static sim_obj *dict_keys_list(sim_vm *vm, sim_obj *d) {
    sim_obj *l = sim_list_new(vm, 0, NULL);
    size_t pos = 0;
    sim_obj *k;
    while (d && SIM_IS_DICT(d) && sim_dict_next(d, &pos, &k, NULL)) sim_list_append(vm, l, k);
    return l;
}

/* The suggestion for an AttributeError (.name, .obj) or a NameError (.name), or NULL. */
static sim_obj *suggestion(sim_vm *vm, sim_obj *exc) {
    sim_exc *e = (sim_exc *)exc;
    if (!e->dict) return NULL;
    sim_obj *name = sim_dict_getstr(vm, e->dict, sim_intern(vm, "name"));
    if (!name || !SIM_IS_STR(name)) return NULL;
    if (sim_isinstance_type(exc, vm->exc_types[SIM_E_AttributeError])) {
        sim_obj *obj = sim_dict_getstr(vm, e->dict, sim_intern(vm, "obj"));
        if (!obj) return NULL;
        sim_obj *dirf = sim_dict_getstr(vm, vm->builtins, sim_intern(vm, "dir"));
        sim_obj *names = dirf ? sim_call1(vm, dirf, obj) : NULL;
        if (!names || !SIM_IS_LIST(names)) { sim_exc_fetch(vm); return NULL; }
        return closest(names, name);
    }
    if (!sim_isinstance_type(exc, vm->exc_types[SIM_E_NameError]) || e->ntb == 0) return NULL;
    sim_codeobj *co = (sim_codeobj *)e->tb[0].code;
    sim_obj *l = sim_list_of(vm, co->varnames);
    sim_obj *r = l ? closest(l, name) : NULL;
    if (!r && e->value && SIM_IS_DICT(e->value)) r = closest(dict_keys_list(vm, e->value), name);
    if (!r) r = closest(dict_keys_list(vm, vm->builtins), name);
    return r;
}

/* The last line: "Type: message", "Type" for an empty message; the module shown
 * unless builtins or __main__. */
static void print_last_line(sim_vm *vm, sim_obj *exc, FILE *out) {
    sim_type *t = exc->type;
    const char *mod = t->module ? SIM_CSTR(t->module) : "builtins";
    if (strcmp(mod, "builtins") != 0 && strcmp(mod, "__main__") != 0) fprintf(out, "%s.", mod);
    fputs(SIM_CSTR(t->qualname), out);
    sim_obj *saved = sim_exc_fetch(vm);
    sim_obj *s = sim_str(vm, exc);
    if (!s) {
        sim_exc_fetch(vm);
        fprintf(out, ": <exception str() failed>\n");
    } else {
        sim_push(vm, s);
        sim_obj *sug = suggestion(vm, exc);
        sim_exc_fetch(vm);
        sim_pop(vm, 1);
        if (SIM_STR(s)->len) fprintf(out, ": %s", SIM_CSTR(s));
        if (sug) fprintf(out, "%s Did you mean: '%s'?", SIM_STR(s)->len ? "." : ":", SIM_CSTR(sug));
        fputc('\n', out);
    }
    vm->ts->exc = saved;
}

/* CPython's _ExceptionPrintContext: exception groups are drawn in nested boxes; every
 * line printed at depth d gets 2*d spaces and a margin character. */
typedef struct print_ctx {
    sim_vm *vm;
    FILE *out;
    int depth;
    bool need_close;
} print_ctx;

static void emit(print_ctx *c, const char *text, size_t n, char margin) {
    const char *p = text, *end = text + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        for (int i = 0; i < 2 * c->depth; i++) fputc(' ', c->out);
        if (c->depth) {
            fputc(margin, c->out);
            fputc(' ', c->out);
        }
        fwrite(p, 1, len, c->out);
        p += len;
    }
}

/* Renders `fn` into a memory stream, then emits it with the context's indentation. */
static void emit_with(print_ctx *c, char margin, void (*fn)(print_ctx *, sim_obj *, FILE *), sim_obj *exc) {
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m) return;
    fn(c, exc, m);
    fclose(m);
    emit(c, buf, n, margin);
    free(buf);
}

static void render_tb(print_ctx *c, sim_obj *exc, FILE *m) { print_tb(c->vm, (sim_exc *)exc, m); }
static void render_last(print_ctx *c, sim_obj *exc, FILE *m) { print_last_line(c->vm, exc, m); }
static void render_group_head(print_ctx *c, sim_obj *exc, FILE *m) {
    (void)c;
    (void)exc;
    fputs("Exception Group Traceback (most recent call last):\n", m);
}
static void render_group_tb(print_ctx *c, sim_obj *exc, FILE *m) {
    sim_exc *e = (sim_exc *)exc;
    /* the frames without the "Traceback" header line */
    char *buf = NULL;
    size_t n = 0;
    FILE *t = open_memstream(&buf, &n);
    if (!t) return;
    print_tb(c->vm, e, t);
    fclose(t);
    const char *nl = memchr(buf, '\n', n);
    if (nl) fwrite(nl + 1, 1, n - (size_t)(nl + 1 - buf), m);
    free(buf);
}

static bool is_group(sim_vm *vm, sim_obj *exc) {
    return ((sim_exc *)exc)->value && sim_isinstance_type(exc, vm->exc_types[SIM_E_BaseExceptionGroup]);
}

static void format_exc(print_ctx *c, sim_obj *exc, int chain_depth);

/* One exception (no chain): a plain traceback, or an exception group's box. */
static void format_one(print_ctx *c, sim_obj *exc) {
    sim_vm *vm = c->vm;
    sim_exc *e = (sim_exc *)exc;
    if (!is_group(vm, exc)) {
        if (e->ntb) emit_with(c, '|', render_tb, exc);
        emit_with(c, '|', render_last, exc);
        return;
    }
    if (c->depth > 10) {
        emit(c, "... (max_group_depth is 10)\n", 28, '|');
        return;
    }
    bool toplevel = c->depth == 0;
    if (toplevel) c->depth++;
    if (e->ntb) {
        emit_with(c, toplevel ? '+' : '|', render_group_head, exc);
        emit_with(c, '|', render_group_tb, exc);
    }
    emit_with(c, '|', render_last, exc);
    sim_obj *excs = e->value;
    size_t num = SIM_TUPLE(excs)->len, n = num <= 15 ? num : 16;
    c->need_close = false;
    for (size_t i = 0; i < n; i++) {
        bool last = i == n - 1;
        if (last) c->need_close = true;
        bool truncated = i >= 15;
        for (int k = 0; k < 2 * c->depth; k++) fputc(' ', c->out);
        if (truncated) fprintf(c->out, "%s+---------------- ... ----------------\n", i == 0 ? "+-" : "  ");
        else fprintf(c->out, "%s+---------------- %zu ----------------\n", i == 0 ? "+-" : "  ", i + 1);
        c->depth++;
        if (!truncated) {
            format_exc(c, SIM_TUPLE(excs)->items[i], 0);
        } else {
            char msg[80];
            size_t rem = num - 15;
            int len = snprintf(msg, sizeof msg, "and %zu more exception%s\n", rem, rem > 1 ? "s" : "");
            emit(c, msg, (size_t)len, '|');
        }
        if (last && c->need_close) {
            for (int k = 0; k < 2 * c->depth; k++) fputc(' ', c->out);
            fputs("+------------------------------------\n", c->out);
            c->need_close = false;
        }
        c->depth--;
    }
    if (toplevel) c->depth = 0;
}

/* An exception with its chain (causes and contexts first), as traceback.format. */
static void format_exc(print_ctx *c, sim_obj *exc, int chain_depth) {
    static const char cause_msg[] = "\nThe above exception was the direct cause of the following exception:\n\n";
    static const char context_msg[] = "\nDuring handling of the above exception, another exception occurred:\n\n";
    sim_exc *e = (sim_exc *)exc;
    if (chain_depth < 32) {
        if (e->cause && SIM_IS_EXC(e->cause)) {
            format_exc(c, e->cause, chain_depth + 1);
            emit(c, cause_msg, sizeof cause_msg - 1, '|');
        } else if (e->context && SIM_IS_EXC(e->context) && !e->suppress_context) {
            format_exc(c, e->context, chain_depth + 1);
            emit(c, context_msg, sizeof context_msg - 1, '|');
        }
    }
    format_one(c, exc);
}

void sim__print_exception(sim_vm *vm, sim_obj *exc, FILE *out) {
    fflush(vm->opt.out);
    sim_push(vm, exc);
    if (SIM_IS_EXC(exc)) {
        print_ctx c = {vm, out, 0, false};
        format_exc(&c, exc, 0);
    } else {
        fprintf(out, "%s\n", sim_type_name(exc));
    }
    sim_pop(vm, 1);
    fflush(out);
}
