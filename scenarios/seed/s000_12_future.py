# Seed 000 (csdn asyncio notes), section Futures.
# Completed: a low-level Future stands for the eventual result of an operation;
# a callback completes it and the coroutine awaiting it resumes.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print('done?', fut.done())
    loop.call_later(1, fut.set_result, '最终结果')
    print(await fut, loop.time())
    print('done?', fut.done(), fut.result())

asyncio.run(main())
