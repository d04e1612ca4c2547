import { useState } from "react";

/** "system" follows the OS; the others are chosen in the app and kept in this browser. */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** Read before the first paint by public/theme.js too: keep the key and values in step with it. */
const STORAGE_KEY = "parley-theme";

function isTheme(value: unknown): value is Theme {
  return THEMES.some((theme) => theme === value);
}

function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isTheme(value) ? value : "system";
  } catch {
    return "system";
  }
}

function applyTheme(theme: Theme): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  try {
    if (theme === "system") localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage refused (privacy mode): the choice lasts until the page is left.
  }
}

/** The theme in use and a way to choose another: applied at once and remembered in this browser. */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState(storedTheme);
  return [
    theme,
    (next) => {
      applyTheme(next);
      setTheme(next);
    },
  ];
}
