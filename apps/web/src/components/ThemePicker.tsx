import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { Monitor, Moon, Sun } from "lucide-react";
import { useId } from "react";
import { THEMES, type Theme, useTheme } from "../lib/theme.ts";

const LABELS: Record<Theme, MessageDescriptor> = {
  system: msg`System`,
  light: msg`Light`,
  dark: msg`Dark`,
};
const ICONS = { system: Monitor, light: Sun, dark: Moon } as const;

function isTheme(value: string): value is Theme {
  return THEMES.some((theme) => theme === value);
}

/** Light, dark, or the system's: a native select, so keyboards and screen readers just work. */
export function ThemePicker() {
  const { t } = useLingui();
  const id = useId();
  const [theme, setTheme] = useTheme();
  const Icon = ICONS[theme];
  return (
    <div className="relative flex items-center">
      <label htmlFor={id} className="sr-only">
        <Trans>Theme</Trans>
      </label>
      <Icon aria-hidden="true" className="pointer-events-none absolute left-2 size-4 text-fg-muted" />
      <select
        id={id}
        value={theme}
        onChange={(event) => isTheme(event.target.value) && setTheme(event.target.value)}
        className="h-9 cursor-pointer appearance-none rounded-lg bg-transparent pr-2 pl-8 text-sm text-fg-muted hover:bg-surface-muted hover:text-fg"
      >
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {t(LABELS[value])}
          </option>
        ))}
      </select>
    </div>
  );
}
