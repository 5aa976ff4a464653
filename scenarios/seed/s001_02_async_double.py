# Seed 001 (zhihu 一份详细的asyncio入门教程), section 异步方法: an async function.
# Completed: the document gives the def; the text's `await async_double(3)` is run,
# and calling it without await shows it only makes a coroutine object.
import asyncio

async def async_double(x):
    return 2 * x

async def main():
    print(await async_double(3))
    coro = async_double(4)
    print(type(coro).__name__)
    print(await coro)

asyncio.run(main())
