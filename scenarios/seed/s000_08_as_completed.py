# Seed 000 (csdn asyncio notes), section 其它调用方式: as_completed(aws, timeout=None).
# Completed: three coroutines sleeping 3, 1 and 2 seconds; results come back in
# completion order.
import asyncio

async def fun(name, t):
    await asyncio.sleep(t)
    return f'{name} 用时 {t}s'

async def main():
    aws = [fun('A', 3), fun('B', 1), fun('C', 2)]
    #并发地运行可迭代对象中的 可等待对象。 返回一个协程的迭代器
    for coro in asyncio.as_completed(aws):
        print(await coro)

asyncio.run(main())
