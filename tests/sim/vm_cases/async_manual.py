# coroutines driven by hand (no asyncio): send/throw/close, await chains
class Future:
    def __init__(self):
        self.value = None
    def __await__(self):
        v = yield self
        return v
async def leaf(n):
    v = await Future()
    return v + n
async def middle():
    a = await leaf(1)
    b = await leaf(2)
    return a * b
async def boom():
    await Future()
    raise ValueError("inner")
def drive(coro, values):
    out = []
    try:
        f = coro.send(None)
        for v in values:
            out.append(type(f).__name__)
            f = coro.send(v)
    except StopIteration as e:
        out.append(("result", e.value))
    return out
print(drive(middle(), [10, 20]))
c = boom()
c.send(None)
try:
    c.send(1)
except ValueError as e:
    print("raised", e)
c2 = middle()
c2.send(None)
try:
    c2.throw(KeyError("x"))
except KeyError as e:
    print("thrown", repr(e))
c3 = middle(); c3.send(None); c3.close(); print("closed")
print(middle().__class__.__name__, repr(middle())[:24])
async def agen_like():
    results = []
    for i in range(3):
        results.append(await leaf(i))
    return results
print(drive(agen_like(), [100, 200, 300]))
