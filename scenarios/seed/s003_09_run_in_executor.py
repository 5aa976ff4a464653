# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 6 run_in_executor.
# Completed: async_function runs blocking_function in the default pool (None) while
# async_function2 keeps running on the loop.
import asyncio
import time

def blocking_function():
    print('blocking_function 开始', time.time())
    time.sleep(2)
    print('blocking_function 结束', time.time())
    return 'blocking result'

async def async_function():
    loop = asyncio.get_running_loop()
    result = await loop.run_in_executor(None, blocking_function)
    print('async_function 得到', result)

async def async_function2():
    for i in range(4):
        print('async_function2', i, time.time())
        await asyncio.sleep(0.5)

async def main():
    await asyncio.gather(async_function(), async_function2())

asyncio.run(main())
