// The rows of bench:stream's table: one per path for each (rate, M), each figure the median of the
// path's rounds (BENCH_ROUNDS), in which the paths took turns.

/** What one path measured in one round of M chats. */
export interface PathResult {
  ttft: number[];
  wallMs: number;
  tokensDelivered: number;
  /** Events carrying text each chat's client received (tokens coalesced into one are one). */
  textEvents: number;
  cpuMs: number;
  /** CPU ms of each process of the path, by name (primary, worker 1, …). */
  cpuByProcess?: Record<string, number>;
  /** Peak growth of the servers' RSS over the round, per chat (Parley's paths). */
  rssPerStreamKiB?: number;
  /** PostgreSQL's CPU (null: it runs elsewhere) and this process's, the clients' (Parley's paths). */
  postgresCpuMs?: number | null;
  clientCpuMs?: number;
}

/** Why a path could not finish a round (a path far behind on a loaded machine can time out). */
export type Failed = { failed: string };

export const TABLE_HEADER =
  "rate  M     path       tokens/s  CPU ms/1k tok  TTFT p50  TTFT p99 (ms)  RSS/stream  text events/chat  wall/ideal  CPU s  per process (s)";

/** A row's figures; per-process CPU (and PostgreSQL's, the clients') as named CPU seconds. */
export interface RowFigures {
  tokensPerSecond: number;
  cpuPer1k: number;
  ttftP50: number;
  ttftP99: number;
  rssPerStreamKiB: number | null;
  textEventsPerChat: number;
  wallOverIdeal: number | null;
  cpuSeconds: number;
  processes: Record<string, number>;
  neighbours: Record<string, number>;
}

function figuresOf(r: PathResult, m: number, idealMs: number | null): RowFigures {
  const neighbours: Record<string, number> = {};
  if (r.postgresCpuMs !== undefined && r.postgresCpuMs !== null) neighbours.postgres = r.postgresCpuMs / 1000;
  if (r.clientCpuMs !== undefined) neighbours.client = r.clientCpuMs / 1000;
  return {
    tokensPerSecond: (r.tokensDelivered / r.wallMs) * 1000,
    cpuPer1k: (r.cpuMs / r.tokensDelivered) * 1000,
    ttftP50: percentile(r.ttft, 0.5),
    ttftP99: percentile(r.ttft, 0.99),
    rssPerStreamKiB: r.rssPerStreamKiB ?? null,
    textEventsPerChat: r.textEvents / m,
    wallOverIdeal: idealMs ? r.wallMs / idealMs : null,
    cpuSeconds: r.cpuMs / 1000,
    processes: Object.fromEntries(
      Object.entries(r.cpuByProcess ?? { client: r.cpuMs }).map(([name, ms]) => [name, ms / 1000]),
    ),
    neighbours,
  };
}

/**
 * Each figure's median over the rounds (a figure missing from a round is left out of it), but RSS
 * per stream, the first round's.
 */
function medianFigures(rounds: RowFigures[]): RowFigures {
  const of = (pick: (f: RowFigures) => number | null | undefined): number | null => {
    const values = rounds.map(pick).filter((v): v is number => typeof v === "number");
    return values.length === 0 ? null : median(values);
  };
  const named = (pick: (f: RowFigures) => Record<string, number>) => {
    const names = [...new Set(rounds.flatMap((f) => Object.keys(pick(f))))];
    return Object.fromEntries(names.map((name) => [name, of((f) => pick(f)[name]) ?? 0]));
  };
  return {
    tokensPerSecond: of((f) => f.tokensPerSecond) ?? 0,
    cpuPer1k: of((f) => f.cpuPer1k) ?? 0,
    ttftP50: of((f) => f.ttftP50) ?? 0,
    ttftP99: of((f) => f.ttftP99) ?? 0,
    // The first round's: later rounds start on a heap the earlier ones already grew.
    rssPerStreamKiB: rounds[0]?.rssPerStreamKiB ?? null,
    textEventsPerChat: of((f) => f.textEventsPerChat) ?? 0,
    wallOverIdeal: of((f) => f.wallOverIdeal),
    cpuSeconds: of((f) => f.cpuSeconds) ?? 0,
    processes: named((f) => f.processes),
    neighbours: named((f) => f.neighbours),
  };
}

/** The median of the rounds that finished (null: none did). */
export function pathFigures(
  m: number,
  results: (PathResult | Failed)[],
  idealMs: number | null,
): RowFigures | null {
  const done = results.filter((r): r is PathResult => !("failed" in r));
  return done.length === 0 ? null : medianFigures(done.map((r) => figuresOf(r, m, idealMs)));
}

/**
 * The path's row for (rate, M): its figures (`pathFigures`), or why every round failed. With more
 * than one round, the rounds that failed are counted after the row.
 */
export function tableRow(
  rate: number,
  m: number,
  name: string,
  results: (PathResult | Failed)[],
  f: RowFigures | null,
): string {
  const lead = `${String(rate || "max").padEnd(5)} ${String(m).padEnd(5)} ${name.padEnd(10)}`;
  const failures = results.filter((r): r is Failed => "failed" in r);
  if (!f) return `${lead} failed: ${failures[0]?.failed ?? "no rounds"}`;
  const list = (named: Record<string, number>) =>
    Object.entries(named)
      .map(([process, seconds]) => `${process} ${seconds.toFixed(1)}`)
      .join(", ");
  const neighbours = Object.entries(f.neighbours)
    .map(([process, seconds]) => `; ${process} ${seconds.toFixed(1)}`)
    .join("");
  const failed = failures.length > 0 ? ` (${failures.length} of ${results.length} rounds failed)` : "";
  return [
    lead,
    f.tokensPerSecond.toFixed(0).padStart(9),
    f.cpuPer1k.toFixed(1).padStart(14),
    f.ttftP50.toFixed(1).padStart(9),
    f.ttftP99.toFixed(1).padStart(9),
    (f.rssPerStreamKiB === null ? "-" : `${f.rssPerStreamKiB.toFixed(0)} KiB`).padStart(16),
    f.textEventsPerChat.toFixed(0).padStart(17),
    (f.wallOverIdeal === null ? "-" : f.wallOverIdeal.toFixed(2)).padStart(11),
    f.cpuSeconds.toFixed(1).padStart(7),
    ` ${list(f.processes)}${neighbours}${failed}`,
  ].join(" ");
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
