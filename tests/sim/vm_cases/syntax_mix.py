def tf(n):
    for i in range(n):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            print("body", i)
        finally:
            print("finally", i)
    try:
        return "ret"
    finally:
        print("cleanup before return")
print(tf(5))
class CM:
    def __init__(self, name, swallow=False):
        self.name, self.swallow = name, swallow
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.swallow
with CM("a") as a, CM("b"):
    print("inside", a.name)
with CM("s", swallow=True):
    raise ValueError("swallowed")
try:
    with CM("t"):
        raise KeyError("propagates")
except KeyError as e:
    print("got", e)
x = 5
print(1 < x < 10, 1 < x > 10, x if x > 3 else -x, (y := x * 2), y)
def deco(tag):
    def wrap(f):
        def inner(*a, **k):
            return f"{tag}:{f(*a, **k)}"
        return inner
    return wrap
@deco("T")
def hello(name, *, punct="!"):
    return "hi " + name + punct
print(hello("bob"), hello("al", punct="?"))
class Vec:
    def __init__(self, *c): self.c = list(c)
    def __add__(self, o): return Vec(*[a + b for a, b in zip(self.c, o.c)])
    def __radd__(self, o): return self if o == 0 else NotImplemented
    def __mul__(self, k): return Vec(*[a * k for a in self.c])
    def __len__(self): return len(self.c)
    def __getitem__(self, i): return self.c[i]
    def __iter__(self): return iter(self.c)
    def __contains__(self, v): return v in self.c
    def __bool__(self): return any(self.c)
    def __call__(self, i): return self.c[i] * 100
    def __repr__(self): return f"Vec{tuple(self.c)}"
    def __eq__(self, o): return isinstance(o, Vec) and self.c == o.c
    def __getattr__(self, name): return f"<{name}>"
v = Vec(1, 2) + Vec(3, 4)
print(v, v * 2, len(v), v[0], list(v), 4 in v, bool(Vec(0, 0)), v(1), sum([Vec(1, 1), Vec(2, 2)]), v == Vec(4, 6), v.missing)
class Temp:
    def __init__(self): self._c = 0
    @property
    def c(self): return self._c
    @c.setter
    def c(self, val): self._c = max(0, val)
t = Temp(); t.c = -5; print(t.c); t.c = 7; print(t.c)
class K:
    items = [i * i for i in range(4)]
    total = sum(items)
print(K.items, K.total)
lst = [1, 2, 3, 4]
del lst[1]; print(lst)
def gen_fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
g = gen_fib()
print([next(g) for _ in range(10)])
print(sorted({"b": 2, "a": 1}.items(), key=lambda kv: -kv[1]), {1: "a"}.get(2, "z"))
nested = [[j for j in range(i)] for i in range(4)]
print(nested, [x for row in nested for x in row if x])
def kw(a, b=2, *args, c, d=4, **kw): return (a, b, args, c, d, kw)
print(kw(1, c=3), kw(*[1, 2, 3], c=5, **{"e": 6}))
w = 10
print(f"{w:{w}}|{'left':<{w}}|{3.14159:.{2}f}|{w!r:>4}|{'%d' % w}")
print(*range(3), sep=", ")
i = 0
while i < 3:
    i += 1
else:
    print("while-else", i)
try:
    raise RuntimeError("x")
except (ValueError, RuntimeError) as e:
    print(type(e).__name__)
finally:
    print("done")
