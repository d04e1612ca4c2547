import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";

/**
 * The zero-configuration database: PGlite (PostgreSQL compiled to WebAssembly) keeping its files
 * in `dataDir`, served over the PostgreSQL wire protocol on a loopback port so the ordinary
 * `@mikro-orm/postgresql` driver talks to it exactly as it talks to a real server.
 *
 * It runs in a worker thread because PGlite executes on the thread that owns it: on the main
 * thread every query would stall the HTTP event loop. PGlite serialises all transactions across
 * connections, so it is correct but not fast; set DATABASE_URL to a real PostgreSQL for production.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  /** Must be at least the ORM's pool size: extra connections are refused by the socket server. */
  maxConnections: number;
}

export type EmbeddedWorkerMessage =
  | { type: "ready"; url: string }
  | { type: "stopped" }
  | { type: "error"; message: string };

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const worker = new Worker(new URL("./embedded-worker.ts", import.meta.url), {
    workerData: { dataDir, maxConnections: options.maxConnections },
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`embedded database worker exited with code ${code}`)));
    worker.once("message", (message: EmbeddedWorkerMessage) => {
      if (message.type === "ready") resolveUrl(message.url);
      else if (message.type === "error")
        reject(new Error(`embedded database failed to start: ${message.message}`));
    });
  });
  worker.removeAllListeners("exit");
  worker.removeAllListeners("error");

  return {
    url,
    async stop() {
      const stopped = new Promise<void>((done) => {
        worker.once("exit", () => done());
      });
      worker.postMessage("stop");
      await stopped;
    },
  };
}
