# wait() with a timeout returns (done, pending) when time is up and does not cancel
# anything; a timeout of 0 just polls.
import asyncio

async def job(d):
    await asyncio.sleep(d)
    return d

async def main():
    loop = asyncio.get_running_loop()
    ts = [asyncio.create_task(job(d)) for d in (0.5, 1.5, 2.5)]
    done, pending = await asyncio.wait(ts, timeout=1)
    print(sorted(t.result() for t in done), len(pending), loop.time())
    done, pending = await asyncio.wait(ts, timeout=0)
    print(len(done), len(pending), loop.time())
    done, pending = await asyncio.wait(ts)
    print(sorted(t.result() for t in done), len(pending), loop.time())
    try:
        await asyncio.wait([])
    except ValueError as e:
        print('ValueError:', e)

asyncio.run(main())
