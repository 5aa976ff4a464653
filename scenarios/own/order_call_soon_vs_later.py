# call_soon runs before call_later(0), even when registered after it: a due timer is
# moved to the ready queue behind the callbacks already there, and runs in that same
# iteration. A task's sleep(0) is a bare yield that re-queues it behind them all.
import asyncio

def cb(tag):
    print('callback', tag)

async def sleeper():
    print('task: before sleep(0)')
    await asyncio.sleep(0)
    print('task: after sleep(0)')

async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0, cb, 'call_later(0) #1')
    loop.call_soon(cb, 'call_soon #1')
    asyncio.create_task(sleeper())
    loop.call_later(0, cb, 'call_later(0) #2')
    loop.call_soon(cb, 'call_soon #2')
    await asyncio.sleep(0.01)
    print('main done')

asyncio.run(main())
