import asyncio

async def main():
    q = asyncio.Queue()
    print(q)
    for i in range(3):
        q.put_nowait(i * 1.5)
    print(q)
    q.get_nowait(); q.task_done()
    print(q)
    pq = asyncio.PriorityQueue(maxsize=5)
    for x in [5, 1, 4, 2]:
        await pq.put((x, f"job{x}"))
    print(pq)
    lq = asyncio.LifoQueue()
    lq.put_nowait("a"); lq.put_nowait("b")
    print(lq, str(lq))
    e = asyncio.Queue()
    t = asyncio.create_task(e.get())
    await asyncio.sleep(0)
    print(e)
    t.cancel()
    await asyncio.sleep(0)
    print(e)
    full = asyncio.Queue(1)
    full.put_nowait(1)
    t2 = asyncio.create_task(full.put(2))
    await asyncio.sleep(0)
    print(full)
    print(full.get_nowait(), full)
    await t2
    print(full, full.qsize())
    print(f"{q!s}")

asyncio.run(main())
