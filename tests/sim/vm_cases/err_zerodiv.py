def f():
    x = 1 / 0
def g():
    f()
g()
