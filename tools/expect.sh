#!/bin/sh
# Regenerate the expected results of scenarios, from the oracle only (tools/vref.py).
#
#   tools/expect.sh                     every scenarios/*/*.py
#   tools/expect.sh path/to/X.py ...    just these
#   tools/expect.sh -r 5 [X.py ...]     run each program 5 times instead of 3
#
# For X.py, run as `cd <its folder> && python3 tools/vref.py X.py` (so tracebacks say
# File "X.py"), it writes:
#   X.out     the exact stdout bytes
#   X.status  the exit status as a number, only when it is not 0
#   X.err     the last line of stderr, only when the status is not 0
# Each program runs RUNS times; when the runs disagree (stdout, status or the last
# stderr line) nothing is written for it, it is reported as NONDETERMINISTIC and the
# script exits 1. Each run is killed after 300 s.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
vref="$root/tools/vref.py"
python=${PYTHON:-python3}
runs=3
if [ "${1:-}" = "-r" ]; then
    runs=$2
    shift 2
fi
if [ $# -eq 0 ]; then
    set -- "$root"/scenarios/*/*.py
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/expect.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# run_once DIR FILE N: outputs in $tmp/N.out, $tmp/N.err, $tmp/N.rc, $tmp/N.last
run_once() {
    (cd "$1" && timeout 300 "$python" "$vref" "$2" >"$tmp/$3.out" 2>"$tmp/$3.err" </dev/null)
    echo $? >"$tmp/$3.rc"
    tail -n 1 "$tmp/$3.err" >"$tmp/$3.last"
}

bad=0; n=0
for f in "$@"; do
    case $f in
        *.py) ;;
        *) echo "skip $f: not a .py file" >&2; continue ;;
    esac
    if [ ! -f "$f" ]; then
        echo "skip $f: no such file" >&2; bad=1; continue
    fi
    dir=$(cd "$(dirname "$f")" && pwd)
    name=$(basename "$f")
    stem=${name%.py}
    run_once "$dir" "$name" 1
    i=2; same=1
    while [ $i -le "$runs" ]; do
        run_once "$dir" "$name" $i
        if ! cmp -s "$tmp/1.out" "$tmp/$i.out" || ! cmp -s "$tmp/1.rc" "$tmp/$i.rc" ||
           ! cmp -s "$tmp/1.last" "$tmp/$i.last"; then
            same=0
            echo "NONDETERMINISTIC $f (run 1 and run $i differ; nothing written)" >&2
            diff -u "$tmp/1.out" "$tmp/$i.out" | head -n 12 >&2
            break
        fi
        i=$((i + 1))
    done
    if [ $same -eq 0 ]; then bad=1; continue; fi
    rc=$(cat "$tmp/1.rc")
    cp "$tmp/1.out" "$dir/$stem.out"
    if [ "$rc" -ne 0 ]; then
        echo "$rc" >"$dir/$stem.status"
        cp "$tmp/1.last" "$dir/$stem.err"
        [ "$rc" -eq 124 ] && { echo "TIMEOUT $f" >&2; bad=1; }
    else
        rm -f "$dir/$stem.status" "$dir/$stem.err"
    fi
    n=$((n + 1))
    echo "$f: status $rc"
done
echo "expect: $n written"
exit $bad
