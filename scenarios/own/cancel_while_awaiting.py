# Cancelling a task that awaits a sleep cancels the sleep's future; the task sees
# CancelledError at its await in the next iteration, and its finally block runs.
import asyncio

async def child():
    try:
        print('child sleeping')
        await asyncio.sleep(10)
        print('not reached')
    finally:
        print('child finally at', asyncio.get_running_loop().time())

async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(1)
    t.cancel()
    print('cancel requested; done yet?', t.done())
    await asyncio.sleep(0)
    print('after one iteration: done', t.done(), 'cancelled', t.cancelled())

asyncio.run(main())
