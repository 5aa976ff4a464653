# time.sleep on the loop thread blocks everything: timers due meanwhile all fire
# late, in deadline order, after the blocking step finishes.
import asyncio
import time

async def blocker():
    print('blocker: time.sleep(2) at', time.time())
    time.sleep(2)
    print('blocker: awake at', time.time())

async def main():
    loop = asyncio.get_running_loop()
    for d in (1.5, 0.5, 1.0):
        loop.call_later(d, lambda d=d: print(f'timer {d} fired at {loop.time()}'))
    await asyncio.create_task(blocker())
    await asyncio.sleep(0)
    print('main at', loop.time())

asyncio.run(main())
