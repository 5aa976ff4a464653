# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 2 获取事件循环.
# Completed: the code was lost; get_event_loop/new_event_loop/set_event_loop/
# get_running_loop in use. The loop's repr and _selector are not printed (class names).
import asyncio

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
print(asyncio.get_event_loop() is loop)
print(isinstance(loop, asyncio.AbstractEventLoop))
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print('RuntimeError:', e)

async def main():
    running = asyncio.get_running_loop()
    print('running is loop:', running is loop, running.is_running())
    print('get_event_loop inside:', asyncio.get_event_loop() is running)

loop.run_until_complete(main())
other = asyncio.new_event_loop()
print('new loop is a different loop:', other is not loop)
other.close()
loop.close()
