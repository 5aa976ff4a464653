# A timer callback that schedules call_later(0) or call_at(now): the new timers are
# only picked up by the next iteration, after the timers already due now.
import asyncio

def first(loop):
    print('first at', loop.time())
    loop.call_later(0, print, 'call_later(0) from first')
    loop.call_at(loop.time(), print, 'call_at(now) from first')
    loop.call_soon(print, 'call_soon from first')

async def main():
    loop = asyncio.get_running_loop()
    t = loop.time() + 1
    loop.call_at(t, first, loop)
    loop.call_at(t, print, 'second timer at t')
    loop.call_at(t, print, 'third timer at t')
    await asyncio.sleep(1.5)

asyncio.run(main())
