# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 6 自定义进程池.
# Completed: concurrent.futures.ProcessPoolExecutor runs a CPU-bound function.
import asyncio
import concurrent.futures

def cpu_bound(n):
    return sum(i * i for i in range(n))

async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ProcessPoolExecutor() as pool:
        result = await loop.run_in_executor(pool, cpu_bound, 10000)
        print('custom process pool', result)
        results = await asyncio.gather(*[loop.run_in_executor(pool, cpu_bound, n) for n in (10, 100, 1000)])
        print(results)

if __name__ == '__main__':
    asyncio.run(main())
