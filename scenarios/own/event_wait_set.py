# Event.set wakes every waiter, in the order they started waiting; wait() on a set
# event returns True at once; clear() makes later waiters block again.
import asyncio

async def waiter(name, ev):
    print(name, 'waiting')
    r = await ev.wait()
    print(name, 'woke with', r, 'at', asyncio.get_running_loop().time())

async def main():
    ev = asyncio.Event()
    tasks = [asyncio.create_task(waiter(n, ev)) for n in ('w1', 'w2', 'w3')]
    await asyncio.sleep(1)
    print('set; is_set was', ev.is_set())
    ev.set()
    print('set returned')
    await asyncio.gather(*tasks)
    print('already set:', await ev.wait())
    ev.clear()
    late = asyncio.create_task(waiter('late', ev))
    await asyncio.sleep(0.5)
    ev.set()
    await late

asyncio.run(main())
