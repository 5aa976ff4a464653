# closures, containers and cycles: run under GC stress in test_gc
def make_adders(n):
    fs = []
    for i in range(n):
        def add(x, i=i):
            return x + i
        fs.append(add)
    return fs
def counter():
    state = {"n": 0, "log": []}
    def inc(k):
        state["n"] += k
        state["log"].append((k, [k] * 2, {"k": k}))
        return state["n"]
    return inc
class Node:
    def __init__(self, v):
        self.v = v
        self.next = None
        self.me = self
total = 0
for round_ in range(30):
    adders = make_adders(10)
    total += sum(f(round_) for f in adders)
    c = counter()
    for k in range(5):
        c(k)
    head = Node(0)
    cur = head
    for j in range(10):
        cur.next = Node(j)
        cur = cur.next
    words = " ".join(str(w) for w in range(20)).split()
    d = {w: [w] * 3 for w in words}
    s = {len(w) for w in words}
    total += len(d) + len(s)
print(total, c(0), [f(1) for f in make_adders(3)], sorted(d)[:3])
