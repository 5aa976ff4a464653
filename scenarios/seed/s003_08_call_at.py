# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 5 call_at.
# Completed: callbacks at absolute loop times (loop.time() + offset).
import asyncio

def cb(name, loop):
    print(name, 'at', loop.time())

async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0.1)
    now = loop.time()
    loop.call_at(now + 0.2, cb, 'now+0.2', loop)
    loop.call_at(now + 0.1, cb, 'now+0.1', loop)
    loop.call_at(now - 1, cb, 'in the past', loop)
    loop.call_soon(cb, 'soon', loop)
    await asyncio.sleep(0.5)

asyncio.run(main())
