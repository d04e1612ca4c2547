import { connect, createServer, type Socket } from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that counts the server's SQL round trips as they cross the
 * wire: every simple-protocol Query ('Q') and every extended-protocol Sync ('S', which ends one
 * Parse/Bind/Execute batch) the client sends is one round trip. Point DATABASE_URL at `url`.
 * It also counts the client's waits: a Query or Sync sent while every one before it has been
 * answered (ReadyForQuery, 'Z'). Pipelined statements are round trips but not waits.
 */
export interface PgRoundTripCounter {
  /** `target` with the proxy's host and port. */
  url: string;
  /** Round trips since the proxy started. */
  count(): number;
  /** Waits since the proxy started: round trips sent with none unanswered. */
  waits(): number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export async function startPgRoundTripCounter(target: string): Promise<PgRoundTripCounter> {
  const upstream = new URL(target);
  let roundTrips = 0;
  let waits = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const backend = connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client);
    sockets.add(backend);
    let buffer = Buffer.alloc(0);
    let startup = true;
    /** Round trips of this connection not answered yet (the ReadyForQuery after start-up answers none). */
    let unanswered = 0;
    const backendMessages = messageReader((type) => {
      if (type === "Z") unanswered = Math.max(0, unanswered - 1);
    });
    client.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      // Walk the complete messages; a partial one waits for more bytes.
      for (;;) {
        if (startup) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) backendMessages.expectOneByteAnswer();
          else startup = false;
        } else {
          if (buffer.length < 5) break;
          const length = buffer.readInt32BE(1);
          if (buffer.length < length + 1) break;
          const type = String.fromCharCode(buffer[0] ?? 0);
          if (type === "Q" || type === "S") {
            roundTrips++;
            if (unanswered === 0) waits++;
            unanswered++;
          }
          buffer = buffer.subarray(length + 1);
        }
      }
      backend.write(chunk);
    });
    backend.on("data", (chunk: Buffer) => {
      backendMessages.read(chunk);
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      backend.destroy();
      sockets.delete(client);
      sockets.delete(backend);
    };
    client.on("close", end);
    backend.on("close", end);
    client.on("error", end);
    backend.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    count: () => roundTrips,
    waits: () => waits,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The server's side of one connection, message by message (type byte, then a length). */
function messageReader(onMessage: (type: string) => void) {
  let buffer = Buffer.alloc(0);
  let oneByteAnswers = 0;
  return {
    /** The answer to an SSL or GSS encryption request is one byte, not a message. */
    expectOneByteAnswer() {
      oneByteAnswers++;
    },
    read(chunk: Buffer) {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (oneByteAnswers > 0) {
          if (buffer.length < 1) break;
          oneByteAnswers--;
          buffer = buffer.subarray(1);
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) break;
        onMessage(String.fromCharCode(buffer[0] ?? 0));
        buffer = buffer.subarray(length + 1);
      }
    },
  };
}
