import { useCallback, useEffect, useState } from "react";

export type Theme = "light" | "dark";
/** localStorage key; index.html reads it before the first paint. */
export const THEME_STORAGE_KEY = "settlescan:theme";

const systemTheme = (): Theme => (window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light");

/** The current theme (stored choice, else the system's) and a toggle that stores the choice. */
export function useTheme() {
  const [theme, setTheme] = useState<Theme>(() => {
    const stored = document.documentElement.dataset.theme;
    return stored === "light" || stored === "dark" ? stored : systemTheme();
  });
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const toggle = useCallback(() => {
    setTheme((current) => {
      const next = current === "dark" ? "light" : "dark";
      try {
        localStorage.setItem(THEME_STORAGE_KEY, next);
      } catch {}
      return next;
    });
  }, []);
  return { theme, toggle };
}
