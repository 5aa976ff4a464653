# Seed 002 (UBeaRLy asyncio notes), section gather, signature written
# `gather(*aws, return_exception=False)`. Completed, keeping the misspelt keyword:
# CPython 3.11 raises TypeError for the unknown argument (exit 1).
import asyncio

async def fail():
    await asyncio.sleep(0.1)
    raise ValueError('失败')

async def main():
    t1 = asyncio.create_task(fail())
    t2 = asyncio.create_task(asyncio.sleep(0.2, result='ok'))
    print(await asyncio.gather(t1, t2, return_exceptions=True))
    t3 = asyncio.create_task(fail())
    print(await asyncio.gather(t3, return_exception=True))

asyncio.run(main())
