s = "héllo wörld 中文"
print(len(s), s[1], s[-2:], s.upper(), s.title(), s.find("w"), s.split(" "), s.encode if False else 0)
print(repr("tab\there"), repr("new\nline"), repr("q'uote"), repr('d"q'), repr("both'\""), repr("\x00\x7f"), repr("é中"))
print("{:<6}|{:^7}|{:>5}".format("ab", "中文", 3), f"{'x'!r:>5}", f"{3.14159:10.4f}|{-1.5:e}|{1e-5}|{100.0:g}")
print("%-5s|%05d|%.3s|%c|%o" % ("ab", 42, "abcdef", 65, 8), "%(a)s-%(b)d" % {"a": "x", "b": 2})
print(", ".join(f"{k}={v}" for k, v in {"a": 1, "b": 2}.items()), "abc" < "abd", "B" < "a", sorted(["b", "A", "a"]))
print(str(3.0), str(1e16), str(-1e-5), 1.5e300 * 1e10, 0.1 * 3, 100 / 3, 10 / 2, 7 // 2.0, 2 ** -2, 10 % 3.5)
print(int("  -12  "), int("0x1f", 0), float("  2.5e3 "), "%.2f" % 2.675, round(0.5), round(-1.5), format(1234.5, ",.1f"))
