# TaskGroup waits for all its tasks on exit; tasks created inside start when the
# body yields (here at the end of the async with block).
import asyncio

async def job(name, d):
    print(name, 'start')
    await asyncio.sleep(d)
    print(name, 'end at', asyncio.get_running_loop().time())
    return name

async def main():
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(job('one', 0.2))
        t2 = tg.create_task(job('two', 0.1), name='second')
        print('body done, tasks created:', t2.get_name())
    print('after group:', t1.result(), t2.result())

asyncio.run(main())
