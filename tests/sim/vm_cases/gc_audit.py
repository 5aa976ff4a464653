import functools, contextvars
class M:
    def __init__(self, d): self.d = d
    def keys(self): return [k for k in self.d]
    def __getitem__(self, k): return self.d[k] * 2
d = {}
d.update(M({"a": 1, "b": 2}), c=3)
print(d, dict(M({"x": 5})), {**d})
print("-".join(str(i) for i in range(5)), sorted((x for x in "hello"), key=lambda c: (c != "l", c)))
s = {1, 2, 3}
print(s.union(range(5)), s.intersection([2, 3, 9]), s.difference((x for x in [1])), s.symmetric_difference("ab") == s ^ set("ab"))
print(min((str(i) for i in range(20)), key=len), max(map(lambda x: x * 2, range(7))), list(filter(lambda x: x[0] % 3, zip(range(5), "abcde"))))
print("%(a)s-%(b)r" % {"a": [1, 2], "b": "q"}, "{0[1]}{1.real}".format([5, 6], 3), f"{'%s' % (tuple(range(3)),)}")
p = functools.partial(lambda *a, **k: (a, sorted(k.items())), 1, z=2)
print(p(3, y=4), functools.reduce(lambda a, b: a + [b], range(4), []))
class Seq:
    def __len__(self): return 4
    def __getitem__(self, i):
        if i >= 4: raise IndexError
        return i * 10
print(list(reversed(Seq())), list(Seq()), 20 in Seq())
cnt = [0]
def tick():
    cnt[0] += 1
    return [cnt[0]]
print(list(iter(lambda: tick()[0], 4)))
v = contextvars.ContextVar("v", default=[0])
ctx = contextvars.copy_context()
print(ctx.run(lambda: (v.set([1, 2]), v.get())[1]), v.get())
def g():
    try:
        while True:
            x = yield [1] * 3
    except GeneratorExit:
        print("exit", [2] * 2)
it = g(); next(it); it.send("x"); it.close()
try:
    raise ExceptionGroup("g", [ValueError([1]), KeyError({"a": 1})])
except ExceptionGroup as e:
    m, r = e.split(KeyError)
    print(m.exceptions, r.exceptions)
class K:
    def __init__(self, **kw): self.__dict__.update(kw)
    def __repr__(self): return "K(" + ", ".join(f"{k}={v!r}" for k, v in vars(self).items()) + ")"
print([K(a=i, b=[i] * i) for i in range(3)])
print({i: {j: [j] for j in range(i)} for i in range(3)}, [[y for y in range(x)] for x in range(4)])
print(sum([[i] for i in range(5)], []), list(enumerate(map(str, range(3)), start=5)))
print(sorted({(i % 3, -i): str(i) for i in range(10)}.items())[:4])
