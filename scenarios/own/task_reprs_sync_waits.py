import asyncio

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    h = loop.call_later(1, f.set_result, None)
    t = asyncio.create_task(asyncio.wait_for(f, 5))
    await asyncio.sleep(0)
    hs = [h]
    print(h)
    sem = asyncio.Semaphore(0)
    st = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    print(st)
    print(repr(sem)[-20:])
    sem.release()
    await st
    c = asyncio.Condition()
    async def cw():
        async with c:
            await c.wait()
    ct = asyncio.create_task(cw())
    await asyncio.sleep(0)
    print(ct)
    async with c:
        c.notify_all()
    await ct
    await t
    pq = asyncio.Queue(1)
    pq.put_nowait(0)
    pt = asyncio.create_task(pq.put(1))
    await asyncio.sleep(0)
    print(pt)
    pq.get_nowait()
    await pt
    jt = asyncio.create_task(pq.join())
    await asyncio.sleep(0)
    print(jt)
    pq.get_nowait(); pq.task_done(); pq.task_done()
    await jt

asyncio.run(main())
