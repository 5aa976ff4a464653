# Counting loop iterations: a callback that re-schedules itself with call_soon marks
# each iteration, showing how many iterations a future -> task -> task wakeup
# chain takes.
import asyncio

it = 0

def tick(loop):
    global it
    it += 1
    if it < 8:
        loop.call_soon(tick, loop)

async def inner(fut):
    v = await fut
    print('inner resumed in iteration', it)
    return v

async def outer(fut):
    v = await asyncio.create_task(inner(fut))
    print('outer resumed in iteration', it)
    return v

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    o = asyncio.create_task(outer(fut))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    loop.call_soon(tick, loop)
    fut.set_result('x')
    print('set_result before iteration', it + 1)
    print(await o, 'main resumed in iteration', it)

asyncio.run(main())
