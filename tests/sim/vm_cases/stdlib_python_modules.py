from collections import deque, defaultdict, Counter, OrderedDict, namedtuple
import heapq, itertools
d = deque([1, 2, 3], maxlen=3); d.append(4); d.appendleft(0)
print(d, deque(), len(d), d.popleft(), d.pop(), list(d), 2 in d)
dd = defaultdict(list); dd["a"].append(1); dd["b"]; print(dd, dd["a"], len(dd), isinstance(dd, dict))
c = Counter("abracadabra"); print(c, c.most_common(2), c["z"], c["a"])
od = OrderedDict(); od["x"] = 1; od["y"] = 2; od.move_to_end("x"); print(od, list(od))
P = namedtuple("P", "x y"); p = P(1, y=2); print(p, p.x, p[1], list(p), p._asdict(), p == P(1, 2), p._replace(x=5))
x, y = p; print(x + y)
h = []
for v in [5, 1, 4, 1, 3, 9, 2]: heapq.heappush(h, (v % 3, v))
print([heapq.heappop(h) for _ in range(len(h))])
l = [9, 4, 7, 1, 8]; heapq.heapify(l); print(l, heapq.nsmallest(2, l), heapq.nlargest(2, l))
print(list(itertools.islice(itertools.count(10, 5), 4)), list(itertools.chain([1], (2, 3))), list(itertools.product("ab", repeat=2)))
print(list(itertools.permutations([1, 2, 3], 2)), list(itertools.combinations("abc", 2)), list(itertools.accumulate([1, 2, 3])))
print([(k, list(g)) for k, g in itertools.groupby("aabbbc")], list(itertools.zip_longest([1, 2], "a", fillvalue="-")))
