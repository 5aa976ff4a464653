import asyncio

async def main():
    await asyncio.sleep(0)
    x = ["é", "\x80", "\U0001F600", "ok", 1.5, {"ключ": "значение"}]
    print(ascii(x), ascii("plain"), ascii(3))
    print(f"{'中文'!a} {x[0]!a:>10}|")
    print(ascii("it's \"q\""))

asyncio.run(main())
print("{0!a} {0!r}".format("é"), "%a|%5a" % ("ü", "z"))
