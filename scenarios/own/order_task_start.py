# create_task only schedules the first step; the new tasks start, in creation
# order, once the creating task yields.
import asyncio

async def child(i):
    print('child', i, 'started')

async def main():
    for i in range(3):
        asyncio.create_task(child(i))
        print('created', i)
    print('main yields')
    await asyncio.sleep(0)
    print('main resumed')

asyncio.run(main())
