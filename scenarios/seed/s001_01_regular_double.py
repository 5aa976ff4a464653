# Seed 001 (zhihu 一份详细的asyncio入门教程), section 异步方法: a standard function.
# Completed: the document gives the def; the call regular_double(3) from the text is added.
def regular_double(x):
    return 2 * x

print(regular_double(3))
