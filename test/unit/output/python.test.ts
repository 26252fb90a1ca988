// The CPython behaviours the formatters rely on. Expected values are what python3 prints.
import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  pyFloatRepr,
  pyNumber,
  pyRepr,
  pySplitlines,
  pyStr,
  pyStrip,
  pyStrRepr,
} from '../../../src/output/formats/python.js';

describe('python helpers', () => {
  it('pyFloatRepr matches repr(float)', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1e16, '1e+16'],
      [1e15 + 0.5, '1000000000000000.5'],
      [-1.5e-7, '-1.5e-07'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [2.5, '2.5'],
      [100, '100.0'],
      [1e21, '1e+21'],
      [-0, '-0.0'],
      [123.456, '123.456'],
      [1 / 3, '0.3333333333333333'],
      [NaN, 'nan'],
      [-Infinity, '-inf'],
    ];
    for (const [value, repr] of cases) expect(pyFloatRepr(value)).toBe(repr);
  });

  it('pyNumber prints integral JSON numbers as int', () => {
    expect(pyNumber(42)).toBe('42');
    expect(pyNumber(-0)).toBe('0');
    expect(pyNumber(2.5)).toBe('2.5');
    expect(pyNumber(1e22)).toBe('1e+22');
  });

  it('pyStrRepr matches repr(str)', () => {
    const cases: [string, string][] = [
      ["it's", `"it's"`],
      ['a\nb', "'a\\nb'"],
      ['\x00', "'\\x00'"],
      ['é', "'é'"],
      ['\xa0', "'\\xa0'"],
      ['\u200b', "'\\u200b'"],
      [`'"`, `'\\'"'`],
      ['😀', "'😀'"],
      ['\x7f', "'\\x7f'"],
      ['tab\t', "'tab\\t'"],
      ['\\', "'\\\\'"],
    ];
    for (const [value, repr] of cases) expect(pyStrRepr(value)).toBe(repr);
  });

  it('pyStr / pyRepr print containers and scalars as Python', () => {
    expect(pyStr('x')).toBe('x');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(null)).toBe('None');
    expect(pyRepr(['a', 1, null, false, { k: 'v' }])).toBe("['a', 1, None, False, {'k': 'v'}]");
    expect(pyRepr({ k: 1 }, () => true)).toBe("OrderedDict({'k': 1})");
  });

  it('compareCodePoints orders like Python str comparison', () => {
    const keys = ['b', 'B', 'a', '_', '\uff5e', '\u{1f600}', ''];
    // sorted(...) → ['', 'B', '_', 'a', 'b', '～', '😀']
    expect([...keys].sort(compareCodePoints)).toEqual(['', 'B', '_', 'a', 'b', '\uff5e', '\u{1f600}']);
  });

  it('pySplitlines and pyStrip follow str.splitlines / str.strip', () => {
    // 'a\r\nb\x0bc\x1cd\u2028e\n'.splitlines() → ['a', 'b', 'c', 'd', 'e']
    expect(pySplitlines('a\r\nb\x0bc\x1cd\u2028e\n')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pySplitlines('a\nb', true)).toEqual(['a\n', 'b']);
    expect(pySplitlines('')).toEqual([]);
    // ' \x1c\xa0x\u3000 '.strip() → 'x'; '\ufeffx'.strip() → '\ufeffx' (unlike String.prototype.trim)
    expect(pyStrip(' \x1c\xa0x\u3000 ')).toBe('x');
    expect(pyStrip('\ufeffx')).toBe('\ufeffx');
  });
});
