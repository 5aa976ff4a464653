# A tiny event loop in Python: tasks stepping coroutines, futures, sleep on a
# virtual clock, async with / async for, exceptions crossing awaits.
class Future:
    def __init__(self):
        self.done, self.result, self.callbacks = False, None, []
    def set_result(self, v):
        self.done, self.result = True, v
        for cb in self.callbacks:
            loop.call_soon(cb, self)
    def __await__(self):
        if not self.done:
            yield self
        return self.result
class Task(Future):
    def __init__(self, coro):
        super().__init__()
        self.coro = coro
        loop.call_soon(self.step, None)
    def step(self, _):
        try:
            fut = self.coro.send(None)
        except StopIteration as e:
            self.set_result(e.value)
        except Exception as e:
            print("task failed:", type(e).__name__, e)
            self.set_result(None)
        else:
            fut.callbacks.append(self.step)
class Loop:
    def __init__(self):
        self.now, self.ready, self.timers, self.seq = 0.0, [], [], 0
    def call_soon(self, fn, arg):
        self.ready.append((fn, arg))
    def call_later(self, d, fn, arg):
        self.seq += 1
        self.timers.append((self.now + d, self.seq, fn, arg))
        self.timers.sort()
    def run(self):
        while self.ready or self.timers:
            if not self.ready:
                when, _, fn, arg = self.timers.pop(0)
                self.now = max(self.now, when)
                self.ready.append((fn, arg))
            batch, self.ready = self.ready, []
            for fn, arg in batch:
                fn(arg)
loop = Loop()
async def sleep(d):
    f = Future()
    loop.call_later(d, f.set_result, None)
    await f
class Lock:
    def __init__(self): self.held = False
    async def __aenter__(self):
        while self.held:
            await sleep(0.1)
        self.held = True
    async def __aexit__(self, *exc):
        self.held = False
class Ticker:
    def __init__(self, n): self.i, self.n = 0, n
    def __aiter__(self): return self
    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await sleep(0.5)
        return self.i
lock = Lock()
async def worker(name, d):
    async with lock:
        print(f"{loop.now:.1f} {name} got lock")
        await sleep(d)
    async for t in Ticker(2):
        print(f"{loop.now:.1f} {name} tick {t}")
    if name == "c":
        raise ValueError("c fails")
    return name.upper()
async def main():
    tasks = [Task(worker(n, d)) for n, d in [("a", 1), ("b", 0.5), ("c", 0.2)]]
    results = [await t for t in tasks]
    print(f"{loop.now:.1f} results", results)
Task(main())
loop.run()
