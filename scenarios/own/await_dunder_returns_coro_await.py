import asyncio

class Delay:
    def __init__(self, d, v):
        self.d, self.v = d, v
    def __await__(self):
        return self._run().__await__()
    async def _run(self):
        await asyncio.sleep(self.d)
        return self.v

class Bad:
    def __await__(self):
        return self._run()
    async def _run(self):
        return 1

async def main():
    print(await Delay(0.2, "a"))
    print(await asyncio.gather(Delay(0.1, "b"), Delay(0.05, "c")))
    print(await asyncio.wait_for(Delay(0.1, "d"), 1))
    print(asyncio.get_running_loop().time())
    try:
        await Bad()
    except TypeError as e:
        print("TypeError:", e)

asyncio.run(main())
