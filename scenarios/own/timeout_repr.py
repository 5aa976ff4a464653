import asyncio

async def main():
    t = asyncio.timeout(1)
    print(t)
    async with t:
        print(t)
        await asyncio.sleep(0.5)
    print(t)
    try:
        async with asyncio.timeout(0.1) as t2:
            await asyncio.sleep(1)
    except TimeoutError:
        print(t2)
    async with asyncio.timeout_at(asyncio.get_running_loop().time() + 5) as t3:
        print(t3.when())

asyncio.run(main())
