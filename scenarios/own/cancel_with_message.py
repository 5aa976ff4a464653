# cancel(msg) passes a message into the CancelledError the coroutine sees and the
# one raised to whoever awaits the task.
import asyncio

async def child():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError as e:
        print('child sees args', e.args)
        raise

async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel('停止: shutting down')
    try:
        await t
    except asyncio.CancelledError as e:
        print('main sees args', e.args)
    try:
        t.result()
    except asyncio.CancelledError as e:
        print('result() raises with args', e.args)

asyncio.run(main())
