# Seed 001 (zhihu 一份详细的asyncio入门教程), section 等待多个协程: the "Task was destroyed
# but it is pending!" case. Completed: s001_18 without cancelling the pending tasks
# (CPython logs the warnings on stderr at exit; the exit status stays 0).
import asyncio

async def num(n):
    try:
        await asyncio.sleep(n*0.1)
        return n
    except asyncio.CancelledError:
        print(f"数字{n}被取消")
        raise

async def main():
    tasks = [asyncio.create_task(num(i)) for i in range(10)]
    complete, pending = await asyncio.wait(tasks, timeout=0.5)
    print("完成", sorted(t.result() for t in complete), "未完成", len(pending))

if __name__ == '__main__':
    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    print("事件循环已关闭")
