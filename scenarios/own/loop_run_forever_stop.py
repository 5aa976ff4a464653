# loop.stop() lets the current iteration finish: callbacks already in the ready
# queue still run; run_forever can be called again and continues where it left off.
import asyncio

def cb(loop, n):
    print('cb', n, 'at', loop.time())
    if n == 1:
        loop.stop()
        loop.call_soon(print, 'scheduled after stop')

loop = asyncio.new_event_loop()
loop.call_soon(cb, loop, 1)
loop.call_soon(cb, loop, 2)
loop.call_later(1, cb, loop, 3)
loop.call_later(2, loop.stop)
loop.run_forever()
print('first run_forever returned at', loop.time())
loop.run_forever()
print('second run_forever returned at', loop.time())
loop.close()
