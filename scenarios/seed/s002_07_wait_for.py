# Seed 002 (UBeaRLy asyncio notes), section 等待超时: wait_for(aw, timeout). Completed:
# a timeout cancels aw and raises TimeoutError; with shield the inner task survives;
# cancelling the waiting task also cancels aw.
import asyncio

async def slow(tag, d):
    try:
        await asyncio.sleep(d)
        print(tag, 'finished')
        return tag
    except asyncio.CancelledError:
        print(tag, 'cancelled at', asyncio.get_running_loop().time())
        raise

async def main():
    try:
        await asyncio.wait_for(slow('a', 2), timeout=1)
    except asyncio.TimeoutError:
        print('TimeoutError')
    inner = asyncio.create_task(slow('b', 2))
    try:
        await asyncio.wait_for(asyncio.shield(inner), timeout=0.5)
    except asyncio.TimeoutError:
        print('TimeoutError, inner done?', inner.done())
    print(await inner)
    outer = asyncio.create_task(asyncio.wait_for(slow('c', 5), timeout=10))
    await asyncio.sleep(1)
    outer.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print('outer cancelled', outer.cancelled())

asyncio.run(main())
