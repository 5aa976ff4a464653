# A bounded Queue blocks put() when full; the putter resumes when a get() frees a
# slot.
import asyncio

async def producer(q):
    for i in range(5):
        print('put', i, 'full?', q.full())
        await q.put(i)
        print('put', i, 'done at', asyncio.get_running_loop().time())

async def consumer(q):
    for _ in range(5):
        await asyncio.sleep(1)
        print('got', await q.get())

async def main():
    q = asyncio.Queue(maxsize=2)
    await asyncio.gather(producer(q), consumer(q))
    print('qsize', q.qsize(), 'maxsize', q.maxsize)

asyncio.run(main())
