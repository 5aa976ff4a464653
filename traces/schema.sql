-- schema.sql — the aiosim trace format, version 3.
--
-- One SQLite file per run. The file says what it is three ways: PRAGMA application_id
-- is 0x4149_4F53 ('AIOS'), PRAGMA user_version is the format version (3), and the meta
-- row format = 'aiosim-trace'. A reader refuses a file whose user_version is newer than
-- the one it knows. traces/schema.c holds this text as a C string (tests check that the
-- two are identical; traces/gen_schema.sh regenerates schema.c from this file).
--
-- Ids. Every loop object (handle, future, task, thread, ...) has one id, numbered from 1
-- in creation order; subject/cause/other in events and the id columns of the object
-- tables use the same numbering, so any id can be looked up in tasks, futures or handles.
-- A run with several event loops numbers the objects of each new loop after those of
-- the previous ones. seq numbers events from 1 in the order they happened.
--
-- Determinism: the same program with the same options gives the same rows in every
-- table, except meta.wall_start (the wall-clock time the run began).
--
-- Durability: events are committed in batches; a run killed midway leaves every event
-- up to its last committed batch, and meta.complete = 0.

PRAGMA application_id = 1095323475;
PRAGMA user_version = 3;

-- The run. Keys: format ('aiosim-trace'), format_version, aiosim_version, program (path
-- as given), argv (a JSON array of strings), source (the program's full text), the
-- run's options (seed, jitter, step_limit, ... as the command passes them), complete
-- (0 while running or if killed, 1 after a normal end), final_time (virtual time at
-- the end), exit_status, events (how many), wall_start (ISO 8601 UTC wall-clock time).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;

-- Event kinds: id is the number the event blocks use, name what the events view shows,
-- doc what subject / cause / other / at / num mean for that kind (from
-- loop/loop_events.h). The numbering is this file's own: read names, not numbers.
CREATE TABLE event_kinds (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    doc   TEXT NOT NULL
);

-- The events themselves, stored in blocks: one row holds the events first_seq ..
-- last_seq as one JSON array (SQLite's JSON functions read it; the events view below
-- unpacks it). Blocks are what make tracing cheap: one row per few thousand events
-- instead of one per event. The array's elements are groups of consecutive events
-- that share their loop iteration and virtual time (a run of such events may also be
-- split into several groups):
--     [offset, iteration, time, event, event, ...]
-- offset: the seq of the group's first event minus first_seq, so the k-th event of a
-- group (k = 0, 1, ...) has seq first_seq + offset + k. Groups are in seq order and
-- contiguous: a group's offset is the number of events in the groups before it, every
-- group holds at least one event, and the block holds last_seq - first_seq + 1 events.
-- iteration: the loop iteration (from 0); time: the virtual time. Each event is
--     [kind, subject, cause, other, line, detail, at, num]
-- kind: an event_kinds.id; subject / cause / other / line: 0 when absent; detail: a
-- string or null; at / num: numbers or null. Trailing absent fields are left out, so
-- the shortest event has 5 fields. Numbers are written so that they read back exactly
-- (17 significant digits when needed; 9e999 and -9e999 for the infinities).
CREATE TABLE event_blocks (
    first_seq INTEGER PRIMARY KEY,
    last_seq  INTEGER NOT NULL,
    events    TEXT NOT NULL
);

-- Every scheduling event, one row each (a view over event_blocks; add ORDER BY seq
-- when the order matters). kind is loop_event_name() of the event kind.
--   subject  the handle / future / task / thread the event is about
--   cause    what was running when it happened: a task, else a handle, else NULL
--   other    a second object (the future awaited, the handle scheduled, ...)
--   at       a deadline, a new clock value, a wake time (NULL when not used)
--   num      a count or a duration (NULL when not used)
--   line     the program's source line running at the time (NULL: none)
--   detail   a readable description (values as repr(), callbacks, messages, text)
-- To look at a stretch of a long trace cheaply, pick its blocks first:
--   SELECT ... FROM events WHERE seq BETWEEN 1000 AND 1100 is a full scan, while
--   event_blocks WHERE last_seq >= 1000 AND first_seq <= 1100 finds the rows at once.
-- Why the subqueries: a group's offset, iteration and time are read from its JSON once
-- per group, not once per event (which costs time quadratic in the group's length).
-- OFFSET keeps SQLite from flattening them into the join, so they run as co-routines
-- (CROSS JOIN keeps the groups the outer loop) and each group is rendered once.
CREATE VIEW events AS
SELECT g.seq0 + e.key AS seq,
       g.time AS time,
       g.iteration AS iteration,
       (SELECT k.name FROM event_kinds k WHERE k.id = e.value ->> 0) AS kind,
       nullif(e.value ->> 1, 0) AS subject,
       nullif(e.value ->> 2, 0) AS cause,
       nullif(e.value ->> 3, 0) AS other,
       CAST(e.value ->> 6 AS REAL) AS at,
       CAST(e.value ->> 7 AS REAL) AS num,
       nullif(e.value ->> 4, 0) AS line,
       e.value ->> 5 AS detail
FROM (SELECT first_seq + (grp ->> 0) - 3 AS seq0,
             CAST(grp ->> 2 AS REAL) AS time,
             grp ->> 1 AS iteration,
             grp
      FROM (SELECT b.first_seq, j.value AS grp
            FROM event_blocks b, json_each(b.events) j
            LIMIT -1 OFFSET 0)
      LIMIT -1 OFFSET 0) g
CROSS JOIN json_each(g.grp) e
WHERE e.key >= 3;

-- Tasks. name: the name the task was created with (a set_name is a task_rename event;
-- details after it use the new name). parent: the task whose step created it (NULL:
-- created from a plain callback or outside the loop). state: pending (never finished),
-- finished, raised, cancelled.
-- result: repr() of the return value, the exception, or the cancel message.
-- A task's row is written (appended) once it has finished, or when the run ends for
-- the tasks still pending: rows are in that order, so ORDER BY id for creation order.
-- A killed run's table lacks the tasks not finished by its last batch (their
-- task_create events still name them: detail = name and coroutine).
CREATE TABLE tasks (
    id          INTEGER NOT NULL,
    name        TEXT,
    coro        TEXT,
    parent      INTEGER,
    created_seq INTEGER,
    done_seq    INTEGER,
    state       TEXT NOT NULL DEFAULT 'pending',
    result      TEXT
);

-- What the program printed, by the event that printed it. stream: stdout or stderr.
CREATE TABLE output (
    seq    INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    text   TEXT NOT NULL
);

-- Futures other than tasks (asyncio.Future, gather's outer future, wrapped concurrent
-- futures, ...), derived from the events. origin: what the loop said when creating it;
-- creator: the cause; result: repr() of the result, the exception, or the cancel message.
CREATE VIEW futures AS
WITH f AS (
    SELECT seq, kind, subject, cause, detail
    FROM events
    WHERE kind IN ('future_create', 'future_result', 'future_exception', 'future_cancel')
), done AS (
    SELECT subject, min(seq) AS done_seq FROM f WHERE kind <> 'future_create' GROUP BY subject
)
SELECT c.subject AS id,
       c.detail AS origin,
       c.cause AS creator,
       c.seq AS created_seq,
       d.done_seq,
       CASE e.kind WHEN 'future_result' THEN 'finished' WHEN 'future_exception' THEN 'raised'
                   WHEN 'future_cancel' THEN 'cancelled' ELSE 'pending' END AS state,
       CASE e.kind WHEN 'future_result' THEN substr(e.detail, 8)
                   WHEN 'future_exception' THEN substr(e.detail, 11)
                   WHEN 'future_cancel' THEN CASE WHEN e.detail LIKE 'cancelled, message %'
                                                  THEN substr(e.detail, 20) END END AS result
FROM f c
LEFT JOIN done d ON d.subject = c.subject
LEFT JOIN f e ON e.seq = d.done_seq
WHERE c.kind = 'future_create';

-- Handles: every callback scheduled, derived from the events. scheduled_by: the event
-- kind that created it (call_soon, call_soon_threadsafe, call_later, call_at), or
-- callback_schedule for a future's done-callback (even when the loop reported its
-- call_soon first). callback: what it calls, as described when last scheduled. due: a
-- timer's deadline (NULL for call_soon). future: the future whose completion scheduled
-- it. task: the task it steps, if any. creator: what was running when it was
-- scheduled. run_seq / cancelled_seq: the first handle_begin / handle_cancel event
-- (NULL: never; a timer can have both: asyncio.sleep cancels its timer handle after it
-- ran). ran_at: the virtual time it ran.
CREATE VIEW handles AS
WITH h AS (
    SELECT seq, time, kind, CASE kind WHEN 'callback_schedule' THEN other ELSE subject END AS id,
           subject, cause, other, at, detail
    FROM events
    WHERE kind IN ('call_soon', 'call_soon_threadsafe', 'call_later', 'call_at',
                   'callback_schedule', 'handle_begin', 'handle_cancel')
)
SELECT id,
       coalesce(max(CASE WHEN kind = 'callback_schedule' THEN kind END),
                max(CASE WHEN kind IN ('call_soon', 'call_soon_threadsafe', 'call_later', 'call_at') THEN kind END)) AS scheduled_by,
       coalesce(max(CASE WHEN kind = 'callback_schedule' THEN detail END),
                max(CASE WHEN kind IN ('call_soon', 'call_soon_threadsafe', 'call_later', 'call_at') THEN detail END)) AS callback,
       max(CASE WHEN kind IN ('call_later', 'call_at') THEN at END) AS due,
       coalesce(max(CASE WHEN kind IN ('call_soon', 'call_soon_threadsafe', 'call_later', 'call_at') THEN cause END),
                max(CASE WHEN kind = 'callback_schedule' THEN cause END)) AS creator,
       max(CASE WHEN kind = 'callback_schedule' THEN subject END) AS future,
       max(CASE WHEN kind = 'handle_begin' THEN other END) AS task,
       min(CASE WHEN kind NOT IN ('handle_begin', 'handle_cancel') THEN seq END) AS created_seq,
       min(CASE WHEN kind = 'handle_begin' THEN seq END) AS run_seq,
       min(CASE WHEN kind = 'handle_cancel' THEN seq END) AS cancelled_seq,
       min(CASE WHEN kind = 'handle_begin' THEN time END) AS ran_at
FROM h
WHERE id IS NOT NULL
GROUP BY id
HAVING created_seq IS NOT NULL;

-- Each wait of each task: from the step that awaited (or yielded) to the step that
-- resumed it. waited is NULL if the task never resumed. awaited: the future's id;
-- awaited_what: 'task NAME', 'future #ID (origin)', or 'bare yield' for sleep(0);
-- resumed_with: NULL for a normal wake-up, else what was thrown in ('throw CancelledError()').
CREATE VIEW task_waits AS
WITH s AS (
    SELECT seq, time, subject, kind, other,
           LEAD(seq)  OVER w AS next_seq,
           LEAD(time) OVER w AS next_time,
           LEAD(detail) OVER w AS next_detail
    FROM events
    WHERE kind IN ('step_begin', 'step_await', 'step_yield')
    WINDOW w AS (PARTITION BY subject ORDER BY seq)
)
SELECT s.subject AS task,
       t.name AS task_name,
       s.seq AS wait_seq,
       s.time AS since,
       s.next_seq AS resume_seq,
       s.next_time AS resumed,
       s.next_time - s.time AS waited,
       s.next_detail AS resumed_with,
       s.other AS awaited,
       CASE WHEN s.kind = 'step_yield' THEN 'bare yield'
            WHEN aw.id IS NOT NULL THEN 'task ' || aw.name
            ELSE 'future #' || s.other || coalesce(' (' || f.origin || ')', '') END AS awaited_what
FROM s
LEFT JOIN tasks t ON t.id = s.subject
LEFT JOIN tasks aw ON aw.id = s.other
LEFT JOIN futures f ON f.id = s.other
WHERE s.kind IN ('step_await', 'step_yield');

-- Timer callbacks by due time, then in the order they ran (NULL run_seq: never ran).
CREATE VIEW timers_at AS
SELECT h.due, h.id AS handle, h.callback, h.scheduled_by, h.created_seq,
       h.run_seq, h.ran_at, h.cancelled_seq
FROM handles h
WHERE h.due IS NOT NULL
ORDER BY h.due, h.run_seq IS NULL, h.run_seq;

-- Who cancelled whom: each cancel request, its target, and what was running (a task,
-- or a plain callback) when it was made.
CREATE VIEW cancels AS
SELECT e.seq, e.time, e.line,
       e.subject AS target,
       coalesce(tt.name, 'future ' || e.subject) AS target_name,
       e.cause AS by_id,
       CASE WHEN bt.id IS NOT NULL THEN 'task ' || bt.name
            WHEN bh.id IS NOT NULL THEN 'callback ' || bh.callback
            ELSE 'outside the loop' END AS cancelled_by,
       e.detail
FROM events e
LEFT JOIN tasks tt ON tt.id = e.subject
LEFT JOIN tasks bt ON bt.id = e.cause
LEFT JOIN handles bh ON bh.id = e.cause
WHERE e.kind = 'cancel_request';

-- Virtual threads: their first and last event.
CREATE VIEW threads AS
SELECT subject AS id, min(seq) AS first_seq, max(seq) AS last_seq,
       sum(kind = 'thread_sleep') AS sleeps
FROM events
WHERE kind IN ('thread_start', 'thread_sleep', 'thread_resume', 'thread_done')
GROUP BY subject;
