# The default executor has min(32, cpu_count + 4) = 8 workers here: of 10 one-second
# jobs, 8 run at once and the last 2 start when workers free up.
import asyncio
import time

def job(i):
    start = time.time()
    time.sleep(1)
    return (i, start, time.time())

async def main():
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(*(loop.run_in_executor(None, job, i) for i in range(10)))
    for r in results:
        print(r)

asyncio.run(main())
