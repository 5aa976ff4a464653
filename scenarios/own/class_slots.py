import asyncio

class Point:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Point({self.x}, {self.y})"

class Point3(Point):
    __slots__ = ("z",)
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

class Loose(Point):
    pass

class One:
    __slots__ = "v"
    kind = "one"

async def main():
    p = Point(1, 2)
    p.x += 10
    print(p)
    for obj, attr in ((p, "z"), (Point3(1, 2, 3), "w"), (One(), "kind"), (One(), "other")):
        try:
            setattr(obj, attr, 0)
            print("set", attr)
        except AttributeError as e:
            print("AttributeError:", e)
    l = Loose(0, 0)
    l.extra = 5
    print(l.extra, One.kind)
    o = One()
    o.v = 3
    print(o.v)
    try:
        print(Point(0, 0).__dict__)
    except AttributeError as e:
        print("AttributeError:", e)
    await asyncio.sleep(0)

asyncio.run(main())
