# Seed 000 (csdn asyncio notes), section 启动命令 (asyncio.run).
# Completed: the document gives only `asyncio.run(main())`; main is the basic example
# of 基础语法 with its indentation fixed.
import asyncio

async def main():
    print('hello')
    await asyncio.sleep(1)
    print('world')
    return '完成'

# 执行 coroutine coro 并返回结果
result = asyncio.run(main())
print(result)
