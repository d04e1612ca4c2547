import { instrumentLangChain } from "@parley/agent";
import type { MiddlewareHandler } from "hono";
import type { Config } from "./config.ts";

export interface Telemetry {
  /** A span for every HTTP request, when spans are being exported. */
  httpSpans: MiddlewareHandler | null;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Tracing with OpenTelemetry, exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (Phoenix,
 * Langfuse, Jaeger, any collector). Off, and free, when it is unset: the API's spans stay no-ops.
 * Spans: each HTTP request, each tRPC procedure, each chat turn with its graph's nodes and LLM
 * calls (OpenInference attributes), each ledger call. The SDK is loaded only when it exports:
 * tens of MiB an untraced server need not hold.
 */
export async function startTelemetry(config: Config): Promise<Telemetry> {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return { httpSpans: null, shutdown: async () => {} };
  const [{ OTLPTraceExporter }, { NodeSDK }, { httpInstrumentationMiddleware }] = await Promise.all([
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/sdk-node"),
    import("@hono/otel"),
  ]);
  const sdk = new NodeSDK({
    serviceName: config.OTEL_SERVICE_NAME,
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` }),
    // Traces only: metrics are Prometheus's (/metrics), logs are pino's (with trace ids).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    autoDetectResources: false,
  });
  sdk.start();
  await instrumentLangChain();
  return {
    httpSpans: httpInstrumentationMiddleware({ serviceName: "parley" }),
    shutdown: () => sdk.shutdown(),
  };
}
