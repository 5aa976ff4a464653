# Two tasks each waiting for an event only the other would set: after the timers run
# out the loop is idle with nothing scheduled; the oracle reports a deadlock, exit 3.
import asyncio

async def worker(name, mine, theirs):
    print(name, 'waits for the other')
    await theirs.wait()
    mine.set()

async def main():
    a, b = asyncio.Event(), asyncio.Event()
    await asyncio.sleep(0.5)
    await asyncio.gather(worker('A', a, b), worker('B', b, a))

asyncio.run(main())
