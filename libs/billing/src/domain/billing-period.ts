export type PlanInterval = 'month' | 'year';

/**
 * The end of a billing period that starts at `start`, following the calendar and
 * keeping the subscription's anchor day: a period anchored on the 31st runs
 * 31 Jan -> 28/29 Feb -> 31 Mar. `periodIndex` counts periods from the anchor, so the
 * anchor day is never lost to a short month. Times are UTC.
 */
export function periodBoundary(anchor: Date, interval: PlanInterval, periodIndex: number): Date {
  const months = interval === 'month' ? periodIndex : periodIndex * 12;
  return addCalendarMonths(anchor, months);
}

export function addCalendarMonths(anchor: Date, months: number): Date {
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      targetYear,
      targetMonth,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** The period following [start, end): index of `end` relative to the anchor plus one. */
export function nextPeriod(anchor: Date, interval: PlanInterval, currentEnd: Date): { start: Date; end: Date } {
  let index = 1;
  while (periodBoundary(anchor, interval, index).getTime() <= currentEnd.getTime()) {
    index++;
  }
  return { start: currentEnd, end: periodBoundary(anchor, interval, index) };
}

/**
 * Every period owed after [.., currentEnd) up to `now`: from currentEnd, back to back,
 * until the one that holds `now` (start <= now < end). Empty if currentEnd is still ahead.
 * The boundaries are counted from the anchor, as nextPeriod does, so a run that catches up
 * 34 periods lands on exactly the dates 34 single renewals would have.
 */
export function periodsOwed(
  anchor: Date,
  interval: PlanInterval,
  currentEnd: Date,
  now: Date,
): Array<{ start: Date; end: Date }> {
  const periods: Array<{ start: Date; end: Date }> = [];
  let index = 1;
  while (periodBoundary(anchor, interval, index).getTime() <= currentEnd.getTime()) {
    index++;
  }
  let start = currentEnd;
  while (start.getTime() <= now.getTime()) {
    const end = periodBoundary(anchor, interval, index++);
    periods.push({ start, end });
    start = end;
  }
  return periods;
}
