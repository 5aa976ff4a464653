# Seed 001 (zhihu 一份详细的asyncio入门教程), section 异步方法: await inside async def is OK.
# Completed: async_double from the previous example and a run of print_double(5).
import asyncio

async def async_double(x):
    return 2 * x

async def print_double(x):
    print(await async_double(x)) # <-- OK!

asyncio.run(print_double(5))
