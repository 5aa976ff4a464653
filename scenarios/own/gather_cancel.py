# Cancelling a gather cancels every child still running; the gather then raises
# CancelledError to its awaiter (and reports cancelled() False: it holds the error
# as an exception).
import asyncio

async def job(name, d):
    try:
        await asyncio.sleep(d)
        print(name, 'finished')
    except asyncio.CancelledError:
        print(name, 'cancelled')
        raise

async def main():
    g = asyncio.gather(job('fast', 0.5), job('slow1', 2), job('slow2', 3))
    await asyncio.sleep(1)
    print('cancel gather ->', g.cancel())
    try:
        await g
    except asyncio.CancelledError:
        print('main: gather raised CancelledError')
    print('g.cancelled()', g.cancelled(), 'g.done()', g.done())

asyncio.run(main())
