# stop() called before run_forever makes it run exactly one iteration.
import asyncio

loop = asyncio.new_event_loop()
loop.call_soon(print, 'first')
loop.call_soon(lambda: loop.call_soon(print, 'second iteration'))
loop.stop()
loop.run_forever()
print('returned; time', loop.time())
loop.run_until_complete(asyncio.sleep(0))
print('is_running', loop.is_running())
loop.close()
