/* rows.c — on the writer thread: the output rows of a chunk, one per line printed. */
#include "writer_int.h"

int trace__write_output(trace_writer *w, const chunk *c)
{
    sqlite3_stmt *st = w->st[S_OUTPUT];
    for (uint32_t i = 0; i < c->n; i++) {
        const cap_ev *e = &c->ev[i];
        if (e->kind != LOOP_EV_OUTPUT)
            continue;
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(c->first_seq + i));
        sqlite3_bind_text(st, 2, cap_x_of(c, e)->num == 2 ? "stderr" : "stdout", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, e->text ? c->arena.p + e->text - 1 : "", -1, SQLITE_STATIC);
        if (trace__wrun(w, S_OUTPUT) < 0)
            return -1;
    }
    return 0;
}
