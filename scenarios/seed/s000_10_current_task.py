# Seed 000 (csdn asyncio notes), section 常用函数: sleep, current_task, all_tasks.
# Completed: named tasks print their own name; all_tasks is shown sorted by name
# (a set's order is not defined).
import asyncio

async def worker(d):
    await asyncio.sleep(d) #协程延时
    me = asyncio.current_task()
    print('I am', me.get_name(), 'after', d)

async def main():
    print(asyncio.current_task().get_name())
    for i in range(3):
        asyncio.create_task(worker(i * 0.5), name=f'worker-{i}')
    names = sorted(t.get_name() for t in asyncio.all_tasks())
    print(names)
    await asyncio.sleep(2)
    print([t.get_name() for t in asyncio.all_tasks()])

asyncio.run(main(), debug=False)
