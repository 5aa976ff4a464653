# try/except* (PEP 654): splitting, naked exceptions, re-raise and raise in handlers,
# handler names, BaseExceptionGroup, nesting, generators, subclasses, finally.
def show(eg):
    if not isinstance(eg, BaseExceptionGroup):
        return repr(eg)
    return type(eg).__name__ + '(' + repr(eg.message) + ', [' + ', '.join(show(e) for e in eg.exceptions) + '])'

def several():
    try:
        raise ExceptionGroup('g', [ValueError(1), TypeError(2), KeyError(3), OSError(4)])
    except* ValueError:
        raise RuntimeError('r1')
    except* TypeError as t:
        raise t
    except* KeyError:
        raise
try:
    several()
except BaseException as e:
    print('several', show(e))
    print(repr(e.exceptions[0].__context__), e.exceptions[0].__context__.__context__ is None)

def locals_():
    x = 1
    try:
        raise ExceptionGroup('g', [ValueError(1)])
    except* ValueError as x:
        print('in', show(x))
    try:
        return x
    except UnboundLocalError as u:
        return str(u)
print(locals_())

def base():
    try:
        raise BaseExceptionGroup('b', [KeyboardInterrupt(), ValueError(2)])
    except* KeyboardInterrupt as k:
        print('k', show(k))
try:
    base()
except BaseException as e:
    print('base', show(e))

try:
    raise BaseExceptionGroup('b', [KeyboardInterrupt(), SystemExit(2)])
except* (KeyboardInterrupt, SystemExit) as k:
    print('bk', show(k))

try:
    try:
        raise ExceptionGroup('g', [ValueError(1)])
    except* NoSuchName:
        pass
except NameError as n:
    print('name', n, show(n.__context__))

def nested():
    try:
        raise ExceptionGroup('outer', [ValueError(1), TypeError(2)])
    except* ValueError as v:
        try:
            raise ExceptionGroup('inner', [KeyError(1), ValueError(5)])
        except* KeyError as k:
            print('inner k', show(k))
        print('after inner')
try:
    nested()
except Exception as e:
    print('nested', show(e), show(e.exceptions[0].__context__) if e.exceptions[0].__context__ else None)

def gen():
    try:
        yield 1
        raise ExceptionGroup('g', [ValueError(1), TypeError(2)])
    except* ValueError:
        yield 2
        print('gen handled')
        yield 3
g = gen()
print(next(g), next(g), next(g))
try:
    next(g)
except ExceptionGroup as e:
    print('gen rest', show(e))

class MyEG(ExceptionGroup):
    pass
try:
    raise MyEG('mine', [ValueError(1), TypeError(2)])
except* ValueError as v:
    print('my', show(v))
except* TypeError as t:
    print('my', show(t))

try:
    raise ExceptionGroup('g', [ValueError(1)])
except* ValueError:
    try:
        raise KeyError(9)
    except KeyError:
        pass
    print('handled inner plain')

import sys
try:
    raise ExceptionGroup('g', [ValueError(1)])
except* ValueError as e:
    print(sys.exc_info()[1] is e)
print(sys.exc_info())

def with_finally():
    try:
        raise ExceptionGroup('g', [ValueError(1), TypeError(2)])
    except* ValueError:
        print('v')
    finally:
        print('fin')
try:
    with_finally()
except ExceptionGroup as e:
    print('wf', show(e))

try:
    raise ValueError(0)
except* ValueError:
    raise ValueError(1) from None
