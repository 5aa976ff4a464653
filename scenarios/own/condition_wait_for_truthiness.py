import asyncio

class Flag:
    def __init__(self):
        self.n = 0
    def __bool__(self):
        print("bool called", self.n)
        return self.n >= 2
    def __len__(self):
        return 0

async def main():
    c = asyncio.Condition()
    items = []
    f = Flag()
    async def consumer(pred, name):
        async with c:
            r = await c.wait_for(pred)
            print(name, "woke with", r if not isinstance(r, Flag) else "Flag")
    t1 = asyncio.create_task(consumer(lambda: items, "list"))
    t2 = asyncio.create_task(consumer(lambda: f, "flag"))
    t3 = asyncio.create_task(consumer(lambda: len(items) * 0.5, "float"))
    t4 = asyncio.create_task(consumer(lambda: "".join(items), "str"))
    await asyncio.sleep(0)
    for i in range(3):
        async with c:
            items.append(str(i))
            f.n += 1
            c.notify_all()
        await asyncio.sleep(0)
    await asyncio.gather(t1, t2, t3, t4)

asyncio.run(main())
