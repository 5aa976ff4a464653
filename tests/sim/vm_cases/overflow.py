# aiosim ints are 64-bit: overflow raises instead of growing (CPython would print a big int)
x = 9223372036854775807
try:
    x + 1
except OverflowError as e:
    print("overflow:", "64-bit" in str(e))
print(x - 1, -x - 1)
