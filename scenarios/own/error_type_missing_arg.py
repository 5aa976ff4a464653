# Calling a coroutine function with a missing argument fails at the call, before any
# coroutine exists: TypeError, exit status 1.
import asyncio

async def greet(name, greeting):
    print(greeting, name)

async def main():
    await greet('world', 'hello')
    await greet('world')

asyncio.run(main())
