# Seed 000 (csdn asyncio notes), section 其它调用方式: wait().
# Completed: the fragment calls asyncio.wait() with no argument; here it waits on
# [task] (foo sleeps 1 s), then a second wait with a timeout that does not cancel.
import asyncio

async def foo():
    await asyncio.sleep(1)
    return 'foo'

async def main():
    task = asyncio.create_task(foo())
    done, pending = await asyncio.wait([task])
    print(len(done), len(pending), task in done, task.result())
    slow = asyncio.create_task(asyncio.sleep(5, result='slow'))
    done, pending = await asyncio.wait([slow], timeout=2)
    print(len(done), len(pending), '超时后不取消:', slow.cancelled(), slow.done())
    print(await slow, asyncio.get_running_loop().time())

asyncio.run(main())
