# Semaphore(2): at most two holders; waiters are admitted in FIFO order as holders
# release.
import asyncio

async def job(sem, i):
    async with sem:
        print('job', i, 'in at', asyncio.get_running_loop().time())
        await asyncio.sleep(1 if i % 2 else 0.5)
    print('job', i, 'out')

async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(job(sem, i) for i in range(5)))
    print('locked?', sem.locked())

asyncio.run(main())
