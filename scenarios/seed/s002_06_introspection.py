# Seed 002 (UBeaRLy asyncio notes), section 其他: Task内省 and sleep. Completed: the
# document writes current_task twice; the second is meant as all_tasks (shown by name).
import asyncio

async def sub():
    await asyncio.sleep(1)

async def main():
    Task = asyncio.current_task(loop=None)
    print(Task.get_name(), Task.done())
    t = asyncio.create_task(sub(), name='sub')
    tasks = asyncio.all_tasks(loop=None)
    print(len(tasks), sorted(x.get_name() for x in tasks))
    r = await asyncio.sleep(0.5, result='睡醒了')
    print(r)
    await t
    print(len(asyncio.all_tasks()), t.done())

asyncio.run(main())
