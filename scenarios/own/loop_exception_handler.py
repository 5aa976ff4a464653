# An exception in a plain callback does not stop the loop: it goes to the exception
# handler (set_exception_handler) and the loop carries on.
import asyncio

def bad_callback():
    raise ValueError('oops in callback')

def handler(loop, context):
    print('handler got:', context['message'], '|', repr(context.get('exception')))

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    print('handler installed:', loop.get_exception_handler() is handler)
    loop.call_soon(bad_callback)
    loop.call_soon(print, 'next callback still runs')
    await asyncio.sleep(0.1)
    loop.call_exception_handler({'message': 'custom message'})
    print('done')

asyncio.run(main())
