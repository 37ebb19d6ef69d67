import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, toCsv } from './csv';

describe('csv', () => {
  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['a;=cmd()', '"a;=cmd()"'], // Excel in many locales splits on ;
  ])('neutralises and quotes %j', (input, expected) => expect(csvCell(input)).toBe(expected));

  it('writes booleans, nulls, lists and dates', () => {
    expect(csvRow([true, false, null, ['a', 'b'], new Date('2026-01-02T03:04:05.678Z')])).toBe(
      'true,false,,"a;b",2026-01-02T03:04:05.678Z\r\n',
    );
  });

  it('neutralises every element of a list, each of which a ;-splitting spreadsheet makes a cell', () => {
    // Relay nicknames come from relay lists: a hostile one must not become a formula.
    expect(csvCell(['alpha', '=HYPERLINK("http://evil")', '@x'])).toBe(`"alpha;'=HYPERLINK(""http://evil"");'@x"`);
    expect(csvCell(['solo'])).toBe('solo');
  });

  it('keeps column order', () => {
    expect(toCsv(['b', 'a'], [{ a: 1, b: 2 }])).toBe('b,a\r\n2,1\r\n');
  });
});
