# ensure_future wraps a coroutine in a Task, returns a Future or Task unchanged and
# rejects anything not awaitable with TypeError.
import asyncio

async def coro():
    return 'from coroutine'

async def main():
    t = asyncio.ensure_future(coro())
    print(type(t).__name__, await t)
    fut = asyncio.get_running_loop().create_future()
    print(asyncio.ensure_future(fut) is fut, asyncio.ensure_future(t) is t)
    fut.set_result(None)
    try:
        asyncio.ensure_future(42)
    except TypeError as e:
        print('TypeError:', e)
    c = coro()
    print(asyncio.iscoroutine(c), asyncio.iscoroutinefunction(coro), asyncio.isfuture(fut))
    c.close()

asyncio.run(main())
