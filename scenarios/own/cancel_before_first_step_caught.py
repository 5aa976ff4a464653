# A task cancelled before its first step: the coroutine is entered with the
# CancelledError thrown at its start, so even a try/except in its body does not see it.
import asyncio

async def child():
    try:
        print('body')
    except asyncio.CancelledError:
        print('caught inside?')
    return 'value'

async def main():
    t = asyncio.create_task(child())
    t.cancel()
    await asyncio.sleep(0)
    print(t.done(), t.cancelled())

asyncio.run(main())
