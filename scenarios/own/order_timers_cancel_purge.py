# With more than 100 timers scheduled and over half of them cancelled, _run_once
# rebuilds the heap from the live timers and heapifies it: the order of the
# surviving equal-deadline timers changes compared to plain pops.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    t = loop.time() + 1
    handles = [loop.call_at(t, print, 'timer', i) for i in range(150)]
    for i, h in enumerate(handles):
        if i % 10 < 7:
            h.cancel()
    await asyncio.sleep(2)

asyncio.run(main())
