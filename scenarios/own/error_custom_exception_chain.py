# raise ... from ...: the uncaught custom exception's last traceback line names the
# class without a module prefix (it lives in __main__); the cause is printed above it. Exit 1.
import asyncio

class FetchError(Exception):
    pass

async def fetch(key):
    await asyncio.sleep(0.2)
    try:
        return {'a': 1}[key]
    except KeyError as e:
        raise FetchError(f'cannot fetch {key!r}') from e

async def main():
    print(await fetch('a'))
    try:
        await fetch('b')
    except FetchError as e:
        print('caught:', e, '| cause:', repr(e.__cause__))
    await fetch('c')

asyncio.run(main())
