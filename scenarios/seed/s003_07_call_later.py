# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 5 call_later.
# Completed: callbacks after given delays, one cancelled through its TimerHandle.
import asyncio

def cb(name, loop):
    print(name, 'at', loop.time())

async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(2, cb, 'two', loop)
    h = loop.call_later(1.5, cb, 'cancelled', loop)
    loop.call_later(1, cb, 'one', loop)
    loop.call_later(0, cb, 'zero', loop)
    print('when:', h.when(), 'cancelled:', h.cancelled())
    h.cancel()
    print('cancelled:', h.cancelled())
    await asyncio.sleep(3)

asyncio.run(main())
