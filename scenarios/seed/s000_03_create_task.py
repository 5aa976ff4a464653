# Seed 000 (csdn asyncio notes), section Task并行运行 (create_task).
# Completed: the fragment awaits task1/task2 of main1()/main2(); those coroutines are
# written here, with fixed asyncio.sleep durations standing in for I/O.
import asyncio
import time

async def main1():
    print('main1 开始', time.time())
    await asyncio.sleep(2)
    print('main1 结束', time.time())
    return 1

async def main2():
    print('main2 开始', time.time())
    await asyncio.sleep(1)
    print('main2 结束', time.time())
    return 2

async def main():
    task1=asyncio.create_task(main1())
    task2=asyncio.create_task(main2())
    await task1  #等待1运行完成,在1内io等待期task2同时运行
    await task2  #等待2运行完成
    print('结果', task1.result(), task2.result(), '总用时', time.time())

asyncio.run(main())
