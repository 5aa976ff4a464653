# Seed 000 (csdn asyncio notes), section loop方式调用 (run_until_complete, run_forever).
# Completed: the document only names the two calls; run_forever is stopped by a
# call_later callback so that the program ends.
import asyncio

async def work(n):
    await asyncio.sleep(n)
    print('work', n, 'done at', asyncio.get_running_loop().time())
    return n * 10

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
#运行直到 future ( Future 的实例 ) 被完成
print('run_until_complete ->', loop.run_until_complete(work(1)))

#运行事件循环直到 stop() 被调用。
task = loop.create_task(work(2))
loop.call_later(3, loop.stop)
loop.run_forever()
print('run_forever 返回, t =', loop.time(), 'task:', task.result())
loop.close()
print('closed', loop.is_closed())
