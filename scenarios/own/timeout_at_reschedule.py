# timeout_at uses an absolute deadline; reschedule() moves it while inside the block.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 1) as cm:
            await asyncio.sleep(0.5)
            cm.reschedule(loop.time() + 2)
            print('rescheduled to', cm.when())
            await asyncio.sleep(5)
    except TimeoutError:
        print('timed out at', loop.time())
    try:
        async with asyncio.timeout_at(loop.time() - 1):
            print('already expired: runs until the first await')
            await asyncio.sleep(0)
            print('not reached')
    except TimeoutError:
        print('TimeoutError at once, t =', loop.time())

asyncio.run(main())
