# Seed 001 (zhihu 一份详细的asyncio入门教程), section call_later. Completed: the page
# break lost the line `async def main(loop):`; the code is otherwise verbatim (its
# callback prints "callback for invoked{n}", not the "callback 3 invoked" shown).
import asyncio

def callback(n):
    print(f"callback for invoked{n}")

async def main(loop):
    print("注册callbacks")
    loop.call_later(0.2, callback, 1)
    loop.call_later(0.1, callback, 2)
    loop.call_soon(callback, 3)
    await asyncio.sleep(0.4)

if __name__ == '__main__':
    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(main(loop))
    finally:
        loop.close()
