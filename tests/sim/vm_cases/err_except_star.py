# An uncaught group from try/except*: a handler raised, another part was unhandled.
def f():
    raise ExceptionGroup('g', [ValueError(1), TypeError(2), KeyError(3)])

def main():
    try:
        f()
    except* ValueError:
        raise RuntimeError('in handler')
    except* TypeError:
        pass

main()
