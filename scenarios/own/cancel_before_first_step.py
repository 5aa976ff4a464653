# A task cancelled before its first step never runs its body: the CancelledError is
# thrown into the coroutine at its first step, so not even the first print happens.
import asyncio

async def child():
    print('child body runs')
    return 1

async def main():
    t = asyncio.create_task(child())
    print('cancel:', t.cancel())
    print('cancelling:', t.cancelling(), 'done:', t.done())
    try:
        await t
    except asyncio.CancelledError:
        print('awaiting it raised CancelledError')
    print('cancelled:', t.cancelled())

asyncio.run(main())
