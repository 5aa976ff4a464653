# A SyntaxError is reported before anything runs: nothing is printed, exit 1.
import asyncio

print('never printed')

async def main():
    x = [1, 2
    await asyncio.sleep(0)

asyncio.run(main())
