# Virtual threads waking at the same instant resume in the order they went to sleep;
# their results reach the loop in that order.
import asyncio
import time

def job(name, first, second):
    time.sleep(first)
    print(name, 'first wake at', time.monotonic())
    time.sleep(second)
    print(name, 'second wake at', time.monotonic())
    return name

async def main():
    loop = asyncio.get_running_loop()
    futs = [loop.run_in_executor(None, job, 'A', 1.0, 0.5),
            loop.run_in_executor(None, job, 'B', 0.5, 1.0),
            loop.run_in_executor(None, job, 'C', 1.0, 0.5)]
    for f in asyncio.as_completed(futs):
        print('loop got', await f, 'at', loop.time())

asyncio.run(main())
