/**
 * Chart colours as CSS variables, set on the chart's frame (ChartCard) with lighter values in dark
 * mode. Kept apart from charts.tsx so pages can name colours without loading the chart library.
 */
export const CHART_COLORS = {
  primary: "var(--chart-1)",
  secondary: "var(--chart-2)",
} as const;
