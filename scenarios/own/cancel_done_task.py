# cancel() on a finished task returns False and changes nothing; on a pending one
# it returns True. A cancelled Future's callbacks run.
import asyncio

async def quick():
    return 'quick'

async def main():
    t = asyncio.create_task(quick())
    await t
    print('cancel finished task:', t.cancel(), t.result())
    fut = asyncio.get_running_loop().create_future()
    fut.add_done_callback(lambda f: print('callback: cancelled =', f.cancelled()))
    print('cancel pending future:', fut.cancel(), fut.cancel())
    await asyncio.sleep(0)
    print('exception() of cancelled future:')
    try:
        fut.exception()
    except asyncio.CancelledError:
        print('  raises CancelledError')

asyncio.run(main())
