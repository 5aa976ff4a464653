# Setting then clearing an event in the same step still wakes the tasks that were
# waiting: their futures were completed by set().
import asyncio

async def waiter(name, ev):
    await ev.wait()
    print(name, 'woke; is_set now', ev.is_set())

async def main():
    ev = asyncio.Event()
    ts = [asyncio.create_task(waiter(f'w{i}', ev)) for i in range(2)]
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    await asyncio.gather(*ts)

asyncio.run(main())
