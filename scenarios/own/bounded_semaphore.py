# BoundedSemaphore raises ValueError when released more times than acquired; a plain
# Semaphore just grows.
import asyncio

async def main():
    s = asyncio.Semaphore(1)
    s.release()
    print('Semaphore released past its start: locked?', s.locked())
    await s.acquire()
    await s.acquire()
    print('acquired twice; locked?', s.locked())
    b = asyncio.BoundedSemaphore(2)
    await b.acquire()
    b.release()
    try:
        b.release()
    except ValueError as e:
        print('ValueError:', e)

asyncio.run(main())
