# Equal deadlines mixed with earlier and later ones: every pop moves the last heap
# item to the root and sifts, which reshuffles the equal-deadline timers.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    base = loop.time()
    for i in range(12):
        when = base + (1.0 if i % 3 else 0.5 + i * 0.1)
        loop.call_at(when, print, f'timer {i:2d} when={when:.1f}')
    await asyncio.sleep(3)
    print('end at', loop.time())

asyncio.run(main())
