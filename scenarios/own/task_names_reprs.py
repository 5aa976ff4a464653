# Default task names count up across the program (Task-1, Task-2, ...); reprs show
# state, name, the coroutine and where it is suspended.
import asyncio

async def napper():
    await asyncio.sleep(1)
    return 'rested'

async def failing():
    raise ValueError('bad')

async def main():
    t = asyncio.create_task(napper())
    print(repr(t))
    await asyncio.sleep(0)
    print(t)
    await t
    print(t)
    t.set_name(123)
    print(t.get_name(), type(t.get_name()).__name__)
    f = asyncio.create_task(failing(), name='失败')
    await asyncio.sleep(0)
    print(f)
    f.exception()
    c = asyncio.create_task(napper(), name='c')
    c.cancel()
    print(c)
    await asyncio.sleep(0)
    print(c)

asyncio.run(main())
print(asyncio.run(napper()))
