# Seed 002 (UBeaRLy asyncio notes), section to_thread(func, *args, **kwargs).
# Completed: an I/O-like blocking function (time.sleep) runs in threads; args and
# kwargs pass through; the loop is not blocked.
import asyncio
import time

def read_file(name, size=0):
    time.sleep(1)
    return f'{name}:{size}'

async def heartbeat():
    for i in range(3):
        print('heartbeat', i, time.monotonic())
        await asyncio.sleep(0.4)

async def main():
    res = await asyncio.gather(
        asyncio.to_thread(read_file, 'a.txt', size=10),
        asyncio.to_thread(read_file, 'b.txt'),
        heartbeat())
    print(res, time.monotonic())

asyncio.run(main())
