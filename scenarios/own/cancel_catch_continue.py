# A task may catch CancelledError and keep running (without uncancel); it can even
# await again and return a value, so the task ends not cancelled.
import asyncio

async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print('caught at', asyncio.get_running_loop().time(), '- cleaning up')
        await asyncio.sleep(0.5)
        print('cleanup finished at', asyncio.get_running_loop().time())
    return 'clean exit'

async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(1)
    t.cancel()
    r = await t
    print(r, t.cancelled(), t.cancelling())

asyncio.run(main())
