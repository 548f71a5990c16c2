import { useEffect, useRef, useState } from "react";
import type { EChartsCoreOption } from "./echarts";

/** The current theme as set on <html>, following changes, so charts redraw in the theme's colours. */
const readTheme = () =>
  (document.documentElement.dataset.theme ??
    (window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light")) as "light" | "dark";

function useDocumentTheme(): "light" | "dark" {
  const [theme, setTheme] = useState(readTheme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(readTheme()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

/** Colours of the CSS theme, read when drawing, so a chart matches the page. */
const cssColor = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * One ECharts chart, the library loaded on first use. `points` (how many data points it draws) is exposed as
 * `data-points` so tests can tell an empty chart from a drawn one.
 */
export function EChart({ option, label, points }: { option: EChartsCoreOption; label: string; points: number }) {
  const element = useRef<HTMLDivElement>(null);
  const theme = useDocumentTheme();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let disposed = false;
    let dispose = () => {};
    void import("./echarts").then(({ echarts }) => {
      if (disposed || !element.current) return;
      const chart = echarts.init(element.current, theme === "dark" ? "dark" : undefined, { renderer: "canvas" });
      const text = cssColor("--muted");
      chart.setOption({
        backgroundColor: "transparent",
        textStyle: { color: text, fontFamily: "system-ui, sans-serif" },
        grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        legend: { top: 0, itemWidth: 12, itemGap: 8, textStyle: { color: text } },
        animation: false,
        ...option,
      });
      const resize = new ResizeObserver(() => chart.resize());
      resize.observe(element.current);
      setReady(true);
      dispose = () => {
        resize.disconnect();
        chart.dispose();
      };
    });
    return () => {
      disposed = true;
      dispose();
    };
  }, [option, theme]);
  return (
    <div
      ref={element}
      className="chart"
      role="img"
      aria-label={label}
      data-testid="chart"
      data-points={points}
      data-ready={ready}
    />
  );
}
