import contextvars
v = contextvars.ContextVar("v", default="d")
print(v.get(), v.name)
t = v.set("x")
ctx = contextvars.copy_context()
def f(a):
    v.set(a)
    return v.get()
print(ctx.run(f, "inside"), v.get(), ctx[v], len(ctx), v in ctx)
v.reset(t)
print(v.get())
w = contextvars.ContextVar("w")
try:
    w.get()
except LookupError:
    print("lookup")
print(w.get(5))
