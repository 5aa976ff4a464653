# remove_done_callback removes every registration of that callback and returns the
# count; callbacks receive the future; functools.partial adds arguments.
import asyncio
import functools

def report(tag, fut):
    print(tag, fut.result())

async def main():
    fut = asyncio.get_running_loop().create_future()
    a = functools.partial(report, 'a')
    b = functools.partial(report, 'b')
    fut.add_done_callback(a)
    fut.add_done_callback(b)
    fut.add_done_callback(a)
    print('removed', fut.remove_done_callback(a))
    print('removed again', fut.remove_done_callback(a))
    fut.set_result('value')
    print('removed after set', fut.remove_done_callback(b))
    await asyncio.sleep(0)
    print('end')

asyncio.run(main())
