# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 3 run_until_complete.
# Completed: a coroutine is wrapped into a task; a Future works too. The text says
# run_until_complete closes the loop; it does not (is_closed() stays False).
import asyncio

async def hello():
    await asyncio.sleep(1)
    print('hello world')
    return 1

loop = asyncio.new_event_loop()
print(loop.run_until_complete(hello()))
task = loop.create_task(hello())
print(loop.run_until_complete(task), task.done())
fut = loop.create_future()
loop.call_later(0.5, fut.set_result, 'future result')
print(loop.run_until_complete(fut), loop.time())
print('closed?', loop.is_closed())
loop.close()
