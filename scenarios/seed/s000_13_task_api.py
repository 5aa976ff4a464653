# Seed 000 (csdn asyncio notes), section Task 对象: cancel, cancelled, done, result,
# exception. Completed: the document lists the methods; here each is called on a
# finished, a failed and a cancelled task.
import asyncio

async def ok():
    await asyncio.sleep(0.1)
    return 42

async def bad():
    await asyncio.sleep(0.1)
    raise ValueError('坏了')

async def main():
    t1 = asyncio.create_task(ok())
    t2 = asyncio.create_task(bad())
    t3 = asyncio.create_task(asyncio.sleep(10))
    print(t1.done(), t2.done(), t3.done())
    await asyncio.sleep(0.2)
    print(t3.cancel())
    await asyncio.sleep(0)
    print(t1.done(), t1.result(), t1.exception())
    print(t2.done(), repr(t2.exception()))
    print(t3.done(), t3.cancelled())
    try:
        t3.result()
    except asyncio.CancelledError:
        print('result() of a cancelled task raises CancelledError')

asyncio.run(main())
