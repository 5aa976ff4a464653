# An executor job that sleeps several times interleaves with loop timers: it
# resumes exactly at each wake time.
import asyncio
import time

def job(name, steps):
    for d in steps:
        time.sleep(d)
        print(f'{name} after sleep({d}) at {time.monotonic()}')
    return name

async def ticker():
    for i in range(4):
        await asyncio.sleep(0.5)
        print('tick at', time.monotonic())

async def main():
    loop = asyncio.get_running_loop()
    r = await asyncio.gather(
        loop.run_in_executor(None, job, 'A', [0.25, 0.5, 0.75]),
        loop.run_in_executor(None, job, 'B', [1.0, 0.1]),
        ticker())
    print(r)

asyncio.run(main())
