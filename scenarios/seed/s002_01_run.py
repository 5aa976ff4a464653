# Seed 002 (UBeaRLy asyncio notes), section asyncio.run(coro, *, debug=False).
# Completed: the document gives the signature; run returns the coroutine's result,
# and a second run() works because each call makes and closes its own loop.
import asyncio

async def compute(x):
    await asyncio.sleep(1)
    return x * x

print(asyncio.run(compute(3)))
print(asyncio.run(compute(4), debug=False))

async def nested():
    coro = compute(5)
    try:
        asyncio.run(coro)
    except RuntimeError as e:
        print('RuntimeError:', e)
    return await coro

print(asyncio.run(nested()))
