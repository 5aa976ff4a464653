# Seven timers with the same deadline: CPython pops them from a binary heap of
# TimerHandles compared only by `when`, so the order is heapq's, not FIFO.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    t = loop.time() + 1
    for i in range(7):
        loop.call_at(t, print, 'timer', i)
    await asyncio.sleep(2)

asyncio.run(main())
