# Tasks that yield with sleep(0) take turns in creation order, one step each per
# loop iteration.
import asyncio

async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    print(name, 'done')

async def main():
    await asyncio.gather(worker('A', 3), worker('B', 2), worker('C', 1))

asyncio.run(main())
