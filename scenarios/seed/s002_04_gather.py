# Seed 002 (UBeaRLy asyncio notes), section gather(*aws, return_exceptions=False).
# Completed: the four behaviours listed: ordered results, first exception
# propagated, exceptions aggregated, and cancelling the gather cancels its children.
import asyncio

async def ok(n):
    await asyncio.sleep(n)
    print('ok', n)
    return n

async def fail(n):
    await asyncio.sleep(n)
    raise ValueError(f'fail {n}')

async def main():
    print(await asyncio.gather(ok(0.3), ok(0.1), ok(0.2)))
    try:
        await asyncio.gather(ok(0.1), fail(0.2), ok(0.3))
    except ValueError as e:
        print('propagated:', e)
    await asyncio.sleep(0.2)
    print(await asyncio.gather(ok(0.1), fail(0.2), return_exceptions=True))
    g = asyncio.gather(ok(1), ok(2))
    await asyncio.sleep(0.5)
    print('gather.cancel ->', g.cancel())
    try:
        await g
    except asyncio.CancelledError:
        print('gather cancelled', g.cancelled())

asyncio.run(main())
