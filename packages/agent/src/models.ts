import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import { metrics } from "@parley/core";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { ModelSpec } from "./configuration.ts";

export interface BedrockSettings {
  region: string;
  /** A Bedrock-compatible endpoint (the fake server in tests and demo mode); unset for AWS. */
  endpoint?: string | undefined;
  /** Attempts per call, including the first: throttling and transient errors are retried by the
   * SDK's standard strategy (exponential backoff with full jitter). */
  maxAttempts: number;
  /** Explicit credentials (the fake server takes any); unset: the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export interface AttemptLogger {
  info(obj: object, msg?: string): void;
}

/**
 * One Bedrock runtime client per region (and endpoint), shared by every chat: the client owns the
 * connection pool. Each attempt, retries included, is logged — credentials are never part of what
 * is logged.
 *
 * The client speaks HTTP/1.1 over a keep-alive pool. The SDK's default handler speaks HTTP/2 but
 * opens a new connection for every event stream (NodeHttp2Handler isolates them), so every answer
 * would pay a TCP and TLS handshake with Bedrock before its first token; pooled connections are
 * reused. One answer holds one connection while it streams, so the pool is not capped: the
 * concurrent-turn limit (CHAT_MAX_CONCURRENT_TURNS) bounds it.
 */
export class BedrockClients {
  readonly #clients = new Map<string, BedrockRuntimeClient>();
  readonly #settings: BedrockSettings;
  readonly #logger: AttemptLogger;

  constructor(settings: BedrockSettings, logger: AttemptLogger) {
    this.#settings = settings;
    this.#logger = logger;
  }

  client(region = this.#settings.region): BedrockRuntimeClient {
    const key = `${region}|${this.#settings.endpoint ?? ""}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new BedrockRuntimeClient({
        region,
        maxAttempts: this.#settings.maxAttempts,
        requestHandler: new NodeHttpHandler({
          httpAgent: new HttpAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY }),
          httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY }),
        }),
        ...(this.#settings.endpoint ? { endpoint: this.#settings.endpoint } : {}),
        ...(this.#settings.credentials ? { credentials: this.#settings.credentials } : {}),
      });
      // The SDK's own logger middleware copies the whole request (prompt, history, tool schemas)
      // through its sensitive-data filter on every call, even for its default no-op logger: about
      // 1 ms of CPU per turn. Calls are logged by the middleware below instead.
      client.middlewareStack.remove("loggerMiddleware");
      const logger = this.#logger;
      // The deserialize step runs once per attempt (inside the retry loop), so this sees retries.
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const started = performance.now();
          try {
            const result = await next(args);
            metrics.bedrockAttempts.inc({ operation: context.commandName, outcome: "ok" });
            logger.info(
              { operation: context.commandName, region, ms: Math.round(performance.now() - started) },
              "bedrock attempt ok",
            );
            return result;
          } catch (error) {
            metrics.bedrockAttempts.inc({
              operation: context.commandName,
              outcome: error instanceof Error ? error.name : "Error",
            });
            logger.info(
              {
                operation: context.commandName,
                region,
                error: error instanceof Error ? error.name : String(error),
              },
              "bedrock attempt failed",
            );
            throw error;
          }
        },
        { step: "deserialize", name: "parleyAttemptLog" },
      );
      this.#clients.set(key, client);
    }
    return client;
  }

  /** A LangChain chat model for the spec, on the shared client (a light object: one per turn). */
  chatModel(
    spec: ModelSpec,
    params: { temperature?: number | undefined; maxTokens?: number | undefined } = {},
  ) {
    return new ChatBedrockConverse({
      model: spec.id,
      region: this.#settings.region,
      client: this.client(),
      maxTokens: Math.min(params.maxTokens ?? spec.maxOutputTokens, spec.maxOutputTokens),
      ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
      streamUsage: true,
    });
  }

  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
