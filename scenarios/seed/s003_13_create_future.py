# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 7 create_future.
# Completed: a future made by loop.create_future stays pending until its result is
# set by hand; then it is finished and the awaiting coroutine resumes.
import asyncio

def set_it(fut):
    print('设置结果')
    fut.set_result('future 的结果')

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print(fut)
    loop.call_later(1, set_it, fut)
    result = await fut
    print(fut)
    print(result, loop.time())

asyncio.run(main())
