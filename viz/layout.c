/* layout.c — where things go along x.
 *
 * Every slot (a handle run, or loose events) gets an x range. On the iteration axis
 * each slot gets the same room and each new iteration a gap, so a program that runs
 * entirely at t = 0 still spreads out. On the time axis the gaps between instants are
 * proportional to virtual time, while the slots of one instant still get their room
 * (a minimum spacing); a gap that holds most of the run's time is drawn as a break
 * of fixed width ("+9.5 s") instead of squeezing everything else to a sliver.
 * Cost: O(slots) plus a binary search per x_of.
 */
#include <stdio.h>

#include "viz_int.h"

#define ITER_GAP 0.35      /* room between iterations, in slot units */
#define LOOSE_W 0.5        /* room of a loose slot, in slot units */
#define UNIT_MAX 150.0     /* the widest a slot gets, in pixels */
#define BREAK_W 56.0       /* width of a clock break */
#define TIME_SHARE 0.30    /* share of the width given to time proportions */
#define TICK_MIN 4.0       /* the closest two ticks get, in pixels */

static size_t lower_slot(const viz_model *m, double t)
{
    size_t lo = 0, hi = m->slots.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->slots.v[mid].time < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t upper_slot(const viz_model *m, double t)
{
    size_t lo = 0, hi = m->slots.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->slots.v[mid].time <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double slot_w(const viz_slot *s)
{
    return s->handle ? 1.0 : LOOSE_W;
}

/* The k-th smallest of g[0..n) (Hoare's selection: O(n) on average, where sorting a
 * million gaps would cost a frame by itself). Reorders g. */
static double select_kth(double *g, size_t n, size_t k)
{
    /* Wirth's FIND: partition around g[k] until k's place is fixed */
    long l = 0, r = (long)n - 1, kk = (long)k;
    while (l < r) {
        double x = g[kk];
        long i = l, j = r;
        do {
            while (g[i] < x)
                i++;
            while (x < g[j])
                j--;
            if (i <= j) {
                double t = g[i];
                g[i] = g[j];
                g[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            l = i;
        if (kk < i)
            r = j;
    }
    return g[k];
}

/* Gaps longer than this become breaks: a gap that is both far longer than the typical
 * one (20 times the median) and a good share (a fifth) of all the time shown, so that
 * one long sleep does not squeeze the rest of the run into a corner. */
static double break_threshold(const viz_model *m, size_t first, size_t last, size_t ngaps,
                              double total)
{
    if (ngaps < 2)
        return INFINITY;
    double *g = viz__xmalloc(ngaps * sizeof *g);
    size_t n = 0;
    for (size_t i = first + 1; i < last && n < ngaps; i++) {
        double dt = m->slots.v[i].time - m->slots.v[i - 1].time;
        if (dt > 0)
            g[n++] = dt;
    }
    double median = n ? select_kth(g, n, n / 2) : 0;
    free(g);
    double t = 20 * median;
    return t > 0.2 * total ? t : 0.2 * total;
}

static void tick(viz_layout *L, double x, bool major, double v)
{
    viz_tick *t = VIZ__PUSH(L->ticks);
    t->x = x;
    t->major = major;
    t->value = v;
}

/* The x of virtual time t: the start of the first slot at t or later, or a point of
 * the gap before it, by proportion. */
static double x_of_time(const viz_model *m, const viz_layout *L, double t)
{
    size_t i = lower_slot(m, t - 1e-12);
    if (i < L->first)
        i = L->first;
    if (i >= L->last)
        return L->last > L->first ? L->x1[L->last - 1] : L->X0;
    if (i == L->first || m->slots.v[i].time <= t + 1e-12)
        return L->x0[i];
    const viz_slot *p = &m->slots.v[i - 1], *s = &m->slots.v[i];
    return L->x1[i - 1] + (L->x0[i] - L->x1[i - 1]) * (t - p->time) / (s->time - p->time);
}

/* Too many instants to label each: ticks at round times instead (1, 2 or 5 times a
 * power of ten apart, about every 110 pixels). */
static void nice_ticks(const viz_model *m, viz_layout *L)
{
    if (L->last <= L->first)
        return;
    double t0 = m->slots.v[L->first].time, t1 = m->slots.v[L->last - 1].time;
    if (t1 <= t0)
        return;
    double raw = (t1 - t0) / ((L->X1 - L->X0) / 110), p = pow(10, floor(log10(raw)));
    double step = raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
    L->ticks.n = 0;
    for (double k = ceil(t0 / step - 1e-9); k * step <= t1 + 1e-9; k++) {
        double t = k * step;
        if (fabs(t) < step * 1e-9)
            t = 0;
        tick(L, x_of_time(m, L, t), true, t);
    }
}

void viz__layout(const viz_model *m, const viz_options *o, double X0, double X1, viz_layout *L)
{
    memset(L, 0, sizeof *L);
    L->X0 = X0;
    L->X1 = X1;
    size_t n = m->slots.n;
    L->x0 = viz__xmalloc((n ? n : 1) * sizeof *L->x0);
    L->x1 = viz__xmalloc((n ? n : 1) * sizeof *L->x1);
    size_t first = isnan(o->from) ? 0 : lower_slot(m, o->from - 1e-12);
    size_t last = isnan(o->to) ? n : upper_slot(m, o->to + 1e-12);
    if (last < first)
        last = first;
    L->first = first;
    L->last = last;
    double zoom = o->zoom > 0 ? o->zoom : 1;
    double W = (X1 - X0) * zoom;
    bool by_time = o->axis == VIZ_AXIS_TIME;

    /* Units (slots and iteration gaps), time gaps, breaks. */
    double units = 0, span = 0, total = 0, biggest = 0;
    size_t ngaps = 0;
    for (size_t i = first; i < last; i++) {
        units += slot_w(&m->slots.v[i]);
        if (i > first) {
            const viz_slot *p = &m->slots.v[i - 1], *s = &m->slots.v[i];
            if (s->iteration != p->iteration)
                units += ITER_GAP;
            double dt = s->time - p->time;
            if (dt > 0) {
                total += dt;
                ngaps++;
                if (dt > biggest)
                    biggest = dt;
            }
        }
    }
    double brk = by_time ? break_threshold(m, first, last, ngaps, total) : INFINITY;
    size_t nbreaks = 0;
    if (by_time) {
        for (size_t i = first + 1; i < last; i++) {
            double dt = m->slots.v[i].time - m->slots.v[i - 1].time;
            if (dt > brk)
                nbreaks++;
            else if (dt > 0)
                span += dt;
        }
    }
    double free_w = W - (double)nbreaks * BREAK_W;
    double k = 0, u;
    if (span > 0) {
        k = TIME_SHARE * free_w / span;
        u = units > 0 ? (free_w - k * span) / units : 0;
        if (u > UNIT_MAX) {
            u = UNIT_MAX;
            k = (free_w - u * units) / span;
        }
    } else {
        u = units > 0 ? free_w / units : 0;
        if (u > UNIT_MAX)
            u = UNIT_MAX;
    }
    L->unit = u;

    /* Place the slots. */
    double x = X0 - (o->pan);
    for (size_t i = 0; i < first; i++)
        L->x0[i] = L->x1[i] = X0 - 400;   /* before the window: off the picture */
    double last_label_t = NAN;
    uint64_t last_label_it = UINT64_MAX;
    double last_tick_x = -INFINITY;       /* ticks closer than TICK_MIN px are left out */
    for (size_t i = first; i < last; i++) {
        const viz_slot *s = &m->slots.v[i];
        if (i > first) {
            const viz_slot *p = &m->slots.v[i - 1];
            double dt = s->time - p->time;
            if (by_time && dt > brk) {
                viz_break *b = VIZ__PUSH(L->breaks);
                b->x0 = x;
                b->x1 = x + BREAK_W;
                b->t0 = p->time;
                b->t1 = s->time;
                x += BREAK_W;
            } else if (by_time && dt > 0) {
                x += k * dt;
            }
            if (s->iteration != p->iteration)
                x += ITER_GAP * u;
        }
        if (by_time ? !(s->time == last_label_t) : s->iteration != last_label_it) {
            /* a million iterations would make a million ticks no one can tell apart */
            if (x - last_tick_x >= TICK_MIN || (by_time && L->ticks.n < 4096)) {
                if (by_time)
                    tick(L, x, true, s->time);
                else
                    tick(L, x, s->time != last_label_t, (double)s->iteration);
                last_tick_x = x;
            }
            last_label_t = s->time;
            last_label_it = s->iteration;
        }
        L->x0[i] = x;
        x += slot_w(s) * u;
        L->x1[i] = x;
    }
    for (size_t i = last; i < n; i++)
        L->x0[i] = L->x1[i] = X1 + 400;   /* after it */
    if (by_time && (double)L->ticks.n > (X1 - X0) / 80)
        nice_ticks(m, L);
}

void viz__layout_shift(const viz_model *m, viz_layout *L, double dx)
{
    for (size_t i = 0; i < m->slots.n; i++) {
        L->x0[i] += dx;
        L->x1[i] += dx;
    }
    for (size_t i = 0; i < L->ticks.n; i++)
        L->ticks.v[i].x += dx;
    for (size_t i = 0; i < L->breaks.n; i++) {
        L->breaks.v[i].x0 += dx;
        L->breaks.v[i].x1 += dx;
    }
}

void viz__layout_free(viz_layout *L)
{
    free(L->x0);
    free(L->x1);
    free(L->ticks.v);
    free(L->breaks.v);
    memset(L, 0, sizeof *L);
}

size_t viz__slot_of(const viz_model *m, uint64_t seq)
{
    size_t lo = 0, hi = m->slots.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->slots.v[mid].seq0 <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : SIZE_MAX;
}

static double x_in_slot(const viz_model *m, const viz_layout *L, uint64_t seq, size_t i);

/* Inside a slot, events spread over its width with a small margin; between two slots,
 * over the gap. */
double viz__x_of(const viz_model *m, const viz_layout *L, uint64_t seq)
{
    return x_in_slot(m, L, seq, viz__slot_of(m, seq));
}

/* The slot of seq, looked for first just after *hint (items drawn in seq order find
 * theirs in a step or two instead of a binary search each). */
double viz__x_near(const viz_model *m, const viz_layout *L, uint64_t seq, size_t *hint)
{
    size_t i = *hint, n = m->slots.n;
    if (i < n && m->slots.v[i].seq0 <= seq) {
        for (int k = 0; k < 16 && i + 1 < n && m->slots.v[i + 1].seq0 <= seq; k++)
            i++;
        if (i + 1 < n && m->slots.v[i + 1].seq0 <= seq)
            i = viz__slot_of(m, seq);
    } else {
        i = viz__slot_of(m, seq);
    }
    *hint = i == SIZE_MAX ? 0 : i;
    return x_in_slot(m, L, seq, i);
}

static double x_in_slot(const viz_model *m, const viz_layout *L, uint64_t seq, size_t i)
{
    if (i == SIZE_MAX)
        return m->slots.n ? L->x0[0] : L->X0;
    const viz_slot *s = &m->slots.v[i];
    double a = L->x0[i], b = L->x1[i];
    if (seq <= s->seq1) {
        double pad = (b - a) * 0.08;
        if (s->seq1 == s->seq0)
            return (a + b) / 2;
        return a + pad + (b - a - 2 * pad) * (double)(seq - s->seq0) / (double)(s->seq1 - s->seq0);
    }
    if (i + 1 >= m->slots.n)
        return b;
    const viz_slot *nx = &m->slots.v[i + 1];
    double c = L->x0[i + 1];
    return b + (c - b) * (double)(seq - s->seq1) / (double)(nx->seq0 - s->seq1);
}
