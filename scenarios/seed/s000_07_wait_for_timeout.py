# Seed 000 (csdn asyncio notes), section 其它调用方式: wait_for with timeout=1.0.
# Completed: fun() is not given; it sleeps 2 s, so the wait_for times out and fun is
# cancelled.
import asyncio

async def fun():
    try:
        await asyncio.sleep(2)
    except asyncio.CancelledError:
        print('fun 被取消')
        raise

async def main():
    try:    #等待对象完成,指定 timeout 秒数后超时
        await asyncio.wait_for(fun(), timeout=1.0)
    except asyncio.TimeoutError:
        print('timeout!') #如果发生超时,任务将取消并引发 asyncio.TimeoutError.
    print(asyncio.get_running_loop().time())

asyncio.run(main())
