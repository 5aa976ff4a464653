# LifoQueue returns the newest item first; PriorityQueue the smallest (tuples
# compare element by element).
import asyncio

async def main():
    lq = asyncio.LifoQueue()
    pq = asyncio.PriorityQueue()
    for item in (3, 1, 4, 1, 5):
        await lq.put(item)
    for item in ((2, 'b'), (1, 'z'), (2, 'a'), (0, '零')):
        await pq.put(item)
    print('lifo:', [lq.get_nowait() for _ in range(lq.qsize())])
    print('priority:', [pq.get_nowait() for _ in range(pq.qsize())])

asyncio.run(main())
