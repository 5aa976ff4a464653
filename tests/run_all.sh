#!/bin/sh
# Runs every cmocka binary under $1/tests, then the scenario conformance run, then the
# command's trace tests (tests/run_cli_tests.sh).
# Prints one closing line "N passed, N failed" over all suites; exits non-zero on any failure.
build=${1:-build}
pass=0; fail=0; failed=""
for t in $(find "$build/tests" -type f -name 'test_*' -perm -u+x | sort); do
    out=$("$t" 2>&1); rc=$?
    n=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    pass=$((pass + n)); fail=$((fail + f))
    if [ $rc -ne 0 ]; then
        [ "$f" -eq 0 ] && fail=$((fail + 1))
        failed="$failed $t"
        printf '%s\n' "$out"
    fi
    echo "$(basename "$t"): $n passed, $f failed"
done
if [ -x "$build/aiosim" ] && [ -f tests/run_scenarios.sh ]; then
    out=$(sh tests/run_scenarios.sh "$build/aiosim"); rc=$?
    printf '%s\n' "$out" | tail -n 40
    n=$(printf '%s\n' "$out" | sed -n 's/^scenarios: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
    f=$(printf '%s\n' "$out" | sed -n 's/^scenarios: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
    pass=$((pass + ${n:-0})); fail=$((fail + ${f:-0}))
    [ $rc -ne 0 ] && failed="$failed scenarios"
fi
if [ -x "$build/aiosim" ] && [ -f tests/run_cli_tests.sh ]; then
    out=$(sh tests/run_cli_tests.sh "$build/aiosim"); rc=$?
    printf '%s\n' "$out" | tail -n 40
    n=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
    f=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
    pass=$((pass + ${n:-0})); fail=$((fail + ${f:-0}))
    [ $rc -ne 0 ] && failed="$failed cli"
fi
echo "$pass passed, $fail failed"
[ -z "$failed" ] || { echo "failing:$failed"; exit 1; }
[ $pass -gt 0 ] || { echo "no test ran"; exit 1; }
