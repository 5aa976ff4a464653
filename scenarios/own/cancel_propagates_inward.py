# Cancelling a task cancels the task it awaits; the inner task's CancelledError then
# propagates back out through the outer one.
import asyncio

async def inner():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print('inner cancelled')
        raise

async def outer():
    t = asyncio.create_task(inner())
    try:
        await t
    except asyncio.CancelledError:
        print('outer cancelled; inner cancelled?', t.cancelled())
        raise

async def main():
    o = asyncio.create_task(outer())
    await asyncio.sleep(1)
    o.cancel()
    await asyncio.gather(o, return_exceptions=True)
    print('outer cancelled?', o.cancelled())

asyncio.run(main())
