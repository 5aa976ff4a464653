# Seed 000 (csdn asyncio notes), section to_thread 在线程中运行.
# Completed: a blocking function (time.sleep) runs in a thread while a coroutine
# keeps ticking on the loop; args and kwargs are passed through.
import asyncio
import time

def blocking(name, *, seconds):
    print(f'{name} 线程开始 {time.time()}')
    time.sleep(seconds)
    print(f'{name} 线程结束 {time.time()}')
    return name.upper()

async def ticker():
    for i in range(3):
        print('tick', i, time.time())
        await asyncio.sleep(1)

async def main():
    r, _ = await asyncio.gather(asyncio.to_thread(blocking, 'io', seconds=2.5), ticker())
    print(r, time.time())

asyncio.run(main())
