/**
 * Calendar dates as councils report them: "YYYY-MM-DD", no time of day. Arithmetic is on whole
 * days (UTC day numbers), so a due date is never off by one across a clock change.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date in YYYY-MM-DD form ("2023-02-30" is not one). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

// A plan's RAG ratings compare the same few dates thousands of times (every milestone and update of
// 2,000 actions against one "as at"): parsing each once keeps that out of the plan page's render.
const dayNumbers = new Map<string, number>();
const DAY_NUMBERS_KEPT = 10_000;

export function dayNumber(date: string): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const m = ISO_DATE.exec(date);
  if (!m || !isIsoDate(date)) throw new Error(`not a calendar date: ${date}`);
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  if (dayNumbers.size >= DAY_NUMBERS_KEPT) dayNumbers.clear();
  dayNumbers.set(date, day);
  return day;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

// en-CA formats as YYYY-MM-DD. Made once: constructing a formatter costs far more than using it.
const LONDON_DATE = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date in the partnership's time zone (Bury: Europe/London). */
export function todayInLondon(now: Date = new Date()): string {
  return LONDON_DATE.format(now);
}

/** The calendar date (Europe/London) of an ISO timestamp. */
export function londonDateOf(timestamp: string): string {
  return todayInLondon(new Date(timestamp));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "30 Jun 2022" */
export function formatDate(date: string): string {
  const m = ISO_DATE.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/**
 * The UK public-sector financial year quarter a date falls in: Q1 = April-June. "2022-06-30" ->
 * { label: "Q1 2022-23", start: "2022-04-01", end: "2022-06-30" }.
 */
export function financialQuarter(date: string): { label: string; key: string; start: string; end: string } {
  const dn = dayNumber(date);
  const d = new Date(dn * DAY_MS);
  const month = d.getUTCMonth(); // 0 = Jan
  const year = d.getUTCFullYear();
  const fyStart = month >= 3 ? year : year - 1;
  const q = month >= 3 ? Math.floor((month - 3) / 3) + 1 : 4;
  const startMonth = (3 + (q - 1) * 3) % 12;
  const startYear = q === 4 ? fyStart + 1 : fyStart;
  const start = `${startYear}-${String(startMonth + 1).padStart(2, "0")}-01`;
  const endDate = new Date(Date.UTC(startYear, startMonth + 3, 0));
  const end = endDate.toISOString().slice(0, 10);
  const fy = `${fyStart}-${String((fyStart + 1) % 100).padStart(2, "0")}`;
  return { label: `Q${q} ${fy}`, key: `${fyStart}-Q${q}`, start, end };
}
