# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 7 create_task.
# Completed: asyncio.create_task (high level, needs a running loop) and
# loop.create_task (needs a loop object) do the same thing.
import asyncio

async def work(name, d):
    await asyncio.sleep(d)
    print(name, 'done')
    return name

async def main():
    loop = asyncio.get_running_loop()
    t1 = asyncio.create_task(work('asyncio.create_task', 1))
    t2 = loop.create_task(work('loop.create_task', 0.5))
    print(type(t1) is type(t2), await t1, await t2)

asyncio.run(main())
loop = asyncio.new_event_loop()
t = loop.create_task(work('before the loop runs', 0))
print('pending:', not t.done())
print(loop.run_until_complete(t))
loop.close()
