# current_task() is None outside a task (in a plain callback too); all_tasks() holds
# only unfinished tasks. Sets are shown sorted by name.
import asyncio

def plain_callback():
    print('in callback, current_task:', asyncio.current_task())

async def worker(d):
    await asyncio.sleep(d)

async def main():
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    print('main task:', me.get_name(), me is asyncio.current_task(loop))
    ts = [asyncio.create_task(worker(d), name=f'w{d}') for d in (1, 2)]
    loop.call_soon(plain_callback)
    print(sorted(t.get_name() for t in asyncio.all_tasks()))
    await asyncio.sleep(1.5)
    print(sorted(t.get_name() for t in asyncio.all_tasks()))
    await ts[1]
    print(sorted(t.get_name() for t in asyncio.all_tasks()))

print('outside any loop: no running loop ->', end=' ')
try:
    asyncio.current_task()
except RuntimeError as e:
    print('RuntimeError:', e)
asyncio.run(main())
