# Seed 002 (UBeaRLy asyncio notes), section as_completed(aws, timeout=None).
# Completed: `for coro in as_completed(aws): earliest_result = await coro`, and a
# timeout that raises TimeoutError before the slowest one finishes.
import asyncio

async def sleeper(d):
    await asyncio.sleep(d)
    return d

async def main():
    aws = [sleeper(3), sleeper(1), sleeper(2)]
    for coro in asyncio.as_completed(aws):
        earliest_result = await coro
        print('earliest', earliest_result)
    try:
        for coro in asyncio.as_completed([sleeper(0.5), sleeper(5)], timeout=1):
            print('got', await coro)
    except asyncio.TimeoutError:
        print('TimeoutError at', asyncio.get_running_loop().time())

asyncio.run(main())
