# Seed 000 (csdn asyncio notes), section 跨线程调度: run_coroutine_threadsafe(coro, loop).
# Completed: a worker thread (started with to_thread) submits a coroutine to the
# loop and hands back the concurrent.futures.Future, which main then awaits.
import asyncio

async def add(a, b):
    await asyncio.sleep(1)
    return a + b

def in_thread(loop):
    #向指定事件循环提交一个协程
    cf = asyncio.run_coroutine_threadsafe(add(1, 2), loop)
    return cf

async def main():
    loop = asyncio.get_running_loop()
    cf = await asyncio.to_thread(in_thread, loop)
    print('submitted', type(cf).__name__)
    result = await asyncio.wrap_future(cf)
    print('result', result, 'at', loop.time())

asyncio.run(main())
