# Nested gathers: results keep argument order at every level; children start in the
# order their tasks were created.
import asyncio

async def leaf(name, d):
    print('start', name)
    await asyncio.sleep(d)
    print('end', name)
    return name

async def main():
    res = await asyncio.gather(
        asyncio.gather(leaf('a1', 0.3), leaf('a2', 0.1)),
        leaf('b', 0.2),
        asyncio.gather(leaf('c1', 0.1), asyncio.gather(leaf('c2', 0.0))))
    print(res)

asyncio.run(main())
