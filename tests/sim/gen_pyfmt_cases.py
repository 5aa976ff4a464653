#!/usr/bin/env python3
"""Generates tests/sim/pyfmt_cases.h: expected outputs from CPython 3.11 for
sim/pyfmt (float repr, format(), %-formatting, round, int()/float() parsing,
str repr and str methods).  Run:  python3 tests/sim/gen_pyfmt_cases.py > tests/sim/pyfmt_cases.h

An expected value that starts with '!' is an error: "!ValueError: message"."""
import random
import struct
import sys

assert sys.version_info[:2] == (3, 11), "expected values must come from CPython 3.11"
rng = random.Random(20261121)


def c_str(s):
    """A C string literal for the UTF-8 bytes of s (octal escapes, no trigraphs)."""
    out = []
    for b in s.encode('utf-8', 'surrogatepass'):
        ch = chr(b)
        if ch in '"\\?' or b < 0x20 or b >= 0x7f:
            out.append('\\%03o' % b)
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def bits(x):
    return '0x%016xULL' % struct.unpack('<Q', struct.pack('<d', x))[0]


def run(f):
    try:
        return f()
    except Exception as e:  # noqa: BLE001 - we record every error
        return '!%s: %s' % (type(e).__name__, e)


def emit(name, ctype, rows):
    print('static const %s %s[] = {' % (ctype, name))
    for r in rows:
        print('    {%s},' % ', '.join(r))
    print('};')
    print()


# ---- floats -------------------------------------------------------------
def random_doubles():
    xs = [0.1, 0.2, 0.1 + 0.2, 5.0, 1e-9, 1e16, 1e15, 123456789012345678.0,
          -0.0, 0.0, float('inf'), -float('inf'), float('nan'), 1e22, 1e23,
          2.0 ** 53, 2.0 ** 53 + 2, 2e16 + 8, 5e-324, 2.2250738585072014e-308,
          1.7976931348623157e308, 0.0001, 0.00001, 9999999999999998.0,
          1 / 3, 2 / 3, 100.0, 1.5, -2.5, 3.14159, 1234.5678, 9.995, 0.5,
          2.675, 1e-5, 123e-7, 4.35, 0.3, 7.678447687145631e-239, 6.290184345309701e-235,
          6.256509672447191e-148, 6.150157786156811e+259, 2.0 ** -1022, 2.0 ** 60, 2.0 ** 70, 2.0 ** -30]
    for _ in range(150):
        xs.append(struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0])
    for _ in range(100):
        xs.append(round(rng.uniform(-1, 1) * 10 ** rng.randint(-8, 20), rng.randint(0, 6)))
    for _ in range(40):
        xs.append(rng.random())
    for k in range(-12, 25):   # powers of two and ten at the boundaries
        xs.append(2.0 ** (k * 3))
        xs.append(10.0 ** k)
    return xs


doubles = random_doubles()
emit('float_repr_cases', 'struct float_repr_case',
     [(bits(x), c_str(repr(x))) for x in doubles])

# ---- format() -----------------------------------------------------------
float_specs = ['', '.3', '.0', 'e', '.2e', 'E', 'f', '.2f', '.0f', 'F', 'g', '.3g', 'G', '#g',
               '.10g', '%', '.1%', '10.2f', '<10.2f', '^12.3e', '=+12.4f', '+', ' ', '010.3f',
               '012,.2f', ',', '_.1f', ',.3f', '#.0f', '#.0e', 'z.1f', 'z', '#', 'n', '.3n',
               '*>15.5g', '-^9', '015', '.17', '.20f', 'd', 'x', '.f', ',_', '12.3s', 'zg',
               '>+010.1f', '.1000g', '\u00e9<8.1f', '0<8', '08', '+.0%', '#.3g', '#.3']
float_values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, 123.456, -123.456, 1e16, 1e-7,
                12345678.9, 0.000123456, 1e100, -1e-100, float('inf'), float('-inf'),
                float('nan'), 2.675, 9.995, 1 / 3, 1234567.0, 0.05, 0.95]
rows = []
for x in float_values:
    for sp in float_specs:
        rows.append(('FMT_FLOAT', '0', bits(x), 'NULL', c_str(sp), c_str(run(lambda: format(x, sp)))))
for _ in range(120):
    x = doubles[rng.randrange(len(doubles))]
    sp = rng.choice(float_specs)
    rows.append(('FMT_FLOAT', '0', bits(x), 'NULL', c_str(sp), c_str(run(lambda: format(x, sp)))))

int_specs = ['', 'd', '5d', '<5', '^7', '=+8', '+', ' ', '-', 'b', '#b', 'o', '#o', 'x', '#x', 'X',
             '#X', ',', '_', '_b', '_x', '#_x', ',x', '010', '010,', '012_', '#010x', '+#012_b',
             'c', '>4c', '+c', 'e', '.2f', '%', ',.2f', 'g', 'n', ',n', '.2', 'z', 's', 'f', '09.2e',
             '*^9,', '\u2500>6', '#c', '-#o', '0=10', '1_000', 'E', '.3%', '30b', '_d']
int_values = [0, 1, -1, 7, 42, -42, 255, 1000, -1234567, 65, 0x10FFFF, 0x110000, 2 ** 31,
              2 ** 62, -2 ** 63, 2 ** 63 - 1, 123456789012, 10 ** 18]
for v in int_values:
    for sp in int_specs:
        rows.append(('FMT_INT', '%dLL' % v if v != -2 ** 63 else '(-9223372036854775807LL - 1)', '0', 'NULL',
                     c_str(sp), c_str(run(lambda: format(v, sp)))))
big = [2 ** 64, -3 ** 50, 10 ** 30 + 7]
for v in big:
    for sp in ['', 'x', '#b', ',', '_', '>40', 'e', '.3f', 'c', 'o', '#X', '050_']:
        rows.append(('FMT_BIGINT', '%d' % (1 if v < 0 else 0), '0', c_str(str(abs(v))),
                     c_str(sp), c_str(run(lambda: format(v, sp)))))
for v in [True, False]:
    for sp in ['d', '>5', 'x', '^7d', '.2f']:
        rows.append(('FMT_BOOL', '%d' % v, '0', 'NULL', c_str(sp), c_str(run(lambda: format(v, sp)))))

str_specs = ['', 's', '10', '<10', '>10', '^10', '^11', '*^9', '.2', '10.3', '.0', '05', '=5', '+',
             ' ', '#', 'z', ',', 'd', 'x', '\u00b7>8', '\u4e2d^9', '>3', '.100', 'ss', '2.', '_s',
             '010.5s', '0>7']
str_values = ['', 'abc', 'hello world', 'caf\u00e9', '\u4e2d\u6587\u5b57', 'a\U0001f600b', 'x' * 12]
for v in str_values:
    for sp in str_specs:
        rows.append(('FMT_STR', '0', '0', c_str(v), c_str(sp), c_str(run(lambda: format(v, sp)))))
emit('format_cases', 'struct format_case', rows)

# ---- %-formatting -------------------------------------------------------
def arg_c(a):
    if isinstance(a, bool):
        return '{PA_BOOL, %dLL, 0, NULL}' % a
    if isinstance(a, int):
        return '{PA_INT, %dLL, 0, NULL}' % a
    if isinstance(a, float):
        return '{PA_FLOAT, 0, %s, NULL}' % bits(a)
    if isinstance(a, str):
        return '{PA_STR, 0, 0, %s}' % c_str(a)
    if isinstance(a, list):
        return '{PA_LIST, 0, 0, %s}' % c_str(repr(a))
    raise TypeError(a)


pct = [
    ('%s', ('abc',)), ('%r', ('abc',)), ('%a', ('caf\u00e9',)), ('%d', (42,)), ('%i', (-7,)),
    ('%u', (3,)), ('%x', (255,)), ('%X', (255,)), ('%o', (8,)), ('%#x', (255,)), ('%#X', (255,)),
    ('%#o', (8,)), ('%e', (12345.678,)), ('%E', (0.000123,)), ('%f', (3.14159,)), ('%F', (float('inf'),)),
    ('%g', (1e-5,)), ('%G', (1e20,)), ('%g', (100000.0,)), ('%g', (1000000.0,)), ('%c', (65,)),
    ('%c', ('\u4e2d',)), ('%%', ()), ('100%% %s', ('done',)), ('%5d|%-5d|%05d', (42, 42, 42)),
    ('%+d % d %+d', (5, 5, -5)), ('%.3d', (7,)), ('%#.5x', (-255,)), ('%10.4f|', (3.14159,)),
    ('%-10.2e|', (12345.678,)), ('%010.3f', (-3.14159,)), ('%+.2f', (0.0,)), ('%.0f', (2.5,)),
    ('%.0f', (3.5,)), ('%#.0f', (3.0,)), ('%#g', (1.0,)), ('%.3s', ('abcdef',)), ('%5.2s|', ('xyz',)),
    ('%-6s|', ('ab',)), ('%*d', (5, 42)), ('%-*d|', (5, 42)), ('%*d|', (-5, 42)), ('%.*f', (2, 3.14159)),
    ('%*.*f|', (9, 3, 2.71828)), ('%s %s', (1, 2)), ('%s', ((1, 2),)), ('%d', (3.99,)), ('%d', (-3.99,)),
    ('%x', (3.5,)), ('%d', ('x',)), ('%f', ('x',)), ('%c', ('ab',)), ('%c', (1114112,)), ('%c', (-1,)),
    ('%s %s', (1,)), ('%s', (1, 2)), ('%y', (1,)), ('%', ()), ('abc%', ()), ('%5', (1,)),
    ('%(a)s', (1,)), ('%*d', ('a', 1)), ('%.1f%%', (99.5,)), ('%5%', ()), ('%ld %hd %Ld', (1, 2, 3)),
    ('%s|%r', ('it\'s', 'it\'s')), ('%r', ('a"b\'c',)), ('%-+8.3f|', (2.0,)), ('% 08.2f', (3.14159,)),
    ('%#08x', (255,)), ('%#-8x|', (255,)), ('%0-8d|', (5,)), ('%+05d', (-3,)), ('%#o', (0,)),
    ('%x', (-255,)), ('%.2e', (0.0,)), ('%g', (float('nan'),)), ('%+f', (float('nan'),)),
    ('%010f', (float('-inf'),)), ('%s', ('\u4e2d\u6587',)), ('%5s|', ('\u4e2d',)), ('%.1s', ('\u4e2d\u6587',)),
    ('\u00e9%s\u00e9', ('x',)), ('%\u00e9', (1,)), ('x\u00e9%\u00e9', (1,)), ('%d', ([1],)),
    ('%s', ([1, 2],)), ('%d %s', (True, False)), ('%.3g|%.10g', (2.0 / 3, 2.0 / 3)),
    ('%5c|%-3c|', ('x', 65)), ('%3c', (0x4e2d,)), ('%.0e', (12345.0,)), ('%#.0e', (12345.0,)),
    ('%20.10e', (1e-300,)), ('%.15g', (0.1,)), ('%.17g', (0.1,)), ('%i%%', (50,)), ('%-05.1f|', (1.25,)),
]
rows = []
for fmt, args in pct:
    exp = run(lambda: fmt % args)
    argv = [arg_c(a) if not isinstance(a, tuple) else '{PA_STR, 0, 0, %s}' % c_str(str(a)) for a in args]
    while len(argv) < 3:
        argv.append('{PA_NONE, 0, 0, NULL}')
    rows.append((c_str(fmt), str(len(args)), '{' + ', '.join(argv[:3]) + '}', c_str(exp)))
# single non-tuple right operands
for fmt, a in [('%s', 5), ('%d', 5), ('%s %s', 5), ('abc', 5), ('%5.1f', 2.25), ('%r', 'x'),
               ('%s', 'str'), ('%c', 'c'), ('%d', [1, 2]), ('abc', [1])]:
    exp = run(lambda: fmt % a)
    nargs = '-2' if isinstance(a, list) else '-1'   # -2: a mapping-like list
    rows.append((c_str(fmt), nargs, '{%s, {PA_NONE, 0, 0, NULL}, {PA_NONE, 0, 0, NULL}}' % arg_c(a),
                 c_str(exp)))
emit('percent_cases', 'struct percent_case', rows)

# ---- round --------------------------------------------------------------
rows = []
for x in [2.675, 2.5, 3.5, -2.5, 0.125, 0.375, 1.005, 123.456, -0.4, 1e300, 5e-324, 25.0, 15.0,
          1234.5678, 0.5, 1.5, 12345.6789, 9.995, 7.0, -1.15]:
    for nd in [0, 1, 2, 3, -1, -2, -3, 5, -400, 400]:
        rows.append((bits(x), str(nd), bits(round(x, nd))))
for _ in range(60):
    x = rng.uniform(-1e6, 1e6)
    nd = rng.randint(-5, 8)
    rows.append((bits(x), str(nd), bits(round(x, nd))))
emit('round_cases', 'struct round_case', rows)

rows = []
for v in [15, 25, -15, -25, 1234, 1250, 1350, -1250, 0, 999, 5, 9223372036854775807, 44, 45, 46]:
    for nd in [-1, -2, -3, -19, -20]:
        r = round(v, nd)
        rows.append(('%dLL' % v, str(nd), '%dLL' % r if -2 ** 63 <= r < 2 ** 63 else '0', '1' if -2 ** 63 <= r < 2 ** 63 else '0'))
emit('int_round_cases', 'struct int_round_case', rows)

# ---- int() / float() parsing -------------------------------------------
rows = []
for s, base in [('0', 10), ('123', 10), ('-123', 10), ('  42  ', 10), ('+7', 10), ('1_000', 10),
                ('1__0', 10), ('_1', 10), ('1_', 10), ('abc', 10), ('abc', 16), ('0x1f', 16), ('0x1f', 0),
                ('0o17', 0), ('0b101', 0), ('010', 0), ('000', 0), ('0_0', 0), ('0x_1f', 0), ('0x', 16),
                ('z', 36), ('Z', 36), ('12', 2), ('', 10), ('   ', 10), ('- 1', 10), ('1 2', 10),
                ('9223372036854775807', 10), ('-9223372036854775808', 10), ('\uff11\uff12', 10),
                ('\u0661\u0662', 10), ('\t\n 5 \u3000', 10), ('1.5', 10), ('0b1', 16), ('12', 1),
                ('12', 37), ('0B11', 2), ('0O7', 8), ('ff', 16), ('-0x10', 0), ('x' * 250, 10), ('1e5', 10)]:
    r = run(lambda: int(s, base))
    if isinstance(r, int):
        r = str(r)
    rows.append((c_str(s), str(base), c_str(r)))
emit('int_parse_cases', 'struct parse_case', rows)

rows = []
for s in ['1.5', '  -2.5e3  ', '1_000.5', '1__0', 'inf', '-Infinity', 'nan', '+nan', 'x', '', '1e',
          '.5', '5.', '.', '1e+5', '1E-5', '0x10', '1_e5', '1e_5', '\uff11.5', '1e400', '-1e400',
          '1e-400', '0.1', '  12  ', 'in f', 'infinit', '1.2.3', '--1', '+-1', '1_000_000']:
    r = run(lambda: float(s))
    if isinstance(r, float):
        r = repr(r)
    rows.append((c_str(s), '0', c_str(r)))
emit('float_parse_cases', 'struct parse_case', rows)

# ---- str repr -----------------------------------------------------------
rows = []
for s in ['', 'abc', "it's", 'say "hi"', 'both \' and "', 'back\\slash', 'tab\tnl\ncr\r',
          '\x01\x1f\x7f', '\x80\x9f\xa0\xad\xff', 'caf\u00e9', '\u4e2d\u6587', '\U0001f600',
          '\u200b\u2028\ufeff', '\ud800', '\ue000', '\u0378', '\u3000x', '\u00b7\u00bf\u00d7',
          'Ω≈ç√∫', '\U000e0001', '\U0010ffff', '\u0300', 'ascii only']:
    rows.append((c_str(s), c_str(repr(s)), c_str(ascii(s))))
emit('repr_cases', 'struct repr_case', rows)

# ---- str methods --------------------------------------------------------
SEP = '\x01'   # joins list results
texts = ['', 'a', 'abc', 'hello world', '  spaced   out  ', 'a,b,,c,', 'caf\u00e9 cr\u00e8me',
         '\u4e2d\u6587\u5b57\u4e2d\u6587', 'aaa', 'one\ntwo\r\nthree\rfour\x0bfive\u2028six\n',
         'Hello World', 'hELLO wORLD', 'stra\u00dfe', '\u00e9t\u00e9', '\u0391\u0392\u0393 \u03a3\u03a3',
         '\u0434\u0440\u0443\u0433 \u0414\u0420\u0423\u0413', "they're bill's friends", '123', '\u00bd\u00b2',
         '\uff11\uff12', 'x\ty\tzz\t!', '\u00ffy\u0130', 'ABC123', '  ', '\t\n\u3000', '_id3', '3d',
         '\u4e2d\u6587_x', 'Title Case Words', '\u00c0\u00e0\u00d7\u00f7',
         '\u03a3\u0391\u03a3 \u039f\u0394\u039f\u03a3. \u03a3', '\u01c5ungla \ufb01x \u2167', '\u0130stanbul \u0131',
         'x\x1cy\x1dz\x1e\x85w', '\u00a0pad\u2003', '\u0660\u0661\u00b2\u2155']
rows = []
for s in texts:
    for sub in ['', 'a', 'o', 'l', ',', '\u6587', 'ab', ' ', 'zz']:
        for st, en in [(None, None), (1, None), (-3, None), (0, -1), (2, 2), (5, 100), (-100, 3)]:
            r = (s.find(sub, st, en), s.rfind(sub, st, en), s.count(sub, st, en),
                 int(s.startswith(sub, st, en)), int(s.endswith(sub, st, en)))
            rows.append((c_str(s), c_str(sub), '%d, %d, %d, %d' % (st or 0, en or 0, st is not None, en is not None),
                         ', '.join(map(str, r))))
emit('search_cases', 'struct search_case', rows)

rows = []
for s in texts:
    for sep in [None, ',', ' ', '\u6587', 'aa', '']:
        for maxsplit in [-1, 0, 1, 2]:
            a = run(lambda: SEP.join(s.split(sep, maxsplit)))
            b = run(lambda: SEP.join(s.rsplit(sep, maxsplit)))
            rows.append((c_str(s), c_str(sep) if sep is not None else 'NULL', str(maxsplit), c_str(a), c_str(b)))
emit('split_cases', 'struct split_case', rows)

rows = []
for s in texts:
    sl = [s.upper(), s.lower(), s.capitalize(), s.title(), s.swapcase(), s.casefold()]
    pred = [s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalpha(), s.isalnum(), s.isspace(),
            s.isupper(), s.islower(), s.istitle(), s.isidentifier(), s.isprintable(), s.isascii()]
    mask = sum(1 << i for i, p in enumerate(pred) if p)
    lines = SEP.join(s.splitlines()) + '\x02' + SEP.join(s.splitlines(True))
    strip = SEP.join([s.strip(), s.lstrip(), s.rstrip(), s.strip('a,'), s.strip('\u4e2d\u6587')])
    pads = SEP.join([s.center(15, '*'), s.center(16), s.ljust(12, '\u00b7'), s.rjust(12), s.zfill(14),
                     s.expandtabs(), s.expandtabs(3), s.replace('a', 'XY'), s.replace('', '-', 4),
                     s.replace('l', '', 1), s.replace('\u4e2d', 'Z')])
    parts = SEP.join(list(s.partition(' ')) + list(s.rpartition(' ')) + list(s.partition('\u6587')))
    slices = SEP.join([s[1:], s[::-1], s[::2], s[-3:], s[1:-1:3], s[5:1:-2], s[100:]])
    rows.append([c_str(s)] + [c_str(x) for x in sl] + [str(mask), c_str(lines), c_str(strip),
                c_str(pads), c_str(parts), c_str(slices)])
emit('method_cases', 'struct method_case', rows)

# ---- str.format templates -----------------------------------------------
KW = {'x': 'X!', 'n': 42}
rows = []
for fmt, args in [
        ('{} {}', (1, 'a')), ('{0}{1}{0}', ('a', 'b')), ('{:>5}|{:<5}|{:^5}', (1, 'ab', 2.5)),
        ('{0:{1}}', (3.14159, '.2f')), ('{:{}}|{}', (1, 5, 7)), ('{0:{1}.{2}f}', (2.71828, 10, 3)),
        ('{x} {n:05d}', ()), ('{0!r} {0!s} {0!a}', ('caf\u00e9',)), ('{!r:>8}', ('a',)),
        ('{{}} {{{0}}}', (1,)), ('{0[1]}{0[0]}', ('ab',)), ('}}{{', ()), ('{', ()), ('}', ()),
        ('{0', (1,)), ('{0!', (1,)), ('{0!x}', (1,)), ('{0!rr}', (1,)), ('{0:{1}', (1, 2)),
        ('{}{0}', (1,)), ('{0}{}', (1,)), ('{1}', (1,)), ('{}', ()), ('{a{}', ()), ('{0[}', ('ab',)),
        ('{0.}', (1,)), ('{0:{1:{2}}}', (1, 2, 3)), ('{0!}', (1,)), ('{0:}}', (1,)),
        ('{99999999999999999999}', (1,)), ('{0[0]x}', ('ab',)), ('{0:d}', ('s',)), ('{0:,}', (1234567,)),
        ('\u4e2d{0:\u00b7^7}\u6587', ('\u00e9',)), ('{:%}', (0.25,)), ('{0:{1}{2}}', (42, '>', 6)),
        ('{0!s:*^9}', (1.5,)), ('plain text', ()), ('', ()), ('{0:}', ('x',))]:
    exp = run(lambda: fmt.format(*args, **KW))
    argv = [arg_c(a) for a in args]
    while len(argv) < 3:
        argv.append('{PA_NONE, 0, 0, NULL}')
    rows.append((c_str(fmt), str(len(args)), '{' + ', '.join(argv[:3]) + '}', c_str(exp)))
emit('template_cases', 'struct percent_case', rows)
