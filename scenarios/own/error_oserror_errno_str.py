import asyncio

async def connect(host):
    await asyncio.sleep(0.1)
    if host == "bad":
        raise ConnectionRefusedError(111, "Connection refused")
    if host == "file":
        raise FileNotFoundError(2, "No such file or directory")
    raise ConnectionError("generic")

async def main():
    for h in ("bad", "file", "x"):
        try:
            await connect(h)
        except OSError as e:
            print(type(e).__name__, "|", e, "|", repr(e), e.args)
    await connect("bad")

asyncio.run(main())
