import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import net, { type AddressInfo } from "node:net";

/** A request on either protocol, through Node's compatibility API (the same shape for both). */
export type FakeRequest = IncomingMessage | Http2ServerRequest;

/** What the fake uses of a response: the part ServerResponse and Http2ServerResponse share. */
export interface FakeResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array | string): boolean;
  end(): unknown;
  end(chunk: string): unknown;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  on(event: "error", listener: (error: Error) => void): unknown;
  once(event: "close", listener: () => void): unknown;
}

export interface Listener {
  port: number;
  /** TCP connections accepted so far: a pooling client opens few, one per answer at a time. */
  readonly connections: number;
  /** Stops listening and drops every connection (pooled keep-alive ones and HTTP/2 sessions too). */
  close(): Promise<void>;
}

/** The first bytes of every HTTP/2 connection with prior knowledge (cleartext, as the SDK speaks it). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0");

/**
 * Serves `handle` on 127.0.0.1:`port` over cleartext HTTP/1.1 and HTTP/2 on the one port, as
 * Bedrock does over TLS: the SDK's default handler speaks HTTP/2, and Parley's keep-alive pool
 * (and most other clients) HTTP/1.1. Each connection is handed to the server of the protocol its
 * first bytes announce.
 */
export async function listenHttp1And2(
  handle: (request: FakeRequest, response: FakeResponse) => void,
  port: number,
): Promise<Listener> {
  const http1Server = http.createServer({ keepAlive: true }, (req: IncomingMessage, res: ServerResponse) =>
    handle(req, res),
  );
  const http2Server = http2.createServer((req: Http2ServerRequest, res: Http2ServerResponse) =>
    handle(req, res),
  );
  http2Server.on("session", (session) => session.on("error", () => {})); // clients vanish mid-stream
  // As Bedrock's endpoints, keep idle connections well beyond Node's default five seconds.
  http1Server.keepAliveTimeout = 60_000;
  const sockets = new Set<net.Socket>();
  let connections = 0;
  // Sockets this server accepts skip http.Server's own set-up, its noDelay included: with Nagle's
  // algorithm on, an answer's last events waited for the client's delayed ACK (40 ms on Linux).
  const server = net.createServer({ noDelay: true }, (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      // Compared as far as both go: a first segment may be shorter than the preface.
      const length = Math.min(first.length, HTTP2_PREFACE.length);
      const http2Client = first.subarray(0, length).equals(HTTP2_PREFACE.subarray(0, length));
      (http2Client ? http2Server : http1Server).emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A thousand streams opened at once (bench:stream) must not overflow Node's default accept
    // queue (511): dropped SYNs come back seconds later, which real Bedrock would never add.
    server.listen({ port, host: "127.0.0.1", backlog: 4096 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients pool their connections, so closing the listener alone would wait for them forever.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
