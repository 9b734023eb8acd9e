import { periodsOwed } from './billing-period';

const iso = (periods: Array<{ start: Date; end: Date }>) =>
  periods.map(({ start, end }) => [start.toISOString(), end.toISOString()]);

describe('periodsOwed', () => {
  const anchor = new Date('2027-01-31T10:00:00.000Z');

  it('is every period from the stored end up to the one holding now, on the anchor day', () => {
    expect(
      iso(periodsOwed(anchor, 'month', new Date('2027-02-28T10:00:00.000Z'), new Date('2027-05-01T00:00:00.000Z'))),
    ).toEqual([
      ['2027-02-28T10:00:00.000Z', '2027-03-31T10:00:00.000Z'],
      ['2027-03-31T10:00:00.000Z', '2027-04-30T10:00:00.000Z'],
      ['2027-04-30T10:00:00.000Z', '2027-05-31T10:00:00.000Z'],
    ]);
  });

  it('owes the next period from the very millisecond the current one ends, and nothing before', () => {
    const end = new Date('2027-02-28T10:00:00.000Z');
    expect(periodsOwed(anchor, 'month', end, new Date(end.getTime() - 1))).toEqual([]);
    expect(iso(periodsOwed(anchor, 'month', end, end))).toEqual([
      ['2027-02-28T10:00:00.000Z', '2027-03-31T10:00:00.000Z'],
    ]);
  });

  it('counts 34 monthly periods for a subscription 34 periods behind, and yearly ones by the year', () => {
    const start = new Date('2024-02-29T00:00:00.000Z');
    const owed = periodsOwed(
      start,
      'month',
      new Date('2024-03-29T00:00:00.000Z'),
      new Date('2026-12-29T00:00:00.000Z'),
    );
    expect(owed).toHaveLength(34);
    expect(owed.at(-1)?.end.toISOString()).toBe('2027-01-29T00:00:00.000Z');
    expect(
      iso(periodsOwed(start, 'year', new Date('2025-02-28T00:00:00.000Z'), new Date('2026-03-01T00:00:00.000Z'))),
    ).toEqual([
      ['2025-02-28T00:00:00.000Z', '2026-02-28T00:00:00.000Z'],
      ['2026-02-28T00:00:00.000Z', '2027-02-28T00:00:00.000Z'],
    ]);
  });
});
