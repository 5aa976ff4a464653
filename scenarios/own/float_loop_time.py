# The virtual clock adds each timeout to the current time, so repeated 0.1 sleeps
# accumulate binary floating-point error exactly as CPython's floats do.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    for i in range(10):
        await asyncio.sleep(0.1)
        print(i, loop.time(), repr(loop.time()), f'{loop.time():.3f}')
    print(0.1 + 0.2, 1 / 3, 2.0 ** 60, 1e16, 1e-5, 123456789.123456789)

asyncio.run(main())
