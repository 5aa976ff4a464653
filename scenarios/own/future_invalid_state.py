# Future API misuse: result() or exception() before done raises InvalidStateError;
# set_result twice or after cancel raises InvalidStateError too.
import asyncio

async def main():
    fut = asyncio.get_running_loop().create_future()
    for name in ('result', 'exception'):
        try:
            getattr(fut, name)()
        except asyncio.InvalidStateError as e:
            print(name, '-> InvalidStateError:', e)
    fut.set_result(1)
    try:
        fut.set_result(2)
    except asyncio.InvalidStateError as e:
        print('set_result twice -> InvalidStateError:', e)
    print(fut.result())
    c = asyncio.get_running_loop().create_future()
    c.cancel()
    try:
        c.set_exception(ValueError())
    except asyncio.InvalidStateError as e:
        print('set_exception after cancel ->', e)
    d = asyncio.get_running_loop().create_future()
    try:
        d.set_exception(StopIteration())
    except Exception as e:
        print(type(e).__name__, e)

asyncio.run(main())
