# Releasing an unlocked Lock raises RuntimeError; a cancelled waiter is removed
# from the queue and the next waiter gets the lock.
import asyncio

async def holder(lock):
    async with lock:
        await asyncio.sleep(1)

async def waiter(lock, name):
    try:
        async with lock:
            print(name, 'acquired at', asyncio.get_running_loop().time())
    except asyncio.CancelledError:
        print(name, 'cancelled while waiting')
        raise

async def main():
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        print('RuntimeError:', e)
    h = asyncio.create_task(holder(lock))
    await asyncio.sleep(0)
    w1 = asyncio.create_task(waiter(lock, 'w1'))
    w2 = asyncio.create_task(waiter(lock, 'w2'))
    await asyncio.sleep(0.5)
    w1.cancel()
    await asyncio.gather(h, w1, w2, return_exceptions=True)

asyncio.run(main())
