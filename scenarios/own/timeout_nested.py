# Nested timeouts: the inner one fires first and is caught inside; the outer one
# then fires on its own schedule.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(2):
            try:
                async with asyncio.timeout(0.5):
                    await asyncio.sleep(1)
            except TimeoutError:
                print('inner timeout at', loop.time())
            await asyncio.sleep(5)
    except TimeoutError:
        print('outer timeout at', loop.time())

asyncio.run(main())
