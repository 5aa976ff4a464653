# When a task finishes, its done-callbacks (including the wakeup of tasks awaiting
# it) run in the order they were added.
import asyncio

async def child():
    await asyncio.sleep(0.1)
    return 'x'

async def waiter(name, t):
    print(name, 'got', await t)

async def main():
    t = asyncio.create_task(child())
    t.add_done_callback(lambda f: print('callback 1'))
    w1 = asyncio.create_task(waiter('w1', t))
    await asyncio.sleep(0)
    t.add_done_callback(lambda f: print('callback 2'))
    w2 = asyncio.create_task(waiter('w2', t))
    await asyncio.gather(w1, w2)

asyncio.run(main())
