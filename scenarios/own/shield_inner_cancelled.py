# If the shielded task itself is cancelled, the shield's outer future is cancelled
# too; shield of a coroutine wraps it in a task.
import asyncio

async def work():
    await asyncio.sleep(5)
    return 'never'

async def main():
    inner = asyncio.create_task(work())
    sh = asyncio.shield(inner)
    asyncio.get_running_loop().call_later(1, inner.cancel)
    try:
        await sh
    except asyncio.CancelledError:
        print('shield raised CancelledError; sh.cancelled() =', sh.cancelled())
    print(await asyncio.shield(asyncio.sleep(0.5, result='coroutine shielded')))
    done = asyncio.get_running_loop().create_future()
    done.set_result(7)
    print('shield of a done future is itself:', asyncio.shield(done) is done)

asyncio.run(main())
