// The SPA's languages. English is the source language: the Lingui macros keep each English
// message in the bundle (`descriptorFields: "message"` in vite.config.ts), so English needs no
// catalog download; any other language loads its compiled catalog once, before the app renders.
import { i18n, type Messages } from "@lingui/core";
import { compileMessage } from "@lingui/message-utils/compileMessage";

export const LOCALES = { en: "English", de: "Deutsch" } as const;
export type AppLocale = keyof typeof LOCALES;

const STORAGE_KEY = "parley.locale";

type Catalog = Promise<{ messages: Messages }>;
/** Each language's catalogs, one per area of the SPA (see lingui.config.ts). */
const catalogs: Record<Exclude<AppLocale, "en">, () => Catalog[]> = {
  de: () => [
    import("../locales/de/app.po"),
    import("../locales/de/chat.po"),
    import("../locales/de/admin.po"),
  ],
};

// English messages arrive uncompiled (straight from the source); this compiles each on first use.
i18n.setMessagesCompiler(compileMessage);

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && Object.hasOwn(LOCALES, value);
}

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, sandboxed frame): fall back to the browser's
  }
}

/** The language chosen in the picker, else the browser's first supported one, else English. */
export function preferredLocale(): AppLocale {
  const stored = storedLocale();
  if (isAppLocale(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (isAppLocale(base)) return base;
  }
  return "en";
}

export async function activateLocale(locale: AppLocale): Promise<void> {
  const loaded = locale === "en" ? [] : await Promise.all(catalogs[locale]());
  const messages: Messages = Object.assign({}, ...loaded.map((catalog) => catalog.messages));
  i18n.loadAndActivate({ locale, messages });
  document.documentElement.lang = locale;
}

/** Switches the language now and remembers it for the next visit. */
export async function changeLocale(locale: AppLocale): Promise<void> {
  await activateLocale(locale);
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered, still switched.
  }
}
