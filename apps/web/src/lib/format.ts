const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "long" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "5 minutes ago", "yesterday"; anything under a minute reads "just now". */
export function formatRelative(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

/** Up to two initials for an avatar, e.g. "Ada Lovelace" -> "AL", "ada" -> "AD". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  // Array.from splits by code point, so an emoji or accented name is not cut in half.
  const first = Array.from(parts[0] ?? "");
  const last = parts.length > 1 ? Array.from(parts[parts.length - 1] ?? "") : [];
  const letters = last.length > 0 ? [first[0], last[0]] : first.slice(0, 2);
  return letters.join("").toUpperCase();
}

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const usdFormat = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 5,
});

/** A whole number with the locale's grouping: 12,345. */
export function formatNumber(value: number): string {
  return integerFormat.format(value);
}

/** 1.2K, 3.4M: for tight spots (chart axes); the exact figure is always shown nearby. */
export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

/** One credit is US$0.00001. */
export const USD_PER_CREDIT = 0.000_01;

/** "1 credit", "12,345 credits". */
export function formatCredits(value: number): string {
  return `${formatNumber(value)} ${Math.abs(value) === 1 ? "credit" : "credits"}`;
}

/** The dollar value of a number of credits, e.g. 1,234 credits → "$0.01234". */
export function formatUsd(credits: number): string {
  return usdFormat.format(credits * USD_PER_CREDIT);
}
