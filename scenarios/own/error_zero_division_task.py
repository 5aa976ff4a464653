# An uncaught ZeroDivisionError in a task awaited by main propagates out of
# asyncio.run: traceback on stderr and exit status 1.
import asyncio

async def divide(a, b):
    await asyncio.sleep(0.1)
    print('dividing', a, 'by', b)
    return a / b

async def main():
    print(await asyncio.create_task(divide(1, 2)))
    print(await asyncio.create_task(divide(1, 0)))
    print('not reached')

asyncio.run(main())
