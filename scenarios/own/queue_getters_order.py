# Several tasks blocked in get() are served in the order they started waiting.
import asyncio

async def getter(name, q):
    item = await q.get()
    print(name, 'got', item)

async def main():
    q = asyncio.Queue()
    ts = [asyncio.create_task(getter(f'g{i}', q)) for i in range(3)]
    await asyncio.sleep(0)
    for item in 'xyz':
        q.put_nowait(item)
        print('put', item)
    await asyncio.gather(*ts)

asyncio.run(main())
