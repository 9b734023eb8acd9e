import { findNulCharacters } from './nul-characters';

describe('findNulCharacters', () => {
  it('finds every string value or key holding U+0000, at any depth, with its path', () => {
    expect(
      findNulCharacters({ name: 'ok', items: [{ productId: 'a\u0000' }, { note: ['x', '\u0000'] }], ['k\u0000ey']: 1 }),
    ).toEqual(['items.0.productId', 'items.1.note.1', 'k\\0ey']);
    expect(findNulCharacters('\u0000')).toEqual(['']);
  });

  it('finds nothing in clean or non-string values', () => {
    expect(findNulCharacters({ a: 'text', b: 1, c: null, d: [true, { e: '%00' }], f: undefined })).toEqual([]);
    expect(findNulCharacters(undefined)).toEqual([]);
  });

  it('walks without recursion, so no depth can overflow the stack', () => {
    let deep: unknown = '\u0000';
    for (let level = 0; level < 100_000; level++) {
      deep = [deep];
    }
    expect(findNulCharacters(deep)).toHaveLength(1);
  });

  it('stops after the limit and survives cycles', () => {
    expect(
      findNulCharacters(
        Array.from({ length: 100 }, () => '\u0000'),
        5,
      ),
    ).toHaveLength(5);
    const cyclic: Record<string, unknown> = { a: '\u0000' };
    cyclic.self = cyclic;
    expect(findNulCharacters(cyclic)).toEqual(['a']);
  });
});
