# Nested TaskGroups give nested groups; except* clauses split them keeping the
# structure, a bare `raise` re-raises the matched part, and a naked exception from a
# plain await is wrapped in ExceptionGroup('', [exc]) for the handler.
import asyncio

def shape(e):
    if isinstance(e, BaseExceptionGroup):
        return '%s(%r, [%s])' % (type(e).__name__, e.message, ', '.join(shape(x) for x in e.exceptions))
    return repr(e)

async def fail(d, exc):
    await asyncio.sleep(d)
    raise exc

async def inner():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail(1, ValueError('inner v')))
        tg.create_task(fail(1, KeyError('inner k')))

async def outer():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(inner())
        tg.create_task(fail(1, ValueError('outer v')))

async def main():
    loop = asyncio.get_running_loop()
    try:
        try:
            await outer()
        except* KeyError as eg:
            print('keys:', shape(eg))
        except* ValueError as eg:
            print('values:', shape(eg), 'at', loop.time())
            raise
    except ExceptionGroup as again:
        print('re-raised:', shape(again))
    try:
        await fail(0.5, ValueError('plain'))
    except* ValueError as eg:
        print('wrapped:', shape(eg), 'at', loop.time())
    try:
        await fail(0.5, ZeroDivisionError('zero'))
    except* ArithmeticError as eg:
        print('by base class:', shape(eg))
    try:
        await fail(0, ValueError('x'))
    except* ValueError:
        print('handled; the else clause is skipped')
    else:
        print('not reached')

asyncio.run(main())
