#!/bin/sh
# The `aiosim` command's trace subcommands, end to end: tests/run_cli_tests.sh AIOSIM
#
#   - every subcommand answers --help;
#   - determinism: each seed scenario run twice with --trace gives the same rows in every
#     table (sqlite3 .dump, meta wall_start aside) and `aiosim diff` says identical;
#   - the output table, concatenated, is the program's stdout;
#   - `aiosim replay` says identical for every seed scenario;
#   - `aiosim export` writes valid JSON (python3 -m json.tool) for every seed scenario,
#     and csv/jsonl/text exports work;
#   - `aiosim diff` of two different programs exits 1;
#   - a run killed with SIGKILL leaves a trace that passes PRAGMA integrity_check, has
#     events and says complete = 0; export and replay read it;
#   - bad trace paths and files: one clear line naming the file, exit 2, the program not
#     run, a file that is not a trace left untouched;
#   - pictures: `run --timeline` on every seed scenario, the timeline model has a lane per
#     task and the printed lines, `render --width` sets the PNG's width, a PDF opens,
#     `view PROG.py` writes a headless screenshot.
# Prints one line per failure, then exactly one line "cli: N passed, M failed"; exits
# non-zero when M > 0. POSIX sh.
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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clitest.XXXXXX")
killpid=
cleanup() {
    [ -n "$killpid" ] && kill -9 "$killpid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
have_sqlite3=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite3=1
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
check() {   # check NAME COMMAND... : passes when the command succeeds
    name=$1; shift
    if "$@"; then ok; else bad "$name"; fi
}

# ---- --help ---------------------------------------------------------------------------
for c in run export replay diff render view; do
    if "$aiosim" "$c" --help >"$tmp/help" 2>&1 && grep -q "usage: aiosim $c" "$tmp/help"; then
        ok
    else
        bad "aiosim $c --help"
    fi
done

# ---- every seed scenario --------------------------------------------------------------
dump() {   # the database as SQL, meta wall_start left out
    sqlite3 "$1" .dump | grep -v "'wall_start'"
}
for f in scenarios/seed/*.py; do
    stem=$(basename "$f" .py)
    dir=$(dirname "$f")
    a=$tmp/$stem.a.db
    b=$tmp/$stem.b.db
    (cd "$dir" && timeout 20 "$aiosim" run --trace "$a" "$stem.py" >"$tmp/out" 2>/dev/null </dev/null)
    rc1=$?
    (cd "$dir" && timeout 20 "$aiosim" run --trace "$b" "$stem.py" >/dev/null 2>&1 </dev/null)
    rc2=$?
    if [ ! -f "$a" ] || [ ! -f "$b" ] || [ "$rc1" -ne "$rc2" ] || [ "$rc1" -ge 124 ]; then
        bad "$f: run --trace (exit $rc1 then $rc2)"
        continue
    fi
    # determinism
    if [ $have_sqlite3 -eq 1 ]; then
        dump "$a" >"$tmp/a.sql"; dump "$b" >"$tmp/b.sql"
        if cmp -s "$tmp/a.sql" "$tmp/b.sql" && [ -s "$tmp/a.sql" ]; then ok; else bad "$f: two traced runs differ (sqlite3 .dump)"; fi
        # the output table, concatenated, is the program's stdout
        if [ $have_python -eq 1 ]; then
            python3 - "$tmp/out" "$a" <<'EOF' 2>/dev/null
import sqlite3, sys
out = open(sys.argv[1], 'rb').read().decode('utf-8')
db = sqlite3.connect(sys.argv[2])
rows = [r[0] for r in db.execute("SELECT text FROM output WHERE stream = 'stdout' ORDER BY seq")]
sys.exit(0 if ''.join(rows) == out else 1)
EOF
            if [ $? -eq 0 ]; then ok; else bad "$f: the output table is not the program's stdout"; fi
        fi
        c=$(sqlite3 "$a" "SELECT value FROM meta WHERE key = 'complete'")
        s=$(sqlite3 "$a" "SELECT value FROM meta WHERE key = 'exit_status'")
        if [ "$c" = 1 ] && [ "$s" = "$rc1" ]; then ok; else bad "$f: meta complete=$c exit_status=$s (exit was $rc1)"; fi
    fi
    if "$aiosim" diff "$a" "$b" >"$tmp/diff" 2>&1; then ok; else bad "$f: aiosim diff of two runs: $(head -3 "$tmp/diff")"; fi
    # replay
    if timeout 30 "$aiosim" replay "$a" >"$tmp/replay" 2>&1 && grep -q '^identical: [0-9]* events$' "$tmp/replay"; then
        ok
    else
        bad "$f: replay: $(head -5 "$tmp/replay")"
    fi
    # exports
    if "$aiosim" export "$a" -o "$tmp/x.json" 2>"$tmp/err"; then
        if [ $have_python -eq 0 ] || python3 -m json.tool "$tmp/x.json" >/dev/null 2>&1; then ok; else bad "$f: export chrome is not valid JSON"; fi
    else
        bad "$f: export chrome: $(cat "$tmp/err")"
    fi
    for fmt in csv jsonl text; do
        if "$aiosim" export "$a" --format $fmt -o "$tmp/x.$fmt" 2>"$tmp/err"; then ok; else bad "$f: export $fmt: $(cat "$tmp/err")"; fi
    done
    rm -f "$a" "$b"
done

# ---- diff of two different programs -----------------------------------------------------
(cd scenarios/seed && "$aiosim" run --trace "$tmp/p1.db" s001_08_call_soon.py >/dev/null 2>&1 &&
    "$aiosim" run --trace "$tmp/p2.db" s001_09_call_later.py >/dev/null 2>&1)
"$aiosim" diff "$tmp/p1.db" "$tmp/p2.db" >"$tmp/diff" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "differ" "$tmp/diff"; then ok; else bad "diff of two programs: exit $rc: $(head -3 "$tmp/diff")"; fi
"$aiosim" diff "$tmp/p1.db" "$tmp/p1.db" >/dev/null 2>&1
check "diff of a trace with itself exits 0" [ $? -eq 0 ]

# ---- SIGKILL midway ------------------------------------------------------------------------
cat >"$tmp/long.py" <<'EOF'
import asyncio

def tick(n):
    pass

async def main():
    loop = asyncio.get_running_loop()
    for i in range(10000000):
        loop.call_soon(tick, i)
        if i % 1000 == 0:
            await asyncio.sleep(0)

asyncio.run(main())
EOF
"$aiosim" run --trace "$tmp/killed.db" "$tmp/long.py" >/dev/null 2>&1 &
killpid=$!
# wait until a few batches are in the file (at most 20 s), then kill it mid-run
i=0
while [ $i -lt 200 ]; do
    sz=0
    [ -f "$tmp/killed.db" ] && sz=$(wc -c <"$tmp/killed.db")
    [ "$sz" -gt 400000 ] && break
    sleep 0.1
    i=$((i + 1))
done
kill -9 $killpid 2>/dev/null
wait $killpid 2>/dev/null
killpid=
if [ $have_sqlite3 -eq 1 ]; then
    ic=$(sqlite3 "$tmp/killed.db" "PRAGMA integrity_check" 2>&1)
    check "killed run: integrity_check says ok (got '$ic')" [ "$ic" = ok ]
    n=$(sqlite3 "$tmp/killed.db" "SELECT count(*) FROM events" 2>&1)
    check "killed run: has events (got '$n')" [ "${n:-0}" -gt 1000 ] 2>/dev/null
    c=$(sqlite3 "$tmp/killed.db" "SELECT value FROM meta WHERE key = 'complete'" 2>&1)
    check "killed run: complete = 0 (got '$c')" [ "$c" = 0 ]
    m=$(sqlite3 "$tmp/killed.db" "SELECT max(seq) = count(*) FROM events" 2>&1)
    check "killed run: events numbered without gaps" [ "$m" = 1 ]
fi
"$aiosim" export "$tmp/killed.db" --format text -o "$tmp/killed.txt" 2>"$tmp/err"
check "killed run: export reads it ($(cat "$tmp/err"))" [ $? -eq 0 ]
"$aiosim" replay "$tmp/killed.db" >"$tmp/o" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^identical: the [0-9]* events recorded" "$tmp/o"; then ok; else bad "killed run: replay: exit $rc: $(head -3 "$tmp/o")"; fi

# ---- bad inputs ------------------------------------------------------------------------------
prog=scenarios/seed/s001_08_call_soon.py
expect_refusal() {   # NAME EXPECTED-TEXT COMMAND... : exit 2, one line naming the problem, no stdout
    name=$1; want=$2; shift 2
    "$@" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    if [ $rc -eq 2 ] && [ ! -s "$tmp/o" ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && grep -q -- "$want" "$tmp/e"; then
        ok
    else
        bad "$name: exit $rc, stdout $(wc -c <"$tmp/o") bytes, stderr: $(cat "$tmp/e")"
    fi
}
printf 'just some text\n' >"$tmp/notes.txt"
cp "$tmp/notes.txt" "$tmp/notes.orig"
expect_refusal "run --trace onto a text file" "notes.txt" "$aiosim" run --trace "$tmp/notes.txt" "$prog"
check "a text file is left untouched" cmp -s "$tmp/notes.txt" "$tmp/notes.orig"
expect_refusal "export of a text file" "not an SQLite" "$aiosim" export "$tmp/notes.txt"
expect_refusal "replay of a text file" "notes.txt" "$aiosim" replay "$tmp/notes.txt"
expect_refusal "diff with a text file" "notes.txt" "$aiosim" diff "$tmp/notes.txt" "$tmp/p1.db"
expect_refusal "run --trace into a missing folder" "no/such/folder" "$aiosim" run --trace "$tmp/no/such/folder/x.db" "$prog"
check "nothing is created for a missing folder" [ ! -e "$tmp/no" ]
expect_refusal "export of a missing file" "missing.db" "$aiosim" export "$tmp/missing.db"
if [ $have_sqlite3 -eq 1 ]; then
    sqlite3 "$tmp/other.db" "CREATE TABLE t (a); INSERT INTO t VALUES (1);"
    cp "$tmp/other.db" "$tmp/other.orig"
    expect_refusal "run --trace onto another SQLite database" "other.db" "$aiosim" run --trace "$tmp/other.db" "$prog"
    check "another SQLite database is left untouched" cmp -s "$tmp/other.db" "$tmp/other.orig"
    expect_refusal "export of another SQLite database" "other.db" "$aiosim" export "$tmp/other.db"
    expect_refusal "replay of another SQLite database" "other.db" "$aiosim" replay "$tmp/other.db"
    cp "$tmp/p1.db" "$tmp/newer.db"
    sqlite3 "$tmp/newer.db" "PRAGMA user_version = 99"
    expect_refusal "export of a newer format" "newer" "$aiosim" export "$tmp/newer.db"
    expect_refusal "replay of a newer format" "newer" "$aiosim" replay "$tmp/newer.db"
    expect_refusal "diff with a newer format" "newer" "$aiosim" diff "$tmp/p1.db" "$tmp/newer.db"
    # a trace without its source cannot be replayed
    cp "$tmp/p1.db" "$tmp/nosrc.db"
    sqlite3 "$tmp/nosrc.db" "DELETE FROM meta WHERE key = 'source'"
    expect_refusal "replay of a trace without source" "no source" "$aiosim" replay "$tmp/nosrc.db"
    # a changed trace is told apart by replay
    cp "$tmp/p1.db" "$tmp/changed.db"
    # event 3 is the third of the first group (iteration 0, time 0): its line is field 4
    sqlite3 "$tmp/changed.db" "UPDATE event_blocks SET events = json_replace(events, '\$[0][5][4]', 999) WHERE first_seq = 1"
    "$aiosim" replay "$tmp/changed.db" >"$tmp/o" 2>&1
    rc=$?
    if [ $rc -eq 1 ] && grep -q "differ at event 3" "$tmp/o"; then ok; else bad "replay of a changed trace: exit $rc: $(head -3 "$tmp/o")"; fi
fi
# options after the program; the program's own arguments, with quotes, escapes and
# non-ASCII text, survive the trip through meta argv and replay
cat >"$tmp/args.py" <<'EOF'
import sys
print(sys.argv[1:])
EOF
out=$("$aiosim" run "$tmp/args.py" --trace "$tmp/args.db" -- 'a "b"' 'c\d' 'é 中' 2>&1)
want="['a \"b\"', 'c\\\\d', 'é 中']"
check "run PROG.py --trace T.db -- ARGS (got: $out)" [ "$out" = "$want" ]
"$aiosim" replay "$tmp/args.db" >"$tmp/o" 2>&1
check "replay with arguments: $(head -3 "$tmp/o")" grep -q '^identical:' "$tmp/o"
# an existing trace is replaced
(cd scenarios/seed && "$aiosim" run --trace "$tmp/p1.db" s001_09_call_later.py >/dev/null 2>&1)
"$aiosim" diff "$tmp/p1.db" "$tmp/p2.db" >/dev/null 2>&1
check "run --trace replaces an existing trace" [ $? -eq 0 ]
# a missing program: no trace made
"$aiosim" run --trace "$tmp/none.db" "$tmp/nope.py" >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ] && [ ! -e "$tmp/none.db" ]; then ok; else bad "a missing program: exit $rc (want 2, and no trace)"; fi

# ---- pictures: run --timeline, render, view PROG.py ---------------------------------------
# Every seed scenario that runs draws a timeline; its model names Task-1 and holds the
# printed lines; the PNG has the requested width; the PDF opens.
for f in scenarios/seed/*.py; do
    b=$(basename "$f" .py)
    [ -f "scenarios/seed/$b.status" ] && continue
    (cd scenarios/seed && "$aiosim" run --trace "$tmp/pic.db" --timeline "$tmp/pic.png" "$b.py" >"$tmp/pic.out" 2>/dev/null)
    check "run --timeline $b.py: a PNG" [ -s "$tmp/pic.png" ]
    "$aiosim" render "$tmp/pic.db" -o "$tmp/pic.png" --width 900 --dump >"$tmp/pic.dump" 2>&1
    if [ "$have_sqlite3" = 1 ]; then   # every task of the trace has its lane, by name
        for t in $(sqlite3 "$tmp/pic.db" "SELECT name FROM tasks ORDER BY id LIMIT 5"); do
            if grep -qF -- "$t" "$tmp/pic.dump"; then ok; else bad "render --dump $b: no lane for $t"; fi
        done
    fi
    # the picture itself: a PDF's text holds every task's lane label and the printed lines
    if command -v pdftotext >/dev/null 2>&1 && [ "$have_sqlite3" = 1 ]; then
        "$aiosim" render "$tmp/pic.db" -o "$tmp/pic.pdf" >/dev/null 2>&1
        pdftotext "$tmp/pic.pdf" "$tmp/pic.txt" 2>/dev/null
        for t in $(sqlite3 "$tmp/pic.db" "SELECT name FROM tasks ORDER BY id LIMIT 5"); do
            if grep -qF -- "$t" "$tmp/pic.txt"; then ok; else bad "PDF of $b: no lane label $t"; fi
        done
        # pdftotext may split a line where the drawing spaced it: look for its first word
        word=$(grep -v '^ *$' "$tmp/pic.out" | head -n 1 | awk '{print $1}' | cut -c1-16)
        if [ -z "$word" ] || grep -qF -- "$word" "$tmp/pic.txt"; then ok
        else bad "PDF of $b: printed text '$word' missing"; fi
    fi
    first=$(head -n 1 "$tmp/pic.out" | cut -c1-20)
    if [ -z "$first" ] || grep -qF -- "$first" "$tmp/pic.dump"; then ok; else bad "render --dump $b: printed line '$first' missing"; fi
done
"$aiosim" render "$tmp/pic.db" -o "$tmp/w.png" --width 777 >/dev/null 2>&1
if [ "$have_python" = 1 ]; then
    w=$(python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print(struct.unpack('>I', d[16:20])[0])" "$tmp/w.png" 2>/dev/null)
    check "render --width 777 gives a 777-pixel-wide PNG (got $w)" [ "$w" = 777 ]
fi
(cd scenarios/seed && "$aiosim" run --timeline "$tmp/pic.pdf" s001_09_call_later.py >/dev/null 2>&1)
if command -v pdfinfo >/dev/null 2>&1; then
    check "run --timeline X.pdf opens in pdfinfo" pdfinfo "$tmp/pic.pdf" >/dev/null 2>&1
fi
"$aiosim" run --timeline "$tmp/pic.gif" scenarios/seed/s001_09_call_later.py >"$tmp/o" 2>&1
rc=$?
check "run --timeline with an unknown format: exit 2 before running (got $rc)" [ $rc -eq 2 ] && ! grep -q "callback" "$tmp/o"
(cd scenarios/seed && SDL_VIDEODRIVER=dummy "$aiosim" view s001_09_call_later.py --keys "→→→→" --screenshot "$tmp/view.png" >/dev/null 2>&1)
check "view PROG.py --keys --screenshot writes a screenshot" [ -s "$tmp/view.png" ]

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
