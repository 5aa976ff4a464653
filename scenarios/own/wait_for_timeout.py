# wait_for times out: the inner task is cancelled and awaited before TimeoutError is
# raised, so its cleanup runs first.
import asyncio

async def slow():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print('slow: cancelled, cleaning up')
        await asyncio.sleep(0.25)
        print('slow: cleanup done')
        raise

async def main():
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(slow(), timeout=1)
    except asyncio.TimeoutError as e:
        print('TimeoutError', type(e).__name__, 'at', loop.time())

asyncio.run(main())
