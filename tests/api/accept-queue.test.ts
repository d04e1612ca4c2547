// A burst of connections to a process too busy to accept them (a thousand clients at once, every
// browser reconnecting its answer stream after a restart) waits in the kernel's accept queue. With
// Node's default queue (511) the kernel dropped the rest of the burst's SYNs; those clients came
// back one, three, seven seconds later, and some gave up. The server is frozen (SIGSTOP) so that
// it accepts nothing while the burst arrives: what connects is exactly what the queue holds.
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../support/processes.ts";

const BURST = 1000;
// Linux caps every listen queue at net.core.somaxconn (4096 on current kernels, 128 on old ones).
const somaxconn = Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8"));

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ processes: 1 });
});
afterAll(() => cluster?.close());

describe("the server's accept queue", () => {
  it.skipIf(somaxconn < BURST)(
    `holds a burst of ${BURST} connections while the process cannot accept them`,
    async () => {
      const server = cluster.servers[0];
      if (!server?.child.pid) throw new Error("no server process");
      const { port } = new URL(server.url);
      const sockets: Socket[] = [];
      process.kill(server.child.pid, "SIGSTOP");
      try {
        const connected = await Promise.all(
          Array.from(
            { length: BURST },
            () =>
              new Promise<boolean>((resolve) => {
                const socket = connect({ host: "127.0.0.1", port: Number(port) });
                sockets.push(socket);
                // A dropped SYN is retried after a second: anything not in by then did not fit.
                const timer = setTimeout(() => resolve(false), 700);
                socket.once("connect", () => {
                  clearTimeout(timer);
                  resolve(true);
                });
                socket.once("error", () => resolve(false));
              }),
          ),
        );
        expect(connected.filter(Boolean).length).toBe(BURST);
      } finally {
        for (const socket of sockets) socket.destroy();
        process.kill(server.child.pid, "SIGCONT");
      }
      // Thawed, it serves as before.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    },
    30_000,
  );
});
