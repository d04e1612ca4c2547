// Runs inside a worker thread started by embedded.ts: owns the PGlite instance and its socket server.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { EmbeddedWorkerMessage } from "./embedded.ts";

const { dataDir, maxConnections } = workerData as { dataDir: string; maxConnections: number };
const port = parentPort;
if (!port) throw new Error("embedded-worker.ts must run in a worker thread");
const send = (message: EmbeddedWorkerMessage) => port.postMessage(message);

// PostgreSQL's memory settings for one user on one machine. PGlite's memory (WebAssembly) only ever
// grows: what a query or a migration touches once stays resident, so the ceilings are kept low.
const memorySettings = {
  shared_buffers: "8MB",
  wal_buffers: "512kB",
  temp_buffers: "1MB",
  work_mem: "2MB",
  maintenance_work_mem: "8MB",
};

try {
  const db = await PGlite.create({
    dataDir,
    startParams: [
      ...PGlite.defaultStartParams,
      ...Object.entries(memorySettings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
  });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections });
  await server.start();
  port.on("message", async (message) => {
    if (message !== "stop") return;
    await server.stop();
    await db.close();
    send({ type: "stopped" });
    port.close();
  });
  send({ type: "ready", url: `postgres://postgres@${server.getServerConn()}/postgres` });
} catch (error) {
  send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  port.close();
}
