# A Future may be awaited by many tasks and again after it is done; every awaiter
# gets the same result.
import asyncio

async def reader(name, fut):
    v = await fut
    print(name, 'read', v)
    return v

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    ts = [asyncio.create_task(reader(f'r{i}', fut)) for i in range(3)]
    await asyncio.sleep(0.1)
    fut.set_result({'k': [1, 2]})
    await asyncio.gather(*ts)
    print('late await:', await fut, await fut)

asyncio.run(main())
