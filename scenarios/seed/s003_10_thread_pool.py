# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 6 自定义线程池.
# Completed: concurrent.futures.ThreadPoolExecutor with 2 workers runs 4 blocking
# jobs (time.sleep), two at a time.
import asyncio
import concurrent.futures
import time

def blocking_io(n):
    time.sleep(1)
    return f'job {n} finished at {time.time()}'

async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futs = [loop.run_in_executor(pool, blocking_io, n) for n in range(4)]
        for r in await asyncio.gather(*futs):
            print(r)
    print('total', time.time())

asyncio.run(main())
