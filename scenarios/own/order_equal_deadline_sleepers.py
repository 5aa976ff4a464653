# Eight tasks sleeping until the same instant wake in the heap's order of their
# sleep timers, not in creation order.
import asyncio

async def sleeper(i):
    await asyncio.sleep(1)
    print('woke', i)

async def main():
    await asyncio.gather(*(sleeper(i) for i in range(8)))

asyncio.run(main())
