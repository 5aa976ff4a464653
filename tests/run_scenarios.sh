#!/bin/sh
# Scenario conformance run: tests/run_scenarios.sh AIOSIM
#
# For every scenarios/*/*.py, runs `cd <its folder> && AIOSIM run X.py` (killed after
# 10 s) and compares with the oracle's expectations written by tools/expect.sh:
#   stdout byte for byte with X.out, the exit status with X.status (0 when absent),
#   and for a non-zero status the last line of stderr with X.err.
# scenarios/XFAIL lists known failures (one path per line relative to the project root,
# '#' starts a comment): they are reported as "xfail" and do not fail the run; one that
# passes is reported as "XPASS (remove from XFAIL)".
# Prints one line per failure, then exactly one line
#   scenarios: N passed, M failed, K xfail
# and exits non-zero when M > 0. POSIX sh.
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 AIOSIM" >&2
    exit 2
fi
aiosim=$1
case $aiosim in
    /*) ;;
    */*) aiosim=$(pwd)/$aiosim ;;
esac
if [ ! -x "$aiosim" ]; then
    echo "$0: $aiosim is not an executable file (build it with make)" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
limit=${SCENARIO_TIMEOUT:-10}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Known failures, normalised: no comments, no blank lines, no surrounding blanks.
: >"$tmp/xfail"
if [ -f scenarios/XFAIL ]; then
    sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' \
        -e 's|^\./||' scenarios/XFAIL >"$tmp/xfail"
fi

pass=0; fail=0; xfail=0
for f in scenarios/*/*.py; do
    [ -f "$f" ] || continue
    dir=$(dirname "$f")
    name=$(basename "$f")
    stem=${name%.py}
    exp="$dir/$stem"
    reason=""
    if [ ! -f "$exp.out" ]; then
        reason="no expected output $exp.out (run tools/expect.sh $f)"
    else
        (cd "$dir" && timeout "$limit" "$aiosim" run "$name" >"$tmp/out" 2>"$tmp/err" </dev/null)
        rc=$?
        want=0
        [ -f "$exp.status" ] && want=$(cat "$exp.status")
        if [ "$rc" -eq 124 ] && [ "$want" -ne 124 ]; then
            reason="timeout after ${limit}s"
        elif [ "$rc" -ne "$want" ]; then
            reason="exit status $rc, expected $want"
        fi
        if [ -z "$reason" ] && ! cmp -s "$tmp/out" "$exp.out"; then
            reason="stdout differs"
        fi
        if [ -z "$reason" ] && [ "$want" -ne 0 ] && [ -f "$exp.err" ]; then
            got_last=$(tail -n 1 "$tmp/err")
            want_last=$(cat "$exp.err")
            if [ "$got_last" != "$want_last" ]; then
                reason="last stderr line: got '$got_last', expected '$want_last'"
            fi
        fi
    fi
    known=0
    grep -qxF "$f" "$tmp/xfail" && known=1
    if [ -z "$reason" ]; then
        if [ $known -eq 1 ]; then
            echo "XPASS (remove from XFAIL) $f"
        fi
        pass=$((pass + 1))
    elif [ $known -eq 1 ]; then
        echo "xfail $f: $reason"
        xfail=$((xfail + 1))
    else
        echo "FAIL $f: $reason"
        if [ -f "$exp.out" ] && [ -f "$tmp/out" ] && ! cmp -s "$tmp/out" "$exp.out"; then
            diff -u "$exp.out" "$tmp/out" | sed -n '3,12p' | sed 's/^/    /'
        fi
        if [ "$reason" != "stdout differs" ] && [ -s "$tmp/err" ]; then
            tail -n 2 "$tmp/err" | sed 's/^/    stderr: /'
        fi
        fail=$((fail + 1))
    fi
    rm -f "$tmp/out" "$tmp/err"
done
echo "scenarios: $pass passed, $fail failed, $xfail xfail"
[ $fail -eq 0 ]
