import asyncio

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(asyncio.sleep(1, "r"), name="sleeper")
    await asyncio.sleep(0)
    print(t)
    w = asyncio.ensure_future(asyncio.wait_for(t, 5))
    await asyncio.sleep(0)
    print(w)
    g = asyncio.gather(t)
    print(g)
    await asyncio.sleep(0)
    print(t)
    await g
    s = asyncio.create_task(asyncio.sleep(0.5))
    a = asyncio.create_task(asyncio.wait([s], timeout=2))
    await asyncio.sleep(0)
    print(a)
    print(s)
    await a
    w2 = asyncio.create_task(asyncio.wait_for(asyncio.sleep(3), 0.5))
    await asyncio.sleep(0.6)
    print(w2)
    try:
        await w2
    except TimeoutError:
        print("timeout")
    print(w2)

asyncio.run(main())
