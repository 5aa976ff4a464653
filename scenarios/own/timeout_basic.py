# asyncio.timeout: the block is cancelled when the deadline passes and TimeoutError
# is raised at the async with; expired() tells whether it fired.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1) as cm:
            print('deadline', cm.when())
            await asyncio.sleep(2)
    except TimeoutError:
        print('TimeoutError at', loop.time(), 'expired', cm.expired())
    async with asyncio.timeout(1) as cm2:
        await asyncio.sleep(0.5)
    print('in time; expired', cm2.expired(), 'at', loop.time())
    async with asyncio.timeout(None) as cm3:
        await asyncio.sleep(3)
    print('no deadline:', cm3.when(), loop.time())

asyncio.run(main())
