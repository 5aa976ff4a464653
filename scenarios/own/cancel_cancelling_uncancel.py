# cancelling() counts pending cancel requests and uncancel() decrements it; a task
# that swallows CancelledError and uncancels goes on as if not cancelled.
import asyncio

async def stubborn():
    me = asyncio.current_task()
    for round in range(2):
        try:
            await asyncio.sleep(1)
            print('round', round, 'slept fine')
        except asyncio.CancelledError:
            print('round', round, 'cancelled; cancelling =', me.cancelling())
            print('uncancel ->', me.uncancel())
    return 'survived'

async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0.5)
    t.cancel()
    print('main: cancelling =', t.cancelling())
    print('result', await t, 'cancelled()', t.cancelled(), 'cancelling', t.cancelling())

asyncio.run(main())
