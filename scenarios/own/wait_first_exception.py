# wait(FIRST_EXCEPTION) returns when a task raises; with no exception it behaves
# like ALL_COMPLETED. The failed task's exception stays retrievable.
import asyncio

async def job(d, fail):
    await asyncio.sleep(d)
    if fail:
        raise KeyError(d)
    return d

async def main():
    ts = [asyncio.create_task(job(d, d == 2), name=f't{d}') for d in (1, 2, 3)]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    print(sorted(t.get_name() for t in done), sorted(t.get_name() for t in pending))
    print('exception:', repr(ts[1].exception()))
    ok = [asyncio.create_task(job(d, False)) for d in (1, 2)]
    done, pending = await asyncio.wait(ok, return_when=asyncio.FIRST_EXCEPTION)
    print(len(done), len(pending), asyncio.get_running_loop().time())
    await ts[2]

asyncio.run(main())
