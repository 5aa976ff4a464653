# new_event_loop / set_event_loop / get_event_loop. There is one virtual clock for the
# whole program: a new loop's time continues from where the previous one stopped.
import asyncio

async def nap(d):
    await asyncio.sleep(d)
    return asyncio.get_running_loop().time()

l1 = asyncio.new_event_loop()
asyncio.set_event_loop(l1)
print('get_event_loop is l1:', asyncio.get_event_loop() is l1)
print('l1 ran until', l1.run_until_complete(nap(1)))
l2 = asyncio.new_event_loop()
asyncio.set_event_loop(l2)
print('get_event_loop is l2:', asyncio.get_event_loop() is l2)
print('l2 ran until', l2.run_until_complete(nap(0.5)))
print('asyncio.run until', asyncio.run(nap(2)))
l1.close()
l2.close()
print('closed:', l1.is_closed(), l2.is_closed())
