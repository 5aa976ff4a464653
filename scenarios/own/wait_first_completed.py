# wait(FIRST_COMPLETED) returns as soon as one task is done; tasks finishing at the
# same instant can all be in `done`.
import asyncio

async def job(d):
    await asyncio.sleep(d)
    return d

def names(s):
    return sorted(t.get_name() for t in s)

async def main():
    tasks = [asyncio.create_task(job(d), name=f'job{d}') for d in (2, 1, 1, 3)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print('done', names(done), 'pending', names(pending), asyncio.get_running_loop().time())
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    print('done', names(done), 'pending', names(pending), asyncio.get_running_loop().time())
    for t in pending:
        t.cancel()

asyncio.run(main())
