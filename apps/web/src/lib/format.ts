import { i18n } from "@lingui/core";
import { plural, t } from "@lingui/core/macro";
import { CREDITS_PER_USD } from "@parley/validators";

/**
 * The locale to format for: the browser's own variant of the active language when it has one
 * (an English reader in London keeps day-month dates), else the language itself.
 */
function formattingLocale(): string {
  const language = i18n.locale || "en";
  const browser = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
  return browser.find((tag) => tag.toLowerCase().split("-")[0] === language) ?? language;
}

/** A formatter built for the active language, rebuilt when the language changes. */
function perLocale<T>(make: (locale: string) => T): () => T {
  let builtFor: string | undefined;
  let formatter: T | undefined;
  return () => {
    const locale = formattingLocale();
    if (formatter === undefined || builtFor !== locale) {
      builtFor = locale;
      formatter = make(locale);
    }
    return formatter;
  };
}

const dateFormat = perLocale((l) => new Intl.DateTimeFormat(l, { dateStyle: "long" }));
const dateTimeFormat = perLocale(
  (l) => new Intl.DateTimeFormat(l, { dateStyle: "medium", timeStyle: "short" }),
);
const relativeFormat = perLocale((l) => new Intl.RelativeTimeFormat(l, { numeric: "auto" }));

export function formatDate(date: Date): string {
  return dateFormat().format(date);
}

const timeFormat = perLocale((l) => new Intl.DateTimeFormat(l, { timeStyle: "medium" }));

/** "14:05:09" or "2:05:09 PM": a time of day, for "updated at". */
export function formatTime(date: Date): string {
  return timeFormat().format(date);
}

export function formatDateTime(date: Date): string {
  return dateTimeFormat().format(date);
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
    if (Math.abs(seconds) >= size) return relativeFormat().format(Math.trunc(seconds / size), unit);
  }
  return t`just now`;
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

const integerFormat = perLocale((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 }));
const signedFormat = perLocale(
  (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0, signDisplay: "exceptZero" }),
);
const compactFormat = perLocale(
  (l) => new Intl.NumberFormat(l, { notation: "compact", maximumFractionDigits: 1 }),
);
const usdLarge = perLocale((l) => new Intl.NumberFormat(l, { style: "currency", currency: "USD" }));
const usdSmall = perLocale(
  (l) =>
    new Intl.NumberFormat(l, {
      style: "currency",
      currency: "USD",
      minimumFractionDigits: 2,
      maximumFractionDigits: 5,
    }),
);
const dayFormat = perLocale(
  (l) => new Intl.DateTimeFormat(l, { month: "short", day: "numeric", timeZone: "UTC" }),
);
const mediumDateFormat = perLocale((l) => new Intl.DateTimeFormat(l, { dateStyle: "medium" }));
const longDayFormat = perLocale((l) => new Intl.DateTimeFormat(l, { dateStyle: "medium", timeZone: "UTC" }));

/** A whole number with the locale's grouping: 12,345. */
export function formatNumber(value: number): string {
  return integerFormat().format(value);
}

/** "+1,000", "−250", "0". */
export function formatSigned(value: number): string {
  return signedFormat().format(value);
}

/** 1.2K, 3.4M: for tight spots (chart axes); the exact figure is always shown nearby. */
export function formatCompact(value: number): string {
  return compactFormat().format(value);
}

/** "1 credit", "12,345 credits". */
export function formatCredits(value: number): string {
  return plural(value, { one: "# credit", other: "# credits" });
}

/** A number of credits in US dollars, for CSV files: 1,234 credits → 0.01234. */
export function creditsToDollars(credits: number): number {
  return credits / CREDITS_PER_USD;
}

/** The dollar value of a number of credits; small amounts keep their fractions of a cent. */
export function formatUsd(credits: number): string {
  const usd = creditsToDollars(credits);
  return Math.abs(usd) >= 1 ? usdLarge().format(usd) : usdSmall().format(usd);
}

/** The dollar price of a million tokens, for a price in credits per 1,000 tokens. */
export function usdPerMillionTokens(per1k: number): string {
  return usdLarge().format((per1k * 1000) / CREDITS_PER_USD);
}

/** "Nov 3, 2026": a date that fits a small card. */
export function formatMediumDate(date: Date): string {
  return mediumDateFormat().format(date);
}

/** "Nov 3" for a UTC day "YYYY-MM-DD". */
export function formatDay(day: string): string {
  return dayFormat().format(new Date(`${day}T00:00:00Z`));
}

/** "Nov 3, 2026" for a UTC day "YYYY-MM-DD". */
export function formatLongDay(day: string): string {
  return longDayFormat().format(new Date(`${day}T00:00:00Z`));
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

/** A file size: "820 bytes", "14 KB", "2.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
