# gather(return_exceptions=True) puts exceptions in the result list, in argument
# order, next to normal results.
import asyncio

async def job(i):
    await asyncio.sleep(0.1 * (3 - i))
    if i % 2:
        raise ValueError(f'job {i} failed')
    print('job', i, 'ok')
    return i * 10

async def main():
    results = await asyncio.gather(*(job(i) for i in range(4)), return_exceptions=True)
    for r in results:
        print(type(r).__name__, r)

asyncio.run(main())
