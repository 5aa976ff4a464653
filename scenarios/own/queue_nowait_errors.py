# get_nowait on an empty queue raises QueueEmpty, put_nowait on a full one QueueFull;
# task_done() called too often raises ValueError.
import asyncio

async def main():
    q = asyncio.Queue(1)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print('QueueEmpty')
    q.put_nowait('a')
    try:
        q.put_nowait('b')
    except asyncio.QueueFull:
        print('QueueFull')
    print(q.get_nowait())
    q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        print('ValueError:', e)

asyncio.run(main())
