# A task whose exception is never retrieved: the program still exits 0; CPython
# logs "Task exception was never retrieved" on stderr when the task is collected.
import asyncio

async def boom():
    raise RuntimeError('nobody looks at me')

async def main():
    asyncio.create_task(boom())
    await asyncio.sleep(0.1)
    print('main finished normally')

asyncio.run(main())
print('after run')
