# Seed 002 (UBeaRLy asyncio notes), section Task (class asyncio.Task(Future)).
# Completed: the listed methods in use: cancel(msg), cancelled, done, result,
# exception, add/remove_done_callback, get_coro, get_name/set_name.
import asyncio

async def job(n):
    await asyncio.sleep(n)
    return n

def on_done(t):
    print('done callback:', t.get_name(), t.cancelled())

def never(t):
    print('removed callback ran?!')

async def main():
    t = asyncio.create_task(job(1), name='job-1')
    t.add_done_callback(on_done)
    t.add_done_callback(never)
    print('removed', t.remove_done_callback(never))
    print(t.get_name(), t.get_coro().__name__, t.done())
    t.set_name('renamed')
    print(await t, t.result(), t.exception())
    c = asyncio.create_task(job(5), name='victim')
    c.add_done_callback(on_done)
    await asyncio.sleep(0)
    print('cancel ->', c.cancel(msg='不要了'))
    try:
        await c
    except asyncio.CancelledError as e:
        print('CancelledError args:', e.args)
    print(c.cancelled(), c.done())

asyncio.run(main())
