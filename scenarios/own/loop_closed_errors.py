# A closed loop refuses new work with RuntimeError; closing a running loop is an
# error too; close() is idempotent.
import asyncio

async def try_close(loop):
    try:
        loop.close()
    except RuntimeError as e:
        print('RuntimeError:', e)

loop = asyncio.new_event_loop()
loop.run_until_complete(try_close(loop))
loop.close()
loop.close()
for what, fn in [('call_soon', lambda: loop.call_soon(print)),
                 ('call_later', lambda: loop.call_later(1, print)),
                 ('run_forever', loop.run_forever)]:
    try:
        fn()
    except RuntimeError as e:
        print(what, '->', e)
coro = asyncio.sleep(0)
try:
    loop.run_until_complete(coro)
except RuntimeError as e:
    print('run_until_complete ->', e)
coro.close()
