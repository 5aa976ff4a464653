#!/bin/sh
# Benchmarks: bench/run.sh [BUILD]   (make bench)
# 1. BUILD/bench/bench_loop, the C core benchmark, when it has been built;
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
if [ -x "$build/bench/bench_loop" ]; then
    echo "## C core (bench_loop)"
    echo
    timeout 300 "$build/bench/bench_loop" || status=1
    echo
else
    echo "note: $build/bench/bench_loop not built; skipping the C core benchmark"
    echo
fi
echo "## Programs: CPython (virtual clock) vs aiosim"
echo
python3 "$root/tools/bench.py" --build "$build" "$@" || status=1
exit $status
