/** Number formatting for the admin screens: credits, their dollar value, tokens, durations. */

/** 1 credit = US$0.00001, i.e. 100,000 credits to the dollar. */
export const CREDITS_PER_USD = 100_000;

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const signed = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const usdLarge = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });
const usdSmall = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 5,
});
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const mediumDateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const longDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

export function formatNumber(value: number): string {
  return integer.format(value);
}

/** "+1,000", "−250", "0". */
export function formatSigned(value: number): string {
  return signed.format(value);
}

/** "12K", "3.4M": for chart axes. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** The dollar value of a number of credits; small amounts keep their fractions of a cent. */
export function creditsToUsd(credits: number): string {
  const usd = credits / CREDITS_PER_USD;
  return Math.abs(usd) >= 1 ? usdLarge.format(usd) : usdSmall.format(usd);
}

/** The dollar price of a million tokens, for a price in credits per 1,000 tokens. */
export function usdPerMillionTokens(per1k: number): string {
  return usdLarge.format((per1k * 1000) / CREDITS_PER_USD);
}

/** "Nov 3, 2026": a date that fits a small card. */
export function formatMediumDate(date: Date): string {
  return mediumDateFormat.format(date);
}

/** "Nov 3" for a UTC day "YYYY-MM-DD". */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** "Nov 3, 2026" for a UTC day "YYYY-MM-DD". */
export function formatLongDay(day: string): string {
  return longDayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** "45s", "3m 05s", "2h 07m": how long something has been going. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/**
 * Parses a whole number typed by a person: thousands separators and spaces are ignored, and a
 * typographic minus counts as one. Returns null for anything that is not a whole number.
 */
export function parseWholeNumber(text: string): number | null {
  const cleaned = text.replace(/[\s,_']/g, "").replace(/^\u2212/, "-");
  if (!/^[+-]?\d+$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * A timestamp from the API as a Date. Some figures (an account's next expiry) come straight from
 * SQL and arrive as PostgreSQL text ("2026-12-22 03:01:12.313637+00") although typed as Date, so
 * both are accepted. Null for anything unreadable.
 */
export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== "string") return null;
  const iso = value
    .trim()
    .replace(" ", "T")
    .replace(/([+-]\d{2})$/, "$1:00")
    .replace(/(\.\d{3})\d+/, "$1");
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
