/* test_events.c — the event-kind list: every kind has a distinct, non-empty name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "loop.h"

static void names_are_distinct(void **state)
{
    for (int i = 0; i < LOOP_EV__COUNT; i++) {
        assert_true(strlen(loop_event_name(i)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(loop_event_name(i), loop_event_name(j));
    }
    assert_string_equal(loop_event_name(LOOP_EV_CALL_SOON), "call_soon");
    assert_string_equal(loop_event_name(LOOP_EV__COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(names_are_distinct) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
