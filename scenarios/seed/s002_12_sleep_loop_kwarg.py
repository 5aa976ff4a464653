# Seed 002 (UBeaRLy asyncio notes), section 其他: Sleep, signature
# `asyncio.sleep(delay, result=None, *, loop=None)`. Completed, keeping the document's
# loop parameter: it was removed in 3.10, so CPython 3.11 raises TypeError (exit 1).
import asyncio

async def main():
    print(await asyncio.sleep(0.5, result='ok'))
    loop = asyncio.get_running_loop()
    print(await asyncio.sleep(0.5, result='with loop', loop=loop))

asyncio.run(main())
