# as_completed with a timeout raises TimeoutError from the next awaitable once time
# is up; the remaining jobs are left running.
import asyncio

async def job(d):
    await asyncio.sleep(d)
    print('job', d, 'finished')
    return d

async def main():
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(job(d)) for d in (0.5, 2, 1)]
    try:
        for fut in asyncio.as_completed(tasks, timeout=1.5):
            print('result', await fut, loop.time())
    except asyncio.TimeoutError:
        print('TimeoutError at', loop.time())
    await asyncio.sleep(1)
    print([t.done() for t in tasks])

asyncio.run(main())
