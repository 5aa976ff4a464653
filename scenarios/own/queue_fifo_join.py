# Queue: FIFO; join() returns when task_done() has been called for every item put.
import asyncio

async def worker(name, q):
    while True:
        item = await q.get()
        await asyncio.sleep(item)
        print(name, 'processed', item, 'at', asyncio.get_running_loop().time())
        q.task_done()

async def main():
    q = asyncio.Queue()
    for d in (0.3, 0.1, 0.2, 0.4):
        q.put_nowait(d)
    workers = [asyncio.create_task(worker(f'w{i}', q)) for i in range(2)]
    await q.join()
    print('all processed; empty', q.empty(), 'at', asyncio.get_running_loop().time())
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)

asyncio.run(main())
