# Lock waiters acquire in FIFO order; `async with` releases on exit, even on error.
import asyncio

async def worker(name, lock, hold):
    print(name, 'wants the lock')
    async with lock:
        print(name, 'has the lock at', asyncio.get_running_loop().time())
        await asyncio.sleep(hold)
    print(name, 'released')

async def main():
    lock = asyncio.Lock()
    await asyncio.gather(worker('A', lock, 0.5), worker('B', lock, 0.2), worker('C', lock, 0.1))
    print('locked at end:', lock.locked())

asyncio.run(main())
