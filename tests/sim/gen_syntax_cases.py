#!/usr/bin/env python3
"""Writes tests/sim/syntax_cases.h: small programs that CPython 3.11 rejects at
compile time, each with the exact text `python3 prog.py` prints on stderr.
test_compile.c checks sim_compile + sim_diag_format against every entry.
Run from the repository root: python3 tests/sim/gen_syntax_cases.py"""
import os, subprocess, sys, tempfile

CASES = [
    # the seeds: 000 (mis-indented print) and 001 (await in a plain def)
    "import asyncio\nasync def main():\n     print('hello')\n     await asyncio.sleep(1)\n    print('world')\nasyncio.run(main())\n",
    "import asyncio\ndef print_double(x): print(await async_double(x))\n",
    # tokenizer errors
    "x = (1,\n2\ny = 3\n", "x = \"abc\ny=2\n", "x = \"\"\"abc\n\ny\n", "x = 1\uff0c2\n",
    "x = \"\u4e2d\u6587\" + \u4e2d $ 3\n", "x = [1, 2\ny = 3\n", "x = )\n", "x = (]\n", "foo(\n",
    "x = 0x\n", "x = 1abc\n", "x = 0b12\n", "x = 1_\n", "x = 1e\n", "x = 0o8\n", "x = 09\n",
    "x = 3 \\ y\n", "print('hi'\n", "x = 'a' 'b\n", "s = '''\n\n", "x = [\n", "x = (\n  1,\n  2\n",
    "def f():\n    '''doc\n", "x = \u3000 1\n", "x = 1 if y else\\",
    # indentation
    "def f():\nreturn 1\n", "x = 1\n  y = 2\n", "if x:\n\tif y:\n        pass\n",
    "if True:\n    pass\n  else:\n    pass\n", "if x:\npass\n", "class A:\n    def f(self):\n    pass\n",
    "def f():\n", "\tx = 1\n", "if True:\n    x = 1\n     y = 2\n", "x = 1\nif x:\n    pass\n  y = 1\n",
    "class A:\n    pass\n\n  def f(): pass\n", "x = 1 # comment\n  # comment\n    y = 2\n",
    "def f():\n    return\n  x = 1\n", "for x in y:\n# c\nz = 1\n", "try:\nx = 1\n",
    "while True:\n\n", "with a:\npass\n", "if a:\n    pass\nelse:\npass\n",
    "try:\n    pass\nexcept E:\npass\n", "try:\n    pass\nfinally:\npass\n", "if a:\n    pass\nelif b:\npass\n",
    # parser errors
    "print(\"a\" \"b\" 1 2)\nx = [1 2]\n", "s = \"\u4e2d\u6587\u4e2d\u6587\"; x = (1 2)\n", "def f(:\n  pass\n",
    "x = 1 +\n", "f(a for a in b, c)\n", "for x in y:\n    pass\nelse\n", "x=1;;\n", "foo bar baz\n",
    "x = yield = 3\n", "f() = 3\n", "1 = x\n", "try:\n    pass\nx = 1\n", "while x\n  pass\n",
    "x = [1, 2,, 3]\n", "x = a if b\n", "def f(a=1, b): pass\n", "f(x=1, 2)\n", "def f:\n  pass\n",
    "def f() pass\n", "class A\n  pass\n", "for x in y\n  pass\n",
    "try:\n  pass\nexcept ValueError, TypeError:\n  pass\n", "if x:\n  pass\nelif y\n  pass\n",
    "try:\n  pass\nexcept E as e\n  pass\n", "del f()\n", "for 1 in x: pass\n",
    "with a as 1: pass\n", "x = {1: 2, 3}\n", "f(**a, *b)\n", "f(a=1, a=2)\n", "def f(*): pass\n",
    "import a.b as\n", "from x import (a, b\n", "from x import a,\n", "x = not\n", "x = a.1\n", "assert\n",
    "x = [i for i in]\n", "@dec\nx = 1\n", "raise from e\n", "async x = 1\n", "await = 3\n",
    "x = 10 ** \n", "if x: pass\nelse: pass\nelse: pass\n", "x = (1, 2\n", "f(x for x in y, )\n",
    "a.b: int, c = 1\n", "x = [1, 2] [3 4]\n", "print(f(x) y)\n", "d = {'a': 1 'b': 2}\n",
    # f-strings
    "x = f\"{a!z}\"\n", "x = f\"{}\"\n", "x = f\"{a\"\n", "x = f\"}\"\n", "x = 1\ny = f\"ab {a b} c\"\n",
    "y = f\"ab {a +} c\"\n", "y = f\"{x:{a b}}\"\n", "y = f\"{x!}\"\n",
    # symbol table and compiler errors
    "return 5\n", "break\n", "def f():\n    continue\n", "yield 1\n", "def f(x, x): pass\n",
    "def f():\n    x = 1\n    global x\n", "def f():\n    print(x)\n    global x\n",
    "async def f():\n    x = [await y for y in z]\n    return (lambda: await x)\n",
    "nonlocal x\n", "def f():\n    nonlocal q\n", "def f(a):\n    global a\n", "y = f\"{await x}\"\n",
    "lambda: (yield)\nclass C:\n    yield 1\n", "def g():\n    x = [(yield i) for i in y]\n",
    "async def f():\n    yield from x\n", "def f():\n    async with x: pass\n",
    "def f():\n    async for x in y: pass\n", "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
    "a, *b, *c = d\n", "*a = b\n", "x = *a\n", "await x\n", "class C:\n    await x\n",
    "def f():\n    for x in y:\n        pass\n    break\n", "async def f():\n    yield 1\n    return 2\n",
    "def f():\n    def g():\n        nonlocal x\n", "while True:\n    def f():\n        break\n",
    # common mistakes (second batch)
    'if x = 1:\n    pass\n',
    "print 'hi'\n",
    'print x\n',
    'f(a.b=1)\n',
    'f(a=1 for a in b)\n',
    'x = （1 + 2）\n',
    'print(“hi”)\n',
    'if x：\n    pass\n',
    'def f()\n    pass\n',
    'async def f()\n    pass\n',
    'class C(:\n    pass\n',
    'x = [1, 2, 3\nprint(x)\n',
    "x = {'a': 1\n",
    'for i in range(10)\n    print(i)\n',
    'while True print(1)\n',
    'x = 1 if True\n',
    'def f(x=1, *, ): pass\n',
    'import\n',
    'from x import\n',
    'x = 5 +* 3\n',
    'lambda x: yield\n',
    'def f(**k, a): pass\n',
    'def f(*a, *b): pass\n',
    'f(**k, a)\n',
    'a = 1 = 2\n',
    'x.y += 1 = 2\n',
    'True = 1\n',
    'None += 1\n',
    'def f():\n    x = 1\n     y = 2\n',
    'else:\n    pass\n',
    'elif x:\n    pass\n',
    'except:\n    pass\n',
    'try:\n    pass\nelse:\n    pass\n',
    'return\n',
    "x = 'it's'\n",
    's = "abc""\n',
    'async def f():\n    await\n',
    'await asyncio.sleep(1)\n',
    'x = [i for i in range(3) if]\n',
    'print(1,,2)\n',
    'def f(a, a=1): pass\n',
    'class A:\n    def __init__(self)\n        pass\n',
    'x = 1\n\tx = 2\n',
    'd = {1: 2,, 3: 4}\n',
    'x = 1 2\n',
    'foo()bar()\n',
    'x = [1, 2 3]\n',
    't = (1 2)\n',
    'f(1 2)\n',
    'if x:\n    pass\n else:\n    pass\n',
    'x = 1;\n  y = 2\n',
    "print(f'{x:{y:{z}}}')\n",
    "f'{x!r=}'\n",
    'def f(): return 1 2\n',
    "with open('f') as f\n    pass\n",
    'import a as b.c\n',
    'x = 0777\n',
    'x = 1__0\n',
    'x = 1.2.3\n',
    'x = 1e5e5\n',
    'x = .\n',
    'x = a..b\n',
    'del 1\n',
    'del (a, 1)\n',
    '(a, b) = 1, 2, = 3\n',
    'nonlocal = 1\n',
    'x = yield\n',
    'def f(): x = yield = 1\n',
    'class C:\n    return 1\n',
    'async with a: pass\n',
    'async for a in b: pass\n',
    'x = [x for x in y] = 1\n',
    "x = 'abc\\\n", "s = 'a\\\nb\n",
    # shapes found by mutating the seed programs
    "tasks = [num(i) for i iif n range(10)]\n", "xs = sorted(c, key=lambda t: t.reis sult())\n",
    "r = g(*[f(n) for n inrange(3)])\n", "print(f\"{loop.t\uff0cime()}\")\n",
    "if x:\n    pass\n\\     print(1)\n", "def f():\n    try:\n        pass\n    finally:\n*   x()\n",
    "from asyncio import shield, #CancelledError\n", "x = asyncio.get_runn{ing_loop()\ny = 1\n",
    "import asy[io\nx = 1\n", "print(\"\u6b64\u65f6\", tim\uff0ctime())\n",
    "x = [a, b for a, b in c]\n", "if x:\n    if y:\n  z = 1\n", "if x:\n    if y:\nz = 1\n",
    "x = '\u4e2d\u6587' + (1 2)\n", "print(\"\u8c03\u7528\")\n  x = 1\n",
    # __future__ directives
    "x = 1\nfrom __future__ import annotations\n", "from __future__ import braces\n",
    "from __future__ import nope\n", "def f():\n    from __future__ import annotations\n",
    # except* (PEP 654)
    "try:\n    pass\nexcept* :\n    pass\n", "try:\n    pass\nexcept*\n    pass\n",
    "try:\n    pass\nexcept ValueError:\n    pass\nexcept* TypeError:\n    pass\n",
    "try:\n    pass\nexcept *TypeError:\n    pass\nexcept ValueError:\n    pass\n",
    "try:\n    pass\nexcept* ValueError:\npass\n", "try:\n    pass\nexcept* A, B:\n    pass\n",
    "for i in x:\n    try:\n        pass\n    except* E:\n        break\n",
    "for i in x:\n    try:\n        pass\n    except* E:\n        continue\n",
    "def f():\n    try:\n        pass\n    except* E:\n        return 5\n",
    "def f():\n    try:\n        pass\n    except* E as e:\n        if e:\n            return e\n",
    "def f():\n    for x in y:\n        try:\n            pass\n        except* E:\n            return\n",
]

def cpython_stderr(src):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "prog.py"), "w", encoding="utf-8") as f:
            f.write(src)
        r = subprocess.run([sys.executable, "prog.py"], cwd=d, capture_output=True, text=True)
        return r.stderr.replace(os.path.join(d, "prog.py"), "prog.py")

def c_string(s):
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c == "\\": out.append("\\\\")
        elif c == '"': out.append('\\"')
        elif c == "\n": out.append("\\n")
        elif c == "\t": out.append("\\t")
        elif 32 <= ch < 127: out.append(c)
        else: out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'

def main():
    rows = []
    for src in CASES:
        err = cpython_stderr(src)
        if not err.startswith('  File "prog.py", line') or "Traceback" in err:
            sys.exit("not a compile-time error under CPython: %r\n%s" % (src, err))
        rows.append("    {%s,\n     %s}," % (c_string(src), c_string(err)))
    with open("tests/sim/syntax_cases.h", "w") as f:
        f.write("/* Generated by tests/sim/gen_syntax_cases.py under %s; do not edit. */\n"
                % sys.version.split()[0])
        f.write("static const struct syntax_case { const char *src, *want; } syntax_cases[] = {\n")
        f.write("\n".join(rows) + "\n};\n")

main()
