# Seed 002 (UBeaRLy asyncio notes), section wait, signature written
# `asyncio.wait(aws, *, timeout=None, return_when=ALL_COMPELTED)`. Completed, keeping
# the misspelt constant: AttributeError (exit 1).
import asyncio

async def main():
    t = asyncio.create_task(asyncio.sleep(0.1, result='x'))
    done, pending = await asyncio.wait([t], return_when=asyncio.ALL_COMPLETED)
    print(len(done), len(pending))
    done, pending = await asyncio.wait([t], return_when=asyncio.ALL_COMPELTED)

asyncio.run(main())
