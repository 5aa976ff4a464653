# A child task cancels the main task: asyncio.run propagates CancelledError, which
# escapes as an uncaught exception (exit status 1).
import asyncio

async def child(main_task):
    await asyncio.sleep(1)
    print('child cancels main')
    main_task.cancel()

async def main():
    asyncio.create_task(child(asyncio.current_task()))
    try:
        await asyncio.sleep(5)
    finally:
        print('main finally at', asyncio.get_running_loop().time())

asyncio.run(main())
