import asyncio

async def sleeper(d):
    await asyncio.sleep(d)
    return d

async def main():
    t = asyncio.create_task(sleeper(1), name="inner")
    await asyncio.sleep(0)
    s = asyncio.shield(t)
    print(t)
    print(s)
    s.cancel()
    await asyncio.sleep(0)
    print(s.cancelled(), t)
    print(await t)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    s2 = asyncio.shield(f)
    print(f)
    f.set_result(1)
    print(await s2)

asyncio.run(main())
