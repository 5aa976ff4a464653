# Awaiting a future that nobody will ever complete: real CPython would hang, the
# oracle reports a deadlock and exits with status 3.
import asyncio

async def main():
    fut = asyncio.get_running_loop().create_future()
    print('waiting for a future nobody completes')
    await asyncio.sleep(1)
    print('still waiting at', asyncio.get_running_loop().time())
    await fut

asyncio.run(main())
