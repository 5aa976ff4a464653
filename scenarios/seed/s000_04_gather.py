# Seed 000 (csdn asyncio notes), section asyncio.gather 并发运行任务.
# Completed: fun1/fun2/fun3 are not given; each sleeps its second argument (seconds)
# and returns a string, so L shows gather keeps argument order.
import asyncio

async def fun1(name, t):
    print(f'{name} 开始, 等待 {t}s')
    await asyncio.sleep(t)
    print(f'{name} 完成')
    return f'{name}:{t}'

async def fun2(name, t):
    print(f'{name} 开始, 等待 {t}s')
    await asyncio.sleep(t)
    print(f'{name} 完成')
    return f'{name}:{t}'

async def fun3(name, t):
    print(f'{name} 开始, 等待 {t}s')
    await asyncio.sleep(t)
    print(f'{name} 完成')
    return f'{name}:{t}'

async def main():
    L = await asyncio.gather(fun1("A", 2), fun2("B", 3),  fun3("C", 4) )
    print(L)

asyncio.run(main())
