#!/usr/bin/env python3
"""Generate tests/loop/random_tables.h: random small asyncio programs (tasks that
sleep, yield, cancel and await each other, timers, call_soon, executor jobs) with the
output CPython prints for each under vref.py (real asyncio on a virtual clock).

    python3 tests/loop/gen_random_programs.py [COUNT [SEED]] > tests/loop/random_tables.h

test_random.c interprets the same programs on aiosim's loop and compares outputs.
Every program is the template below with its own PROGRAM literal; an op is
  ('sleep', d, reraise)   await asyncio.sleep(d)
  ('yield', 0, reraise)   await asyncio.sleep(0)
  ('await', j, reraise)   r = await tasks[j] (j > i: no cycles); print(name, "got", r)
  ('thread', d, reraise)  await loop.run_in_executor(None, job, name, d)
  ('thread1', d, reraise) the same on EX1, a ThreadPoolExecutor(max_workers=1)
  ('block', d, 0)         time.sleep(d) on the loop thread
  ('cancel', j, m)        print(name, "cancel", j, tasks[j].cancel(MSGS[m]))
  ('uncancel', 0, 0)      print(name, "uncancel", current_task().uncancel())
  ('print', 0, 0)         print(name, loop.time())
  ('later', d, 0)         loop.call_later(d, print, name, "later", d)
  ('soon', 0, 0)          loop.call_soon(print, name, "soon")
A CancelledError at an awaiting op is printed, then re-raised if `reraise`. main
awaits the tasks in order, then sleeps 100 s so that nothing is left for
asyncio.run's teardown (whose shutdown_default_executor races with real time in
vref when timers are still pending).
"""
import random
import subprocess
import sys
import tempfile

TEMPLATE = r'''
import asyncio, time, concurrent.futures
PROGRAM = %r
EX1 = concurrent.futures.ThreadPoolExecutor(max_workers=1)
MSGS = [None, "m1", "m2"]
tasks = []
def job(name, d):
    time.sleep(d)
    print(name, "job", time.monotonic())
    return d
async def body(i, ops):
    loop = asyncio.get_running_loop()
    cur = asyncio.current_task()
    name = "t%%d" %% i
    for kind, a, b in ops:
        if kind in ("sleep", "yield", "await", "thread", "thread1"):
            try:
                if kind == "sleep":
                    await asyncio.sleep(a)
                elif kind == "yield":
                    await asyncio.sleep(0)
                elif kind == "await":
                    print(name, "got", await tasks[a])
                elif kind == "thread":
                    print(name, "thread", await loop.run_in_executor(None, job, name, a))
                else:
                    print(name, "thread1", await loop.run_in_executor(EX1, job, name, a))
            except asyncio.CancelledError as e:
                print(name, "caught", kind, e.args, cur.cancelling())
                if b:
                    raise
        elif kind == "cancel":
            print(name, "cancel", a, tasks[a].cancel(MSGS[b]))
        elif kind == "uncancel":
            print(name, "uncancel", cur.uncancel())
        elif kind == "print":
            print(name, loop.time())
        elif kind == "block":
            time.sleep(a)
        elif kind == "later":
            loop.call_later(a, print, name, "later", a)
        elif kind == "soon":
            loop.call_soon(print, name, "soon")
    return i
async def main():
    for i, ops in enumerate(PROGRAM):
        tasks.append(asyncio.create_task(body(i, ops)))
    for t in tasks:
        try:
            print("main", await t)
        except asyncio.CancelledError as e:
            print("main cancelled", e.args)
    await asyncio.sleep(100)    # every timer and job is over before asyncio.run's teardown
    print("end", asyncio.get_running_loop().time())
asyncio.run(main())
'''

DELAYS = [0.5, 1.0, 1.0, 1.5, 2.0, 0.25]


def random_program(rng):
    n = rng.randint(2, 4)
    prog = []
    for i in range(n):
        ops = []
        for _ in range(rng.randint(2, 7)):
            r = rng.random()
            if r < 0.25:
                ops.append(('sleep', rng.choice(DELAYS), rng.random() < 0.5))
            elif r < 0.35:
                ops.append(('yield', 0, rng.random() < 0.5))
            elif r < 0.45 and i + 1 < n:
                ops.append(('await', rng.randrange(i + 1, n), rng.random() < 0.5))
            elif r < 0.49:
                ops.append(('thread', rng.choice(DELAYS), rng.random() < 0.5))
            elif r < 0.54:
                ops.append(('thread1', rng.choice(DELAYS), rng.random() < 0.5))
            elif r < 0.57:
                ops.append(('block', rng.choice(DELAYS), 0))
            elif r < 0.67:
                j = rng.randrange(n)
                if j != i:
                    ops.append(('cancel', j, rng.randrange(3)))
            elif r < 0.72:
                ops.append(('uncancel', 0, 0))
            elif r < 0.82:
                ops.append(('print', 0, 0))
            elif r < 0.92:
                ops.append(('later', rng.choice(DELAYS), 0))
            else:
                ops.append(('soon', 0, 0))
        prog.append(ops)
    return prog


def run(prog):
    with tempfile.NamedTemporaryFile('w', suffix='.py', delete=False) as f:
        f.write(TEMPLATE % (prog,))
        path = f.name
    p = subprocess.run([sys.executable, '/work/shared/oracle/vref.py', path],
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
    out = sys.stdout
    out.write('/* random_tables.h — generated by tests/loop/gen_random_programs.py: random\n'
              ' * programs and what CPython prints for them under vref.py; do not edit. */\n')
    out.write('#ifndef RANDOM_TABLES_H\n#define RANDOM_TABLES_H\n\n')
    out.write('typedef struct rop { const char *kind; double a; int b; } rop;\n')
    out.write('typedef struct rprog {\n    int ntasks;\n    const rop *ops[4];\n'
              '    int nops[4];\n'
              '    const char *expect;  /* stdout lines joined by | */\n} rprog;\n\n')
    progs = []
    while len(progs) < count:
        prog = random_program(rng)
        rc, stdout = run(prog)
        if rc != 0:
            continue
        k = len(progs)
        for i, ops in enumerate(prog):
            out.write(f'static const rop rp{k}_{i}[] = {{')
            out.write(', '.join(f'{{ "{o[0]}", {float(o[1])!r}, {int(o[2])} }}' for o in ops))
            out.write(' };\n')
        progs.append((prog, rc, stdout))
    out.write('\nstatic const rprog rprogs[] = {\n')
    for k, (prog, rc, stdout) in enumerate(progs):
        lines = '|'.join(stdout.splitlines())
        ops = ', '.join(f'rp{k}_{i}' for i in range(len(prog)))
        nops = ', '.join(str(len(o)) for o in prog)
        out.write(f'    {{ {len(prog)}, {{ {ops} }}, {{ {nops} }},\n      {c_str(lines)} }},\n')
    out.write('};\n\n#endif\n')


if __name__ == '__main__':
    main()
