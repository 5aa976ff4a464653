# asyncio.timeout whose deadline equals a sleep's: both timers are due in the same
# iteration and run in heap order. Even when the sleep's timer runs first, the task
# that awaits it has not resumed yet, so the timeout still cancels the block.
import asyncio

async def direct(d):
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(d):
            await asyncio.sleep(d)
        print('direct', d, 'completed at', loop.time())
    except TimeoutError:
        print('direct', d, 'timed out at', loop.time())

async def via_task(d):
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(asyncio.sleep(d, result='slept'))
    await asyncio.sleep(0)
    try:
        async with asyncio.timeout_at(loop.time() + d):
            print('via_task', d, await t, 'at', loop.time())
    except TimeoutError:
        print('via_task', d, 'timed out at', loop.time(), '; inner cancelled:', t.cancelled())

async def main():
    for d in (1, 0.25):
        await direct(d)
        await via_task(d)

asyncio.run(main())
