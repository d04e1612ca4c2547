import { useLingui } from "@lingui/react/macro";
import { type AppLocale, changeLocale, isAppLocale, LOCALES } from "../i18n/locales.ts";

/** A select of the SPA's languages; the choice applies at once and is remembered in this browser. */
export function LanguagePicker({ className = "" }: { className?: string }) {
  const { i18n, t } = useLingui();
  return (
    <label className={`inline-flex items-center gap-2 text-sm ${className}`}>
      <span className="sr-only">{t`Language`}</span>
      <select
        className="h-9 rounded-lg border border-border bg-surface px-2 text-sm text-fg"
        value={i18n.locale}
        onChange={(event) => {
          if (isAppLocale(event.target.value)) void changeLocale(event.target.value);
        }}
      >
        {(Object.entries(LOCALES) as [AppLocale, string][]).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
