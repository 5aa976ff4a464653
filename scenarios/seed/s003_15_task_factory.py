# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 7 set_task_factory /
# get_task_factory. Completed: a factory that names and counts every task.
import asyncio

count = 0

def factory(loop, coro):
    global count
    count += 1
    task = asyncio.Task(coro, loop=loop)
    task.set_name(f'factory-task-{count}')
    print('factory made', task.get_name())
    return task

async def child(n):
    await asyncio.sleep(n)
    return asyncio.current_task().get_name()

async def main():
    loop = asyncio.get_running_loop()
    print('factory before:', loop.get_task_factory())
    loop.set_task_factory(factory)
    print('factory set:', loop.get_task_factory() is factory)
    print(await asyncio.gather(child(0.2), child(0.1)))
    loop.set_task_factory(None)
    print(await asyncio.create_task(child(0)))

asyncio.run(main())
