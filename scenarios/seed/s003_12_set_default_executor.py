# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 6 set_default_executor.
# Completed: a one-worker pool becomes the default, so None jobs run one by one.
import asyncio
import concurrent.futures
import time

def blocking(n):
    time.sleep(0.5)
    return (n, time.time())

async def main():
    loop = asyncio.get_running_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=1))
    results = await asyncio.gather(*[loop.run_in_executor(None, blocking, n) for n in range(3)])
    print(results)

asyncio.run(main())
