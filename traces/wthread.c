/* wthread.c — the writer thread: takes full chunks in order, adds each to the open
 * event block (a transaction: the block, its output rows and the rows of the tasks
 * that ended in the block before) and hands the chunk back; a chunk that ends the
 * block commits it.
 * After a failure it keeps taking chunks, unwritten, so the program never waits on a
 * writer that has given up.
 */
#include "writer_int.h"

static int end_block(trace_writer *w)
{
    wstate *ws = &w->ws;
    ws->in_block = false;
    if (trace__block_end(w) < 0)
        return -1;
    sqlite3_stmt *st = w->st[S_BLOCK];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)ws->block_first);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)(ws->block_first + ws->block_n - 1));
    sqlite3_bind_text(st, 3, ws->block.p, (int)ws->block.len, SQLITE_STATIC);
    if (trace__wrun(w, S_BLOCK) < 0 || trace__write_done_tasks(w) < 0 || trace__wrun(w, S_COMMIT) < 0)
        return -1;
    atomic_store(&w->committed, ws->block_first + ws->block_n - 1);
    atomic_fetch_add(&w->batches, 1);
    return 0;
}

/* The last transaction: the rows of the tasks still in memory. */
static void write_rest(trace_writer *w)
{
    if (atomic_load(&w->failed))
        return;
    if (w->ws.in_block && end_block(w) < 0) {
        sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
        return;
    }
    if (trace__wrun(w, S_BEGIN) < 0)
        return;
    if (trace__write_all_tasks(w) < 0 || trace__wrun(w, S_COMMIT) < 0)
        sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
}

static int write_chunk(trace_writer *w, const chunk *c)
{
    wstate *ws = &w->ws;
    if (c->n && !ws->in_block) {
        if (trace__wrun(w, S_BEGIN) < 0)
            return -1;
        ws->in_block = true;
        ws->block_first = c->first_seq;
        ws->block_n = 0;
        trace__block_begin(w);
    }
    if (c->n) {
        if (trace__encode_chunk(w, c) < 0)
            return -1;
        ws->block_n += c->n;
    }
    return c->ends_block && ws->in_block ? end_block(w) : 0;
}

void *trace__writer_main(void *arg)
{
    trace_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->qlen && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->qlen)
            break;    /* quit, and nothing left */
        chunk *c = w->queue[w->qhead];
        w->qhead = (w->qhead + 1) % NCHUNKS;
        w->qlen--;
        w->writing = true;
        pthread_mutex_unlock(&w->mu);
        if (!atomic_load(&w->failed) && write_chunk(w, c) < 0) {
            w->ws.in_block = false;
            if (sqlite3_get_autocommit(w->db) == 0)
                sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
        }
        pthread_mutex_lock(&w->mu);
        w->writing = false;
        w->spare[w->nspare++] = c;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    write_rest(w);
    return NULL;
}

void trace__drain(trace_writer *w)
{
    trace__submit(w, true);
    pthread_mutex_lock(&w->mu);
    while (w->qlen || w->writing)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}
