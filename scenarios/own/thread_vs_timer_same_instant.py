# A thread sleeping until t=1 and a timer due at t=1: the due thread runs first (its
# future's result reaches the loop via call_soon_threadsafe), then the timer.
import asyncio
import time

def in_thread():
    time.sleep(1)
    print('thread wakes at', time.monotonic())
    return 'thread result'

async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(1, print, 'timer at', 1)
    fut = asyncio.to_thread(in_thread)
    t = asyncio.create_task(fut)
    asyncio.get_running_loop().call_later(1, print, 'second timer at', 1)
    print(await t, loop.time())

asyncio.run(main())
