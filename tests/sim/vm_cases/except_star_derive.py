# except* and split() call an overridden derive(); derive must return a group.
class M(ExceptionGroup):
    def derive(self, excs):
        print('derive', excs)
        return M(self.message + '!', excs)
try:
    raise M('m', [ValueError(1), TypeError(2)])
except* ValueError as v:
    print(repr(v), type(v).__name__)
except* TypeError as t:
    print(repr(t))
print(M('q', [KeyError(1), ValueError(2)]).split(KeyError))
class Bad(ExceptionGroup):
    def derive(self, excs):
        return 5
try:
    Bad('b', [KeyError(1), ValueError(2)]).subgroup(KeyError)
except TypeError as e:
    print(e)
class Plain(ExceptionGroup):
    pass
print(repr(Plain('p', [KeyError(1), ValueError(2)]).split(KeyError)))
