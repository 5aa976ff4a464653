# A future's done-callbacks are scheduled with call_soon in registration order when
# it completes; a callback added after completion is scheduled at once.
import asyncio

def cb(tag):
    def inner(fut):
        print('callback', tag, fut.result())
    return inner

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    for tag in 'abc':
        fut.add_done_callback(cb(tag))
    loop.call_soon(print, 'soon before set_result')
    fut.set_result(1)
    loop.call_soon(print, 'soon after set_result')
    fut.add_done_callback(cb('late'))
    print('set_result returned')
    await asyncio.sleep(0)
    print('main resumes')

asyncio.run(main())
