/* synth.h — synthetic runs for the traces tests: loop events built by hand, as the
 * loop would report them for a small program, pushed through the trace writer.
 * Header-only; each test binary includes it once.
 *
 * The program it mimics:
 *     async def child():  await asyncio.sleep(0.5); return 42          # task 3
 *     async def victim(): await asyncio.sleep(10)                      # task 7
 *     async def main():                                                # task 1
 *         t = asyncio.create_task(child())
 *         loop.call_later(0.5, cb, 'a'); loop.call_later(0.5, cb, 'b')
 *         v = asyncio.create_task(victim()); await asyncio.sleep(0)
 *         v.cancel('bye'); print('hi'); print(await t)
 */
#ifndef SYNTH_H
#define SYNTH_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

/* Host values are C strings holding their repr. */
#define V(s) ((loop_val)(s))

static const char *synth_describe(void *ud, loop_val v, char *buf, size_t n)
{
    snprintf(buf, n, "%s", (const char *)v);
    return buf;
}

static int synth_line;   /* the "current source line" the host reports */

static int synth_line_of(void *ud)
{
    return synth_line;
}

static const trace_host synth_host = {
    .line_of = synth_line_of,
    .describe = synth_describe,
};

typedef struct synth {
    trace_writer *w;
    uint64_t seq, iteration;
    double time;
    loop_handle handles[64];
    loop_task tasks[8];
    loop_future futures[8];
} synth;

static void synth_emit(synth *s, loop_event_kind kind, loop_obj *subject, loop_obj *cause,
                       loop_obj *other, double when, double num, loop_val val, const char *text)
{
    loop_event ev = {
        .kind = kind, .seq = ++s->seq, .time = s->time, .iteration = s->iteration,
        .subject = subject, .cause = cause, .other = other, .when = when, .num = num,
        .val = val, .text = text,
    };
    trace_writer_observe(s->w, &ev);
}

static loop_handle *synth_handle(synth *s, uint64_t id, loop_obj *obj, loop_val fn, loop_val args,
                                 double when)
{
    loop_handle *h = &s->handles[id % 64];
    memset(h, 0, sizeof *h);
    h->hdr.kind = LOOP_K_HANDLE;
    h->hdr.id = id;
    h->cb.obj = obj;
    h->cb.val = fn;
    h->cb.val2 = args;
    h->when = when;
    h->is_timer = when >= 0;
    return h;
}

static loop_task *synth_task(synth *s, int slot, uint64_t id, const char *name, const char *coro)
{
    loop_task *t = &s->tasks[slot];
    memset(t, 0, sizeof *t);
    t->fut.hdr.kind = LOOP_K_TASK;
    t->fut.hdr.id = id;
    t->name = V(name);
    t->coro = V(coro);
    return t;
}

static loop_future *synth_future(synth *s, int slot, uint64_t id)
{
    loop_future *f = &s->futures[slot];
    memset(f, 0, sizeof *f);
    f->hdr.kind = LOOP_K_FUTURE;
    f->hdr.id = id;
    return f;
}

#define O(x) (&(x)->hdr)
#define T(x) (&(x)->fut.hdr)

/* Steps task t from handle h: handle_begin, step_begin. */
static void synth_step_begin(synth *s, loop_handle *h, loop_task *t)
{
    synth_emit(s, LOOP_EV_HANDLE_BEGIN, O(h), NULL, T(t), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_STEP_BEGIN, T(t), O(h), NULL, 0, 0, NULL, NULL);
}

static void synth_iteration(synth *s, double now, int nready)
{
    if (now != s->time) {
        double d = now - s->time;
        s->time = now;
        synth_emit(s, LOOP_EV_CLOCK_ADVANCE, NULL, NULL, NULL, now, d, NULL, NULL);
    }
    s->iteration++;
    synth_emit(s, LOOP_EV_ITERATION, NULL, NULL, NULL, 0, nready, NULL, NULL);
}

/* The program above, then `extra` filler iterations (a callback that reschedules
 * itself), then the end. Returns the number of events. */
static uint64_t synth_program(synth *s, uint64_t extra)
{
    loop_task *main_t = synth_task(s, 0, 1, "Task-1", "<coroutine main>");
    loop_task *child = synth_task(s, 1, 3, "Task-2", "<coroutine child>");
    loop_task *victim = synth_task(s, 2, 7, "Task-3", "<coroutine victim>");
    s->iteration = 0;
    synth_line = 0;
    /* asyncio.run(main()) */
    synth_emit(s, LOOP_EV_TASK_CREATE, T(main_t), NULL, NULL, 0, 0, V("<coroutine main>"), NULL);
    loop_handle *h = synth_handle(s, 2, T(main_t), NULL, NULL, -1);
    synth_emit(s, LOOP_EV_CALL_SOON, O(h), NULL, NULL, 0, 0, NULL, NULL);
    /* iteration 1: main's first step */
    synth_iteration(s, 0, 1);
    synth_step_begin(s, h, main_t);
    synth_line = 9;
    synth_emit(s, LOOP_EV_TASK_CREATE, T(child), T(main_t), NULL, 0, 0, V("<coroutine child>"), NULL);
    loop_handle *hc = synth_handle(s, 4, T(child), NULL, NULL, -1);
    synth_emit(s, LOOP_EV_CALL_SOON, O(hc), T(main_t), NULL, 0, 0, NULL, NULL);
    synth_line = 10;
    loop_handle *ha = synth_handle(s, 5, NULL, V("cb"), V("('a',)"), 0.5);
    synth_emit(s, LOOP_EV_CALL_LATER, O(ha), T(main_t), NULL, 0.5, 0.5, NULL, NULL);
    loop_handle *hb = synth_handle(s, 6, NULL, V("cb"), V("('b',)"), 0.5);
    synth_emit(s, LOOP_EV_CALL_LATER, O(hb), T(main_t), NULL, 0.5, 0.5, NULL, NULL);
    synth_line = 11;
    synth_emit(s, LOOP_EV_TASK_CREATE, T(victim), T(main_t), NULL, 0, 0, V("<coroutine victim>"), NULL);
    loop_handle *hv = synth_handle(s, 8, T(victim), NULL, NULL, -1);
    synth_emit(s, LOOP_EV_CALL_SOON, O(hv), T(main_t), NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_STEP_YIELD, T(main_t), T(main_t), NULL, 0, 0, NULL, NULL);
    loop_handle *hm = synth_handle(s, 9, T(main_t), NULL, NULL, -1);
    synth_emit(s, LOOP_EV_CALL_SOON, O(hm), T(main_t), NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(h), NULL, NULL, 0, 0, NULL, NULL);
    /* iteration 2: child, victim, main step */
    synth_iteration(s, 0, 3);
    synth_step_begin(s, hc, child);
    synth_line = 2;
    loop_future *sf = synth_future(s, 0, 10);
    synth_emit(s, LOOP_EV_FUTURE_CREATE, O(sf), T(child), NULL, 0, 0, NULL, "sleep");
    loop_handle *hs = synth_handle(s, 11, O(sf), NULL, NULL, 0.5);
    synth_emit(s, LOOP_EV_CALL_LATER, O(hs), T(child), NULL, 0.5, 0.5, NULL, NULL);
    synth_emit(s, LOOP_EV_STEP_AWAIT, T(child), T(child), O(sf), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_CALLBACK_ADD, O(sf), T(child), T(child), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(hc), NULL, NULL, 0, 0, NULL, NULL);
    synth_step_begin(s, hv, victim);
    synth_line = 3;
    loop_future *vf = synth_future(s, 1, 12);
    synth_emit(s, LOOP_EV_FUTURE_CREATE, O(vf), T(victim), NULL, 0, 0, NULL, "sleep");
    loop_handle *hvs = synth_handle(s, 13, O(vf), NULL, NULL, 10);
    synth_emit(s, LOOP_EV_CALL_LATER, O(hvs), T(victim), NULL, 10, 10, NULL, NULL);
    synth_emit(s, LOOP_EV_STEP_AWAIT, T(victim), T(victim), O(vf), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(hv), NULL, NULL, 0, 0, NULL, NULL);
    synth_step_begin(s, hm, main_t);
    synth_line = 12;
    synth_emit(s, LOOP_EV_CANCEL_REQUEST, T(victim), T(main_t), NULL, 0, 1, V("'bye'"), NULL);
    synth_emit(s, LOOP_EV_HANDLE_CANCEL, O(hvs), T(main_t), NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_FUTURE_CANCEL, O(vf), T(main_t), NULL, 0, 0, V("'bye'"), NULL);
    loop_handle *hw = synth_handle(s, 14, T(victim), NULL, NULL, -1);
    hw->arg = O(vf);
    synth_emit(s, LOOP_EV_CALLBACK_SCHEDULE, O(vf), T(main_t), O(hw), 0, 0, NULL, NULL);
    synth_line = 13;
    synth_emit(s, LOOP_EV_OUTPUT, NULL, T(main_t), NULL, 0, 0, NULL, "hi\n");
    synth_emit(s, LOOP_EV_STEP_AWAIT, T(main_t), T(main_t), T(child), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(hm), NULL, NULL, 0, 0, NULL, NULL);
    /* iteration 3: the victim is cancelled */
    synth_iteration(s, 0, 1);
    synth_emit(s, LOOP_EV_HANDLE_BEGIN, O(hw), NULL, T(victim), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_STEP_BEGIN, T(victim), O(hw), NULL, 0, 0, V("CancelledError('bye')"), NULL);
    synth_line = 3;
    synth_emit(s, LOOP_EV_STEP_CANCELLED, T(victim), T(victim), NULL, 0, 0, V("CancelledError('bye')"), NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(hw), NULL, NULL, 0, 0, NULL, NULL);
    /* iteration 4 at t=0.5: the timers, in heap order: b before a is not CPython's
     * order for these two, but the trace records whatever happened. */
    synth_line = 0;
    synth_iteration(s, 0.5, 3);
    synth_emit(s, LOOP_EV_TIMER_DUE, O(ha), NULL, NULL, 0.5, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_TIMER_DUE, O(hb), NULL, NULL, 0.5, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_TIMER_DUE, O(hs), NULL, NULL, 0.5, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_BEGIN, O(ha), NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(ha), NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_BEGIN, O(hb), NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(hb), NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_BEGIN, O(hs), NULL, NULL, 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_FUTURE_RESULT, O(sf), O(hs), NULL, 0, 0, V("None"), NULL);
    loop_handle *hcw = synth_handle(s, 15, T(child), NULL, NULL, -1);
    hcw->arg = O(sf);
    synth_emit(s, LOOP_EV_CALLBACK_SCHEDULE, O(sf), O(hs), O(hcw), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(hs), NULL, NULL, 0, 0, NULL, NULL);
    /* iteration 5: child returns 42, main wakes */
    synth_iteration(s, 0.5, 1);
    synth_step_begin(s, hcw, child);
    synth_emit(s, LOOP_EV_STEP_RETURN, T(child), T(child), NULL, 0, 0, V("42"), NULL);
    loop_handle *hmw = synth_handle(s, 16, T(main_t), NULL, NULL, -1);
    hmw->arg = T(child);
    synth_emit(s, LOOP_EV_CALLBACK_SCHEDULE, T(child), T(child), O(hmw), 0, 0, NULL, NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(hcw), NULL, NULL, 0, 0, NULL, NULL);
    synth_iteration(s, 0.5, 1);
    synth_step_begin(s, hmw, main_t);
    synth_line = 13;
    synth_emit(s, LOOP_EV_OUTPUT, NULL, T(main_t), NULL, 0, 0, NULL, "42\n");
    /* filler: main awaits a callback future that reschedules itself `extra` times */
    uint64_t id = 17;
    loop_handle *prev = hmw;
    for (uint64_t i = 0; i < extra; i++) {
        loop_handle *hx = synth_handle(s, id++, NULL, V("tick"), NULL, -1);
        synth_emit(s, LOOP_EV_CALL_SOON, O(hx), O(prev), NULL, 0, 0, NULL, NULL);
        synth_emit(s, LOOP_EV_HANDLE_END, O(prev), NULL, NULL, 0, 0, NULL, NULL);
        synth_iteration(s, s->time + 0.001, 1);
        synth_emit(s, LOOP_EV_HANDLE_BEGIN, O(hx), NULL, NULL, 0, 0, NULL, NULL);
        prev = hx;
    }
    synth_emit(s, LOOP_EV_STEP_RETURN, T(main_t), T(main_t), NULL, 0, 0, V("None"), NULL);
    synth_emit(s, LOOP_EV_HANDLE_END, O(prev), NULL, NULL, 0, 0, NULL, NULL);
    return s->seq;
}

static const char *synth_argv[] = { "prog.py", "--flag", "中文" };

static const trace_kv synth_options[] = { { "seed", "7" }, { "jitter", "0" }, { "step_limit", "0" } };

static const trace_meta synth_meta = {
    .aiosim_version = "0.1-test",
    .program = "prog.py",
    .argc = 3,
    .argv = (char *const *)synth_argv,
    .source = "import asyncio\n# 中文\nasync def main():\n    print('hi')\n",
    .options = synth_options,
    .noptions = 3,
};

/* Writes the synthetic program into path; returns the number of events or 0 (err). */
static inline uint64_t synth_write(const char *path, uint64_t extra, bool complete, char *err, size_t errlen)
{
    synth s = { 0 };
    s.w = trace_writer_open(path, &synth_meta, &synth_host, NULL, err, errlen);
    if (!s.w)
        return 0;
    uint64_t n = synth_program(&s, extra);
    if (trace_writer_close(s.w, complete, s.time, 0, err, errlen) < 0)
        return 0;
    return n;
}

/* A fresh temporary path (the file does not exist) under /tmp; free() it. */
static char *synth_tmp(const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "/tmp/aiosim_test_%d_%s", (int)getpid(), name) < 0)
        return NULL;
    unlink(p);
    return p;
}

/* Removes a trace and its side files. */
static void synth_rm(const char *path)
{
    char buf[4096];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-journal", path);
    unlink(buf);
}

#endif
