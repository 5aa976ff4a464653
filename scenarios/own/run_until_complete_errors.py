# run_until_complete re-raises the future's exception; a Future from another loop is
# rejected; run_until_complete from inside the running loop is refused.
import asyncio

async def fails():
    await asyncio.sleep(0.1)
    raise LookupError('not found')

async def reenter(loop):
    coro = asyncio.sleep(0)
    try:
        loop.run_until_complete(coro)
    except RuntimeError as e:
        print('RuntimeError:', e)
    coro.close()

loop = asyncio.new_event_loop()
try:
    loop.run_until_complete(fails())
except LookupError as e:
    print('LookupError:', e, 'at', loop.time())
loop.run_until_complete(reenter(loop))
other = asyncio.new_event_loop()
fut = other.create_future()
try:
    loop.run_until_complete(fut)
except ValueError as e:
    print('ValueError:', e)
other.close()
loop.close()
