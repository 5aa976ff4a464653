from __future__ import annotations
from typing import Optional, List, Dict, Callable, Awaitable, TypeVar
import math, traceback, sys
T = TypeVar("T")
def f(a: int, b: Optional[str] = None) -> List[int]:
    y: Dict[str, int] = {}
    return [a]
print(f(1), math.sqrt(16), math.floor(2.7), math.ceil(2.1), math.pi, math.isclose(0.1 + 0.2, 0.3), math.gcd(12, 18))
try:
    1 / 0
except ZeroDivisionError:
    s = traceback.format_exc()
    print(s.splitlines()[0], s.splitlines()[-1])
    traceback.print_exc()
print("end")
