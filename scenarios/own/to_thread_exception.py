# An exception raised in a to_thread function is re-raised in the awaiting
# coroutine; other jobs are unaffected.
import asyncio
import time

def risky(n):
    time.sleep(n)
    if n > 1:
        raise ValueError(f'too slow: {n}')
    return n

async def main():
    res = await asyncio.gather(asyncio.to_thread(risky, 1), asyncio.to_thread(risky, 2),
                               return_exceptions=True)
    print(res, time.time())
    try:
        await asyncio.to_thread(risky, 1.5)
    except ValueError as e:
        print('caught', e, 'at', time.time())

asyncio.run(main())
