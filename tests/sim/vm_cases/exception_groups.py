eg = ExceptionGroup("many", [ValueError(1), TypeError("t"), ExceptionGroup("inner", [KeyError("k")])])
print(type(eg).__name__, eg, repr(eg), eg.message, eg.exceptions)
m, r = eg.split(ValueError)
print(m, r, repr(m), eg.subgroup(lambda e: isinstance(e, KeyError)))
b = BaseExceptionGroup("b", [ValueError(2)])
print(type(b).__name__, isinstance(b, Exception))
try:
    ExceptionGroup("x", [KeyboardInterrupt()])
except TypeError as e:
    print(e)
try:
    raise ExceptionGroup("top", [ZeroDivisionError("z"), ValueError("v")])
except ExceptionGroup as e:
    print("caught", e)
def f():
    raise ExceptionGroup("boom", [ValueError("a"), ExceptionGroup("nested", [KeyError("b")])])
f()
