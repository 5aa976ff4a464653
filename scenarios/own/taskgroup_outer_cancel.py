# Cancelling the task that runs a TaskGroup cancels its children; the group re-raises
# CancelledError (no ExceptionGroup). The group keeps its tasks in a set, so the
# order in which children are cancelled is CPython's set order: only the sorted
# list of cancelled children is printed.
import asyncio

cancelled = []

async def child(i):
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        cancelled.append(i)
        raise

async def runner():
    try:
        async with asyncio.TaskGroup() as tg:
            for i in range(3):
                tg.create_task(child(i))
    except asyncio.CancelledError:
        print('runner sees CancelledError; children cancelled:', sorted(cancelled))
        raise

async def main():
    t = asyncio.create_task(runner())
    await asyncio.sleep(1)
    t.cancel()
    r = await asyncio.gather(t, return_exceptions=True)
    print(type(r[0]).__name__, t.cancelled())

asyncio.run(main())
