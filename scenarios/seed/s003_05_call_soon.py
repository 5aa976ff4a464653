# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 5 call_soon.
# Completed: call_soon calls a plain function by name; a coroutine function must be
# wrapped into a task with loop.create_task (here via call_soon itself).
import asyncio

def callback(a, b):
    print('普通函数回调', a, b)

async def coro_func(name):
    print('协程函数', name, '开始')
    await asyncio.sleep(1)
    print('协程函数', name, '结束')

def main():
    loop = asyncio.new_event_loop()
    loop.call_soon(callback, 1, 2)
    loop.call_soon(loop.create_task, coro_func('A'))
    task = loop.create_task(coro_func('B'))
    loop.call_soon(callback, 3, 4)
    loop.run_until_complete(task)
    loop.run_until_complete(asyncio.sleep(0.5))
    loop.close()

main()
