import asyncio

async def main():
    async def f(i):
        await asyncio.sleep(0.1)
        return i
    results = []
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(f(i)) for i in range(3)]
        print("inside", [t.done() for t in tasks])
    results = [t.result() for t in tasks]
    print(results)
    tg2 = asyncio.TaskGroup()
    print(repr(tg2))
    async with tg2:
        tg2.create_task(f(9))
        print(repr(tg2)[:40])
    print(repr(tg2))
    try:
        tg2.create_task(f(1))
    except RuntimeError as e:
        print("RuntimeError:", e)

asyncio.run(main())
