# Each task runs in a copy of the context current when it was created: a value set
# inside a task does not leak to its creator or siblings.
import asyncio
import contextvars

request_id = contextvars.ContextVar('request_id', default='none')

async def handler(rid):
    request_id.set(rid)
    await asyncio.sleep(0.1)
    print('handler', rid, 'sees', request_id.get())

async def main():
    request_id.set('main')
    await asyncio.gather(handler('r1'), handler('r2'))
    print('main still sees', request_id.get())

asyncio.run(main())
print('outside run:', request_id.get())
