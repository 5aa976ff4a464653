# Classes with async methods, inheritance, __repr__/__str__ and a custom exception:
# a tiny bank where transfers run concurrently under a lock.
import asyncio

class InsufficientFunds(Exception):
    def __init__(self, name, amount):
        super().__init__(f'{name} lacks {amount}')
        self.name = name

class Account:
    def __init__(self, name, balance):
        self.name = name
        self.balance = balance
        self.lock = asyncio.Lock()

    def __repr__(self):
        return f'Account({self.name!r}, {self.balance})'

    async def withdraw(self, amount):
        async with self.lock:
            await asyncio.sleep(0.1)
            if amount > self.balance:
                raise InsufficientFunds(self.name, amount)
            self.balance -= amount

    async def deposit(self, amount):
        async with self.lock:
            await asyncio.sleep(0.05)
            self.balance += amount

class Savings(Account):
    def __str__(self):
        return f'储蓄账户 {self.name}: {self.balance:,.2f}'

async def transfer(src, dst, amount):
    await src.withdraw(amount)
    await dst.deposit(amount)
    return amount

async def main():
    a, b = Account('alice', 100), Savings('bob', 1234.5)
    res = await asyncio.gather(transfer(a, b, 30), transfer(b, a, 1000),
                               transfer(a, b, 90), return_exceptions=True)
    print(res)
    print(a, repr(b), str(b), sep='\n')
    print(isinstance(res[2], InsufficientFunds), res[2].name, asyncio.get_running_loop().time())

asyncio.run(main())
