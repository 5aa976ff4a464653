#!/bin/sh
# Benchmarks: bench/run.sh [BUILD]   (make bench)
# 1. BUILD/bench/bench_loop, the C core benchmark, when it has been built (and any
#    other C benchmark built from bench/*.c);
# 2. every bench/*.py under CPython on a virtual clock (tools/vref.py) and under
#    BUILD/aiosim, with a Markdown table of times, peak memory and their ratios
#    (tools/bench.py; extra arguments are passed on, e.g. --repeat 3).
set -u
build=${1:-build}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
case $build in
    /*) ;;
    *) build=$(pwd)/$build ;;
esac
status=0
done_c=
# bench_loop (the C core benchmark) first, then any other C benchmark built from bench/*.c.
for src in "$root"/bench/bench_loop.c "$root"/bench/*.c; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .c)
    case " $done_c " in *" $name "*) continue ;; esac
    done_c="${done_c:-} $name"
    if [ -x "$build/bench/$name" ]; then
        echo "## C benchmark: $name"
        echo
        timeout 300 "$build/bench/$name" || status=1
        echo
    else
        echo "note: $build/bench/$name not built; skipping it"
    fi
done
echo
echo "## Programs: CPython (virtual clock) vs aiosim"
echo
python3 "$root/tools/bench.py" --build "$build" "$@" || status=1
exit $status
