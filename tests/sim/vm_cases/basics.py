print("hello", 1, 2.5, None, True)
x = [1, 2, 3]
d = {"a": 1, "b": [x, (1,)]}
print(x, d, len(x))
def f(a, b=2, *args, k=3, **kw):
    return a + b + k, args, kw
print(f(1), f(1, 2, 3, 4, k=5, z=6))
s = 0
for i in range(10):
    s += i
print(s, s / 4, s // 4, -7 // 2, -7 % 2, 2 ** 10)
print(f"{s:>5}|{3.14159:.2f}|{'x'!r}")
class A:
    def __init__(self, v):
        self.v = v
    def __repr__(self):
        return f"A({self.v})"
class B(A):
    def get(self):
        return super().__repr__() + "!"
print(A(1), B(2).get(), [A(3)])
def gen(n):
    for i in range(n):
        yield i * i
print(list(gen(5)), sum(gen(4)))
print([i for i in range(5) if i % 2], {k: v for k, v in zip("abc", range(3))})
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e, repr(e))
def outer():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
c = outer(); c(); print(c())
print(sorted([3, 1, 2], reverse=True), "a,b".split(","), "-".join(["x", "y"]))
print(0.1 + 0.2, 1e16, 1/3, str(1.0), repr("it's"))
