/* handmade.h — format-3 traces written directly with SQLite, for the reader and diff
 * tests: the schema, the event kinds, meta rows, and event blocks whose JSON the test
 * writes itself (to damage it, or to spell numbers and strings in unusual ways) or
 * builds from trace_event values, in groups as long as the events allow or cut
 * shorter. No writer involved. Header-only; include it after cmocka.h (failures are
 * cmocka failures).
 *
 * The file numbers kinds its own way, as schema.sql allows: even loop kinds get small
 * ids, odd ones large ids, none equal to loop_event_kind, so that a reader that took
 * the numbers for loop_event_kind values would fail. Two more kinds stand for a newer
 * aiosim's: HM_KIND_NEW (small id) and HM_KIND_NEW2 (negative id); HM_KIND_NONE is in
 * no row of event_kinds.
 */
#ifndef HANDMADE_H
#define HANDMADE_H

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/trace_int.h"

#define HM_KIND_ID(k) ((int64_t)((k) % 2 ? 100000 + 3 * (k) : 10 + 3 * (k)))
#define HM_KIND_NEW 5
#define HM_KIND_NEW2 (-2)
#define HM_KIND_NONE 7

static void hm_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("SQL failed: %s\n%s", msg ? msg : "?", sql);
}

/* A new trace at path (any file there is replaced), open for more rows: the schema,
 * the kinds, and the meta rows of a finished run. */
static sqlite3 *hm_create(const char *path, const char *seed, const char *wall_start)
{
    sqlite3 *db = NULL;
    unlink(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        fail_msg("cannot create %s", path);
    hm_exec(db, "PRAGMA synchronous = OFF");   /* test files need no durability */
    hm_exec(db, trace_schema_sql);
    hm_exec(db, "BEGIN");
    for (int k = 0; k < LOOP_EV__COUNT; k++) {
        char *q = sqlite3_mprintf("INSERT INTO event_kinds VALUES (%lld, %Q, '')", (long long)HM_KIND_ID(k),
                                  loop_event_name(k));
        hm_exec(db, q);
        sqlite3_free(q);
    }
    hm_exec(db, "INSERT INTO event_kinds VALUES (5, 'kind_from_the_future', 'newer');"
                "INSERT INTO event_kinds VALUES (-2, 'another_new_kind', 'newer')");
    char *q = sqlite3_mprintf("INSERT INTO meta VALUES ('format', 'aiosim-trace'), ('format_version', %d),"
                              " ('aiosim_version', '0.1-test'), ('program', 'prog.py'), ('seed', %Q),"
                              " ('complete', 1), ('source', 'import asyncio\n# 中文\n'), ('wall_start', %Q)",
                              TRACE_FORMAT_VERSION, seed, wall_start);
    hm_exec(db, q);
    sqlite3_free(q);
    hm_exec(db, "COMMIT");
    return db;
}

/* One block, its JSON as given. */
static void hm_block(sqlite3 *db, uint64_t first, uint64_t last, const char *json)
{
    char *q = sqlite3_mprintf("INSERT INTO event_blocks VALUES (%llu, %llu, %Q)", (unsigned long long)first,
                              (unsigned long long)last, json);
    hm_exec(db, q);
    sqlite3_free(q);
}

/* v as the writer spells numbers: the shortest of 15 to 17 digits that reads back
 * exactly, 9e999 for infinity, null for NaN. */
static void hm_num(trace__buf *b, double v)
{
    char t[40];
    if (isnan(v)) {
        trace__buf_puts(b, "null");
    } else if (isinf(v)) {
        trace__buf_puts(b, v > 0 ? "9e999" : "-9e999");
    } else if (v == 0 && signbit(v)) {
        trace__buf_puts(b, "-0.0");
    } else {
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(t, sizeof t, "%.*g", prec, v);
            if (strtod(t, NULL) == v)
                break;
        }
        trace__buf_puts(b, t);
    }
}

/* One event as a group's element (no time, no iteration: the group has them),
 * trailing absent fields left out. Its kind is e->kind as this file numbers it, or
 * raw_kind unless that is INT64_MIN. */
static void hm_event_json(trace__buf *b, const trace_event *e, int64_t raw_kind)
{
    trace__buf_printf(b, "[%lld,%llu,%llu,%llu,%d", (long long)(raw_kind != INT64_MIN ? raw_kind : HM_KIND_ID(e->kind)),
                      (unsigned long long)e->subject, (unsigned long long)e->cause, (unsigned long long)e->other,
                      e->line);
    if (e->detail || !isnan(e->at) || !isnan(e->num)) {
        trace__buf_puts(b, ",");
        if (e->detail)
            trace__buf_json(b, e->detail);
        else
            trace__buf_puts(b, "null");
        if (!isnan(e->at) || !isnan(e->num)) {
            trace__buf_puts(b, ",");
            hm_num(b, e->at);
            if (!isnan(e->num)) {
                trace__buf_puts(b, ",");
                hm_num(b, e->num);
            }
        }
    }
    trace__buf_puts(b, "]");
}

/* Whether b may join a's group: the same iteration and the same time, bit for bit. */
static bool hm_same_group(const trace_event *a, const trace_event *b)
{
    return a->iteration == b->iteration && memcmp(&a->time, &b->time, sizeof a->time) == 0;
}

/* evs[0..n) as one block's JSON: groups of events sharing iteration and time, each of
 * at most group_max events (0: no limit). */
static void hm_block_json(trace__buf *b, const trace_event *evs, size_t n, size_t group_max)
{
    trace__buf_puts(b, "[");
    size_t in_group = 0;
    for (size_t j = 0; j < n; j++) {
        if (j && (!hm_same_group(&evs[j - 1], &evs[j]) || in_group == group_max)) {
            trace__buf_puts(b, "],");
            in_group = 0;
        } else if (j) {
            trace__buf_puts(b, ",");
        }
        if (!in_group) {
            trace__buf_printf(b, "[%zu,%llu,", j, (unsigned long long)evs[j].iteration);
            hm_num(b, evs[j].time);
            trace__buf_puts(b, ",");
        }
        hm_event_json(b, &evs[j], INT64_MIN);
        in_group++;
    }
    trace__buf_puts(b, n ? "]]" : "]");
}

/* evs[0..n) as the events first.., in blocks of the sizes sizes[0], sizes[1], ...
 * (cycling; nsizes 0: one block), in groups of at most group_max events (0: as long
 * as iteration and time allow). Returns the last seq. */
static uint64_t hm_events_grouped(sqlite3 *db, uint64_t first, const trace_event *evs, size_t n,
                                  const size_t *sizes, size_t nsizes, size_t group_max)
{
    hm_exec(db, "BEGIN");
    size_t i = 0, s = 0;
    while (i < n) {
        size_t len = nsizes ? sizes[s++ % nsizes] : n;
        if (len > n - i)
            len = n - i;
        trace__buf b = { 0 };
        hm_block_json(&b, evs + i, len, group_max);
        assert_false(b.oom);
        hm_block(db, first + i, first + i + len - 1, b.p);
        trace__buf_free(&b);
        i += len;
    }
    hm_exec(db, "COMMIT");
    return first + n - 1;
}

/* The same, in groups as long as iteration and time allow. */
static uint64_t hm_events(sqlite3 *db, uint64_t first, const trace_event *evs, size_t n,
                          const size_t *sizes, size_t nsizes)
{
    return hm_events_grouped(db, first, evs, n, sizes, nsizes, 0);
}

static trace_event hm_ev(loop_event_kind kind, uint64_t subject, uint64_t cause, uint64_t other,
                         const char *detail)
{
    return (trace_event){ .kind = kind, .subject = subject, .cause = cause, .other = other,
                          .detail = detail, .at = NAN, .num = NAN };
}

/* A whole trace: the events in blocks of `block` (0: one block). */
static void hm_write(const char *path, const trace_event *evs, size_t n, size_t block, const char *seed)
{
    sqlite3 *db = hm_create(path, seed, "2024-01-01T00:00:00Z");
    if (n)
        hm_events(db, 1, evs, n, &block, block ? 1 : 0);
    sqlite3_close(db);
}

/* Runs SQL on a trace file (a separate connection). */
static void hm_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    hm_exec(db, sql);
    sqlite3_close(db);
}

/* A fresh temporary path (the file does not exist) under /tmp; free() it. */
static char *hm_tmp(const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "/tmp/aiosim_test_%d_hm_%s", (int)getpid(), name) < 0)
        fail_msg("out of memory");
    unlink(p);
    return p;
}

/* Removes a trace and its journal. */
static void hm_rm(const char *path)
{
    char buf[4096];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-journal", path);
    unlink(buf);
}

#endif
