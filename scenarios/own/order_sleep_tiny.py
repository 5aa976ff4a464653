# sleep(d) with d <= 0 is a bare yield (no timer); any positive d, however tiny,
# makes a timer, which is due at once but runs after the yielded tasks.
import asyncio

async def s(tag, d):
    await asyncio.sleep(d)
    print(tag, 'resumed')

async def main():
    await asyncio.gather(s('sleep(1e-12)', 1e-12), s('sleep(-1)', -1),
                         s('sleep(0)', 0), s('sleep(1e-3)', 1e-3))
    print('t =', asyncio.get_running_loop().time())

asyncio.run(main())
