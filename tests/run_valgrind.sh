#!/bin/sh
# Runs every cmocka binary under valgrind; fails on any leak or memory error.
build=${1:-build}
status=0
for t in $(find "$build/tests" -type f -name 'test_*' -perm -u+x | sort); do
    if valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
         --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 "$t" >/dev/null 2>"$build/valgrind.log"; then
        echo "valgrind clean: $(basename "$t")"
    else
        echo "valgrind FAILED: $(basename "$t")"; cat "$build/valgrind.log"; status=1
    fi
done
exit $status
