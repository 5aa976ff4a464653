class Bad:
    def __repr__(self): raise ValueError("bad repr")
    def __eq__(self, o): raise KeyError("bad eq")
    def __hash__(self): return 1
    def __lt__(self, o): raise TypeError("bad lt")
for expr in [lambda: repr([Bad()]), lambda: {Bad(): 1, Bad(): 2}, lambda: Bad() in [1, 2, Bad()],
             lambda: sorted([Bad(), Bad()]), lambda: {Bad(), Bad()}, lambda: [Bad()] == [Bad()],
             lambda: f"{Bad()!r}", lambda: "%r" % (Bad(),), lambda: str({1: Bad()}), lambda: max([Bad(), Bad()]),
             lambda: [1, 2].index(Bad()), lambda: dict.fromkeys([Bad(), Bad()]), lambda: print(Bad()),
             lambda: int("zz"), lambda: [][0], lambda: {}.pop(1), lambda: (1,) + [2], lambda: None + 1,
             lambda: [1] * "a", lambda: "a" * "b", lambda: 1 < "a", lambda: {}[[]], lambda: set([[1]]),
             lambda: iter(5), lambda: next(iter([])), lambda: (x for x in 1), lambda: list(Bad()),
             lambda: divmod(1, 0), lambda: 2 ** 100, lambda: -(-9223372036854775807 - 1), lambda: abs(-9223372036854775807 - 1),
             lambda: "abc"[10], lambda: "abc".index("z"), lambda: float("x"), lambda: chr(-1), lambda: ord(""),
             lambda: getattr(1, "x"), lambda: object().__dict__, lambda: setattr(1, "x", 2), lambda: delattr(Bad(), "q"),
             lambda: Bad.nope, lambda: super(int, 5).x, lambda: type("X", (1,), {}), lambda: isinstance(1, 1),
             lambda: range(1, 2, 0), lambda: [1, 2, 3][::0], lambda: {1: 2}.popitem() and {}.popitem(),
             lambda: (lambda a, b: 0)(1), lambda: (lambda a: 0)(1, 2), lambda: (lambda: 0)(x=1),
             lambda: "{}{}".format(1), lambda: "{0}{}".format(1, 2), lambda: "{x}".format(), lambda: "%d" % "s",
             lambda: "%s %s" % (1,), lambda: "%s" % (1, 2), lambda: format(1, "q"), lambda: f"{1:>>>}"]:
    try:
        r = expr()
        print("ok", type(r).__name__)
    except Exception as e:
        print(type(e).__name__, e)
def g():
    try:
        yield 1
    finally:
        raise RuntimeError("in finally")
it = g(); next(it)
try:
    it.close()
except RuntimeError as e:
    print("close raised", e)
def h():
    yield from h()
try:
    list(h())
except RecursionError as e:
    print("recursion", str(e)[:30])
