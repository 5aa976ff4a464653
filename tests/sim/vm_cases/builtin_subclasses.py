class Stack(list):
    def push(self, v): self.append(v)
    def peek(self): return self[-1]
s = Stack([1, 2]); s.push(3); s.tag = "t"
print(s, len(s), s.peek(), s.tag, isinstance(s, list), type(s).__name__, sum(s), s[1:], Stack())
class DefaultDict(dict):
    def __init__(self, factory, *a, **k):
        super().__init__(*a, **k)
        self.factory = factory
    def __missing__(self, key):
        v = self[key] = self.factory()
        return v
    def __repr__(self):
        return f"DefaultDict({self.factory.__name__}, {dict.__repr__(self) if False else dict(self)})"
dd = DefaultDict(list, a=[0])
dd["x"].append(1); dd["x"].append(2); dd["y"]
print(dd, len(dd), "x" in dd, list(dd.items()), dd.get("zz"))
class Counter(dict):
    def add(self, k): self[k] = self.get(k, 0) + 1
c = Counter(); [c.add(w) for w in "abracadabra"]
print(c, sorted(c.items(), key=lambda kv: -kv[1])[:2])
class LoudList(list):
    def __getitem__(self, i):
        print("get", i)
        return super().__getitem__(i)
    def __len__(self): return 99
ll = LoudList([5, 6, 7]); print(ll[1], len(ll))
class TagSet(set):
    pass
ts = TagSet([3, 1, 2]); ts.add(5); print(ts, 1 in ts, type(ts).__name__)
