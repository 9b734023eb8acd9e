import { cronPeriodStart } from './cron-period';

const at = (iso: string) => new Date(iso);

describe('cronPeriodStart (process time zone UTC in these cases)', () => {
  const utc = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    process.env.TZ = utc;
  });

  it.each([
    ['17 3 * * *', '2026-12-05T03:17:00.000Z', '2026-12-05T03:17:00.000Z'],
    ['17 3 * * *', '2026-12-05T09:00:00.000Z', '2026-12-05T03:17:00.000Z'],
    ['17 3 * * *', '2026-12-06T03:16:00.000Z', '2026-12-05T03:17:00.000Z'],
    ['23 * * * *', '2026-12-05T10:59:59.000Z', '2026-12-05T10:23:00.000Z'],
    ['0 * * * * *', '2026-12-05T10:00:42.500Z', '2026-12-05T10:00:00.000Z'],
    ['0 0 1 * *', '2026-12-31T23:00:00.000Z', '2026-12-01T00:00:00.000Z'],
  ])('%s fired at %s belongs to the period from %s', (cron, firedAt, start) => {
    expect(cronPeriodStart(cron, at(firedAt))).toEqual(at(start));
  });

  it('gives a tick that fires a moment early the period of its scheduled second', () => {
    expect(cronPeriodStart('17 3 * * *', at('2026-12-05T03:16:59.995Z'))).toEqual(at('2026-12-05T03:17:00.000Z'));
  });

  it('gives a late tick and an on-time one the same period, and the next tick the next period', () => {
    const onTime = cronPeriodStart('0 * * * *', at('2026-12-05T10:00:00.010Z'));
    const late = cronPeriodStart('0 * * * *', at('2026-12-05T10:00:09.000Z'));
    const next = cronPeriodStart('0 * * * *', at('2026-12-05T11:00:00.010Z'));
    expect(late).toEqual(onTime);
    expect(next.getTime() - onTime.getTime()).toBe(3600_000);
  });
});
