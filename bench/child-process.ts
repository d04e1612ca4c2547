import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** A process a benchmark started: its address, its pid, and a stop that waits for it to exit. */
export interface StartedProcess {
  child: ChildProcess;
  /** What the ready line's first group matched (the address it listens on). */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** What a Parley server prints once it listens. */
export const PARLEY_READY = /Parley is running: (\S+)/;

/**
 * Spawns `command args` and resolves once its output matches `ready`; rejects, with what it
 * printed, if it exits first.
 */
export function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp = PARLEY_READY,
): Promise<StartedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    let seen = "";
    const onData = (data: Buffer) => {
      seen += data.toString();
      const url = ready.exec(seen)?.[1];
      if (url && child.pid) {
        resolve({
          child,
          url,
          pid: child.pid,
          async stop() {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`${args.at(-1) ?? command} exited with ${code}:\n${seen}`)),
    );
  });
}

/**
 * A Parley server process (apps/server/src/main.ts) on `databaseUrl`, as the benchmarks run it: a
 * free port, warnings only, no demo mode, no sign-up credits; `env` adds or overrides. With
 * BENCH_PROFILE=DIR it writes a V8 CPU profile into DIR when it exits.
 */
export function startParleyServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<StartedProcess> {
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const main = join(import.meta.dirname, "..", "apps", "server", "src", "main.ts");
  return startProcess(process.execPath, [...profile, main], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: "0",
    LOG_LEVEL: "warn",
    DEMO_MODE: "false",
    SIGNUP_CREDITS: "0",
    ...env,
  });
}
