# set_exception: await raises it, result() raises it, exception() returns it; an
# exception class is instantiated; done() and cancelled() report the state.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(0.5, fut.set_exception, KeyError)
    try:
        await fut
    except KeyError as e:
        print('await raised', repr(e))
    print(repr(fut.exception()), fut.done(), fut.cancelled())
    try:
        fut.result()
    except KeyError:
        print('result() raised KeyError too')
    print(fut)

asyncio.run(main())
