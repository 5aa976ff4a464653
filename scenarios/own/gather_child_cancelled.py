# A child cancelled from outside makes the gather raise CancelledError (without
# return_exceptions) or appear as a CancelledError in the results (with it).
import asyncio

async def job(d):
    await asyncio.sleep(d)
    return d

async def main():
    t1 = asyncio.create_task(job(1))
    t2 = asyncio.create_task(job(2))
    asyncio.get_running_loop().call_later(0.5, t1.cancel)
    res = await asyncio.gather(t1, t2, return_exceptions=True)
    print([type(r).__name__ for r in res])
    t3 = asyncio.create_task(job(1))
    t4 = asyncio.create_task(job(2))
    asyncio.get_running_loop().call_later(0.5, t3.cancel)
    try:
        await asyncio.gather(t3, t4)
    except asyncio.CancelledError:
        print('gather raised CancelledError; t4 still running:', not t4.done())
    print(await t4, asyncio.get_running_loop().time())

asyncio.run(main())
