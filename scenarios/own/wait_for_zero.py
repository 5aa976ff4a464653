# wait_for(timeout=0): a future already done gives its result; anything else is
# cancelled at once and TimeoutError raised (the coroutine never starts).
import asyncio

async def never_started():
    print('this does not print')

async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    done.set_result('ready')
    print(await asyncio.wait_for(done, timeout=0))
    try:
        await asyncio.wait_for(never_started(), timeout=0)
    except asyncio.TimeoutError:
        print('TimeoutError at', loop.time())
    t = asyncio.create_task(asyncio.sleep(1))
    try:
        await asyncio.wait_for(t, timeout=0)
    except asyncio.TimeoutError:
        print('task cancelled?', t.cancelled())

asyncio.run(main())
