# Seed 002 (UBeaRLy asyncio notes), section create_task(coro, *, name=None).
# Completed: tasks run in the loop of get_running_loop(); with no running loop
# create_task raises RuntimeError.
import asyncio

async def hello(who):
    print('hello', who)
    return who

coro = hello('nobody')
try:
    asyncio.create_task(coro)
except RuntimeError as e:
    print('RuntimeError:', e)
coro.close()

async def main():
    t1 = asyncio.create_task(hello('A'), name='first')
    t2 = asyncio.create_task(hello('B'))
    print('created', t1.get_name(), t2.get_name())
    print(await t2, await t1)

asyncio.run(main())
