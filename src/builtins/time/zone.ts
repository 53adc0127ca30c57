/** Whether `zone` is an IANA time zone this runtime knows. */
export function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Throws a message that names the bad zone and says what a zone looks like. */
export function checkZone(zone: string, argument: string): string {
  if (!isZone(zone)) throw new Error(`${argument}: "${zone}" is not an IANA time zone (e.g. "Europe/Paris", "America/New_York", "UTC")`);
  return zone;
}

/** The wall-clock parts of `instant` in `zone`. */
export function partsIn(instant: Date, zone: string): { date: string; time: string; offset: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', weekday: 'long', timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}`, offset, weekday: String(parts.weekday) };
}

/** The offset of `zone` from UTC at `instant`, in minutes. */
export function offsetMinutes(instant: Date, zone: string): number {
  const { offset } = partsIn(instant, zone);
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}
