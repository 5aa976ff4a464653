# An ExceptionGroup from a TaskGroup that nobody catches ends the program (exit 1);
# the last line of the traceback names the group.
import asyncio

async def bad():
    await asyncio.sleep(0.1)
    1 / 0

async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(bad())
        tg.create_task(asyncio.sleep(1))
    print('not reached')

asyncio.run(main())
