# A timer that is already due is moved to the ready queue behind the callbacks that
# were already there when the iteration began.
import asyncio
import time

async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.5, print, 'timer 0.5')
    time.sleep(1)  # blocks the loop: the timer is overdue
    loop.call_soon(print, 'soon 1')
    loop.call_soon(print, 'soon 2')
    loop.call_later(-1, print, 'later -1')
    await asyncio.sleep(0)
    print('main after sleep(0) at', loop.time())
    await asyncio.sleep(0.1)

asyncio.run(main())
