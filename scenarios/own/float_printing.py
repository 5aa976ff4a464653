# Float printing as CPython does it: shortest repr, str of ints vs floats, rounding
# and formatting of times taken from the virtual clock.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    for d in (0.1, 0.2, 1 / 3, 0.7, 1e-3):
        await asyncio.sleep(d)
    t = loop.time()
    print(t, t - start, round(t, 2), f'{t:.10f}', str(t), int(t))
    print(1.0, 2.5e-7, 1e22, 1.5e16, 0.1 * 3, 3 * 0.1 == 0.3, round(2.675, 2))
    print(float('inf'), -0.0, 10 / 4, 10 // 4, 7 % -3, -7 // 2, 2 ** 0.5)
    print([0.1 + 0.2, 1.1 * 1.1], (0.5,), {'t': 0.25})

asyncio.run(main())
