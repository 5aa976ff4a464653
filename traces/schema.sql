-- schema.sql — the aiosim trace format, version 1.
--
-- One SQLite file per run. The file says what it is three ways: PRAGMA application_id
-- is 0x4149_4F53 ('AIOS'), PRAGMA user_version is the format version (1), and the meta
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
PRAGMA user_version = 1;

-- The run. Keys: format ('aiosim-trace'), format_version, aiosim_version, program (path
-- as given), argv (a JSON array of strings), source (the program's full text), the
-- run's options (seed, jitter, step_limit, ... as the command passes them), complete
-- (0 while running or if killed, 1 after a normal end), final_time (virtual time at
-- the end), exit_status, events (how many), wall_start (ISO 8601 UTC wall-clock time).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;

-- Every scheduling event, in order. kind is loop_event_name() of the event kind
-- (loop/loop_events.h lists them and what subject/cause/other/at/num mean for each).
--   subject  the handle / future / task / thread the event is about
--   cause    what was running when it happened: a task, else a handle, else NULL
--   other    a second object (the future awaited, the handle scheduled, ...)
--   at       a deadline, a new clock value, a wake time (NULL when not used)
--   num      a count or a duration (NULL when not used)
--   line     the program's source line running at the time (NULL: none)
--   detail   a readable description (values as repr(), callbacks, messages, text)
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    time      REAL NOT NULL,
    iteration INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    subject   INTEGER,
    cause     INTEGER,
    other     INTEGER,
    at        REAL,
    num       REAL,
    line      INTEGER,
    detail    TEXT
);

-- Tasks. parent: the task whose step created it (NULL: created from a plain callback
-- or outside the loop). state: pending (never finished), finished, raised, cancelled.
-- result: repr() of the return value, the exception, or the cancel message.
CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    name        TEXT,
    coro        TEXT,
    parent      INTEGER,
    created_seq INTEGER,
    done_seq    INTEGER,
    state       TEXT NOT NULL DEFAULT 'pending',
    result      TEXT
);

-- Futures other than tasks (asyncio.Future, gather's outer future, wrapped concurrent
-- futures, ...). origin: what the loop said when creating it; creator: the cause.
CREATE TABLE futures (
    id          INTEGER PRIMARY KEY,
    origin      TEXT,
    creator     INTEGER,
    created_seq INTEGER,
    done_seq    INTEGER,
    state       TEXT NOT NULL DEFAULT 'pending',
    result      TEXT
);

-- Handles: every callback scheduled. scheduled_by: the event kind that created it
-- (call_soon, call_soon_threadsafe, call_later, call_at), or callback_schedule for a
-- future's done-callback (even when the loop reported its call_soon first). callback:
-- what it calls, as described when last scheduled. due: a timer's deadline (NULL for
-- call_soon). future: the future whose completion scheduled it. task: the task it
-- steps, if any. creator: what was running when it was scheduled. run_seq /
-- cancelled_seq: the first handle_begin / handle_cancel event (NULL: never; a timer
-- can have both: asyncio.sleep cancels its timer handle after it ran).
CREATE TABLE handles (
    id            INTEGER PRIMARY KEY,
    scheduled_by  TEXT NOT NULL,
    callback      TEXT,
    due           REAL,
    creator       INTEGER,
    future        INTEGER,
    task          INTEGER,
    created_seq   INTEGER,
    run_seq       INTEGER,
    cancelled_seq INTEGER
);

-- What the program printed, by the event that printed it. stream: stdout or stderr.
CREATE TABLE output (
    seq    INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    text   TEXT NOT NULL
);

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
       h.run_seq, e.time AS ran_at, h.cancelled_seq
FROM handles h
LEFT JOIN events e ON e.seq = h.run_seq
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
