# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 5 call_soon_threadsafe.
# Completed: a worker thread schedules a callback on the loop and completes a future.
import asyncio
import time

def from_thread(loop, fut):
    time.sleep(1)
    loop.call_soon_threadsafe(print, 'callback from thread at', time.time())
    loop.call_soon_threadsafe(fut.set_result, 'thread result')

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    job = loop.run_in_executor(None, from_thread, loop, fut)
    print('waiting')
    print(await fut)
    await job
    print('done at', loop.time())

asyncio.run(main())
