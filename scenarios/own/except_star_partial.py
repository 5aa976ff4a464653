# except* inside a coroutine handles only the ValueErrors of a TaskGroup's failures;
# the OSErrors propagate as the rest of the group (same message, same nesting) to an
# outer plain `except ExceptionGroup`, after the handler itself awaited.
import asyncio

async def fail(d, exc):
    await asyncio.sleep(d)
    raise exc

async def worker():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(1, ValueError('v1')))
            tg.create_task(fail(1, OSError('disk')))
            tg.create_task(fail(1, ValueError('v2')))
            tg.create_task(fail(2, KeyError('never')))
    except* ValueError as eg:
        print('handling', sorted(str(e) for e in eg.exceptions), 'at', loop.time())
        await asyncio.sleep(0.5)
        print('handled at', loop.time())
    print('not reached')

async def main():
    try:
        await worker()
    except ExceptionGroup as rest:
        print('rest:', repr(rest.message), [repr(e) for e in rest.exceptions])
        print('caught at', asyncio.get_running_loop().time())

asyncio.run(main())
