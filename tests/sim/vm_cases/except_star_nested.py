# except* on nested groups: each clause splits what is left, keeping the nesting.
def shape(e):
    if isinstance(e, BaseExceptionGroup):
        return '%s(%r, [%s])' % (type(e).__name__, e.message, ', '.join(shape(x) for x in e.exceptions))
    return repr(e)
def f():
    raise ExceptionGroup('o', [ExceptionGroup('i', [ValueError(1), KeyError(2)]), ValueError(3)])
try:
    try:
        f()
    except* KeyError as eg:
        print('keys:', shape(eg))
    except* ValueError as eg:
        print('values:', shape(eg))
        raise
except ExceptionGroup as again:
    print('re-raised:', shape(again))
