# Seed 002 (UBeaRLy asyncio notes), section wait(aws, timeout, return_when).
# Completed: FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED and a timeout that does
# not raise. Sets are printed as sorted names.
import asyncio

async def job(d, fail=False):
    await asyncio.sleep(d)
    if fail:
        raise RuntimeError(f'job {d} failed')
    return d

def names(s):
    return sorted(t.get_name() for t in s)

async def main():
    mk = lambda d, f=False: asyncio.create_task(job(d, f), name=f'job{d}')
    done, pending = await asyncio.wait([mk(3), mk(1), mk(2)], return_when=asyncio.FIRST_COMPLETED)
    print('FIRST_COMPLETED', names(done), names(pending))
    done, pending = await asyncio.wait([mk(4), mk(5, True), mk(6)], return_when=asyncio.FIRST_EXCEPTION)
    print('FIRST_EXCEPTION', names(done), names(pending))
    done, pending = await asyncio.wait(pending | {mk(7)}, return_when=asyncio.ALL_COMPLETED)
    print('ALL_COMPLETED', names(done), names(pending))
    done, pending = await asyncio.wait([mk(10)], timeout=1)
    print('timeout', names(done), names(pending), asyncio.get_running_loop().time())

asyncio.run(main())
