# Condition.wait_for(predicate) loops until the predicate is true; notify without
# holding the lock is a RuntimeError.
import asyncio

state = {'n': 0}

async def watcher(cond, target):
    async with cond:
        await cond.wait_for(lambda: state['n'] >= target)
        print('watcher', target, 'sees n =', state['n'])

async def main():
    cond = asyncio.Condition()
    try:
        cond.notify()
    except RuntimeError as e:
        print('RuntimeError:', e)
    ws = [asyncio.create_task(watcher(cond, t)) for t in (3, 1, 2)]
    for i in range(3):
        await asyncio.sleep(0.1)
        async with cond:
            state['n'] += 1
            print('n ->', state['n'])
            cond.notify_all()
    await asyncio.gather(*ws)

asyncio.run(main())
