/* model_dump.c — the model as readable text, one item per line (tests compare
 * against it; `aiosim render --dump` prints it). */
#include <ctype.h>
#include <stdio.h>

#include "viz_int.h"

static const char *const wait_names[] = {
#define VIZ_WK_NAME(n, s, r, g, b) #n,
    VIZ_WAIT_KINDS(VIZ_WK_NAME)
#undef VIZ_WK_NAME
};
static const char *const arrow_names[] = {
#define VIZ_AK_NAME(n, s, r, g, b) #n,
    VIZ_ARROW_KINDS(VIZ_AK_NAME)
#undef VIZ_AK_NAME
};
static const char *const end_names[] = { "await", "yield", "return", "raise", "cancelled",
                                         "open", "callback", "thread" };
static const char *const lane_kinds[] = { "task", "callbacks", "thread", "other" };
static const char *const mark_names[] = { "create", "cancel", "deadlock", "loop_sleep" };

static void lower(const char *s, char *buf, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[i] = '\0';
}

void viz_model_dump(const viz_model *m, FILE *out)
{
    char a[32];
    fprintf(out, "title %s\nevents %llu complete %d\n", m->title,
            (unsigned long long)m->nevents, m->complete);
    for (size_t i = 0; i < m->lanes.n; i++) {
        const viz_lane *l = &m->lanes.v[i];
        fprintf(out, "lane %zu %s %llu \"%s\"%s%s\n", i, lane_kinds[l->kind],
                (unsigned long long)l->id, l->label, l->state ? " " : "", l->state ? l->state : "");
    }
    for (size_t i = 0; i < m->steps.n; i++) {
        const viz_step *s = &m->steps.v[i];
        fprintf(out, "step lane %d %llu..%llu %s%s\n", s->lane, (unsigned long long)s->seq0,
                (unsigned long long)s->seq1, end_names[s->end], s->thrown ? " thrown" : "");
    }
    for (size_t i = 0; i < m->waits.n; i++) {
        const viz_wait *w = &m->waits.v[i];
        lower(wait_names[w->kind], a, sizeof a);
        fprintf(out, "wait lane %d %llu..%llu %s awaited %llu", w->lane, (unsigned long long)w->seq0,
                (unsigned long long)w->seq1, a, (unsigned long long)w->awaited);
        if (!isnan(w->dur))
            fprintf(out, " dur %g", w->dur);
        fputc('\n', out);
    }
    for (size_t i = 0; i < m->arrows.n; i++) {
        const viz_arrow *r = &m->arrows.v[i];
        lower(arrow_names[r->kind], a, sizeof a);
        fprintf(out, "arrow %s %llu lane %d -> %llu lane %d\n", a, (unsigned long long)r->seq0,
                r->lane0, (unsigned long long)r->seq1, r->lane1);
    }
    for (size_t i = 0; i < m->marks.n; i++)
        fprintf(out, "mark %s %llu lane %d\n", mark_names[m->marks.v[i].kind],
                (unsigned long long)m->marks.v[i].seq, m->marks.v[i].lane);
    for (size_t i = 0; i < m->outputs.n; i++)
        fprintf(out, "output %llu lane %d %s \"%s\"\n", (unsigned long long)m->outputs.v[i].seq,
                m->outputs.v[i].lane, m->outputs.v[i].is_stderr ? "stderr" : "stdout",
                m->outputs.v[i].text);
    for (size_t i = 0; i < m->jumps.n; i++)
        fprintf(out, "jump %llu %g -> %g\n", (unsigned long long)m->jumps.v[i].seq,
                m->jumps.v[i].t0, m->jumps.v[i].t1);
    fprintf(out, "slots %zu iterations %zu\n", m->slots.n, m->iters.n);
}
