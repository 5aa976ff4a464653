# An exception in a call_soon callback goes to the default exception handler, which
# logs it on stderr; the program continues and exits 0.
import asyncio

def bad():
    print('bad callback runs')
    return {}['missing']

async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(bad)
    loop.call_later(0.5, print, 'timer still fires at', 0.5)
    await asyncio.sleep(1)
    print('main ends at', loop.time())

asyncio.run(main())
