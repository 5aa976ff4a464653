/* traceback.c — traceback entries and CPython 3.11's report of an uncaught exception:
 *
 *   Traceback (most recent call last):
 *     File "prog.py", line 7, in main
 *       x = 1 / 0
 *   ZeroDivisionError: division by zero
 *
 * with chained exceptions (__cause__ / __context__) printed first, as CPython does. */
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
    } else if (SIM_STR(s)->len) {
        fprintf(out, ": %s\n", SIM_CSTR(s));
    } else {
        fputc('\n', out);
    }
    vm->ts->exc = saved;
}

static void print_chain(sim_vm *vm, sim_obj *exc, FILE *out, int depth) {
    sim_exc *e = (sim_exc *)exc;
    if (depth < 32) {
        if (e->cause && SIM_IS_EXC(e->cause)) {
            print_chain(vm, e->cause, out, depth + 1);
            fputs("\nThe above exception was the direct cause of the following exception:\n\n", out);
        } else if (e->context && SIM_IS_EXC(e->context) && !e->suppress_context) {
            print_chain(vm, e->context, out, depth + 1);
            fputs("\nDuring handling of the above exception, another exception occurred:\n\n", out);
        }
    }
    print_tb(vm, e, out);
    print_last_line(vm, exc, out);
}

void sim__print_exception(sim_vm *vm, sim_obj *exc, FILE *out) {
    fflush(vm->opt.out);
    sim_push(vm, exc);
    if (SIM_IS_EXC(exc)) print_chain(vm, exc, out, 0);
    else fprintf(out, "%s\n", sim_type_name(exc));
    sim_pop(vm, 1);
    fflush(out);
}
