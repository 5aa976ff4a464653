class Base:
    count = 0
    def __init__(self, name):
        self.name = name
        Base.count += 1
    def __str__(self):
        return "Base " + self.name
    def __eq__(self, other):
        return isinstance(other, Base) and self.name == other.name
    def __hash__(self):
        return hash(self.name)
    def __lt__(self, other):
        return self.name < other.name
    @property
    def upper(self):
        return self.name.upper()
    @staticmethod
    def s(x): return x * 2
    @classmethod
    def make(cls, n): return cls(n)
class Child(Base):
    def __init__(self, name, extra):
        super().__init__(name)
        self.extra = extra
    def __repr__(self):
        return f"Child({self.name!r}, {self.extra})"
c = Child("b", 1)
print(c, repr(c), c.upper, Base.s(3), c.s(4), Child.make("z", ) if False else Base.make("q"), Base.count)
print(sorted([Base("c"), Base("a")], key=lambda b: b.name)[0], Base("a") == Base("a"), Base("a") != Base("b"), len({Base("a"), Base("a")}))
print(min(Base("x"), Base("d")).name, hasattr(c, "extra"), getattr(c, "nope", 5), isinstance(c, Base), type(c).__name__, Child.__mro__)
class A: pass
class B(A): pass
class C(A): pass
class D(B, C): pass
print([k.__name__ for k in D.__mro__])
o = object()
print(type(o).__name__, str(A())[:10])
class E(Exception):
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code
try:
    raise E(5)
except Exception as ex:
    print(type(ex).__name__, ex, ex.code, ex.args, repr(ex))
def g():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
it = g(); print(next(it)); it.close()
def counter():
    total = 0
    while True:
        x = yield total
        if x is None: break
        total += x
gen = counter(); next(gen); print(gen.send(5), gen.send(10))
def yf():
    r = yield from [1, 2]
    return 3
print(list(yf()))
class Aw:
    def __await__(self):
        v = yield "tick"
        return v * 2
async def co():
    r = await Aw()
    return r + 1
cr = co()
print(cr.send(None))
try:
    cr.send(20)
except StopIteration as si:
    print("done", si.value)
try:
    try:
        raise KeyError("k")
    finally:
        print("fin")
except LookupError as e:
    print("lookup", repr(e))
else:
    print("no")
for i in range(3):
    if i == 1: continue
    print(i)
else:
    print("else")
while True:
    break
x = 5
assert x == 5, "bad"
try:
    assert x == 4, f"x is {x}"
except AssertionError as e:
    print("assert", e)
with open if False else __import__("contextlib", fromlist=[]) if False else type("CM", (), {"__enter__": lambda s: 7, "__exit__": lambda s, *a: print("exit", a[0])})() as v:
    print("in", v)
glob = 1
def setg():
    global glob
    glob = 2
setg(); print(glob)
print((lambda *a, **k: (a, k))(1, 2, x=3))
import functools
p = functools.partial(print, "P:", sep="|")
p(1, 2)
print(p.func is print, p.args, repr(functools.partial(max, 1, key=None))[:28])
@functools.wraps(print)
def wrapper(*a): pass
print(wrapper.__name__, functools.reduce(lambda a, b: a * b, range(1, 6)))
