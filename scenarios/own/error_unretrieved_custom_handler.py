import asyncio

async def main():
    loop = asyncio.get_running_loop()
    def handler(loop, ctx):
        print("handler:", ctx["message"], repr(ctx.get("exception")))
    loop.set_exception_handler(handler)
    def bad():
        raise ValueError("in callback")
    loop.call_soon(bad)
    await asyncio.sleep(0)
    async def boom():
        raise OSError("os")
    t = asyncio.create_task(boom())
    await asyncio.sleep(0)
    print(t.done())
    loop.call_exception_handler({"message": "custom"})
    print("ok")

asyncio.run(main())
