// Runs inside a worker thread started by embedded.ts: owns the PGlite instance and its socket server.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { EmbeddedWorkerMessage } from "./embedded.ts";

const { dataDir, maxConnections } = workerData as { dataDir: string; maxConnections: number };
const port = parentPort;
if (!port) throw new Error("embedded-worker.ts must run in a worker thread");
const send = (message: EmbeddedWorkerMessage) => port.postMessage(message);

try {
  const db = await PGlite.create({ dataDir });
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
