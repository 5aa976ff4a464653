# A task cancelling itself: the request is delivered at its next await, even a
# sleep(0).
import asyncio

async def selfish():
    asyncio.current_task().cancel()
    print('cancel requested, still running')
    try:
        await asyncio.sleep(0)
    except asyncio.CancelledError:
        print('delivered at the next await')
        raise

async def main():
    t = asyncio.create_task(selfish())
    res = await asyncio.gather(t, return_exceptions=True)
    print(type(res[0]).__name__, t.cancelled())

asyncio.run(main())
