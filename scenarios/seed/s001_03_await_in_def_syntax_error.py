def print_double(x):
    print(await async_double(x)) # <-- SyntaxError here
