# Seed 002 (UBeaRLy asyncio notes), section run_coroutine_threadsafe(coro, loop).
# Completed: called from another thread (an executor job); the thread waits for the
# concurrent.futures.Future result while the loop runs the coroutine.
import asyncio
import time

async def remote(x):
    await asyncio.sleep(0.5)
    return x + 100

def worker(loop):
    futs = [asyncio.run_coroutine_threadsafe(remote(i), loop) for i in range(3)]
    time.sleep(1)
    return [f.result() for f in futs]

async def main():
    loop = asyncio.get_running_loop()
    print(await loop.run_in_executor(None, worker, loop), loop.time())

asyncio.run(main())
