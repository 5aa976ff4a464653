# A timer is considered due when its deadline is < now + clock resolution (1e-09):
# a deadline 0.5 ns ahead fires at once (the clock does not move), one 2 ns ahead
# makes the loop wait, and the virtual clock advances by exactly 2e-09.
import asyncio

def show(loop, tag):
    print(tag, 'ran at', repr(loop.time()))

async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1)
    now = loop.time()
    loop.call_at(now + 5e-10, show, loop, 'now + 0.5 ns')
    loop.call_at(now + 2e-9, show, loop, 'now + 2 ns')
    loop.call_at(now, show, loop, 'now')
    loop.call_soon(show, loop, 'soon')
    await asyncio.sleep(0.001)
    print('time', loop.time())

asyncio.run(main())
