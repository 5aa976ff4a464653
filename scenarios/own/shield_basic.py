# shield: cancelling the awaiter raises CancelledError in it, but the shielded task
# keeps running and its result can be collected later.
import asyncio

async def precious():
    await asyncio.sleep(2)
    print('precious finished at', asyncio.get_running_loop().time())
    return 'treasure'

async def main():
    inner = asyncio.create_task(precious())
    outer = asyncio.create_task(asyncio.wait_for(asyncio.shield(inner), timeout=1))
    try:
        await outer
    except asyncio.TimeoutError:
        print('outer timed out; inner cancelled?', inner.cancelled())
    print(await inner)

asyncio.run(main())
