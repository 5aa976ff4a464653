# as_completed yields awaitables in completion order; results equal in time come in
# the order their completions were observed. (Tasks are created explicitly: given
# coroutines, as_completed would wrap them in set order.)
import asyncio

async def job(name, d):
    await asyncio.sleep(d)
    return f'{name}@{d}'

async def main():
    specs = [('a', 0.3), ('b', 0.1), ('c', 0.2), ('d', 0.1), ('e', 0.0)]
    tasks = [asyncio.create_task(job(n, d)) for n, d in specs]
    for i, fut in enumerate(asyncio.as_completed(tasks)):
        print(i, await fut, asyncio.get_running_loop().time())

asyncio.run(main())
