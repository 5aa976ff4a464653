# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 3 生命周期.
# Completed: run_until_complete, run_forever + stop, is_running, is_closed,
# shutdown_asyncgens and close, in the order the table lists them.
import asyncio

async def work():
    loop = asyncio.get_running_loop()
    print('is_running inside:', loop.is_running())
    await asyncio.sleep(1)
    return 'work done'

async def agen():
    try:
        for i in range(3):
            yield i
    finally:
        print('asyncgen finalized')

async def use_agen():
    async for v in agen():
        print('agen', v)
        break

loop = asyncio.new_event_loop()
print(loop.run_until_complete(work()))
print('is_running after:', loop.is_running(), 'is_closed:', loop.is_closed())
loop.call_later(2, loop.stop)
loop.run_forever()
print('stopped at', loop.time())
loop.run_until_complete(use_agen())
loop.run_until_complete(loop.shutdown_asyncgens())
loop.close()
print('is_closed:', loop.is_closed())
try:
    loop.run_until_complete(work())
except RuntimeError as e:
    print('RuntimeError:', e)
