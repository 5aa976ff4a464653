import asyncio

async def main():
    c = asyncio.Condition()
    flag = []
    async def cw():
        async with c:
            await c.wait_for(lambda: flag)
    ct = asyncio.create_task(cw())
    await asyncio.sleep(0)
    print(ct)
    flag.append(1)
    async with c:
        c.notify_all()
    await ct
    async def grp():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(asyncio.sleep(0.5))
    gt = asyncio.create_task(grp())
    await asyncio.sleep(0.1)
    print(gt)
    await gt
    async def ac():
        for f in asyncio.as_completed([asyncio.sleep(0.2, "x")]):
            print(await f)
    at = asyncio.create_task(ac())
    await asyncio.sleep(0.1)
    print(at)
    await at

asyncio.run(main())
