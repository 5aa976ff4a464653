# Two workers share a queue and a lock; timers with equal deadlines tie in the heap.
import asyncio

async def worker(name, q, lock):
    while True:
        job = await q.get()
        async with lock:
            print(f'{name} takes {job}')
            await asyncio.sleep(0.5)
        q.task_done()

async def main():
    q = asyncio.Queue()
    lock = asyncio.Lock()
    loop = asyncio.get_running_loop()
    for i in range(3):
        loop.call_later(1.0, print, 'tick', i)   # three timers, one deadline
    workers = [asyncio.create_task(worker(f'w{k}', q, lock)) for k in range(2)]
    for job in ['a', 'b', 'c']:
        await q.put(job)
    await q.join()
    for w in workers:
        w.cancel()
    print('done')

asyncio.run(main())
