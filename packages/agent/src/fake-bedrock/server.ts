import { createHash, randomUUID } from "node:crypto";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { planAnswer } from "./answer.ts";
import { chooseBehaviour, DirectiveError, type FakeBehaviour, parseBehaviourSpec } from "./behaviours.ts";
import { estimateInputTokens, lastUserText, parseRequestBody } from "./request.ts";
import { converseAnswer, type Reply, sendError, streamAnswer } from "./respond.ts";

// A fake Bedrock Runtime for the Converse API, spoken over cleartext HTTP/2 because the SDK's
// default request handler (NodeHttp2Handler) speaks nothing else: an HTTP/1 server fails its calls
// with ERR_HTTP2_ERROR. Point a BedrockRuntimeClient at `url` (or set
// AWS_ENDPOINT_URL_BEDROCK_RUNTIME) with any credentials; signatures are not checked.

export type Operation = "converse" | "converse-stream";

export interface RecordedRequest {
  /** The model id or ARN from the path, URL-decoded. */
  modelId: string;
  operation: Operation;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  /** The behaviour applied (undefined when the body or its directive was malformed). */
  behaviour?: FakeBehaviour;
  /** The HTTP status answered (0 while nothing has been sent). */
  status: number;
  /** Date.now() when the request arrived, and when its stream closed. */
  startedAt: number;
  finishedAt?: number;
  /** True when the client went away before the answer was complete. */
  aborted: boolean;
  /** Answer tokens sent: text words, or pieces of tool input JSON. */
  tokensSent: number;
}

export interface FakeBedrockOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Behaviour of requests without a directive: keys, or a directive body such as "tokens=5 rate=20". */
  behaviour?: Partial<FakeBehaviour> | string;
  /** Called with one line per finished request (the standalone server logs them). */
  log?: (line: string) => void;
}

export interface FakeBedrock {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Every Converse / ConverseStream request received, in arrival order. */
  requests: RecordedRequest[];
  /** Replaces the behaviour of requests without a directive. */
  setDefault(behaviour: Partial<FakeBehaviour> | string): void;
  /** Forgets the recorded requests and the throttle counts. */
  reset(): void;
  /** Resolves once no request is in flight (answered, aborted or failed). */
  idle(): Promise<void>;
  /** Stops generating, drops every connection and stops listening. */
  close(): Promise<void>;
}

const ROUTE = /^\/model\/(.+)\/(converse|converse-stream)$/;

function toBehaviour(behaviour: Partial<FakeBehaviour> | string): Partial<FakeBehaviour> {
  return typeof behaviour === "string" ? parseBehaviourSpec(behaviour) : { ...behaviour };
}

async function readBody(stream: http2.ServerHttp2Stream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeBedrock(options: FakeBedrockOptions = {}): Promise<FakeBedrock> {
  let defaults = toBehaviour(options.behaviour ?? {});
  const requests: RecordedRequest[] = [];
  // throttle=N counts attempts per exact body: the SDK's retries resend the same bytes.
  const attemptsByBody = new Map<string, number>();
  const inflight = new Set<Promise<void>>();
  const controllers = new Set<AbortController>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createServer();

  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
    session.on("error", () => {}); // a client vanishing mid-stream is routine here
  });

  server.on("stream", (stream, headers) => {
    stream.on("error", () => {}); // RST_STREAM from an aborting client surfaces as an error
    const path = String(headers[":path"] ?? "").split("?")[0] ?? "";
    const route = ROUTE.exec(path);
    if (headers[":method"] !== "POST" || !route) {
      stream.respond({
        ":status": 404,
        "content-type": "application/json",
        "x-amzn-errortype": "UnknownOperationException",
      });
      stream.end(JSON.stringify({ message: `fake-bedrock: no route for ${headers[":method"]} ${path}` }));
      return;
    }
    let modelId: string;
    try {
      modelId = decodeURIComponent(route[1] ?? "");
    } catch {
      modelId = route[1] ?? "";
    }
    const record: RecordedRequest = {
      modelId,
      operation: route[2] === "converse" ? "converse" : "converse-stream",
      body: undefined,
      status: 0,
      startedAt: Date.now(),
      aborted: false,
      tokensSent: 0,
    };
    requests.push(record);

    const controller = new AbortController();
    controllers.add(controller);
    let complete = false;
    const closed = new Promise<void>((resolve) => {
      stream.once("close", () => {
        record.finishedAt = Date.now();
        if (!complete) {
          record.aborted = true;
          controller.abort();
        }
        controllers.delete(controller);
        inflight.delete(closed);
        options.log?.(
          `${record.operation} ${record.modelId} -> ${record.status}${record.aborted ? " (aborted)" : ""}, ` +
            `${record.tokensSent} tokens, ${record.finishedAt - record.startedAt} ms`,
        );
        resolve();
      });
    });
    inflight.add(closed);
    const reply: Reply = {
      stream,
      signal: controller.signal,
      requestId: randomUUID(),
      startedAt: record.startedAt,
      record,
      complete: () => {
        complete = true;
      },
    };
    answer(reply, record).catch((error: unknown) => {
      sendError(reply, 500, "InternalServerException", `fake-bedrock: ${String(error)}`);
    });
  });

  async function answer(reply: Reply, record: RecordedRequest): Promise<void> {
    const raw = await readBody(reply.stream);
    const parsed = parseRequestBody(raw);
    if ("invalid" in parsed) {
      sendError(reply, 400, "ValidationException", `fake-bedrock: ${parsed.invalid}`);
      return;
    }
    record.body = parsed;
    let behaviour: FakeBehaviour;
    try {
      behaviour = chooseBehaviour(lastUserText(parsed), defaults).behaviour;
    } catch (error) {
      if (!(error instanceof DirectiveError)) throw error;
      sendError(reply, 400, "ValidationException", error.message);
      return;
    }
    record.behaviour = behaviour;
    const hash = createHash("sha256").update(raw).digest("hex");
    if (behaviour.throttle > 0) {
      const attempt = (attemptsByBody.get(hash) ?? 0) + 1;
      attemptsByBody.set(hash, attempt);
      if (attempt <= behaviour.throttle) {
        sendError(reply, 429, "ThrottlingException", `fake-bedrock: throttled (attempt ${attempt})`);
        return;
      }
    }
    if (behaviour.error) {
      const { name, status, message } = behaviour.error;
      sendError(reply, status, name, message ?? `fake-bedrock: scripted ${name}`);
      return;
    }
    const plan = planAnswer(parsed, behaviour, hash);
    const inputTokens = estimateInputTokens(parsed);
    if (record.operation === "converse") await converseAnswer(reply, plan, behaviour, inputTokens);
    else await streamAnswer(reply, plan, behaviour, inputTokens);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setDefault(behaviour) {
      defaults = toBehaviour(behaviour);
    },
    reset() {
      requests.length = 0;
      attemptsByBody.clear();
    },
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const controller of controllers) controller.abort();
        server.close(() => resolve());
        // The SDK pools its HTTP/2 sessions, so server.close() alone would wait for them forever.
        for (const session of sessions) session.destroy();
      });
    },
  };
}
