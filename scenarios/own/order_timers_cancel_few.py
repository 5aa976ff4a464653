# The same 150 equal-deadline timers with only 40 cancelled: no purge happens, the
# cancelled handles are dropped when they reach the top of the heap.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    t = loop.time() + 1
    handles = [loop.call_at(t, print, 'timer', i) for i in range(150)]
    for i, h in enumerate(handles):
        if i % 15 < 4:
            h.cancel()
    await asyncio.sleep(2)

asyncio.run(main())
