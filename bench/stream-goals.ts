// bench:stream's closing lines: the stream goals of the speed issue, each Parley path's figure beside
// the direct path's from the same run, and whether it was met. Only the goals whose rows the run
// measured (BENCH_M, BENCH_RATES) are printed.
import type { RowFigures } from "./stream-table.ts";

/** One stream's TTFT p50 above the direct path's, for one way of sending. */
export interface SingleStreamOverhead {
  exchange: string;
  overheadMs: number;
}

/** Each path's figures (null: every round failed), by `rate/M` and then by path name. */
export type RunFigures = Map<string, Map<string, RowFigures | null>>;

/** The paced rate the goals are stated at (tokens/s per stream). */
const PACED = 50;

interface StreamGoal {
  m: number;
  what: string;
  /** The goal for this direct figure, as printed. */
  limit: (direct: RowFigures) => string;
  /** The path's figure as printed, and whether it meets the goal. */
  judge: (path: RowFigures, direct: RowFigures) => [string, boolean];
}

const ratio = (value: number, reference: number) => value / reference;

const GOALS: StreamGoal[] = [
  {
    m: 100,
    what: "TTFT p50",
    limit: (d) => `≤ 2× direct (${d.ttftP50.toFixed(1)} ms)`,
    judge: (p, d) => [`${ratio(p.ttftP50, d.ttftP50).toFixed(2)}×`, p.ttftP50 <= 2 * d.ttftP50],
  },
  {
    m: 100,
    what: "CPU per 1k tokens",
    limit: (d) => `≤ 1.5× direct (${d.cpuPer1k.toFixed(1)} ms)`,
    judge: (p, d) => [`${ratio(p.cpuPer1k, d.cpuPer1k).toFixed(2)}×`, p.cpuPer1k <= 1.5 * d.cpuPer1k],
  },
  ...[500, 1000].map(
    (m): StreamGoal => ({
      m,
      what: "wall/ideal",
      limit: (d) => `within 10 % of direct (${(d.wallOverIdeal ?? 0).toFixed(2)})`,
      judge: (p, d) => [
        (p.wallOverIdeal ?? 0).toFixed(2),
        (p.wallOverIdeal ?? Number.POSITIVE_INFINITY) <= 1.1 * (d.wallOverIdeal ?? 0),
      ],
    }),
  ),
];

export function goalLines(single: SingleStreamOverhead[], figures: RunFigures): string[] {
  const verdict = (met: boolean) => (met ? "met" : "missed");
  const lines = ["goals (each Parley figure against the direct path's in this run):"];
  for (const { exchange, overheadMs } of single) {
    lines.push(
      `  one stream, TTFT p50 over direct (${exchange}): +${overheadMs.toFixed(1)} ms, goal ≤ 8 ms: ${verdict(overheadMs <= 8)}`,
    );
  }
  for (const goal of GOALS) {
    const paths = figures.get(`${PACED}/${goal.m}`);
    const direct = paths?.get("direct");
    if (!paths || !direct) continue;
    const judged = [...paths]
      .filter(([name]) => name !== "direct")
      .map(([name, path]) => {
        if (!path) return `${name} failed`;
        const [shown, met] = goal.judge(path, direct);
        return `${name} ${shown} ${verdict(met)}`;
      });
    lines.push(
      `  ${goal.m} streams at ${PACED} tok/s, ${goal.what} ${goal.limit(direct)}: ${judged.join(", ")}`,
    );
  }
  return lines;
}
