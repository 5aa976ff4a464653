# A failing task in a TaskGroup cancels its siblings and the body; the group raises
# an ExceptionGroup of the failures (here caught with except*).
import asyncio

async def ok(d):
    try:
        await asyncio.sleep(d)
        print('ok', d, 'finished')
    except asyncio.CancelledError:
        print('ok', d, 'cancelled at', asyncio.get_running_loop().time())
        raise

async def bad(d, exc):
    await asyncio.sleep(d)
    raise exc

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(ok(0.5))
            tg.create_task(bad(1, ValueError('boom')))
            tg.create_task(ok(3))
            tg.create_task(bad(1, KeyError('k')))
            await asyncio.sleep(10)
            print('body not reached')
    except* ValueError as eg:
        print('ValueErrors:', [str(e) for e in eg.exceptions])
    except* KeyError as eg:
        print('KeyErrors:', [repr(e) for e in eg.exceptions])
    print('after group at', asyncio.get_running_loop().time())

asyncio.run(main())
