/* tasks.c — on the writer thread: the tasks table. A task's row stays in memory from
 * its task_create until one block after it finished (its finishing events come in
 * pairs, step_return then future_result, which a chunk boundary may split), then goes
 * in at the end of the table (16 rows per INSERT when that many end together).
 * Appending keeps commits cheap: updating rows in place would rewrite pages all over
 * the table at every commit.
 */
#include <stdlib.h>
#include <string.h>

#include "writer_int.h"

static int push(struct idlist *l, uint64_t v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        uint64_t *p = realloc(l->p, cap * sizeof *p);
        if (!p)
            return -1;
        l->p = p;
        l->cap = cap;
    }
    l->p[l->n++] = v;
    return 0;
}

/* A copy of s (n bytes and a NUL; NULL: none). */
static char *dup(const char *s, size_t n)
{
    char *d = s ? malloc(n + 1) : NULL;
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

void trace__task_created(trace_writer *w, uint64_t id, uint64_t parent, uint64_t seq,
                         const char *name, size_t name_len, const char *coro, size_t coro_len,
                         unsigned borrowed)
{
    wstate *ws = &w->ws;
    size_t i;
    if (ws->freeslots.n) {
        i = (size_t)ws->freeslots.p[--ws->freeslots.n];
    } else {
        if (ws->nrows == ws->caprows) {
            size_t cap = ws->caprows ? ws->caprows * 2 : 256;
            task_row *p = realloc(ws->rows, cap * sizeof *p);
            if (!p) {
                trace__woom(w);
                return;
            }
            ws->rows = p;
            ws->caprows = cap;
        }
        i = ws->nrows++;
    }
    task_row *t = &ws->rows[i];
    bool bn = borrowed & TASK_NAME_BORROWED, bc = borrowed & TASK_CORO_BORROWED;
    *t = (task_row){ .id = id, .parent = parent, .created_seq = seq,
                     .name = bn ? (char *)name : dup(name, name_len),
                     .coro = bc ? (char *)coro : dup(coro, coro_len),
                     .name_len = (uint32_t)name_len, .coro_len = (uint32_t)coro_len,
                     .name_borrowed = bn, .coro_borrowed = bc };
    trace__idval *h = trace__idmap_find(&ws->tasks, id);
    if (h)
        h->index = i + 1;
    else if (trace__idmap_put(&ws->tasks, id, (trace__idval){ .index = i + 1 }) < 0)
        trace__woom(w);
    if ((name && !t->name) || (coro && !t->coro))
        trace__woom(w);
}

/* A row's texts, those it owns freed. */
static void free_row_texts(task_row *t)
{
    if (!t->name_borrowed)
        free(t->name);
    if (!t->coro_borrowed)
        free(t->coro);
    free(t->result);
}

/* The first end sets done_seq; a later one (future_result after step_return) may
 * change the state and brings a result (n bytes) if the first had none. The two
 * usually bring the same text: it is copied once. -1 when out of memory. */
static int merge_end(task_row *t, uint64_t seq, const char *state, const char *result, size_t n)
{
    if (!t->done_seq)
        t->done_seq = seq;
    t->state = state;
    if (!result || (t->result && t->result_len == n && memcmp(t->result, result, n) == 0))
        return 0;
    char *r = dup(result, n);
    if (!r)
        return -1;
    free(t->result);
    t->result = r;
    t->result_len = (uint32_t)n;
    return 0;
}

void trace__task_done(trace_writer *w, uint64_t id, uint64_t seq, const char *state, const char *result)
{
    wstate *ws = &w->ws;
    size_t rn = result ? strlen(result) : 0;
    trace__idval *h = trace__idmap_find(&ws->tasks, id);
    if (h && h->index) {
        task_row *t = &ws->rows[h->index - 1];
        bool first = !t->done_seq;
        if (merge_end(t, seq, state, result, rn) < 0 || (first && push(&ws->done_now, id) < 0))
            trace__woom(w);
        return;
    }
    /* already written (it ended long after its first end): change its row */
    sqlite3_stmt *st = w->st[S_TASK_LATE];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    bind_str(st, 3, state);
    bind_strn(st, 4, result, rn);
    trace__wrun(w, S_TASK_LATE);
}

/* The index of task id's row if it is still to be written (marking it written). */
static bool unwritten(wstate *ws, uint64_t id, size_t *index)
{
    trace__idval *h = trace__idmap_find(&ws->tasks, id);
    if (!h || !h->index)
        return false;
    *index = (size_t)h->index - 1;
    h->index = 0;   /* written; the name stays for later details */
    return true;
}

/* Binding is a tenth of a row's cost in SQLite, and bindings outlive sqlite3_reset:
 * a parameter already bound to the same id, or to the same text that lives as long
 * as the writer (a state, a kept coroutine, a name from the name store), is left as
 * it is. memo: S_TASKS's record of what it holds (NULL: bind all). */
static void bind_int_memo(sqlite3_stmt *st, task_bound *memo, int i, uint64_t v, bool id)
{
    uint8_t kind = id ? 1 : 3;   /* an id binds 0 as null */
    if (memo) {
        if (memo[i - 1].kind == kind && memo[i - 1].v == v)
            return;
        memo[i - 1] = (task_bound){ .v = v, .kind = kind };
    }
    if (id)
        bind_id(st, i, v);
    else
        sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

static void bind_text_memo(sqlite3_stmt *st, task_bound *memo, int i, const char *s, size_t n, bool lasting)
{
    if (memo) {
        task_bound *b = &memo[i - 1];
        if (lasting && b->kind == 2 && b->text == s && b->v == n)
            return;
        *b = (task_bound){ .text = s, .v = n, .kind = lasting ? 2 : 0 };
    }
    bind_strn(st, i, s, n);
}

static void bind_row(sqlite3_stmt *st, task_bound *memo, int at, const task_row *t)
{
    const char *state = t->state ? t->state : "pending";   /* static strings */
    bind_int_memo(st, memo, at + 1, t->id, false);
    bind_text_memo(st, memo, at + 2, t->name, t->name_len, t->name_borrowed);
    bind_text_memo(st, memo, at + 3, t->coro, t->coro_len, t->coro_borrowed);
    bind_int_memo(st, memo, at + 4, t->parent, true);
    bind_int_memo(st, memo, at + 5, t->created_seq, false);
    bind_int_memo(st, memo, at + 6, t->done_seq, true);
    bind_text_memo(st, memo, at + 7, state, strlen(state), true);
    bind_text_memo(st, memo, at + 8, t->result, t->result_len, false);
}

/* A written row's slot, free again. */
static void release(trace_writer *w, size_t i)
{
    task_row *t = &w->ws.rows[i];
    free_row_texts(t);
    *t = (task_row){ 0 };
    if (push(&w->ws.freeslots, i) < 0)
        trace__woom(w);
}

/* Inserts the rows of tasks ids[0..n) still in memory, in that order, and forgets
 * them: TASK_ROWS_PER_INSERT per statement while there are that many, then one by one. */
static int write_rows(trace_writer *w, const uint64_t *ids, size_t n)
{
    size_t slots[TASK_ROWS_PER_INSERT], k = 0;
    for (size_t i = 0; i < n; i++) {
        if (unwritten(&w->ws, ids[i], &slots[k]))
            k++;
        if (k < TASK_ROWS_PER_INSERT && !(i + 1 == n && k))
            continue;
        if (k == TASK_ROWS_PER_INSERT) {
            for (size_t r = 0; r < k; r++)
                bind_row(w->st[S_TASKS], w->ws.task_bound, (int)(8 * r), &w->ws.rows[slots[r]]);
            if (trace__wrun(w, S_TASKS) < 0)
                return -1;
        } else {
            for (size_t r = 0; r < k; r++) {
                bind_row(w->st[S_TASK], NULL, 0, &w->ws.rows[slots[r]]);
                if (trace__wrun(w, S_TASK) < 0)
                    return -1;
            }
        }
        for (size_t r = 0; r < k; r++)
            release(w, slots[r]);
        k = 0;
    }
    return 0;
}

int trace__write_done_tasks(trace_writer *w)
{
    wstate *ws = &w->ws;
    if (write_rows(w, ws->done_before.p, ws->done_before.n) < 0)
        return -1;
    struct idlist t = ws->done_before;
    ws->done_before = ws->done_now;
    ws->done_now = t;
    ws->done_now.n = 0;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int trace__write_all_tasks(trace_writer *w)
{
    wstate *ws = &w->ws;
    if (trace__write_done_tasks(w) < 0 || trace__write_done_tasks(w) < 0)
        return -1;
    struct idlist ids = { 0 };
    for (size_t i = 0; i < ws->nrows; i++)
        if (ws->rows[i].id && push(&ids, ws->rows[i].id) < 0) {
            trace__woom(w);
            free(ids.p);
            return -1;
        }
    if (ids.n)
        qsort(ids.p, ids.n, sizeof *ids.p, by_id);
    int rc = write_rows(w, ids.p, ids.n);
    free(ids.p);
    return rc;
}

void trace__tasks_free(wstate *ws)
{
    for (size_t i = 0; i < ws->nrows; i++)
        free_row_texts(&ws->rows[i]);
    free(ws->rows);
    free(ws->freeslots.p);
    free(ws->done_now.p);
    free(ws->done_before.p);
}
