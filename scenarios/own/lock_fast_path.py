# Lock.acquire takes the fast path only when the lock is free and nobody waits: after
# release wakes the first waiter, the releasing task cannot barge back in ahead of the
# queued waiters, even though it runs first.
import asyncio

async def greedy(lock):
    for i in range(3):
        async with lock:
            print('greedy round', i)
            await asyncio.sleep(0)

async def polite(lock, name):
    async with lock:
        print(name, 'got it')

async def main():
    lock = asyncio.Lock()
    await asyncio.gather(greedy(lock), polite(lock, 'p1'), polite(lock, 'p2'))

asyncio.run(main())
