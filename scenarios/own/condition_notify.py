# Condition: notify(n) wakes n waiters in FIFO order; each re-acquires the lock
# before wait() returns, so they run one at a time.
import asyncio

async def consumer(cond, name, box):
    async with cond:
        print(name, 'waits')
        await cond.wait()
        print(name, 'woke, takes', box.pop(0))

async def main():
    cond = asyncio.Condition()
    box = []
    cs = [asyncio.create_task(consumer(cond, f'c{i}', box)) for i in range(4)]
    await asyncio.sleep(0.1)
    async with cond:
        box.extend(['x', 'y'])
        cond.notify(2)
        print('notified 2')
    await asyncio.sleep(0.1)
    async with cond:
        box.extend(['z', 'w'])
        cond.notify_all()
        print('notified all')
    await asyncio.gather(*cs)

asyncio.run(main())
