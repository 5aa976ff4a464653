/* loop_events.h — the list of scheduling events the loop reports to its observer.
 *
 * Written once as an X-macro so the loop, the trace writer and the viewer agree.
 * X(NAME, "name", what subject / cause / other / when / val hold)
 *
 * The timer heap can be replayed from the events alone, comparison for comparison
 * (viz/heap.c does): call_later / call_at push, timer_due and timer_drop pop the top,
 * timer_purge keeps the timers not cancelled (handle_cancel) in heap order and
 * heapifies them, loop_close empties it.
 */
#ifndef LOOP_EVENTS_H
#define LOOP_EVENTS_H

#define LOOP_EVENT_LIST(X)                                                                  \
    X(CALL_SOON,        "call_soon",        "subject=handle")                               \
    X(CALL_SOON_TS,     "call_soon_threadsafe", "subject=handle")                           \
    X(CALL_LATER,       "call_later",       "subject=handle when=deadline num=delay")        \
    X(CALL_AT,          "call_at",          "subject=handle when=deadline")                  \
    X(TIMER_DUE,        "timer_due",        "subject=handle when=deadline (moved to ready)") \
    X(TIMER_DROP,       "timer_drop",       "subject=handle: a cancelled timer popped off the heap's top") \
    X(TIMER_PURGE,      "timer_purge",      "num=timers kept: the cancelled ones removed, the rest heapified") \
    X(HANDLE_BEGIN,     "handle_begin",     "subject=handle other=task it steps, if any")    \
    X(HANDLE_END,       "handle_end",       "subject=handle")                                \
    X(HANDLE_CANCEL,    "handle_cancel",    "subject=handle")                                \
    X(FUTURE_CREATE,    "future_create",    "subject=future")                                \
    X(FUTURE_RESULT,    "future_result",    "subject=future val=result")                     \
    X(FUTURE_EXCEPTION, "future_exception", "subject=future val=exception")                  \
    X(FUTURE_CANCEL,    "future_cancel",    "subject=future val=message or NULL")            \
    X(CALLBACK_ADD,     "callback_add",     "subject=future other=callback's object")        \
    X(CALLBACK_REMOVE,  "callback_remove",  "subject=future num=how many removed")          \
    X(CALLBACK_SCHEDULE,"callback_schedule","subject=future other=handle scheduled")        \
    X(TASK_CREATE,      "task_create",      "subject=task val=coroutine")                    \
    X(TASK_RENAME,      "task_rename",      "subject=task val=new name (set_name, reported by the host)") \
    X(STEP_BEGIN,       "step_begin",       "subject=task val=thrown exception or NULL")     \
    X(STEP_AWAIT,       "step_await",       "subject=task other=future awaited")             \
    X(STEP_YIELD,       "step_yield",       "subject=task (bare yield: sleep(0))")           \
    X(STEP_RETURN,      "step_return",      "subject=task val=return value")                 \
    X(STEP_RAISE,       "step_raise",       "subject=task val=exception")                    \
    X(STEP_CANCELLED,   "step_cancelled",   "subject=task val=CancelledError")               \
    X(CANCEL_REQUEST,   "cancel_request",   "subject=task/future val=message num=cancelling()") \
    X(UNCANCEL,         "uncancel",         "subject=task num=cancelling() after")           \
    X(CLOCK_ADVANCE,    "clock_advance",    "when=new time num=amount")                      \
    X(ITERATION,        "iteration",        "num=handles to run this iteration")             \
    X(DEADLOCK,         "deadlock",         "num=pending tasks")                             \
    X(EXECUTOR_SUBMIT,  "executor_submit",  "subject=concurrent future other=executor")      \
    X(THREAD_START,     "thread_start",     "subject=thread other=concurrent future")        \
    X(THREAD_SLEEP,     "thread_sleep",     "subject=thread when=wake time num=duration")    \
    X(THREAD_RESUME,    "thread_resume",    "subject=thread")                                \
    X(THREAD_DONE,      "thread_done",      "subject=thread other=concurrent future")        \
    X(LOOP_SLEEP,       "loop_sleep",       "time.sleep on the loop thread: num=duration")   \
    X(LOOP_CLOSE,       "loop_close",       "the loop closed: ready queue and timer heap emptied") \
    X(OUTPUT,           "output",           "text=the printed text (reported by the host)")

typedef enum loop_event_kind {
#define LOOP_EV_ENUM(name, str, doc) LOOP_EV_##name,
    LOOP_EVENT_LIST(LOOP_EV_ENUM)
#undef LOOP_EV_ENUM
    LOOP_EV__COUNT
} loop_event_kind;

/* The event kind's name as traces store it ("call_soon"). */
const char *loop_event_name(loop_event_kind kind);

#endif
