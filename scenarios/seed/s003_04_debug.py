# Seed 003 (cnblogs python异步编程之asyncio低阶API), section 4 调试 (set_debug/get_debug).
# Completed: toggling debug mode and asyncio.run(debug=True).
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    print('debug in run(debug=True):', loop.get_debug())
    loop.set_debug(False)
    print('after set_debug(False):', loop.get_debug())

loop = asyncio.new_event_loop()
print('default:', loop.get_debug())
loop.set_debug(True)
print('after set_debug(True):', loop.get_debug())
loop.close()
asyncio.run(main(), debug=True)
