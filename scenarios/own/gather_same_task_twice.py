# gather() with no arguments returns []; the same task (or coroutine turned task)
# passed twice runs once and its result appears twice.
import asyncio

count = 0

async def once():
    global count
    count += 1
    await asyncio.sleep(0.1)
    return count

async def main():
    print(await asyncio.gather())
    t = asyncio.create_task(once())
    print(await asyncio.gather(t, t, t))
    print('count', count)

asyncio.run(main())
