import { CronTime } from 'cron';

/**
 * A tick may fire a little before its scheduled second (timer precision): it still
 * belongs to the period starting at that second, not to the one before.
 */
const EARLY_TICK_TOLERANCE_MS = 500;

/**
 * The start of the period a tick of `cron` fired at `at` belongs to: the latest time
 * the expression schedules at or before `at` (in the process's time zone, as `@Cron`
 * and `CronJob` use). A tick that fires late (a busy event loop, a second instance
 * whose clock or start lags) still names the period of the tick it is late for.
 *
 * The cron library only steps forwards, so this looks back over a doubling window
 * until the window holds a scheduled time, then steps to the last one before `at`:
 * a handful of steps whatever the period (a minute, an hour, a day, a month).
 */
export function cronPeriodStart(cron: string, at: Date): Date {
  const time = new CronTime(cron);
  const end = at.getTime() + EARLY_TICK_TOLERANCE_MS;
  for (let window = 1_000; window <= 400 * 24 * 3600 * 1000; window *= 2) {
    let start = time.getNextDateFrom(new Date(end - window)).toJSDate();
    if (start.getTime() > end) {
      continue;
    }
    for (let next = time.getNextDateFrom(start).toJSDate(); next.getTime() <= end;) {
      start = next;
      next = time.getNextDateFrom(start).toJSDate();
    }
    return start;
  }
  throw new Error(`cron expression ${cron} schedules nothing in the past 400 days`);
}
