// The usage bar chart. recharts is large, so this module is only loaded lazily (UsageSection).
import { useEffect, useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompact, formatCredits, formatNumber } from "../../lib/format.ts";
import type { UsageDay } from "./usage-days.ts";

interface ThemeColors {
  bar: string;
  grid: string;
  text: string;
  surface: string;
  border: string;
  fg: string;
}

function readColors(): ThemeColors {
  const style = getComputedStyle(document.documentElement);
  const get = (name: string) => style.getPropertyValue(name).trim();
  return {
    bar: get("--brand"),
    grid: get("--border"),
    text: get("--fg-muted"),
    surface: get("--surface"),
    border: get("--border"),
    fg: get("--fg"),
  };
}

/** The theme's colours (SVG attributes cannot use CSS variables), following the OS's dark mode. */
function useThemeColors(): ThemeColors {
  const [colors, setColors] = useState(readColors);
  useEffect(() => {
    const dark = window.matchMedia("(prefers-color-scheme: dark)");
    const update = () => setColors(readColors());
    dark.addEventListener("change", update);
    return () => dark.removeEventListener("change", update);
  }, []);
  return colors;
}

export default function UsageChart({ days }: { days: UsageDay[] }) {
  const colors = useThemeColors();
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={days} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke={colors.grid} strokeDasharray="3 3" />
        <XAxis
          dataKey="label"
          tick={{ fill: colors.text, fontSize: 12 }}
          tickLine={false}
          axisLine={{ stroke: colors.grid }}
          interval="preserveStartEnd"
          minTickGap={16}
        />
        <YAxis
          tickFormatter={(value: number) => formatCompact(value)}
          tick={{ fill: colors.text, fontSize: 12 }}
          tickLine={false}
          axisLine={false}
          width={44}
          allowDecimals={false}
        />
        <Tooltip
          cursor={{ fill: colors.grid, opacity: 0.4 }}
          contentStyle={{
            background: colors.surface,
            border: `1px solid ${colors.border}`,
            borderRadius: 8,
            color: colors.fg,
            fontSize: 13,
          }}
          labelStyle={{ color: colors.fg, fontWeight: 600 }}
          formatter={(value, _name, item) => {
            const day = item.payload as UsageDay;
            return [
              `${formatCredits(Number(value))} · ${formatNumber(day.inputTokens + day.outputTokens)} tokens`,
              "Used",
            ];
          }}
        />
        <Bar dataKey="credits" name="Credits" fill={colors.bar} radius={[4, 4, 0, 0]} maxBarSize={28} />
      </BarChart>
    </ResponsiveContainer>
  );
}
