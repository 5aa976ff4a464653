# Without return_exceptions the first exception reaches the awaiting task at once,
# but the other children are not cancelled: they keep running to completion.
import asyncio

async def job(name, d, fail=False):
    await asyncio.sleep(d)
    if fail:
        raise RuntimeError(f'{name} failed')
    print(name, 'finished at', asyncio.get_running_loop().time())
    return name

async def main():
    g = asyncio.gather(job('a', 1), job('b', 0.5, fail=True), job('c', 2))
    try:
        await g
    except RuntimeError as e:
        print('main caught', e, 'at', asyncio.get_running_loop().time())
    print('gather done?', g.done())
    await asyncio.sleep(3)
    print('end')

asyncio.run(main())
