#!/bin/sh
# Do two builds of aiosim write the same traces? For work on the trace writer that must
# not change what a reader sees.
#
#   tools/same_traces.sh OLD_AIOSIM NEW_AIOSIM [PROG.py ...]
#
# Records each program (default: every scenarios/*/*.py, and the bench/*.py programs
# cut down to a few thousand iterations) with both binaries and compares, row for row,
# every table and view a reader uses (events, tasks, output, handles, futures,
# task_waits, cancels, threads, timers_at, meta without wall_start) and the jsonl
# export. Prints one line per program that differs, then "same: N, different: M";
# exits 1 when any differs. Work files go to a temporary folder, removed at the end.
set -u
[ $# -ge 2 ] || { echo "usage: tools/same_traces.sh OLD_AIOSIM NEW_AIOSIM [PROG.py ...]" >&2; exit 2; }
old=$(realpath "$1"); new=$(realpath "$2"); shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ $# -eq 0 ]; then
    set -- "$root"/scenarios/*/*.py
    mkdir -p "$tmp/bench"
    for b in "$root"/bench/*.py; do
        # N = 200000 and the like become N = 300: the same code paths, quickly
        sed -E 's/^([A-Z_]+)( *= *)[0-9]{4,}/\1\2300/' "$b" >"$tmp/bench/$(basename "$b")"
    done
    set -- "$@" "$tmp"/bench/*.py
fi

views="events tasks output handles futures task_waits cancels threads timers_at"
dump() {   # dump BIN PROG OUT: every reader-visible row of PROG's trace into OUT
    db=$OUT_DB
    rm -f "$db"
    (cd "$(dirname "$2")" && timeout 120 "$1" run --trace "$db" "$(basename "$2")" >/dev/null 2>&1)
    {
        for v in $views; do
            echo "== $v"
            sqlite3 "$db" "SELECT * FROM $v" 2>&1
        done
        echo "== meta"
        sqlite3 "$db" "SELECT * FROM meta WHERE key <> 'wall_start'" 2>&1
        echo "== jsonl"
        "$1" export "$db" --format jsonl 2>&1
    } >"$3"
}

same=0; diff=0
for p in "$@"; do
    OUT_DB=$tmp/old.db dump "$old" "$p" "$tmp/old.txt"
    OUT_DB=$tmp/new.db dump "$new" "$p" "$tmp/new.txt"
    if cmp -s "$tmp/old.txt" "$tmp/new.txt"; then
        same=$((same + 1))
    else
        diff=$((diff + 1))
        echo "DIFFERENT: $p ($(diff "$tmp/old.txt" "$tmp/new.txt" | grep -c '^[<>]') lines)"
    fi
done
echo "same: $same, different: $diff"
[ $diff -eq 0 ]
