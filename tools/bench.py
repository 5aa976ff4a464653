#!/usr/bin/env python3
"""Benchmark runner: CPython on a virtual clock (tools/vref.py) against aiosim.

    python3 tools/bench.py [--build BUILD] [--repeat N] [--timeout S] [PROGRAM.py ...]

For each program (default: bench/*.py) runs `python3 tools/vref.py PROG.py` and
`BUILD/aiosim run PROG.py` from the program's folder, each as a fresh child process,
measuring wall time and the child's peak RSS (os.wait4's rusage of that child).
With --repeat N the fastest of N runs is kept (peak RSS: the largest). Each child is
killed after --timeout seconds (default 300). Prints a Markdown table; exits 1 if any
run failed, timed out or the two outputs differ.

Then (unless --no-trace) each program again under `aiosim run --trace T.db` into a
temporary folder, each traced run right after an untraced one: a second table with the
traced time, its ratio to the untraced runs taken alongside and to CPython, the events
recorded, events per second and bytes of trace per event.
"""
import argparse
import glob
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(argv, cwd, timeout):
    """Run argv in cwd once; return (seconds, peak MiB, status, stdout bytes)."""
    with tempfile.TemporaryFile() as out, open(os.devnull, 'wb') as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        secs = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        data = out.read()
    mib = usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux
    if killed:
        return secs, mib, 'timeout', data
    return secs, mib, proc.returncode, data


def best(argv, cwd, timeout, repeat):
    runs = [measure(argv, cwd, timeout) for _ in range(repeat)]
    secs = min(r[0] for r in runs)
    mib = max(r[1] for r in runs)
    status = next((r[2] for r in runs if r[2] != 0), 0)
    return secs, mib, status, runs[0][3]


def ratio(a, b):
    return f"{a / b:.1f}x" if a and b else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--timeout', type=float, default=300.0)
    ap.add_argument('--no-trace', action='store_true',
                    help='skip the traced runs (aiosim run --trace)')
    ap.add_argument('programs', nargs='*')
    args = ap.parse_args()

    vref = os.path.join(ROOT, 'tools', 'vref.py')
    aiosim = os.path.abspath(os.path.join(args.build, 'aiosim'))
    have_aiosim = os.access(aiosim, os.X_OK)
    programs = args.programs or sorted(glob.glob(os.path.join(ROOT, 'bench', '*.py')))
    if not have_aiosim:
        print(f"note: {aiosim} does not exist; aiosim columns are skipped "
              f"(build it with `make`)\n")

    print("| program | CPython s | aiosim s | speed ratio | CPython MiB | aiosim MiB "
          "| memory ratio | same output |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    ok = True
    times = {}
    for prog in programs:
        cwd = os.path.dirname(os.path.abspath(prog))
        name = os.path.basename(prog)
        c_s, c_m, c_rc, c_out = best([sys.executable, vref, name], cwd,
                                     args.timeout, args.repeat)
        cpy_s = f"{c_s:.2f}" if c_rc == 0 else f"{c_s:.2f} ({c_rc})"
        if c_rc != 0:
            ok = False
        if have_aiosim:
            a_s, a_m, a_rc, a_out = best([aiosim, 'run', name], cwd,
                                         args.timeout, args.repeat)
            same = 'yes' if (a_out == c_out and a_rc == c_rc) else 'NO'
            if same != 'yes' or a_rc != 0:
                ok = False
            times[prog] = (c_s, a_s, a_out, a_rc)
            a_col = f"{a_s:.2f}" if a_rc == 0 else f"{a_s:.2f} ({a_rc})"
            row = [name, cpy_s, a_col, ratio(c_s, a_s), f"{c_m:.1f}", f"{a_m:.1f}",
                   ratio(c_m, a_m), same]
        else:
            row = [name, cpy_s, '-', '-', f"{c_m:.1f}", '-', '-', '-']
        print("| " + " | ".join(row) + " |", flush=True)
    print()
    print("speed ratio = CPython time / aiosim time; memory ratio = CPython peak RSS / "
          "aiosim peak RSS (higher is better for aiosim).")
    if have_aiosim and not args.no_trace and times:
        ok = traced_table(aiosim, programs, times, args) and ok
    return 0 if ok else 1


def trace_events(path):
    """The number of events a finished trace holds (meta 'events'), or None."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'events'").fetchone()
        finally:
            db.close()
        return int(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None


def traced_table(aiosim, programs, times, args):
    """Each program under `aiosim run --trace`: time, ratios, events/s, bytes/event."""
    print()
    print("### With tracing (`aiosim run --trace`)")
    print()
    print("| program | aiosim s | traced s | traced / untraced | CPython / traced "
          "| events | events/s | bytes/event | same output |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    ok = True
    tmp = tempfile.mkdtemp(prefix='aiosim-bench.')
    try:
        for prog in programs:
            if prog not in times:
                continue
            c_s, a_s, a_out, a_rc = times[prog]
            cwd = os.path.dirname(os.path.abspath(prog))
            name = os.path.basename(prog)
            db = os.path.join(tmp, name + '.db')
            # untraced and traced runs alternate, so that both see the same machine:
            # on a shared machine speed drifts over minutes, and a ratio of runs taken
            # minutes apart would measure the drift
            runs, plain = [], []
            for _ in range(args.repeat):
                plain.append(measure([aiosim, 'run', name], cwd, args.timeout)[0])
                if os.path.exists(db):
                    os.unlink(db)
                runs.append(measure([aiosim, 'run', '--trace', db, name], cwd, args.timeout))
            a_s = min(plain)
            t_s = min(r[0] for r in runs)
            t_rc = next((r[2] for r in runs if r[2] != 0), 0)
            events = trace_events(db)
            size = os.path.getsize(db) if os.path.exists(db) else 0
            same = 'yes' if (runs[0][3] == a_out and t_rc == a_rc) else 'NO'
            if same != 'yes' or t_rc != 0 or not events:
                ok = False
            t_col = f"{t_s:.2f}" if t_rc == 0 else f"{t_s:.2f} ({t_rc})"
            row = [name, f"{a_s:.2f}", t_col, f"{t_s / a_s:.1f}x" if a_s else "-",
                   ratio(c_s, t_s), str(events or '-'),
                   f"{events / t_s / 1e6:.2f}M" if events and t_s else '-',
                   f"{size / events:.0f}" if events else '-', same]
            print("| " + " | ".join(row) + " |", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print("traced / untraced = traced aiosim time / untraced aiosim time (lower is better); "
          "CPython / traced = untraced CPython time / traced aiosim time (higher is better "
          "for aiosim); bytes/event = trace file size / events.")
    return ok


if __name__ == '__main__':
    sys.exit(main())
