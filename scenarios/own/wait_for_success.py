# wait_for returns the result when the awaitable finishes in time, and the timeout
# timer is cancelled; timeout=None waits forever.
import asyncio

async def quick(x):
    await asyncio.sleep(0.5)
    return x * 2

async def main():
    loop = asyncio.get_running_loop()
    print(await asyncio.wait_for(quick(1), timeout=1), loop.time())
    print(await asyncio.wait_for(quick(2), timeout=None), loop.time())
    fut = loop.create_future()
    loop.call_later(0.2, fut.set_result, 'future')
    print(await asyncio.wait_for(fut, 5), loop.time())

asyncio.run(main())
