/* model_classify.c — what each wait was for, once every future's end is known: a
 * task, a sleep (its origin says so, or a timer ended it), a lock / queue / event, a
 * thread's result, a plain future; and a sleep's timer labelled "sleep(0.5) ends". */
#include <stdio.h>

#include "model_int.h"

/* What a wait was for, now that every future's end is known. A future created in the
 * step that awaited it, and ended by a timer (or never, or cancelled), with a timer
 * scheduled by that step: a sleep. */
static void classify_waits(loader *ld)
{
    viz_model *m = ld->m;
    for (size_t i = 0; i < m->waits.n; i++) {
        viz_wait *w = &m->waits.v[i];
        if (w->kind == VIZ_W_YIELD || w->kind == VIZ_W_SLEEP || !w->awaited)
            continue;
        obj *f = O(ld, w->awaited);
        if (f->type == O_TASK)
            w->kind = VIZ_W_TASK;
        else if (f->akind_origin)
            w->kind = f->akind_origin - 1;
        else if (f->sync_origin)
            w->kind = VIZ_W_SYNC;
        else if (f->akind == DONE_THREAD)
            w->kind = VIZ_W_THREAD;
        else if (f->akind == DONE_TIMER)
            w->kind = VIZ_W_SLEEP;
        else if (f->timer_step && (f->akind == DONE_NONE || f->akind == DONE_TASK)) {
            w->kind = VIZ_W_SLEEP;
        } else
            w->kind = VIZ_W_FUTURE;
        if (w->kind == VIZ_W_SLEEP && f->timer_step)
            w->dur = f->timer_delay;
    }
}

/* A sleep's timer says "callback of future #11" in the trace; the picture says what
 * it does: "sleep(0.5) ends". */
static void name_sleep_timers(loader *ld)
{
    viz_model *m = ld->m;
    for (size_t i = 0; i < m->hlabels.n; i++) {
        unsigned long long fid;
        if (sscanf(m->hlabels.v[i], "callback of future #%llu", &fid) != 1 || fid >= ld->nobjs)
            continue;
        obj *f = &ld->objs[fid];
        if (f->type != O_FUTURE || !f->timer_step)
            continue;
        char buf[64];
        snprintf(buf, sizeof buf, "sleep(%g) ends", f->timer_delay);
        free(m->hlabels.v[i]);
        m->hlabels.v[i] = viz__strdup(buf);
    }
}

void viz__classify(loader *ld)
{
    classify_waits(ld);
    name_sleep_timers(ld);
}
