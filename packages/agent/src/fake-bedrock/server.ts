import { createHash, randomUUID } from "node:crypto";
import { planAnswer } from "./answer.ts";
import { chooseBehaviour, DirectiveError, type FakeBehaviour, parseBehaviourSpec } from "./behaviours.ts";
import { type FakeRequest, type FakeResponse, listenHttp1And2 } from "./listener.ts";
import { mediaProblem } from "./media.ts";
import { PromptCache } from "./prompt-cache.ts";
import { estimateInputTokens, lastUserText, parseRequestBody } from "./request.ts";
import { converseAnswer, type Reply, sendError, streamAnswer } from "./respond.ts";

// A fake Bedrock Runtime for the Converse API, spoken over cleartext HTTP/2 (the SDK's default
// request handler, NodeHttp2Handler, speaks nothing else) and HTTP/1.1 (Parley's keep-alive pool)
// on one port. Point a BedrockRuntimeClient at `url` (or set AWS_ENDPOINT_URL_BEDROCK_RUNTIME) with
// any credentials; signatures are not checked.

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
  /** The HTTP version the client spoke: "1.1" or "2.0". */
  httpVersion: string;
}

export interface FakeBedrockOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Behaviour of requests without a directive: keys, or a directive body such as "tokens=5 rate=20". */
  behaviour?: Partial<FakeBehaviour> | string;
  /**
   * Tokens a prompt prefix needs before a cache point caches it (Bedrock: 1,024 for Claude Sonnet,
   * 2,048 for Claude 3.5 Haiku); default 1,024. Every model the fake serves caches.
   */
  cacheMinTokens?: number;
  /** Called with one line per finished request (the standalone server logs them). */
  log?: (line: string) => void;
}

export interface FakeBedrock {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Every Converse / ConverseStream request received, in arrival order. */
  requests: RecordedRequest[];
  /** TCP connections accepted so far (a client that pools its connections opens few). */
  readonly connections: number;
  /** Replaces the behaviour of requests without a directive. */
  setDefault(behaviour: Partial<FakeBehaviour> | string): void;
  /** Forgets the recorded requests, the throttle counts and the prompt cache. */
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

async function readBody(request: FakeRequest): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeBedrock(options: FakeBedrockOptions = {}): Promise<FakeBedrock> {
  let defaults = toBehaviour(options.behaviour ?? {});
  const requests: RecordedRequest[] = [];
  // throttle=N counts attempts per exact body: the SDK's retries resend the same bytes.
  const attemptsByBody = new Map<string, number>();
  const inflight = new Set<Promise<void>>();
  const controllers = new Set<AbortController>();
  // Bedrock's default cache time-to-live: five minutes from the last write or read.
  const promptCache = new PromptCache({ minTokens: options.cacheMinTokens ?? 1024, ttlMs: 5 * 60_000 });

  const handle = (request: FakeRequest, response: FakeResponse) => {
    // A client vanishing mid-stream (an RST_STREAM, a dropped socket) surfaces as an error: routine here.
    request.on("error", () => {});
    response.on("error", () => {});
    const path = (request.url ?? "").split("?")[0] ?? "";
    const route = ROUTE.exec(path);
    if (request.method !== "POST" || !route) {
      response.writeHead(404, {
        "content-type": "application/json",
        "x-amzn-errortype": "UnknownOperationException",
      });
      response.end(JSON.stringify({ message: `fake-bedrock: no route for ${request.method} ${path}` }));
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
      httpVersion: request.httpVersion,
    };
    requests.push(record);

    const controller = new AbortController();
    controllers.add(controller);
    let complete = false;
    const closed = new Promise<void>((resolve) => {
      response.once("close", () => {
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
      response,
      signal: controller.signal,
      requestId: randomUUID(),
      startedAt: record.startedAt,
      record,
      complete: () => {
        complete = true;
      },
    };
    answer(request, reply, record).catch((error: unknown) => {
      sendError(reply, 500, "InternalServerException", `fake-bedrock: ${String(error)}`);
    });
  };

  async function answer(request: FakeRequest, reply: Reply, record: RecordedRequest): Promise<void> {
    const raw = await readBody(request);
    const parsed = parseRequestBody(raw);
    if ("invalid" in parsed) {
      sendError(reply, 400, "ValidationException", `fake-bedrock: ${parsed.invalid}`);
      return;
    }
    record.body = parsed;
    const badMedia = mediaProblem(parsed);
    if (badMedia) {
      sendError(reply, 400, "ValidationException", `fake-bedrock: ${badMedia}`);
      return;
    }
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
    const total = estimateInputTokens(parsed);
    const inputTokens = promptCache.use(record.modelId, parsed, total) ?? total;
    if (record.operation === "converse") await converseAnswer(reply, plan, behaviour, inputTokens);
    else await streamAnswer(reply, plan, behaviour, inputTokens);
  }

  const listener = await listenHttp1And2(handle, options.port ?? 0);
  const { port } = listener;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return listener.connections;
    },
    setDefault(behaviour) {
      defaults = toBehaviour(behaviour);
    },
    reset() {
      requests.length = 0;
      attemptsByBody.clear();
      promptCache.clear();
    },
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
    close() {
      for (const controller of controllers) controller.abort();
      return listener.close();
    },
  };
}
