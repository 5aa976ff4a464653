# Closures capturing loop variables (late binding vs default arguments), nonlocal
# counters in callbacks, and f-string format specs.
import asyncio

def make_counter():
    n = 0
    def bump(tag):
        nonlocal n
        n += 1
        print(f'{tag:<6}|{n:>3}|{n:03d}|{n / 3:.2f}|{n * 1000:,}|{n:#x}|{tag!r:>8}|{n:+}')
    return bump

async def main():
    loop = asyncio.get_running_loop()
    bump = make_counter()
    late = [lambda: i for i in range(3)]
    early = [lambda i=i: i for i in range(3)]
    print([f() for f in late], [f() for f in early])
    for i, tag in enumerate(['a', 'bb', '中文']):
        loop.call_later(0.1 * (3 - i), bump, tag)
    await asyncio.sleep(0.5)
    x, pct, big = 3.14159, 0.256, 12345678.9
    print(f'{x:8.3f}|{x:<8.2f}|{x:e}|{pct:.1%}|{big:,.1f}|{big:_.0f}|{"s":*^7}|{x!s}')
    print('{} {:>5} {name}'.format(1, 'ab', name='n'), '%5.1f|%-4d|%s|%r' % (x, 7, 'z', 'z'))

asyncio.run(main())
