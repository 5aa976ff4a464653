s = {3, 1, 2}; s.add(5); s.discard(1)
print(s, s | {9}, s & {2, 3}, s - {2}, s ^ {3, 10}, 5 in s, len(s))
a = set(range(20)); b = {x * 3 for x in range(15)}
print(a | b, a & b, a - b, b - a, a ^ b)
c = {100, 8, 16, 32, 64, 1, 9, 17}
print(c, c.pop(), c.pop(), c)
c |= {7, 1000}; print(c); c &= {7, 8, 1000, 5}; print(c); c -= {8}; print(c); c ^= {1, 2, 1000}; print(c)
print({(1, 2), (3, 4), (0, 0)}, {1.5, 2.5, -1.0, 0.25}, frozenset({5, 3, 1}), hash(frozenset({1, 2})), hash(frozenset()))
print(set([5, 4, 3, 2, 1]) , {-1, -2, -3}, set("abc") == set("cba"), sorted({"b", "a"}))
print(a.union(b, [100]), a.intersection(b, range(10)), a.difference(b, [1, 2]), a.symmetric_difference([0, 99]))
d = {i: i for i in range(10)}
print(set(d), {k for k in d if k % 3})
x = set(range(10))
for i in range(0, 10, 2): x.remove(i)
print(x, x.pop(), x)
x.update(range(50, 60)); print(x)
x.intersection_update(range(55)); print(x)
x.difference_update([51, 53]); print(x)
