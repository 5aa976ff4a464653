# cancel() twice before the task runs: both calls return True, cancelling() counts
# 2, but the coroutine receives a single CancelledError.
import asyncio

async def child():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print('child caught CancelledError, cancelling() =', asyncio.current_task().cancelling())
        raise

async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    print(t.cancel(), t.cancel(), t.cancelling())
    try:
        await t
    except asyncio.CancelledError:
        print('main: child cancelled')
    print('cancel after done:', t.cancel())

asyncio.run(main())
