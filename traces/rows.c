/* rows.c — on the writer thread: the output rows, one per line printed. */
#include "writer_int.h"

int trace__write_output(trace_writer *w, const chunk *c, const cap_ev *e, uint64_t seq)
{
    if (atomic_load(&w->failed))
        return -1;   /* nothing is written after a failure */
    sqlite3_stmt *st = w->st[S_OUTPUT];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_text(st, 2, cap_x_of(c, e)->num == 2 ? "stderr" : "stdout", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->text ? c->arena.p + e->text - 1 : "", -1, SQLITE_STATIC);
    return trace__wrun(w, S_OUTPUT);
}
