import asyncio

async def main():
    loop = asyncio.get_running_loop()
    print(loop.is_running(), loop.is_closed(), loop.get_debug())
    loop.set_debug(False)
    f = asyncio.run_coroutine_threadsafe
    fut = loop.run_in_executor(None, sum, [1, 2, 3])
    print(fut)
    print(await fut)
    print(fut)

asyncio.run(main())
