# try/except*: split by type, naked exceptions wrapped, the rest propagates, TypeErrors
# for bad types, break inside a loop inside a handler, the split/subgroup helpers.
def show(eg):
    return type(eg).__name__ + ' ' + repr(eg.message) + ' ' + repr(list(eg.exceptions))

try:
    raise ValueError(1)
except* ValueError as e:
    print('naked', show(e))
    import sys
    print(sys.exc_info()[1] is e)

try:
    raise ExceptionGroup('g', [ValueError(1), TypeError(2), ExceptionGroup('inner', [ValueError(3), KeyError(4)])])
except* ValueError as e:
    print('V', show(e))
except* (TypeError, KeyError) as e:
    print('TK', show(e))
except* OSError:
    print('never')

try:
    try:
        raise ExceptionGroup('g', [ValueError(1), TypeError(2)])
    except* ValueError as e:
        print('V', show(e))
except ExceptionGroup as rest:
    print('rest', show(rest))

try:
    try:
        raise KeyError('naked')
    except* ValueError:
        print('no')
except KeyError as k:
    print('naked passes', repr(k))

def f():
    try:
        raise ExceptionGroup('g', [ValueError(1), TypeError(2)])
    except* ValueError:
        raise
    except* TypeError as t:
        pass
try:
    f()
except ExceptionGroup as e:
    print('reraise', show(e))

def g():
    try:
        raise ExceptionGroup('g', [ValueError(1), TypeError(2)])
    except* ValueError:
        raise RuntimeError('new')
try:
    g()
except BaseException as e:
    print('new', show(e), repr(e.exceptions[0].__context__))

x = 0
try:
    x = 1
except* ValueError:
    pass
else:
    print('else', x)
finally:
    print('finally')

e = 5
try:
    raise ValueError
except* ValueError as e:
    pass
try:
    print(e)
except NameError as n:
    print(n)

try:
    try:
        raise ValueError(1)
    except* ExceptionGroup:
        pass
except TypeError as t:
    print(t)
try:
    try:
        raise ValueError(1)
    except* (KeyError, BaseExceptionGroup):
        pass
except TypeError as t:
    print(t)
try:
    try:
        raise ValueError(1)
    except* int:
        pass
except TypeError as t:
    print(t)

for i in range(2):
    try:
        raise ExceptionGroup('l', [ValueError(i)])
    except* ValueError as e:
        for j in range(3):
            if j == 1:
                break
        print('loop', i, j, e.exceptions)

eg = ExceptionGroup('x', [ValueError(1), TypeError(2)])
m, r = eg.split(ValueError)
print(m.__suppress_context__, m is eg, eg.subgroup(lambda e: True) is eg)
print(eg.derive([KeyError(1)]))
