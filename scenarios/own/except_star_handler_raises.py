# A handler of except* that raises: the new exception joins the unhandled rest in a
# new ExceptionGroup('', ...); left uncaught it ends the program with status 1.
import asyncio

async def fail(d, exc):
    await asyncio.sleep(d)
    raise exc

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(0.25, TypeError('bad type')))
            tg.create_task(fail(0.25, LookupError('missing')))
            tg.create_task(fail(0.75, OSError('cancelled before it fails')))
    except* TypeError as eg:
        print('TypeErrors', [str(e) for e in eg.exceptions], asyncio.get_running_loop().time())
        raise RuntimeError('giving up') from eg.exceptions[0]
    except* OSError as eg:
        print('not reached: the TaskGroup cancelled the OSError task', eg)

asyncio.run(main())
