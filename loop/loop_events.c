/* loop_events.c — names of the observer's event kinds. */
#include "loop.h"

static const char *const names[LOOP_EV__COUNT] = {
#define LOOP_EV_NAME(name, str, doc) str,
    LOOP_EVENT_LIST(LOOP_EV_NAME)
#undef LOOP_EV_NAME
};

const char *loop_event_name(loop_event_kind kind)
{
    return (unsigned)kind < LOOP_EV__COUNT ? names[kind] : "?";
}
