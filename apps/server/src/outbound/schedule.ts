/** When a report schedule next runs: the first whole hour `hour` (UTC) after `after`, on `weekday` for weekly ones. */
export function nextRunAfter(s: { cadence: string; weekday: number | null; hour: number }, after: Date): Date {
  const t = new Date(after);
  t.setUTCMinutes(0, 0, 0);
  t.setUTCHours(s.hour);
  if (t <= after) t.setUTCDate(t.getUTCDate() + 1);
  if (s.cadence === 'weekly' && s.weekday !== null) {
    while (t.getUTCDay() !== s.weekday) t.setUTCDate(t.getUTCDate() + 1);
  }
  return t;
}
