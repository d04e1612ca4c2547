// The human-readable start banner, on stderr (stdout stays pure JSON logs).
import { availableParallelism } from "node:os";

export interface BannerFacts {
  url: string;
  databaseDescription: string;
  demo: boolean;
  adminExists: boolean;
  /** Server processes sharing the port. */
  workers: number;
  /** PARLEY_WORKERS was left unset. */
  workersDefaulted: boolean;
}

export function printBanner(facts: BannerFacts): void {
  const lines = ["", `  Parley is running: ${facts.url}`, `  Database: ${facts.databaseDescription}`];
  const cores = availableParallelism();
  if (facts.workers > 1) {
    lines.push(
      `  Workers: ${facts.workers} processes on one port (PARLEY_WORKERS), sharing answers over Redis`,
    );
  } else if (facts.workersDefaulted && cores > 1) {
    lines.push(
      `  Workers: 1 process; set REDIS_URL and DATABASE_URL to use all ${cores} cores (PARLEY_WORKERS)`,
    );
  }
  if (facts.demo) {
    lines.push(
      "  DEMO MODE: no AWS credentials found, so answers come from the built-in fake Bedrock server",
      "  and new accounts get demo credits. Configure AWS credentials (or DEMO_MODE=false) for real models.",
    );
  }
  if (!facts.adminExists) {
    lines.push(
      "  No admin yet. Create one with:",
      "    npm run admin:create -- --email you@example.com",
      "  (or set ADMIN_EMAIL and ADMIN_PASSWORD before starting).",
    );
  }
  console.error(`${lines.join("\n")}\n`);
}
