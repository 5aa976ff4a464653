# The purge of cancelled timers needs more than 100 scheduled timers (main's own
# sleep timer included): 100 timers with 60 cancelled are popped one by one, 102 with
# 62 cancelled are rebuilt and heapified, so the survivors come out in another order.
import asyncio

async def batch(loop, label, n, cancel):
    t = loop.time() + 1
    hs = [loop.call_at(t, print, label, i) for i in range(n)]
    for h in hs[:cancel]:
        h.cancel()
    await asyncio.sleep(2)

async def main():
    loop = asyncio.get_running_loop()
    await batch(loop, '100/60', 99, 60)
    await batch(loop, '102/62', 101, 62)

asyncio.run(main())
