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
  // No Nagle on either side, as pg itself connects: a proxy must not hold back a pipelined message.
  const server = createServer({ noDelay: true }, (client) => {
    const backend = connect({ port: Number(upstream.port || 5432), host: upstream.hostname, noDelay: true });
    sockets.add(client);
    sockets.add(backend);
    /** Round trips of this connection not answered yet (the ReadyForQuery after start-up answers none). */
    let unanswered = 0;
    const backendMessages = messageReader((type) => {
      if (type === "Z") unanswered = Math.max(0, unanswered - 1);
    });
    const clientMessages = messageReader(
      (type) => {
        if (type !== "Q" && type !== "S") return;
        roundTrips++;
        if (unanswered === 0) waits++;
        unanswered++;
      },
      (code) => {
        // The server answers an encryption request with one byte; the start-up message follows.
        const encryptionRequest = code === SSL_REQUEST || code === GSSENC_REQUEST;
        if (encryptionRequest) backendMessages.expectOneByteAnswer();
        return encryptionRequest;
      },
    );
    client.on("data", (chunk: Buffer) => {
      clientMessages.read(chunk);
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

/**
 * One direction of a connection, message by message (a type byte, then a length), each type to
 * `onMessage`; a partial message waits for more bytes. The client's side opens with untyped
 * start-up packets (a length, then a code): given `onStartupCode`, the reader takes those first,
 * for as long as it answers that another follows.
 */
function messageReader(onMessage: (type: string) => void, onStartupCode?: (code: number) => boolean) {
  let buffer = Buffer.alloc(0);
  let startup = onStartupCode !== undefined;
  let oneByteAnswers = 0;
  return {
    /** The server's answer to an SSL or GSS encryption request is one byte, not a message. */
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
        } else if (startup && onStartupCode) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          startup = onStartupCode(buffer.readInt32BE(4));
          buffer = buffer.subarray(length);
        } else {
          if (buffer.length < 5) break;
          const length = buffer.readInt32BE(1);
          if (buffer.length < length + 1) break;
          onMessage(String.fromCharCode(buffer[0] ?? 0));
          buffer = buffer.subarray(length + 1);
        }
      }
    },
  };
}
