# wait_for where the inner sleep and the timeout fall due at the same instant: the
# timers fire in heap order, and a result that is ready when wait_for wakes wins.
import asyncio

async def job(d, tag):
    await asyncio.sleep(d)
    return tag

async def main():
    loop = asyncio.get_running_loop()
    for d in (1, 0.5, 0.1):
        try:
            print(await asyncio.wait_for(job(d, f'job {d}'), timeout=d))
        except asyncio.TimeoutError:
            print('timeout', d)
    t = asyncio.create_task(job(1, 'task first'))
    await asyncio.sleep(0)
    try:
        print(await asyncio.wait_for(t, timeout=1))
    except asyncio.TimeoutError:
        print('timeout for the early task')
    print('t =', loop.time())

asyncio.run(main())
