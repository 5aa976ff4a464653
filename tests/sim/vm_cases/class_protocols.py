class Singleton:
    _inst = None
    def __new__(cls, *a):
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst
    def __init__(self, v):
        self.v = v
a = Singleton(1); b = Singleton(2)
print(a is b, a.v)
class Base:
    registry = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__()
        Base.registry.append(cls.__name__)
class A(Base): pass
class B(Base): pass
print(Base.registry)
class Desc:
    def __set_name__(self, owner, name):
        self.name = "_" + name
    def __get__(self, obj, objtype=None):
        if obj is None: return self
        return getattr(obj, self.name, "unset")
    def __set__(self, obj, value):
        setattr(obj, self.name, value * 2)
class C:
    x = Desc()
c = C()
print(c.x); c.x = 5; print(c.x)
class S:
    __slots__ = ("a", "b")
    def __init__(self): self.a = 1
s = S(); print(s.a)
def deco(cls):
    cls.extra = 42
    return cls
@deco
class D: pass
print(D.extra, D().extra)
class Cnt:
    def __init__(self): self.n = 0
    def __iadd__(self, k):
        self.n += k
        return self
x = Cnt(); x += 5; x += 2; print(x.n)
class Cmp:
    def __init__(self, v): self.v = v
    def __lt__(self, o): return self.v < o.v
    def __repr__(self): return f"Cmp({self.v})"
print(sorted([Cmp(3), Cmp(1), Cmp(2)]), max(Cmp(1), Cmp(5)), Cmp(1) > Cmp(0))
class WithClassAttr:
    items = []
    def add(self, v): self.items.append(v)
w1, w2 = WithClassAttr(), WithClassAttr(); w1.add(1); w2.add(2); print(WithClassAttr.items)
print(type(w1) is WithClassAttr, w1.__class__.__name__, isinstance(w1, object), WithClassAttr.__qualname__)
class Outer:
    class Inner:
        pass
print(Outer.Inner.__qualname__, repr(Outer.Inner())[:27])
