import asyncio

async def holder(lock, sem, ev, name):
    async with lock:
        await asyncio.sleep(0.1)
    async with sem:
        await ev.wait()
    print(name, "done")

async def main():
    lock = asyncio.Lock(); sem = asyncio.Semaphore(2); ev = asyncio.Event()
    cond = asyncio.Condition()
    bs = asyncio.BoundedSemaphore(1)
    def tail(x):
        r = repr(x)
        return r[r.index('['):]
    print(tail(lock), tail(sem), tail(ev), tail(cond), tail(bs))
    ts = [asyncio.create_task(holder(lock, sem, ev, f"t{i}")) for i in range(4)]
    await asyncio.sleep(0.05)
    print(tail(lock), tail(sem), tail(ev))
    await asyncio.sleep(0.4)
    print(tail(lock), tail(sem), tail(ev))
    async with cond:
        print(tail(cond))
    ev.set()
    await asyncio.gather(*ts)
    print(tail(lock), tail(sem), tail(ev))
    await bs.acquire()
    print(tail(bs), bs.locked())

asyncio.run(main())
