import { parseLsn } from './replica-catch-up';

describe('parseLsn (a pg_lsn as text, compared as a 64-bit position)', () => {
  it('orders positions by the high half first, then the low half, not as text', () => {
    const positions = ['0/16B3748', '0/9', '1/0', '0/FFFFFFFF', 'A/1', '2/10'];
    expect([...positions].sort((a, b) => (parseLsn(a) < parseLsn(b) ? -1 : 1))).toEqual([
      '0/9',
      '0/16B3748',
      '0/FFFFFFFF',
      '1/0',
      '2/10',
      'A/1',
    ]);
  });

  it('reads both hex halves', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('FFFFFFFF/FFFFFFFF')).toBe(2n ** 64n - 1n);
  });
});
