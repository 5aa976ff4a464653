/* gen_traces.h — real traces for the viz tests: small asyncio programs written as C
 * coroutines (tests/loop/test_host.h), run on the real loop/ core with the trace writer
 * attached. Header-only; each test binary includes it once.
 *
 *   gen_basic      traces/QUERIES.md's program: sleep(0), call_later, a cancel, await a task
 *   gen_workers    two workers share a queue and a lock, main waits on a thread, prints
 *                  Chinese text, cancels the workers
 *   gen_many       ntasks tasks each sleeping `rounds` times (a large trace)
 *   gen_gap        one task with short sleeps around a 30 s one (clock breaks)
 */
#ifndef GEN_TRACES_H
#define GEN_TRACES_H

#include "loop/test_host.h"
#include "trace.h"

/* Every generator is static; a binary that uses some must not warn about the others. */
#define GEN_API static __attribute__((unused))

static int gen_line;
static const char *gen_source = "# C";   /* the program text the trace keeps */

static int gen_line_of(void *ud) { return gen_line; }

static const char *gen_describe(void *ud, loop_val v, char *buf, size_t n)
{
    th_repr_buf(v, buf, n);
    return buf;
}

static const char *gen_describe_handle(void *ud, const loop_handle *h, char *buf, size_t n)
{
    const tv *fn = h->cb.val;
    if (!fn || fn->tag != TV_FN || fn->fn != th_fn_log)
        return NULL;
    snprintf(buf, n, "cb('%s')", (const char *)fn->closure);
    return buf;
}

static void gen_print(th *h, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    strcat(buf, "\n");
    loop_emit(h->l, LOOP_EV_OUTPUT, NULL, NULL, buf);
}

/* Runs main_step as asyncio.run would, writing the trace to path. */
static void gen_run(const char *path, const char *program, tcoro_fn main_step, void *data)
{
    char err[TRACE_ERR_MAX] = "";
    trace_host host = { .line_of = gen_line_of, .describe = gen_describe,
                        .describe_handle = gen_describe_handle };
    trace_meta meta = { .aiosim_version = "test", .program = program, .source = gen_source };
    trace_writer_opts opts = { .batch = 0 };
    trace_writer *w = trace_writer_open(path, &meta, &host, &opts, err, sizeof err);
    if (!w)
        fail_msg("%s", err);
    th *h = th_new();
    trace_writer_attach(w, h->l);
    gen_line = 0;
    th_run_main(h, main_step, data);
    if (trace_writer_close(w, true, loop_time(h->l), 0, err, sizeof err) != 0)
        fail_msg("%s", err);
    th_free(h);
}

/* ---- gen_basic ------------------------------------------------------------------------ */

static loop_task *gb_child, *gb_victim;

static loop_resume gb_child_step(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    if (c->pc == 0) {
        gen_line = 7;
        return th_await_coro(c, th_ncoro(c->h, loop_sleep(c->h->l, 0.5, NULL)), 1, out);
    }
    TH_CHECK(c, exc, out);
    gen_line = 8;
    return th_return(c, th_int(c->h, 42), out);
}

static loop_resume gb_victim_step(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    if (c->pc == 0) {
        gen_line = 11;
        return th_await_coro(c, th_ncoro(c->h, loop_sleep(c->h->l, 10, NULL)), 1, out);
    }
    TH_CHECK(c, exc, out);
    return th_return(c, NULL, out);
}

static loop_resume gb_main_step(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        gen_line = 15;
        gb_child = loop_task_new(h->l, th_coro(h, gb_child_step, "child", NULL), NULL, NULL);
        gen_line = 16;
        th_later_log(h, 0.5, "a");
        gen_line = 17;
        th_later_log(h, 0.5, "b");
        gen_line = 18;
        gb_victim = loop_task_new(h->l, th_coro(h, gb_victim_step, "victim", NULL), NULL, NULL);
        gen_line = 19;
        return th_yield(c, 1, out);
    case 1:
        gen_line = 20;
        loop_task_cancel(h->l, gb_victim, th_str(h, "bye"));
        gen_print(h, "hi");
        gen_line = 21;
        return th_await(c, &gb_child->fut, 2, out);
    default:
        TH_CHECK(c, exc, out);
        gen_print(h, "%s", th_repr(value));
        return th_return(c, value, out);
    }
}

/* gen_basic's program as Python (traces/QUERIES.md's, after a comment line), so that
 * its gen_line numbers point at the right lines of the trace's source. */
static const char gb_source[] =
    "# queries_example.py (traces/QUERIES.md)\n"
    "import asyncio\n"
    "log = []\n"
    "def cb(tag): log.append(tag)\n"
    "\n"
    "async def child():\n"
    "    await asyncio.sleep(0.5)\n"
    "    return 42\n"
    "\n"
    "async def victim():\n"
    "    await asyncio.sleep(10)\n"
    "\n"
    "async def main():\n"
    "    loop = asyncio.get_running_loop()\n"
    "    t = asyncio.create_task(child())\n"
    "    loop.call_later(0.5, cb, 'a')\n"
    "    loop.call_later(0.5, cb, 'b')\n"
    "    v = asyncio.create_task(victim())\n"
    "    await asyncio.sleep(0)\n"
    "    v.cancel('bye'); print('hi')\n"
    "    print(await t)\n"
    "\n"
    "asyncio.run(main())\n";

GEN_API void gen_basic(const char *path)
{
    gen_source = gb_source;
    gen_run(path, "queries_example.py", gb_main_step, NULL);
    gen_source = "# C";
}

/* ---- gen_workers ------------------------------------------------------------------------- */

/*  async def worker(name, q, lock):
 *      while True:
 *          item = await q.get()
 *          async with lock:
 *              print(f"{name} 处理 {item}")
 *              await asyncio.sleep(0.1)
 *          q.task_done()
 *
 *  def blocking_io(): time.sleep(0.3); return "数据"
 *
 *  async def main():
 *      q, lock = asyncio.Queue(), asyncio.Lock()
 *      ws = [asyncio.create_task(worker(n, q, lock)) for n in "AB"]
 *      r = await loop.run_in_executor(None, blocking_io); print("线程结果", r)
 *      for i in range(3): q.put_nowait(i)
 *      await q.join()
 *      for w in ws: w.cancel()
 *      await asyncio.sleep(0); print("完成")
 */
typedef struct gw_state {
    loop_obj *q, *lock;
    loop_task *ws[2];
} gw_state;

static gw_state gw;

static loop_resume gw_worker(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    th *h = c->h;
    const char *name = c->data;
    switch (c->pc) {
    case 0:
        gen_line = 3;
        return th_await_coro(c, th_ncoro(h, loop_queue_get(h->l, gw.q)), 1, out);
    case 1:
        TH_CHECK(c, exc, out);
        c->v[0] = value;
        gen_line = 4;
        return th_await_coro(c, th_ncoro(h, loop_lock_acquire(h->l, gw.lock)), 2, out);
    case 2:
        TH_CHECK(c, exc, out);
        gen_line = 5;
        gen_print(h, "%s 处理 %s", name, th_repr(c->v[0]));
        gen_line = 6;
        return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, 0.1, NULL)), 3, out);
    default:
        loop_lock_release(h->l, gw.lock);
        TH_CHECK(c, exc, out);
        gen_line = 7;
        loop_queue_task_done(h->l, gw.q);
        gen_line = 3;
        return th_await_coro(c, th_ncoro(h, loop_queue_get(h->l, gw.q)), 1, out);
    }
}

static loop_resume gw_job(tcoro *c, loop_val v, loop_val e, loop_val *out)
{
    if (c->pc == 0) {
        gen_line = 10;
        return th_sleep(c, 0.3, 1);
    }
    return th_return(c, th_str(c->h, "数据"), out);
}

static loop_resume gw_main(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    th *h = c->h;
    switch (c->pc) {
    case 0:
        gen_line = 14;
        gw.q = loop_queue_new(h->l, LOOP_QUEUE_FIFO, 0);
        gw.lock = loop_lock_new(h->l);
        gen_line = 15;
        gw.ws[0] = loop_task_new(h->l, th_coro(h, gw_worker, "worker", "A"), NULL, NULL);
        gw.ws[1] = loop_task_new(h->l, th_coro(h, gw_worker, "worker", "B"), NULL, NULL);
        gen_line = 16;
        return th_await(c, loop_run_in_executor(h->l, NULL, th_job(h, gw_job, "blocking_io", NULL)),
                        1, out);
    case 1:
        TH_CHECK(c, exc, out);
        gen_print(h, "线程结果 %s", ((tv *)value)->s);
        gen_line = 17;
        for (int i = 0; i < 3; i++)
            loop_queue_put_nowait(h->l, gw.q, th_int(h, i));
        gen_line = 18;
        return th_await_coro(c, th_ncoro(h, loop_queue_join(h->l, gw.q)), 2, out);
    case 2:
        TH_CHECK(c, exc, out);
        gen_line = 19;
        for (int i = 0; i < 2; i++)
            loop_task_cancel(h->l, gw.ws[i], NULL);
        gen_line = 20;
        return th_yield(c, 3, out);
    default:
        gen_print(h, "完成");
        return th_return(c, NULL, out);
    }
}

GEN_API void gen_workers(const char *path)
{
    gen_run(path, "workers.py", gw_main, NULL);
}

/* ---- gen_many ---------------------------------------------------------------------------- */

/*  async def ticker(i):
 *      for k in range(rounds): await asyncio.sleep(0.001 * (1 + (i * 7 + k) % 5))
 *  async def main(): await asyncio.gather(*(ticker(i) for i in range(ntasks)))  (as tasks)
 */
typedef struct gm_args {
    int ntasks, rounds;
    int idx[4096];
} gm_args;

static gm_args *gm;

static loop_resume gm_ticker(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    int i = *(int *)c->data;
    TH_CHECK(c, exc, out);
    if (c->pc >= gm->rounds)
        return th_return(c, NULL, out);
    double d = 0.001 * (1 + (i * 7 + c->pc) % 5);
    return th_await_coro(c, th_ncoro(c->h, loop_sleep(c->h->l, d, NULL)), c->pc + 1, out);
}

static loop_resume gm_main(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    th *h = c->h;
    loop_task **ts = c->data;
    TH_CHECK(c, exc, out);
    if (c->pc == 0) {
        for (int i = 0; i < gm->ntasks; i++)
            ts[i] = loop_task_new(h->l, th_coro(h, gm_ticker, "ticker", &gm->idx[i]), NULL, NULL);
    }
    if (c->pc < gm->ntasks) {
        int k = c->pc;
        return th_await(c, &ts[k]->fut, k + 1, out);
    }
    gen_print(h, "all %d tickers done", gm->ntasks);
    return th_return(c, NULL, out);
}

GEN_API void gen_many(const char *path, int ntasks, int rounds)
{
    static gm_args args;
    gm = &args;
    args.ntasks = ntasks > 4096 ? 4096 : ntasks;
    args.rounds = rounds;
    for (int i = 0; i < args.ntasks; i++)
        args.idx[i] = i;
    loop_task **ts = calloc((size_t)args.ntasks, sizeof *ts);
    gen_run(path, "many_tickers.py", gm_main, ts);
    free(ts);
}

/* ---- gen_gap ------------------------------------------------------------------------------ */

/*  async def main():
 *      for d in (0.1, 0.2, 30, 0.1):
 *          loop.call_later(d / 2, cb, 'tick'); await asyncio.sleep(d)
 *          print(f"after sleep {d}: t={loop.time()}")
 */
static loop_resume gg_main(tcoro *c, loop_val value, loop_val exc, loop_val *out)
{
    static const double d[] = { 0.1, 0.2, 30, 0.1 };
    th *h = c->h;
    TH_CHECK(c, exc, out);
    if (c->pc > 0)
        gen_print(h, "after sleep %g: t=%g", d[c->pc - 1], loop_time(h->l));
    if (c->pc == 4)
        return th_return(c, NULL, out);
    th_later_log(h, d[c->pc] / 2, "tick");
    return th_await_coro(c, th_ncoro(h, loop_sleep(h->l, d[c->pc], NULL)), c->pc + 1, out);
}

GEN_API void gen_gap(const char *path)
{
    gen_run(path, "gap.py", gg_main, NULL);
}

#endif
