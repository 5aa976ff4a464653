# Seed 002 (UBeaRLy asyncio notes), section shield(aw). Completed: the waiter is
# cancelled but the shielded task finishes; the document's try/except pattern
# (res = None on CancelledError) is used.
import asyncio
from asyncio import shield, CancelledError

async def important():
    await asyncio.sleep(2)
    print('important 完成')
    return 'data'

async def waiter(aw):
    try:
        res = await shield(aw)
    except CancelledError:
        res = None
    print('waiter res =', res)
    return res

async def main():
    inner = asyncio.create_task(important())
    w = asyncio.create_task(waiter(inner))
    await asyncio.sleep(1)
    w.cancel()
    print('waiter returned', await w)
    print('inner result', await inner, asyncio.get_running_loop().time())

asyncio.run(main())
