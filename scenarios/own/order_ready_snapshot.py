# _run_once runs only the handles that were ready when the iteration began: a
# callback scheduled by a callback runs in the next iteration, after the others.
import asyncio

def cb(loop, name, depth):
    print(name, 'depth', depth)
    if depth < 2:
        loop.call_soon(cb, loop, name + '>', depth + 1)

async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(cb, loop, 'A', 0)
    loop.call_soon(cb, loop, 'B', 0)
    await asyncio.sleep(0.1)

asyncio.run(main())
