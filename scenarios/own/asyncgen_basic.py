# Async generators and `async for`: each step may await; an async comprehension
# collects values; the generator's finally runs when it is exhausted.
import asyncio

async def ticks(n, d):
    try:
        for i in range(n):
            await asyncio.sleep(d)
            yield i, asyncio.get_running_loop().time()
    finally:
        print('ticks finished')

async def main():
    async for i, t in ticks(3, 0.5):
        print('tick', i, 'at', t)
    squares = [i * i async for i, _ in ticks(4, 0.1)]
    print(squares)

asyncio.run(main())
